package dev.wam4j.model.policy;

/**
 * What a world-model policy can say about one plan beyond its actions, for a monitor comparing the
 * dream with what happens next: the latent of the newest observation, the latents it predicts for
 * the coming steps, and the spread of extra sampled action chunks (an uncertainty baseline).
 *
 * @param latentValues values per latent frame
 * @param observationLatent {@code [latentValues]}: the newest observation as the model encodes it
 * @param dreamLatents {@code [latentOffsets.length][latentValues]}: the predicted latents
 * @param latentOffsets steps after the newest observation each predicted latent shows (ascending,
 *     >= 1)
 * @param actionSpreadPixels mean over chunk steps and axes of the standard deviation across extra
 *     sampled action chunks, in workspace pixels; NaN when none were asked for ({@link
 *     ChunkPolicy#sampleActionSpread})
 */
public record PlanSignals(
    int latentValues,
    float[] observationLatent,
    float[] dreamLatents,
    int[] latentOffsets,
    double actionSpreadPixels) {
  public PlanSignals {
    if (observationLatent.length != latentValues
        || dreamLatents.length != latentOffsets.length * latentValues) {
      throw new IllegalArgumentException(
          "plan signals: "
              + observationLatent.length
              + " observation and "
              + dreamLatents.length
              + " dream latent values for "
              + latentOffsets.length
              + " offsets of "
              + latentValues);
    }
  }

  /**
   * Mean squared difference between the predicted latent {@code index} and {@code observed}
   * (another plan's {@link #observationLatent()}): the dream's divergence from reality in latent
   * space.
   */
  public double latentDivergence(int index, float[] observed) {
    if (observed.length != latentValues)
      throw new IllegalArgumentException(
          "observed latent has " + observed.length + " values, expected " + latentValues);
    return meanSquaredDifference(dreamLatents, index * latentValues, observed);
  }

  /** Mean squared difference of two latents of equal length. */
  public static double meanSquaredDifference(float[] a, float[] b) {
    if (a.length != b.length)
      throw new IllegalArgumentException("latents of " + a.length + " and " + b.length + " values");
    return meanSquaredDifference(a, 0, b);
  }

  private static double meanSquaredDifference(float[] a, int offset, float[] b) {
    double sum = 0;
    for (int i = 0; i < b.length; i++) {
      double d = a[offset + i] - b[i];
      sum += d * d;
    }
    return sum / b.length;
  }
}
