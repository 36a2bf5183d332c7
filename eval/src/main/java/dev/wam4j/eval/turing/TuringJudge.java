package dev.wam4j.eval.turing;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The automatic judge: an L2-regularised logistic regression on standardised features, fitted by
 * Newton's method and scored out of fold by k-fold cross-validation over groups: the episodes of
 * one group (the human and the robot from one start state) always fall in the same fold, so the
 * judge never scores an episode whose start-state twin it trained on. Label 1 is the robot, so an
 * ROC-AUC above 0.5 means the judge tells the robot apart; 0.5 means it cannot.
 */
public final class TuringJudge {
  /** L2 penalty on the weights (not the intercept), in units of one episode's log loss. */
  public static final double DEFAULT_L2 = 1.0;

  private static final int MAX_NEWTON = 100;

  private TuringJudge() {}

  /**
   * How much one feature on its own separates the two kinds of episode.
   *
   * @param name the feature's name
   * @param auc its ROC-AUC as a score for "robot" (below 0.5: robots have smaller values)
   * @param separation {@code |auc - 0.5| * 2}, 0 (none) .. 1 (perfect)
   * @param coefficient its weight in the judge fitted on all episodes (standardised feature)
   * @param humanMean its mean over the human episodes
   * @param robotMean its mean over the robot episodes
   */
  public record Feature(
      String name,
      double auc,
      double separation,
      double coefficient,
      double humanMean,
      double robotMean) {}

  /**
   * The judge's verdict.
   *
   * @param rocAuc ROC-AUC of the out-of-fold scores
   * @param scores out-of-fold probability of "robot" per episode, in input order
   * @param features every feature, most separating first
   */
  public record Verdict(double rocAuc, double[] scores, List<Feature> features) {}

  /**
   * Cross-validates the judge.
   *
   * @param x episodes by features
   * @param robot true for a robot episode
   * @param group each episode's group (its start state's seed): a group is never split across folds
   * @param names feature names (one per column)
   * @param folds k of the k-fold split
   * @param seed seeds the split
   * @throws IllegalArgumentException on ragged or non-finite input, fewer than {@code folds}
   *     episodes of either kind, fewer than {@code folds} groups, or a fold left without either
   *     kind
   */
  public static Verdict judge(
      double[][] x, boolean[] robot, long[] group, List<String> names, int folds, long seed) {
    int n = x.length;
    if (robot.length != n) throw new IllegalArgumentException("labels and rows differ in number");
    if (group.length != n) throw new IllegalArgumentException("groups and rows differ in number");
    if (folds < 2) throw new IllegalArgumentException("folds must be >= 2, got " + folds);
    int d = names.size();
    for (double[] row : x) {
      if (row.length != d)
        throw new IllegalArgumentException("a row has " + row.length + " features, expected " + d);
      for (double v : row)
        if (!Double.isFinite(v)) throw new IllegalArgumentException("a feature is not finite");
    }
    int pos = 0;
    for (boolean b : robot) if (b) pos++;
    if (pos < folds || n - pos < folds)
      throw new IllegalArgumentException(
          folds
              + "-fold cross-validation needs at least "
              + folds
              + " episodes of each kind, got "
              + (n - pos)
              + " human and "
              + pos
              + " robot");

    int[] fold = groupFolds(group, folds, seed);
    double[] scores = new double[n];
    for (int f = 0; f < folds; f++) {
      List<Integer> train = new ArrayList<>();
      boolean[] kinds = new boolean[2];
      for (int i = 0; i < n; i++) {
        if (fold[i] != f) train.add(i);
        else kinds[robot[i] ? 1 : 0] = true;
      }
      if (!kinds[0] || !kinds[1])
        throw new IllegalArgumentException(
            "fold " + f + " holds only one kind of episode: group the episodes in pairs");
      Model model = Model.fit(x, robot, train, DEFAULT_L2);
      for (int i = 0; i < n; i++) if (fold[i] == f) scores[i] = model.probability(x[i]);
    }
    double auc = rocAuc(scores, robot);

    List<Integer> all = new ArrayList<>();
    for (int i = 0; i < n; i++) all.add(i);
    Model full = Model.fit(x, robot, all, DEFAULT_L2);
    List<Feature> features = new ArrayList<>(d);
    for (int j = 0; j < d; j++) {
      double[] col = new double[n];
      double hs = 0, rs = 0;
      for (int i = 0; i < n; i++) {
        col[i] = x[i][j];
        if (robot[i]) rs += col[i];
        else hs += col[i];
      }
      double a = rocAuc(col, robot);
      features.add(
          new Feature(
              names.get(j), a, Math.abs(a - 0.5) * 2, full.w[j + 1], hs / (n - pos), rs / pos));
    }
    features.sort(
        Comparator.comparingDouble(Feature::separation)
            .reversed()
            .thenComparing(f -> -Math.abs(f.coefficient())));
    return new Verdict(auc, scores, List.copyOf(features));
  }

  /**
   * Fold of each episode: the distinct groups, in order of first appearance, shuffled (seeded) and
   * dealt round the folds; every episode goes with its group. With one human and one robot episode
   * per group every fold holds as many of each.
   *
   * @throws IllegalArgumentException when there are fewer groups than folds
   */
  static int[] groupFolds(long[] group, int folds, long seed) {
    Map<Long, Integer> index = new LinkedHashMap<>();
    for (long g : group) index.putIfAbsent(g, index.size());
    int k = index.size();
    if (k < folds)
      throw new IllegalArgumentException(
          folds + "-fold cross-validation needs at least " + folds + " groups, got " + k);
    int[] order = new int[k];
    for (int i = 0; i < k; i++) order[i] = i;
    SplittableRandom rng = new SplittableRandom(seed);
    for (int i = k - 1; i > 0; i--) {
      int j = rng.nextInt(i + 1);
      int t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
    int[] groupFold = new int[k];
    for (int i = 0; i < k; i++) groupFold[order[i]] = i % folds;
    int[] fold = new int[group.length];
    for (int i = 0; i < group.length; i++) fold[i] = groupFold[index.get(group[i])];
    return fold;
  }

  /**
   * ROC-AUC of {@code scores} for the positives: the Mann-Whitney statistic, the share of
   * (positive, negative) pairs the positive scores higher in, ties counted half.
   *
   * @throws IllegalArgumentException when either class is empty
   */
  public static double rocAuc(double[] scores, boolean[] positive) {
    int n = scores.length;
    if (positive.length != n)
      throw new IllegalArgumentException(n + " scores but " + positive.length + " labels");
    for (int i = 0; i < n; i++)
      if (!Double.isFinite(scores[i]))
        throw new IllegalArgumentException("score " + i + " is " + scores[i]);
    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) order[i] = i;
    Arrays.sort(order, Comparator.comparingDouble(i -> scores[i]));
    double rankSum = 0;
    long pos = 0;
    for (int i = 0; i < n; ) {
      int j = i;
      while (j + 1 < n && scores[order[j + 1]] == scores[order[i]]) j++;
      double rank = (i + j) / 2.0 + 1; // tied scores share their mean rank
      for (int k = i; k <= j; k++) {
        if (positive[order[k]]) {
          rankSum += rank;
          pos++;
        }
      }
      i = j + 1;
    }
    long neg = n - pos;
    if (pos == 0 || neg == 0)
      throw new IllegalArgumentException("ROC-AUC needs both classes, got " + pos + " and " + neg);
    return (rankSum - pos * (pos + 1) / 2.0) / ((double) pos * neg);
  }

  /** A fitted logistic regression with the training rows' standardisation. */
  static final class Model {
    final double[] mean, scale, w; // w[0] is the intercept

    private Model(double[] mean, double[] scale, double[] w) {
      this.mean = mean;
      this.scale = scale;
      this.w = w;
    }

    static Model fit(double[][] x, boolean[] y, List<Integer> rows, double l2) {
      int d = x[0].length, n = rows.size();
      double[] mean = new double[d], scale = new double[d];
      for (int i : rows) for (int j = 0; j < d; j++) mean[j] += x[i][j] / n;
      for (int i : rows)
        for (int j = 0; j < d; j++) scale[j] += (x[i][j] - mean[j]) * (x[i][j] - mean[j]) / n;
      for (int j = 0; j < d; j++) {
        scale[j] = Math.sqrt(scale[j]);
        if (!(scale[j] > 1e-12)) scale[j] = 1; // a constant feature standardises to 0
      }
      double[][] z = new double[n][d + 1];
      double[] t = new double[n];
      for (int r = 0; r < n; r++) {
        int i = rows.get(r);
        z[r][0] = 1;
        for (int j = 0; j < d; j++) z[r][j + 1] = (x[i][j] - mean[j]) / scale[j];
        t[r] = y[i] ? 1 : 0;
      }
      double[] w = new double[d + 1];
      // Newton's method: the penalised log loss is strictly convex, so it converges fast.
      for (int it = 0; it < MAX_NEWTON; it++) {
        double[] g = new double[d + 1];
        double[][] h = new double[d + 1][d + 1];
        for (int r = 0; r < n; r++) {
          double p = sigmoid(dot(w, z[r]));
          double q = p * (1 - p);
          for (int a = 0; a <= d; a++) {
            g[a] += (p - t[r]) * z[r][a];
            for (int b = 0; b <= d; b++) h[a][b] += q * z[r][a] * z[r][b];
          }
        }
        for (int a = 1; a <= d; a++) {
          g[a] += l2 * w[a];
          h[a][a] += l2;
        }
        h[0][0] += 1e-9; // keeps the intercept's row solvable when one class is absent
        double[] step = solve(h, g);
        double size = 0;
        for (int a = 0; a <= d; a++) {
          w[a] -= step[a];
          size = Math.max(size, Math.abs(step[a]));
        }
        if (size < 1e-10) break;
      }
      return new Model(mean, scale, w);
    }

    double probability(double[] row) {
      double s = w[0];
      for (int j = 0; j < mean.length; j++) s += w[j + 1] * (row[j] - mean[j]) / scale[j];
      return sigmoid(s);
    }
  }

  static double sigmoid(double s) {
    return s >= 0 ? 1 / (1 + Math.exp(-s)) : Math.exp(s) / (1 + Math.exp(s));
  }

  private static double dot(double[] a, double[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) s += a[i] * b[i];
    return s;
  }

  /** Solves {@code a x = b} by Gaussian elimination with partial pivoting (a is copied). */
  static double[] solve(double[][] a0, double[] b0) {
    int n = b0.length;
    double[][] a = new double[n][];
    for (int i = 0; i < n; i++) a[i] = a0[i].clone();
    double[] b = b0.clone();
    for (int c = 0; c < n; c++) {
      int p = c;
      for (int r = c + 1; r < n; r++) if (Math.abs(a[r][c]) > Math.abs(a[p][c])) p = r;
      double[] tr = a[c];
      a[c] = a[p];
      a[p] = tr;
      double tb = b[c];
      b[c] = b[p];
      b[p] = tb;
      if (a[c][c] == 0) throw new IllegalStateException("singular system");
      for (int r = c + 1; r < n; r++) {
        double f = a[r][c] / a[c][c];
        for (int k = c; k < n; k++) a[r][k] -= f * a[c][k];
        b[r] -= f * b[c];
      }
    }
    double[] x = new double[n];
    for (int r = n - 1; r >= 0; r--) {
      double s = b[r];
      for (int k = r + 1; k < n; k++) s -= a[r][k] * x[k];
      x[r] = s / a[r][r];
    }
    return x;
  }
}
