package dev.wam4j.data.lerobot;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * One episode as the dataset's metadata describes it.
 *
 * @param index {@code episode_index}
 * @param length frames in the episode
 * @param tasks the task strings of the episode
 * @param dataFile the parquet file holding its rows
 * @param datasetFrom global {@code index} of its first frame
 * @param datasetTo global {@code index} one past its last frame ({@code datasetFrom + length})
 * @param videos per video key, where its frames are
 * @param metadataFile the metadata file this entry was read from (episodes.jsonl or an episodes
 *     parquet)
 */
public record Episode(
    int index,
    int length,
    List<String> tasks,
    Path dataFile,
    long datasetFrom,
    long datasetTo,
    Map<String, VideoSegment> videos,
    Path metadataFile) {

  public Episode {
    tasks = List.copyOf(tasks);
    videos = Map.copyOf(videos);
  }
}
