package dev.wam4j.data.lerobot.write;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The episode being written, held in memory until it ends: per numeric feature its values, per
 * video feature the pixel histograms of its frames (for statistics; the frames themselves go
 * straight to the encoder), and which features the current frame has set. Checks every value as it
 * is set, and computes the episode's statistics at its end.
 */
final class EpisodeBuffer {
  private final LeRobotWriteConfig config;
  private final List<WriteFeature> numeric = new ArrayList<>();
  private final List<WriteFeature.Video> videos = new ArrayList<>();
  private final Map<String, Integer> numericIndex = new HashMap<>();
  private final Map<String, Integer> videoIndex = new HashMap<>();
  private final int[] dims;
  private final double[][]
      values; // per numeric feature, rows x dim (float32 and bool values exactly)
  private final long[][] longs; // per INT64 feature, rows
  private final boolean[] numericSet;
  private final boolean[] videoSet;
  private final int[][] histograms; // per video, frames x (3 * 256) pixel counts

  private int episode;
  private int length;

  EpisodeBuffer(LeRobotWriteConfig config) {
    this.config = config;
    for (WriteFeature f : config.features()) {
      if (f instanceof WriteFeature.Video v) {
        videoIndex.put(v.key(), videos.size());
        videos.add(v);
      } else {
        numericIndex.put(f.key(), numeric.size());
        numeric.add(f);
      }
    }
    dims = new int[numeric.size()];
    values = new double[numeric.size()][];
    longs = new long[numeric.size()][];
    for (int i = 0; i < dims.length; i++) {
      dims[i] = numeric.get(i) instanceof WriteFeature.Vector v ? v.dim() : 1;
      values[i] = new double[64 * dims[i]];
      if (isInt64(numeric.get(i))) longs[i] = new long[64];
    }
    numericSet = new boolean[numeric.size()];
    videoSet = new boolean[videos.size()];
    histograms = new int[videos.size()][768 * 64];
  }

  static boolean isInt64(WriteFeature f) {
    return f instanceof WriteFeature.Scalar s && s.type() == WriteFeature.ScalarType.INT64;
  }

  /** Starts episode {@code episode}, empty. */
  void start(int episode) {
    this.episode = episode;
    length = 0;
    Arrays.fill(numericSet, false);
    Arrays.fill(videoSet, false);
  }

  /** Frames completed in the episode. */
  int length() {
    return length;
  }

  /** The numeric features, in column order. */
  List<WriteFeature> numericFeatures() {
    return numeric;
  }

  /** The video features, in declaration order. */
  List<WriteFeature.Video> videoFeatures() {
    return videos;
  }

  void putVector(String key, float[] v) {
    int i = numericFeature(key);
    if (numeric.get(i) instanceof WriteFeature.Scalar s
        && s.type() != WriteFeature.ScalarType.FLOAT32) {
      throw new IllegalArgumentException(
          "feature " + key + " is " + s.type().numpy + ", not a float32 vector");
    }
    if (v.length != dims[i]) {
      throw new IllegalArgumentException(
          "feature "
              + key
              + " has "
              + dims[i]
              + " values per frame, got "
              + v.length
              + " (episode "
              + episode
              + ", frame "
              + length
              + ")");
    }
    double[] dst = row(i);
    int base = length * dims[i];
    for (int k = 0; k < v.length; k++) {
      if (!Float.isFinite(v[k])) throw nonFinite(key, v[k]);
      dst[base + k] = v[k];
    }
    numericSet[i] = true;
  }

  void putFloat(String key, double value) {
    int i = scalar(key, WriteFeature.ScalarType.FLOAT32);
    float f = (float) value;
    if (!Float.isFinite(f)) throw nonFinite(key, value);
    row(i)[length] = f;
    numericSet[i] = true;
  }

  void putLong(String key, long value) {
    int i = scalar(key, WriteFeature.ScalarType.INT64);
    row(i)[length] = value;
    if (longs[i].length <= length) longs[i] = Arrays.copyOf(longs[i], 2 * longs[i].length);
    longs[i][length] = value;
    numericSet[i] = true;
  }

  void putBool(String key, boolean value) {
    int i = scalar(key, WriteFeature.ScalarType.BOOL);
    row(i)[length] = value ? 1 : 0;
    numericSet[i] = true;
  }

  /**
   * The index of video feature {@code key}, which the current frame has not set yet.
   *
   * @throws IllegalArgumentException for an unknown key
   * @throws IllegalStateException when the frame has set it already
   */
  int videoSlot(String key) {
    Integer v = videoIndex.get(key);
    if (v == null) throw unknown(key);
    if (videoSet[v])
      throw new IllegalStateException(
          "feature " + key + " set twice in frame " + length + " of episode " + episode);
    return v;
  }

  /**
   * Records that the current frame's video {@code v} was encoded from {@code rgb}: its pixel
   * histogram.
   */
  void imageWritten(int v, byte[] rgb, int offset) {
    WriteFeature.Video feature = videos.get(v);
    int[] h = histograms[v];
    int base = length * 768;
    if (h.length < base + 768) h = histograms[v] = Arrays.copyOf(h, 2 * h.length);
    Arrays.fill(h, base, base + 768, 0);
    FeatureStats.addStridedPixels(rgb, offset, feature.width(), feature.height(), h, base);
    videoSet[v] = true;
  }

  /**
   * Completes the current frame.
   *
   * @throws IllegalStateException naming the first feature that was not set
   */
  void completeFrame() {
    for (int i = 0; i < numericSet.length; i++) {
      if (!numericSet[i]) throw missing(numeric.get(i).key());
    }
    for (int v = 0; v < videoSet.length; v++) {
      if (!videoSet[v]) throw missing(videos.get(v).key());
    }
    Arrays.fill(numericSet, false);
    Arrays.fill(videoSet, false);
    length++;
  }

  /** Checks that the episode can end: no frame half set, at least one frame. */
  void checkComplete() {
    for (boolean b : numericSet) {
      if (b)
        throw new IllegalStateException(
            "episode " + episode + ": frame " + length + " was started but not ended (endFrame)");
    }
    for (boolean b : videoSet) {
      if (b)
        throw new IllegalStateException(
            "episode " + episode + ": frame " + length + " was started but not ended (endFrame)");
    }
    if (length == 0) throw new IllegalStateException("episode " + episode + " has no frames");
  }

  /** Frame {@code t}'s value of numeric feature {@code i} as a float32 vector, into {@code out}. */
  void vector(int i, int t, float[] out) {
    double[] src = values[i];
    for (int k = 0; k < out.length; k++) out[k] = (float) src[t * out.length + k];
  }

  /** Frame {@code t}'s value of scalar feature {@code i} (float32 and bool exactly). */
  double scalar(int i, int t) {
    return values[i][t];
  }

  /**
   * Frame {@code t}'s value of int64 feature {@code i}, exactly (a double would round past 2^53).
   */
  long int64(int i, int t) {
    return longs[i][t];
  }

  /** Values per frame of numeric feature {@code i}. */
  int dim(int i) {
    return dims[i];
  }

  /** {@code timestamp} of frame {@code frame}: frame / fps, as LeRobot stores it (float32). */
  float timestamp(int frame) {
    return (float) ((double) frame / config.fps());
  }

  /**
   * The episode's statistics, per feature in declaration order and then the five index columns:
   * numeric exactly over its frames, video over LeRobot's frame subsample of the pixel histograms.
   */
  LinkedHashMap<String, FeatureStats> stats(int taskIndex, long from) {
    int n = length;
    LinkedHashMap<String, FeatureStats> stats = new LinkedHashMap<>();
    for (WriteFeature f : config.features()) {
      if (f instanceof WriteFeature.Video v) {
        long[] sum = new long[768];
        int[] pick = FeatureStats.imageSampleIndices(n);
        int[] h = histograms[videoIndex.get(v.key())];
        for (int frame : pick) {
          int base = frame * 768;
          for (int k = 0; k < 768; k++) sum[k] += h[base + k];
        }
        stats.put(v.key(), FeatureStats.ofPixelHistogram(sum, 3, pick.length));
      } else {
        int i = numericIndex.get(f.key());
        stats.put(f.key(), FeatureStats.ofRows(values[i], n, dims[i], isInt64(f)));
      }
    }
    double[] ts = new double[n],
        frameIdx = new double[n],
        epIdx = new double[n],
        idx = new double[n],
        task = new double[n];
    for (int t = 0; t < n; t++) {
      ts[t] = timestamp(t);
      frameIdx[t] = t;
      epIdx[t] = episode;
      idx[t] = from + t;
      task[t] = taskIndex;
    }
    stats.put("timestamp", FeatureStats.ofRows(ts, n, 1, false));
    stats.put("frame_index", FeatureStats.ofRows(frameIdx, n, 1, true));
    stats.put("episode_index", FeatureStats.ofRows(epIdx, n, 1, true));
    stats.put("index", FeatureStats.ofRows(idx, n, 1, true));
    stats.put("task_index", FeatureStats.ofRows(task, n, 1, true));
    return stats;
  }

  private double[] row(int i) {
    int need = (length + 1) * dims[i];
    if (values[i].length < need)
      values[i] = Arrays.copyOf(values[i], Math.max(need, 2 * values[i].length));
    return values[i];
  }

  private int numericFeature(String key) {
    Integer i = numericIndex.get(key);
    if (i == null) throw unknown(key);
    if (numericSet[i])
      throw new IllegalStateException(
          "feature " + key + " set twice in frame " + length + " of episode " + episode);
    return i;
  }

  private int scalar(String key, WriteFeature.ScalarType type) {
    int i = numericFeature(key);
    if (!(numeric.get(i) instanceof WriteFeature.Scalar s) || s.type() != type) {
      throw new IllegalArgumentException("feature " + key + " is not a " + type.numpy + " scalar");
    }
    return i;
  }

  private IllegalArgumentException unknown(String key) {
    List<String> known = config.features().stream().map(WriteFeature::key).toList();
    return new IllegalArgumentException("unknown feature '" + key + "' (declared: " + known + ")");
  }

  private IllegalStateException missing(String key) {
    return new IllegalStateException(
        "feature " + key + " not set in frame " + length + " of episode " + episode);
  }

  private IllegalArgumentException nonFinite(String key, double v) {
    return new IllegalArgumentException(
        "feature "
            + key
            + ": value "
            + v
            + " is not a finite float32 (episode "
            + episode
            + ", frame "
            + length
            + ")");
  }
}
