package dev.wam4j.data.lerobot;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The contents of a dataset's {@code meta/info.json}, with every variant real files use normalised:
 * int or float {@code fps}, {@code info} or {@code video_info}, names as null / list / list of
 * lists / dict, [H,W,C] or [C,H,W] images, and the v3.0 size keys defaulted when absent.
 *
 * @param file the info.json read
 * @param version the layout, from {@code codebase_version}
 * @param robotType e.g. {@code so101_follower}; empty when the file has none
 * @param totalEpisodes episodes in the dataset
 * @param totalFrames frames (parquet rows) in the dataset
 * @param totalTasks distinct task strings
 * @param totalChunks v2.x chunk folders, when stated
 * @param totalVideos v2.x video files, when stated
 * @param chunksSize files (v3.0) or episodes (v2.x) per chunk folder; 1000 when absent
 * @param dataFilesSizeInMb v3.0 parquet shard limit in MB; 100 when absent
 * @param videoFilesSizeInMb v3.0 mp4 shard limit in MB; 500 when absent
 * @param fps frames per second (seconds between frames = 1 / fps)
 * @param splits split name to episode range text, e.g. {@code train -> 0:4}
 * @param dataPath parquet path template relative to the root
 * @param videoPath mp4 path template, empty when the dataset has no video
 * @param features features in file order
 */
public record LeRobotInfo(
    Path file,
    CodebaseVersion version,
    Optional<String> robotType,
    int totalEpisodes,
    long totalFrames,
    int totalTasks,
    OptionalInt totalChunks,
    OptionalInt totalVideos,
    int chunksSize,
    double dataFilesSizeInMb,
    double videoFilesSizeInMb,
    double fps,
    Map<String, String> splits,
    String dataPath,
    Optional<String> videoPath,
    Map<String, Feature> features) {

  /** Chunk size LeRobot uses when info.json does not say. */
  public static final int DEFAULT_CHUNKS_SIZE = 1000;

  /** v3.0 parquet shard limit (MB) when info.json does not say. */
  public static final double DEFAULT_DATA_FILES_SIZE_IN_MB = 100;

  /** v3.0 mp4 shard limit (MB) when info.json does not say. */
  public static final double DEFAULT_VIDEO_FILES_SIZE_IN_MB = 500;

  private static final ObjectMapper MAPPER = new ObjectMapper();

  public LeRobotInfo {
    splits = Collections.unmodifiableMap(new LinkedHashMap<>(splits));
    features = Collections.unmodifiableMap(new LinkedHashMap<>(features));
  }

  /** Keys of the video features, in file order. */
  public List<String> videoKeys() {
    List<String> keys = new ArrayList<>();
    features.forEach(
        (k, f) -> {
          if (f.isVideo()) {
            keys.add(k);
          }
        });
    return keys;
  }

  /**
   * Keys of the image features (frames stored as PNG or JPEG bytes in the parquet), in file order.
   */
  public List<String> imageKeys() {
    List<String> keys = new ArrayList<>();
    features.forEach(
        (k, f) -> {
          if (f.isImage()) {
            keys.add(k);
          }
        });
    return keys;
  }

  /** Keys of the features that hold frames, video or image, in file order. */
  public List<String> frameKeys() {
    List<String> keys = new ArrayList<>();
    features.forEach(
        (k, f) -> {
          if (f.isVisual()) {
            keys.add(k);
          }
        });
    return keys;
  }

  /** The feature named {@code key}; throws naming the dataset's features when there is none. */
  public Feature feature(String key) {
    Feature f = features.get(key);
    if (f == null) {
      throw new IllegalArgumentException(
          file + ": no feature '" + key + "'; features are " + features.keySet());
    }
    return f;
  }

  /**
   * Reads and checks {@code infoJson}.
   *
   * @throws LeRobotFormatException when the file is missing, not JSON, lacks a required key or has
   *     a value of the wrong type; the message names the file and the key
   */
  public static LeRobotInfo read(Path infoJson) throws LeRobotFormatException {
    JsonNode root;
    try {
      root = MAPPER.readTree(Files.readAllBytes(infoJson));
    } catch (NoSuchFileException e) {
      throw new LeRobotFormatException(infoJson, "not found (is this a LeRobot dataset folder?)");
    } catch (JsonProcessingException e) {
      throw new LeRobotFormatException(infoJson, "not valid JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new LeRobotFormatException(infoJson, "cannot read: " + e.getMessage(), e);
    }
    if (root == null || !root.isObject()) {
      throw new LeRobotFormatException(infoJson, "expected a JSON object");
    }
    return parse(new MetadataFields(infoJson), root);
  }

  static LeRobotInfo parse(MetadataFields f, JsonNode root) throws LeRobotFormatException {
    String tag = f.string(root, "codebase_version", "codebase_version");
    CodebaseVersion version = CodebaseVersion.ofTag(tag);
    if (version == null) {
      throw f.error("codebase_version", "'" + tag + "' is not one of v2.0, v2.1, v3.0");
    }
    int chunksSize =
        MetadataFields.present(root, "chunks_size")
            ? f.nonNegativeInt(root, "chunks_size", "chunks_size")
            : DEFAULT_CHUNKS_SIZE;
    if (chunksSize == 0) {
      throw f.error("chunks_size", "must be positive");
    }
    Map<String, String> splits = new LinkedHashMap<>();
    if (MetadataFields.present(root, "splits")) {
      JsonNode s = f.object(root, "splits", "splits");
      for (Map.Entry<String, JsonNode> e : s.properties()) {
        splits.put(e.getKey(), f.string(s, e.getKey(), "splits." + e.getKey()));
      }
    }
    JsonNode featuresNode = f.object(root, "features", "features");
    Map<String, Feature> features = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> e : featuresNode.properties()) {
      features.put(e.getKey(), Feature.parse(f, e.getKey(), e.getValue()));
    }
    String videoPath = f.optionalString(root, "video_path", "video_path");
    LeRobotInfo info =
        new LeRobotInfo(
            f.file(),
            version,
            Optional.ofNullable(f.optionalString(root, "robot_type", "robot_type")),
            f.nonNegativeInt(root, "total_episodes", "total_episodes"),
            nonNegative(f, f.integer(root, "total_frames", "total_frames"), "total_frames"),
            f.nonNegativeInt(root, "total_tasks", "total_tasks"),
            optionalInt(f, root, "total_chunks"),
            optionalInt(f, root, "total_videos"),
            chunksSize,
            MetadataFields.present(root, "data_files_size_in_mb")
                ? f.positive(root, "data_files_size_in_mb", "data_files_size_in_mb")
                : DEFAULT_DATA_FILES_SIZE_IN_MB,
            MetadataFields.present(root, "video_files_size_in_mb")
                ? f.positive(root, "video_files_size_in_mb", "video_files_size_in_mb")
                : DEFAULT_VIDEO_FILES_SIZE_IN_MB,
            f.positive(root, "fps", "fps"),
            splits,
            f.string(root, "data_path", "data_path"),
            Optional.ofNullable(videoPath),
            features);
    if (!info.videoKeys().isEmpty() && videoPath == null) {
      throw f.error("video_path", "missing, but features " + info.videoKeys() + " are videos");
    }
    return info;
  }

  private static long nonNegative(MetadataFields f, long v, String key)
      throws LeRobotFormatException {
    if (v < 0) {
      throw f.error(key, "expected a non-negative integer, got " + v);
    }
    return v;
  }

  private static OptionalInt optionalInt(MetadataFields f, JsonNode root, String key)
      throws LeRobotFormatException {
    return MetadataFields.present(root, key)
        ? OptionalInt.of(f.nonNegativeInt(root, key, key))
        : OptionalInt.empty();
  }
}
