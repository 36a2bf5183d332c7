package dev.wam4j.data.lerobot.write;

import java.util.List;
import java.util.Map;

/**
 * One episode as the episodes metadata records it.
 *
 * @param index {@code episode_index}
 * @param tasks the episode's task strings
 * @param length frames in the episode
 * @param dataChunk chunk index of its data file
 * @param dataFile file index of its data file
 * @param from global {@code index} of its first frame
 * @param to global {@code index} one past its last frame
 * @param videos per video key, in the features' order, where its frames are
 * @param stats its statistics per feature (and index column)
 */
record EpisodeRow(
    int index,
    List<String> tasks,
    int length,
    int dataChunk,
    int dataFile,
    long from,
    long to,
    List<VideoSpan> videos,
    Map<String, FeatureStats> stats) {

  EpisodeRow {
    tasks = List.copyOf(tasks);
    videos = List.copyOf(videos);
  }
}
