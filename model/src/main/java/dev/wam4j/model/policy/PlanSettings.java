package dev.wam4j.model.policy;

/**
 * Inference settings a caller may choose instead of the ones a checkpoint was saved with, e.g. on
 * validation seeds: how many actions of each plan run before planning again, how finely a chunk's
 * flow is integrated and the scale of the noise it starts from. A null keeps the checkpoint's value.
 *
 * @param executeSteps actions executed per plan, 1..the policy's horizon
 * @param sampleSteps Euler steps integrating a sampled chunk's flow, >= 1
 * @param sampleNoise noise scale in [0, 1] (0: deterministic plans)
 */
public record PlanSettings(Integer executeSteps, Integer sampleSteps, Double sampleNoise) {
  /** The checkpoint's own settings. */
  public static final PlanSettings CHECKPOINT = new PlanSettings(null, null, null);

  public PlanSettings {
    if (executeSteps != null && executeSteps < 1) throw new IllegalArgumentException("execute steps must be >= 1, got " + executeSteps);
    if (sampleSteps != null && sampleSteps < 1) throw new IllegalArgumentException("sample steps must be >= 1, got " + sampleSteps);
    if (sampleNoise != null && !(sampleNoise >= 0 && sampleNoise <= 1)) {
      throw new IllegalArgumentException("sample noise must lie in [0, 1], got " + sampleNoise);
    }
  }
}
