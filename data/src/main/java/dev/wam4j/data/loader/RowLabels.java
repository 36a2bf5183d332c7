package dev.wam4j.data.loader;

import java.util.Arrays;
import java.util.List;

/**
 * An optional per-frame label some datasets carry and others lack (a teacher's action chunk, the
 * block's pose): {@code width} values per row and whether the row has them.
 */
final class RowLabels {
  final int width;
  final float[] values;
  final boolean[] present;

  private RowLabels(int width, float[] values, boolean[] present) {
    this.width = width;
    this.values = values;
    this.present = present;
  }

  /** Labels on every one of {@code values.length / width} rows, checked finite. */
  static RowLabels everyRow(String what, int width, float[] values) {
    for (int i = 0; i < values.length; i++) {
      if (!Float.isFinite(values[i]))
        throw new IllegalArgumentException(what + " of row " + i / width + " is not finite");
    }
    boolean[] present = new boolean[values.length / width];
    Arrays.fill(present, true);
    return new RowLabels(width, values, present);
  }

  /** The labels of consecutive parts (null where a part has none), or null when none has any. */
  static RowLabels concat(List<RowLabels> parts, int[] rows, int width) {
    if (parts.stream().allMatch(p -> p == null)) return null;
    int total = Arrays.stream(rows).sum();
    float[] values = new float[total * width];
    boolean[] present = new boolean[total];
    int at = 0;
    for (int i = 0; i < parts.size(); i++) {
      RowLabels p = parts.get(i);
      if (p != null) {
        System.arraycopy(p.values, 0, values, at * width, p.values.length);
        System.arraycopy(p.present, 0, present, at, rows[i]);
      }
      at += rows[i];
    }
    return new RowLabels(width, values, present);
  }

  boolean has(int row) {
    return present[row];
  }

  void copy(int row, float[] out, int at) {
    System.arraycopy(values, row * width, out, at, width);
  }
}
