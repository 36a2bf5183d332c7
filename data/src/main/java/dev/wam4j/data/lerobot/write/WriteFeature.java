package dev.wam4j.data.lerobot.write;

import java.util.List;
import java.util.Set;

/**
 * One per-frame feature a {@link LeRobotWriter} writes. A closed set: float32 vectors (parquet
 * lists), scalars, and RGB videos. The five index columns every LeRobot dataset has ({@code
 * timestamp}, {@code frame_index}, {@code episode_index}, {@code index}, {@code task_index}) are
 * added by the writer and cannot be declared.
 */
public sealed interface WriteFeature
    permits WriteFeature.Vector, WriteFeature.Scalar, WriteFeature.Video {

  /** Keys the writer owns. */
  Set<String> RESERVED = Set.of("timestamp", "frame_index", "episode_index", "index", "task_index");

  /** Column / feature name, e.g. {@code observation.state}. */
  String key();

  /**
   * A float32 vector, stored as a parquet list of float32 with one value per name.
   *
   * @param names one name per dimension (LeRobot's {@code names}); the vector's length is their
   *     count
   */
  record Vector(String key, List<String> names) implements WriteFeature {
    public Vector {
      checkKey(key);
      if (names == null || names.isEmpty())
        throw new IllegalArgumentException(
            "feature " + key + ": a vector needs at least one dimension name");
      names = List.copyOf(names);
    }

    /** Number of values per frame. */
    public int dim() {
      return names.size();
    }
  }

  /** Scalar column types, with their numpy (info.json) and DuckDB names. */
  enum ScalarType {
    FLOAT32("float32", "FLOAT"),
    INT64("int64", "BIGINT"),
    BOOL("bool", "BOOLEAN");

    final String numpy;
    final String sql;

    ScalarType(String numpy, String sql) {
      this.numpy = numpy;
      this.sql = sql;
    }
  }

  /**
   * One value per frame (LeRobot shape {@code [1]}), e.g. {@code next.reward} or {@code next.done}.
   */
  record Scalar(String key, ScalarType type) implements WriteFeature {
    public Scalar {
      checkKey(key);
      if (type == null)
        throw new IllegalArgumentException("feature " + key + ": scalar type must not be null");
    }
  }

  /**
   * RGB frames stored as video (LeRobot dtype {@code video}, shape {@code [height, width, 3]}).
   *
   * @param height pixels, positive and even (yuv420p)
   * @param width pixels, positive and even
   */
  record Video(String key, int height, int width) implements WriteFeature {
    public Video {
      checkKey(key);
      if (height <= 0 || width <= 0 || height % 2 != 0 || width % 2 != 0) {
        throw new IllegalArgumentException(
            "feature "
                + key
                + ": video size must be positive and even, got "
                + height
                + "x"
                + width);
      }
    }

    /** Bytes of one packed RGB frame. */
    public int frameBytes() {
      return 3 * height * width;
    }
  }

  private static void checkKey(String key) {
    if (key == null || key.isBlank() || key.contains("/") || key.contains("\"")) {
      throw new IllegalArgumentException(
          "feature key must be non-blank without '/' or '\"', got '" + key + "'");
    }
    if (RESERVED.contains(key))
      throw new IllegalArgumentException(
          "feature key '" + key + "' is reserved: the writer adds it");
  }
}
