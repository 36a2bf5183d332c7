package dev.wam4j.data.lerobot;

import java.util.List;

/**
 * A batch of consecutive frames' numeric columns, for training loops. Each key's values are one
 * flat array, row-major: row {@code r}'s values at {@code [r * width, (r + 1) * width)}, where
 * width is the feature's {@link Feature#elementCount()}. Arrays have room for the iterator's batch
 * size; only the first {@link #rows()} rows are valid.
 *
 * <p>Owned by the {@link ColumnBatchIterator} that returned it and overwritten by its next {@code
 * next()}: copy what you keep. Not thread-safe.
 */
public final class ColumnBatch {
  private final List<Feature> features;
  private final Object[] arrays;
  private int rows;

  ColumnBatch(List<Feature> features, int capacity) {
    this.features = List.copyOf(features);
    this.arrays = new Object[features.size()];
    for (int j = 0; j < arrays.length; j++) {
      Feature f = features.get(j);
      arrays[j] =
          ParquetColumns.allocate(
              ParquetColumns.kindOf(f), Math.multiplyExact(capacity, f.elementCount()));
    }
  }

  /** Valid rows in this batch. */
  public int rows() {
    return rows;
  }

  void rows(int n) {
    rows = n;
  }

  Object array(int j) {
    return arrays[j];
  }

  /** The features in this batch, in the order asked for. */
  public List<Feature> features() {
    return features;
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
    for (int j = 0; j < features.size(); j++) {
      if (features.get(j).name().equals(key)) {
        Object a = arrays[j];
        if (!type.isInstance(a)) {
          throw new IllegalArgumentException(
              "feature '"
                  + key
                  + "' ("
                  + features.get(j).dtype()
                  + ") is stored as "
                  + a.getClass().getSimpleName()
                  + ", not "
                  + type.getSimpleName());
        }
        return type.cast(a);
      }
    }
    throw new IllegalArgumentException("batch has no feature '" + key + "'");
  }
}
