package dev.wam4j.data.lerobot;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One frame's tabular values. Each numeric feature maps to a fresh array of {@link
 * Feature#elementCount()} values: {@code float[]} for float32, {@code double[]} for float64, {@code
 * long[]} for integers and bool (0 or 1). Scalars (shape [1]) are arrays of length 1. The caller
 * owns the arrays.
 *
 * @param episode {@code episode_index}
 * @param frame {@code frame_index} within the episode
 * @param values feature key to values, in info.json order
 */
public record Row(int episode, int frame, Map<String, Object> values) {
  public Row {
    values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
  }

  /** The float32 feature {@code key}. */
  public float[] floats(String key) {
    return get(key, float[].class);
  }

  /** The float64 feature {@code key}. */
  public double[] doubles(String key) {
    return get(key, double[].class);
  }

  /** The integer or bool feature {@code key}. */
  public long[] longs(String key) {
    return get(key, long[].class);
  }

  private <T> T get(String key, Class<T> type) {
    Object v = values.get(key);
    if (v == null) {
      throw new IllegalArgumentException(
          "row has no numeric feature '" + key + "'; it has " + values.keySet());
    }
    if (!type.isInstance(v)) {
      throw new IllegalArgumentException(
          "feature '"
              + key
              + "' is stored as "
              + v.getClass().getSimpleName()
              + ", not "
              + type.getSimpleName());
    }
    return type.cast(v);
  }
}
