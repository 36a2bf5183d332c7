package dev.wam4j.model.policy;

/**
 * Inference settings a caller may choose instead of the ones a checkpoint was saved with, e.g. on
 * validation seeds: how many actions of each plan run before planning again, how finely a chunk's
 * flow is integrated and the scale of the noise it starts from.
 *
 * @param executeSteps actions executed per plan, 1..the policy's horizon; 0 keeps the checkpoint's
 * @param sampleSteps Euler steps integrating a sampled chunk's flow, >= 1; 0 keeps the checkpoint's
 * @param sampleNoise noise scale in [0, 1] (0: deterministic plans); NaN keeps the checkpoint's
 */
public record PlanSettings(int executeSteps, int sampleSteps, double sampleNoise) {
  /** The checkpoint's own settings. */
  public static final PlanSettings CHECKPOINT = new PlanSettings(0, 0, Double.NaN);

  public PlanSettings {
    if (executeSteps < 0) throw new IllegalArgumentException("execute steps must be >= 1 (0: the checkpoint's), got " + executeSteps);
    if (sampleSteps < 0) throw new IllegalArgumentException("sample steps must be >= 1 (0: the checkpoint's), got " + sampleSteps);
    if (!Double.isNaN(sampleNoise) && !(sampleNoise >= 0 && sampleNoise <= 1)) {
      throw new IllegalArgumentException("sample noise must lie in [0, 1], got " + sampleNoise);
    }
  }
}
