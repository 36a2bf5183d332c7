package dev.wam4j.data.lerobot.write;

import dev.wam4j.data.lerobot.CodebaseVersion;
import dev.wam4j.data.lerobot.Episode;
import dev.wam4j.data.lerobot.LeRobotDataset;
import dev.wam4j.data.lerobot.LeRobotInfo;
import dev.wam4j.data.lerobot.VideoSegment;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One input of an append: a v3.0 dataset's metadata, read and checked once (the dataset is closed
 * again), with every file it references present.
 *
 * @param root the dataset folder
 * @param info its info.json
 * @param episodes its episodes, numbered 0..N-1 with global index ranges following each other from
 *     0
 * @param tasks its task strings by {@code task_index}
 * @param episodeFiles its {@code meta/episodes/} parquet files
 */
record SourceDataset(
    Path root,
    LeRobotInfo info,
    List<Episode> episodes,
    Map<Integer, String> tasks,
    List<Path> episodeFiles) {

  SourceDataset {
    episodes = List.copyOf(episodes);
    tasks = Map.copyOf(tasks);
    episodeFiles = List.copyOf(episodeFiles);
  }

  /**
   * Opens the dataset in {@code root} (which checks its episodes metadata against its data) and
   * keeps its metadata.
   *
   * @throws IllegalArgumentException when it is not v3.0, a file it references is missing, or its
   *     episodes are not numbered as LeRobot numbers them; the message names the dataset and the
   *     field
   * @throws IOException when it cannot be read (a {@code LeRobotFormatException} names the file)
   */
  static SourceDataset read(Path root) throws IOException {
    try (LeRobotDataset ds = LeRobotDataset.open(root)) {
      if (ds.version() != CodebaseVersion.V3_0) {
        throw new IllegalArgumentException(
            ds.root()
                + ": codebase_version is "
                + ds.version().tag()
                + "; an append copies v3.0 files, convert the dataset first");
      }
      if (!ds.missingFiles().isEmpty()) {
        throw new IllegalArgumentException(
            ds.root()
                + ": "
                + ds.missingFiles().size()
                + " files the episodes metadata references are missing, "
                + "first "
                + ds.missingFiles().get(0)
                + "; an append copies every data and video file");
      }
      long from = 0;
      for (int i = 0; i < ds.episodes().size(); i++) {
        Episode e = ds.episodes().get(i);
        if (e.index() != i) {
          throw new IllegalArgumentException(
              ds.root()
                  + ": episode_index "
                  + e.index()
                  + " where "
                  + i
                  + " was expected (LeRobot numbers episodes 0..N-1)");
        }
        if (e.datasetFrom() != from) {
          throw new IllegalArgumentException(
              ds.root()
                  + ": episode "
                  + i
                  + " has dataset_from_index "
                  + e.datasetFrom()
                  + " where "
                  + from
                  + " was expected (the global index runs on from 0)");
        }
        from = e.datasetTo();
      }
      return new SourceDataset(
          ds.root(), ds.info(), ds.episodes(), ds.tasks(), ds.episodeMetadataFiles());
    }
  }

  /** Frames in the dataset. */
  long frames() {
    return episodes.isEmpty() ? 0 : episodes.getLast().datasetTo();
  }

  /** The data files in episode order, without repeats. */
  List<Path> dataFiles() {
    Set<Path> files = new LinkedHashSet<>();
    for (Episode e : episodes) {
      files.add(e.dataFile());
    }
    return List.copyOf(files);
  }

  /** The mp4 files of video key {@code key} in episode order, without repeats. */
  List<Path> videoFiles(String key) {
    Set<Path> files = new LinkedHashSet<>();
    for (Episode e : episodes) {
      VideoSegment s = e.videos().get(key);
      if (s != null) {
        files.add(s.file());
      }
    }
    return List.copyOf(files);
  }
}
