package dev.wam4j.data.lerobot.write;

import java.util.Arrays;
import java.util.List;

/**
 * Statistics of one feature with LeRobot's meaning: per dimension (numeric) or per channel (images,
 * values scaled to [0, 1], LeRobot shape (3, 1, 1)) min, max, mean, population std, count, and the
 * quantiles q01, q10, q50, q90, q99 (linear interpolation between order statistics, numpy's
 * default).
 *
 * <p>{@code count} is frames for numeric features and sampled frames for images, as LeRobot counts.
 * Immutable after construction; arrays are not copied, so callers must not modify them.
 */
final class FeatureStats {
  static final double[] QUANTILES = {0.01, 0.10, 0.50, 0.90, 0.99};
  static final String[] QUANTILE_NAMES = {"q01", "q10", "q50", "q90", "q99"};

  final double[] min, max, mean, std;
  final long count;
  final double[][] quantiles; // [QUANTILES.length][dim]
  final boolean image; // serialised with shape (dim, 1, 1)
  final boolean integer; // min and max are whole numbers (int64 features)

  FeatureStats(
      double[] min,
      double[] max,
      double[] mean,
      double[] std,
      long count,
      double[][] quantiles,
      boolean image,
      boolean integer) {
    this.min = min;
    this.max = max;
    this.mean = mean;
    this.std = std;
    this.count = count;
    this.quantiles = quantiles;
    this.image = image;
    this.integer = integer;
  }

  int dim() {
    return mean.length;
  }

  /**
   * Exact statistics of {@code n} rows of {@code dim} values stored row-major in {@code values}.
   *
   * @throws IllegalArgumentException when {@code n} is 0 (LeRobot has no stats for empty episodes)
   */
  static FeatureStats ofRows(double[] values, int n, int dim, boolean integer) {
    if (n <= 0) throw new IllegalArgumentException("statistics need at least one frame");
    double[] min = new double[dim],
        max = new double[dim],
        mean = new double[dim],
        std = new double[dim];
    double[][] q = new double[QUANTILES.length][dim];
    double[] column = new double[n];
    for (int d = 0; d < dim; d++) {
      double sum = 0;
      for (int i = 0; i < n; i++) {
        column[i] = values[i * dim + d];
        sum += column[i];
      }
      double m = sum / n;
      double ss = 0;
      for (int i = 0; i < n; i++) {
        double c = column[i] - m;
        ss += c * c;
      }
      Arrays.sort(column);
      min[d] = column[0];
      max[d] = column[n - 1];
      mean[d] = m;
      std[d] = Math.sqrt(ss / n);
      for (int k = 0; k < QUANTILES.length; k++) q[k][d] = quantileSorted(column, n, QUANTILES[k]);
    }
    return new FeatureStats(min, max, mean, std, n, q, false, integer);
  }

  /** numpy's linear quantile of a sorted sample. */
  static double quantileSorted(double[] sorted, int n, double p) {
    double h = p * (n - 1);
    int lo = (int) Math.floor(h);
    if (lo >= n - 1) return sorted[n - 1];
    return sorted[lo] + (h - lo) * (sorted[lo + 1] - sorted[lo]);
  }

  /**
   * Exact per-channel statistics of 8-bit pixels given as histograms: {@code hist[c * 256 + v]}
   * pixels of channel {@code c} had value {@code v}; values are reported scaled by 1/255.
   *
   * @param frames the number of frames the histograms were summed over (the reported count)
   */
  static FeatureStats ofPixelHistogram(long[] hist, int channels, long frames) {
    double[] min = new double[channels],
        max = new double[channels],
        mean = new double[channels],
        std = new double[channels];
    double[][] q = new double[QUANTILES.length][channels];
    for (int c = 0; c < channels; c++) {
      int base = c * 256;
      long n = 0;
      double sum = 0;
      int lo = -1, hi = -1;
      for (int v = 0; v < 256; v++) {
        long k = hist[base + v];
        if (k == 0) continue;
        if (lo < 0) lo = v;
        hi = v;
        n += k;
        sum += (double) k * v;
      }
      if (n == 0) throw new IllegalArgumentException("statistics need at least one pixel");
      double m = sum / n;
      double ss = 0;
      for (int v = lo; v <= hi; v++) {
        double d = v - m;
        ss += hist[base + v] * d * d;
      }
      min[c] = lo / 255.0;
      max[c] = hi / 255.0;
      mean[c] = m / 255.0;
      std[c] = Math.sqrt(ss / n) / 255.0;
      for (int k = 0; k < QUANTILES.length; k++) {
        double h = QUANTILES[k] * (n - 1);
        long below = (long) Math.floor(h);
        int a = orderStatistic(hist, base, below),
            b = below + 1 < n ? orderStatistic(hist, base, below + 1) : a;
        q[k][c] = (a + (h - below) * (b - a)) / 255.0;
      }
    }
    return new FeatureStats(min, max, mean, std, frames, q, true, false);
  }

  /** The value of the {@code rank}-th smallest pixel (0-based) of one channel's histogram. */
  private static int orderStatistic(long[] hist, int base, long rank) {
    long seen = 0;
    for (int v = 0; v < 256; v++) {
      seen += hist[base + v];
      if (seen > rank) return v;
    }
    return 255;
  }

  /**
   * Aggregation over episodes as LeRobot 0.4.2 to 0.4.4 does it: global min and max, count-weighted
   * mean, variance by the parallel formula {@code sum n_i (s_i^2 + (m_i - m)^2) / sum n_i}, and
   * quantiles as the count-weighted mean of the episodes' quantiles (an approximation; exact
   * quantiles would need every value). LeRobot's main branch since PR #3804 (2026-08-07) bounds the
   * quantiles instead (the minimum over episodes for q01..q50, the maximum for q90 and q99); we
   * keep the count-weighted mean of the released versions.
   */
  static FeatureStats aggregate(List<FeatureStats> parts) {
    if (parts.isEmpty()) throw new IllegalArgumentException("nothing to aggregate");
    FeatureStats first = parts.get(0);
    int dim = first.dim();
    double[] min = new double[dim],
        max = new double[dim],
        mean = new double[dim],
        var = new double[dim];
    double[][] q = new double[QUANTILES.length][dim];
    Arrays.fill(min, Double.POSITIVE_INFINITY);
    Arrays.fill(max, Double.NEGATIVE_INFINITY);
    long total = 0;
    for (FeatureStats s : parts) {
      if (s.dim() != dim)
        throw new IllegalArgumentException(
            "cannot aggregate statistics of " + s.dim() + " and " + dim + " dimensions");
      total += s.count;
      for (int d = 0; d < dim; d++) {
        min[d] = Math.min(min[d], s.min[d]);
        max[d] = Math.max(max[d], s.max[d]);
        mean[d] += s.count * s.mean[d];
        for (int k = 0; k < QUANTILES.length; k++) q[k][d] += s.count * s.quantiles[k][d];
      }
    }
    for (int d = 0; d < dim; d++) {
      mean[d] /= total;
      for (int k = 0; k < QUANTILES.length; k++) q[k][d] /= total;
    }
    for (FeatureStats s : parts) {
      for (int d = 0; d < dim; d++) {
        double dm = s.mean[d] - mean[d];
        var[d] += s.count * (s.std[d] * s.std[d] + dm * dm);
      }
    }
    double[] std = new double[dim];
    for (int d = 0; d < dim; d++) std[d] = Math.sqrt(var[d] / total);
    return new FeatureStats(min, max, mean, std, total, q, first.image, first.integer);
  }

  /**
   * LeRobot's spatial subsample for image statistics: frames of at least 300 px on their longer
   * side keep every {@code stride}-th row and column (starting at 0), {@code stride = floor(max(H,
   * W) / 150)}; smaller frames keep every pixel (stride 1). A 640x480 frame gives stride 4, 160x120
   * pixels.
   */
  static int pixelStride(int width, int height) {
    int longer = Math.max(width, height);
    return longer < 300 ? 1 : longer / 150;
  }

  /**
   * Adds the pixels of one packed HWC RGB frame that LeRobot's stride keeps ({@link #pixelStride})
   * to the histograms {@code hist[base + c * 256 + v]}.
   */
  static void addStridedPixels(
      byte[] rgb, int offset, int width, int height, int[] hist, int base) {
    int stride = pixelStride(width, height);
    for (int y = 0; y < height; y += stride) {
      int row = offset + y * width * 3;
      for (int x = 0; x < width; x += stride) {
        int p = row + x * 3;
        hist[base + (rgb[p] & 0xff)]++;
        hist[base + 256 + (rgb[p + 1] & 0xff)]++;
        hist[base + 512 + (rgb[p + 2] & 0xff)]++;
      }
    }
  }

  /**
   * The frames LeRobot samples for image statistics: evenly spaced, about {@code n^0.75},
   * 100..10000.
   */
  static int[] imageSampleIndices(int n) {
    int lower = Math.min(100, n);
    int samples = Math.max(lower, Math.min((int) Math.pow(n, 0.75), 10_000));
    int[] idx = new int[samples];
    for (int i = 0; i < samples; i++) {
      double x = samples == 1 ? 0 : (double) i * (n - 1) / (samples - 1);
      idx[i] = (int) Math.rint(x);
    }
    return idx;
  }
}
