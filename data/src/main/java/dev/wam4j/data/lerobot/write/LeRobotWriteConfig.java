package dev.wam4j.data.lerobot.write;

import dev.wam4j.data.video.VideoEncoding;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What a {@link LeRobotWriter} writes. Immutable; validated on construction.
 *
 * @param version {@code v3.0} (many episodes per file, the default) or {@code v2.1} (one file per
 *     episode)
 * @param fps frames per second of every episode, positive
 * @param robotType free text for {@code info.json}'s {@code robot_type}
 * @param features the per-frame features in column order (the index columns follow them)
 * @param encoding how videos are encoded; LeRobot's default is AV1 (libsvtav1, yuv420p) crf 30, GOP
 *     2
 * @param dataFilesSizeMb v3.0: a new data file starts when the current one would exceed this (MiB,
 *     2^20 bytes, as LeRobot counts, of uncompressed row data, a conservative estimate of the
 *     parquet size); LeRobot's default 100
 * @param videoFilesSizeMb v3.0: a new video file starts when the current one would exceed this
 *     (MiB, judged at episode boundaries from the bytes written and the file's mean episode size);
 *     default 500
 * @param chunksSize most files per chunk folder (v3.0) or episodes per chunk (v2.1); default 1000
 */
public record LeRobotWriteConfig(
    Version version,
    int fps,
    String robotType,
    List<WriteFeature> features,
    VideoEncoding encoding,
    double dataFilesSizeMb,
    double videoFilesSizeMb,
    int chunksSize) {

  /** The dataset layouts this writer produces. */
  public enum Version {
    V2_1("v2.1"),
    V3_0("v3.0");

    private final String tag;

    Version(String tag) {
      this.tag = tag;
    }

    /** {@code codebase_version} as written to info.json. */
    public String tag() {
      return tag;
    }
  }

  public LeRobotWriteConfig {
    if (version == null) throw new IllegalArgumentException("version must not be null");
    if (fps <= 0) throw new IllegalArgumentException("fps must be positive, got " + fps);
    if (robotType == null) throw new IllegalArgumentException("robot_type must not be null");
    if (features == null || features.isEmpty())
      throw new IllegalArgumentException("a dataset needs at least one feature");
    features = List.copyOf(features);
    Set<String> keys = new HashSet<>();
    for (WriteFeature f : features) {
      if (!keys.add(f.key()))
        throw new IllegalArgumentException("feature " + f.key() + " declared twice");
    }
    if (encoding == null) throw new IllegalArgumentException("encoding must not be null");
    if (!(dataFilesSizeMb > 0) || !(videoFilesSizeMb > 0)) {
      throw new IllegalArgumentException(
          "file size limits must be positive, got data "
              + dataFilesSizeMb
              + " MiB, video "
              + videoFilesSizeMb
              + " MiB");
    }
    if (chunksSize < 1)
      throw new IllegalArgumentException("chunks_size must be >= 1, got " + chunksSize);
  }

  /**
   * v3.0 with LeRobot's defaults: AV1 crf 30 GOP 2, 100 MiB data files, 500 MiB video files, 1000
   * files per chunk.
   */
  public static LeRobotWriteConfig of(int fps, String robotType, List<WriteFeature> features) {
    return new LeRobotWriteConfig(
        Version.V3_0, fps, robotType, features, VideoEncoding.AV1_LEROBOT, 100, 500, 1000);
  }

  public LeRobotWriteConfig withVersion(Version v) {
    return new LeRobotWriteConfig(
        v, fps, robotType, features, encoding, dataFilesSizeMb, videoFilesSizeMb, chunksSize);
  }

  public LeRobotWriteConfig withEncoding(VideoEncoding e) {
    return new LeRobotWriteConfig(
        version, fps, robotType, features, e, dataFilesSizeMb, videoFilesSizeMb, chunksSize);
  }

  public LeRobotWriteConfig withFileSizes(double dataMb, double videoMb, int chunks) {
    return new LeRobotWriteConfig(
        version, fps, robotType, features, encoding, dataMb, videoMb, chunks);
  }
}
