package dev.wam4j.eval.monitor;

import dev.wam4j.eval.ClosedLoopEvaluation.Episode;
import java.util.Arrays;

/**
 * One episode as a monitor saw it: its outcome and, per {@link Signal}, the control steps at which
 * the signal was measured and its values there.
 *
 * @param episode the outcome
 * @param steps {@code [Signal.ordinal()][n]} control steps of the samples, ascending
 * @param values {@code [Signal.ordinal()][n]} the samples
 * @param alarmStep first step the online alarm fired, or -1
 */
public record Trace(Episode episode, int[][] steps, double[][] values, int alarmStep) {
  /**
   * The running score of {@code signal} after each sample: the mean of the last {@code window}
   * samples. An episode's failure score is its maximum, and an alarm at threshold t fires at the
   * first sample whose running score reaches t.
   */
  public double[] runningScore(Signal signal, int window) {
    double[] v = values[signal.ordinal()], out = new double[v.length];
    for (int i = 0; i < v.length; i++) out[i] = runningMean(v, i + 1, window);
    return out;
  }

  /**
   * Mean of the last {@code window} of the first {@code n} values: the online alarm computes it the
   * same way, so an offline replay of a threshold fires at exactly the same sample.
   */
  static double runningMean(double[] values, int n, int window) {
    int w = Math.min(window, n);
    double sum = 0;
    for (int i = n - w; i < n; i++) sum += values[i];
    return sum / w;
  }

  /**
   * The episode's failure score for {@code signal}: the maximum running score, 0 when the signal
   * was never measured.
   */
  public double score(Signal signal, int window) {
    return Arrays.stream(runningScore(signal, window)).max().orElse(0);
  }

  /**
   * The first control step where the running score of {@code signal} reaches {@code threshold}, or
   * -1.
   */
  public int alarmStep(Signal signal, int window, double threshold) {
    double[] r = runningScore(signal, window);
    for (int i = 0; i < r.length; i++) if (r[i] >= threshold) return steps[signal.ordinal()][i];
    return -1;
  }
}
