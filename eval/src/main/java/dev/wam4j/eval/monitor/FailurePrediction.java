package dev.wam4j.eval.monitor;

import java.util.Arrays;

/**
 * Scoring a failure predictor: ROC-AUC of episode scores against episode failure, a threshold
 * chosen on calibration episodes (Youden's J: the largest detection rate minus false-alarm rate),
 * and the operating point that threshold gives on other episodes.
 */
public final class FailurePrediction {
  private FailurePrediction() {}

  /**
   * Area under the ROC curve: the probability that a failed episode scores above a successful one
   * (ties count half). NaN when either class is empty.
   *
   * @param failed {@code failed[i]}: episode i failed (the positive class)
   */
  public static double rocAuc(double[] scores, boolean[] failed) {
    check(scores, failed);
    double wins = 0;
    long pairs = 0;
    for (int i = 0; i < scores.length; i++) {
      if (!failed[i]) continue;
      for (int j = 0; j < scores.length; j++) {
        if (failed[j]) continue;
        pairs++;
        if (scores[i] > scores[j]) wins += 1;
        else if (scores[i] == scores[j]) wins += 0.5;
      }
    }
    return pairs == 0 ? Double.NaN : wins / pairs;
  }

  /**
   * The threshold maximising detection rate minus false-alarm rate (an alarm: score >= threshold);
   * among equals the highest (fewest alarms). NaN when either class is empty.
   */
  public static double youdenThreshold(double[] scores, boolean[] failed) {
    check(scores, failed);
    double[] candidates = Arrays.stream(scores).distinct().sorted().toArray();
    int pos = count(failed, true), neg = scores.length - pos;
    if (pos == 0 || neg == 0) return Double.NaN;
    double best = Double.NEGATIVE_INFINITY, bestT = Double.NaN;
    for (double t : candidates) {
      int tp = 0, fp = 0;
      for (int i = 0; i < scores.length; i++) {
        if (scores[i] >= t) {
          if (failed[i]) tp++;
          else fp++;
        }
      }
      double j = tp / (double) pos - fp / (double) neg;
      if (j >= best) {
        best = j;
        bestT = t;
      }
    }
    return bestT;
  }

  /**
   * The ROC curve as {@code [2][n]}: false-alarm rates and detection rates at every distinct
   * threshold, from (0,0) to (1,1).
   */
  public static double[][] rocCurve(double[] scores, boolean[] failed) {
    check(scores, failed);
    double[] t = Arrays.stream(scores).distinct().sorted().toArray();
    int pos = Math.max(1, count(failed, true)),
        neg = Math.max(1, scores.length - count(failed, true));
    double[] fpr = new double[t.length + 2], tpr = new double[t.length + 2];
    for (int k = 0; k < t.length; k++) {
      int tp = 0, fp = 0;
      for (int i = 0; i < scores.length; i++) {
        if (scores[i] >= t[t.length - 1 - k]) {
          if (failed[i]) tp++;
          else fp++;
        }
      }
      fpr[k + 1] = fp / (double) neg;
      tpr[k + 1] = tp / (double) pos;
    }
    fpr[t.length + 1] = 1;
    tpr[t.length + 1] = 1;
    return new double[][] {fpr, tpr};
  }

  static int count(boolean[] b, boolean value) {
    int n = 0;
    for (boolean x : b) if (x == value) n++;
    return n;
  }

  private static void check(double[] scores, boolean[] failed) {
    if (scores.length != failed.length)
      throw new IllegalArgumentException(
          scores.length + " scores for " + failed.length + " outcomes");
    for (int i = 0; i < scores.length; i++) {
      if (!Double.isFinite(scores[i]))
        throw new IllegalArgumentException("score " + i + " is " + scores[i]);
    }
  }
}
