package dev.wam4j.model;

import dev.wam4j.data.loader.TrainingBatch;
import dev.wam4j.data.loader.TrainingLoader;

/**
 * Per-dimension affine normalisation of states and actions to zero mean and unit variance, in the
 * dataset's units. Dimensions that do not vary (std below 1e-6) are only centred, so a constant
 * feature never divides by zero. Saved in the checkpoint so a policy predicts in dataset units.
 */
record Normalization(float[] stateMean, float[] stateStd, float[] actionMean, float[] actionStd) {
  private static final double MIN_STD = 1e-6;

  Normalization {
    if (stateMean.length != stateStd.length || actionMean.length != actionStd.length) {
      throw new IllegalArgumentException("normalization: mean and std lengths differ");
    }
  }

  /**
   * Estimates mean and std from {@code batches} draws of {@code loader} into {@code batch}
   * (advancing its sample order): states over every history frame, actions over the frames that are
   * not padding.
   */
  static Normalization estimate(
      TrainingLoader loader, TrainingBatch batch, int batches, int stateDim, int actionDim) {
    double[] ss = new double[stateDim],
        ssq = new double[stateDim],
        as = new double[actionDim],
        asq = new double[actionDim];
    long stateRows = 0, actionRows = 0;
    for (int b = 0; b < batches; b++) {
      loader.sample(batch);
      for (int r = 0; r < batch.states.length / stateDim; r++, stateRows++) {
        for (int d = 0; d < stateDim; d++) {
          double v = batch.states[r * stateDim + d];
          ss[d] += v;
          ssq[d] += v * v;
        }
      }
      for (int r = 0; r < batch.actionIsPad.length; r++) {
        if (batch.actionIsPad[r]) continue;
        actionRows++;
        for (int d = 0; d < actionDim; d++) {
          double v = batch.actions[r * actionDim + d];
          as[d] += v;
          asq[d] += v * v;
        }
      }
    }
    float[] sm = new float[stateDim],
        sd = new float[stateDim],
        am = new float[actionDim],
        ad = new float[actionDim];
    moments(ss, ssq, stateRows, sm, sd);
    moments(as, asq, actionRows, am, ad);
    return new Normalization(sm, sd, am, ad);
  }

  private static void moments(double[] sum, double[] sumSq, long n, float[] mean, float[] std) {
    for (int d = 0; d < sum.length; d++) {
      double m = sum[d] / n, var = Math.max(0, sumSq[d] / n - m * m), s = Math.sqrt(var);
      mean[d] = (float) m;
      std[d] = (float) (s < MIN_STD ? 1 : s);
    }
  }

  /** {@code dst[i] = (src[i] - mean) / std} over rows of {@code stateDim} values. */
  void normalizeStates(float[] src, float[] dst) {
    apply(src, dst, stateMean, stateStd);
  }

  /** {@code dst[i] = (src[i] - mean) / std} over rows of {@code actionDim} values. */
  void normalizeActions(float[] src, float[] dst) {
    apply(src, dst, actionMean, actionStd);
  }

  /** In place: {@code a[i] = a[i] * std + mean} over rows of {@code actionDim} values. */
  void denormalizeActions(float[] a) {
    int dim = actionMean.length;
    for (int i = 0; i < a.length; i++) a[i] = a[i] * actionStd[i % dim] + actionMean[i % dim];
  }

  private static void apply(float[] src, float[] dst, float[] mean, float[] std) {
    int dim = mean.length;
    for (int i = 0; i < src.length; i++) dst[i] = (src[i] - mean[i % dim]) / std[i % dim];
  }
}
