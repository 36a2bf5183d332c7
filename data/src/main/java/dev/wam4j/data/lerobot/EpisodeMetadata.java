package dev.wam4j.data.lerobot;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The episode index of a dataset as its {@code meta/} folder states it: every episode with its data
 * file, global index range and video segments, and the task strings.
 *
 * @param episodes in {@code episode_index} order
 * @param tasks task strings by {@code task_index}, in index order
 * @param tasksFile {@code meta/tasks.jsonl} (v2.x) or {@code meta/tasks.parquet} (v3.0)
 * @param episodeFiles the files the episodes were read from ({@code meta/episodes.jsonl} or the
 *     {@code meta/episodes/} parquet files)
 */
record EpisodeMetadata(
    List<Episode> episodes, Map<Integer, String> tasks, Path tasksFile, List<Path> episodeFiles) {

  EpisodeMetadata {
    episodes = List.copyOf(episodes);
    tasks = Collections.unmodifiableMap(new TreeMap<>(tasks));
    episodeFiles = List.copyOf(episodeFiles);
  }

  /**
   * Reads the episode index of the dataset in {@code root}, whose info.json is {@code info}; v3.0
   * parquet is read through {@code c}.
   *
   * @throws LeRobotFormatException when a metadata file is missing or malformed; the message names
   *     it
   */
  static EpisodeMetadata read(Path root, LeRobotInfo info, Connection c) throws IOException {
    return info.version().perEpisodeFiles()
        ? JsonlEpisodeMetadata.read(root, info)
        : ParquetEpisodeMetadata.read(root, info, c);
  }

  /** The episodes by {@code episode_index}. */
  Map<Integer, Episode> byIndex() {
    Map<Integer, Episode> m = new HashMap<>();
    for (Episode e : episodes) {
      m.put(e.index(), e);
    }
    return m;
  }
}
