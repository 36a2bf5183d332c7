package dev.wam4j.data.lerobot;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a LeRobot dataset holds, from its metadata: version, robot, size, features (video ones with
 * their codec), tasks, and the files it names that are missing.
 *
 * @param root the dataset folder, absolute
 * @param codebaseVersion the LeRobot format version, e.g. {@code v3.0}
 * @param robotType the robot recorded, or null
 * @param totalFrames frames over all episodes
 * @param features by name, in the order of info.json
 * @param tasks task text by task index
 * @param videoKeys each video feature's codec ({@code unknown} when info.json does not say)
 * @param missingFiles files the metadata names that do not exist, relative to {@code root}
 * @param dataFiles the frame tables, relative to {@code root}
 */
public record DatasetSummary(
    @JsonIgnore Path root,
    String codebaseVersion,
    String robotType,
    int totalEpisodes,
    long totalFrames,
    double fps,
    Map<String, FeatureSummary> features,
    Map<Integer, String> tasks,
    Map<String, String> videoKeys,
    List<String> imageKeys,
    List<String> missingFiles,
    List<String> dataFiles) {

  /** One feature; {@code codec} only for a video feature. */
  public record FeatureSummary(
      String dtype,
      List<Integer> shape,
      List<String> names,
      @JsonInclude(JsonInclude.Include.NON_NULL) String codec) {
    /** Whether its frames are images stored in the frame tables rather than video. */
    public boolean framesInParquet() {
      return dtype.equals("image");
    }
  }

  /** Opens the dataset at {@code path} (any version wam4j reads) and summarises it. */
  public static DatasetSummary of(Path path) throws IOException {
    try (LeRobotDataset ds = LeRobotDataset.open(path)) {
      Map<String, FeatureSummary> features = new LinkedHashMap<>();
      Map<String, String> videoKeys = new LinkedHashMap<>();
      for (Feature f : ds.features().values()) {
        String codec = f.isVideo() ? f.video().flatMap(v -> v.codec()).orElse("unknown") : null;
        features.put(f.name(), new FeatureSummary(f.dtype(), f.shape(), f.names(), codec));
        if (codec != null) videoKeys.put(f.name(), codec);
      }
      return new DatasetSummary(
          ds.root(),
          ds.version().tag(),
          ds.info().robotType().orElse(null),
          ds.episodes().size(),
          ds.episodes().stream().mapToLong(Episode::length).sum(),
          ds.fps(),
          features,
          ds.tasks(),
          videoKeys,
          ds.imageKeys(),
          ds.missingFiles().stream().map(p -> ds.root().relativize(p).toString()).toList(),
          ds.dataFiles().stream().map(p -> ds.root().relativize(p).toString()).toList());
    }
  }
}
