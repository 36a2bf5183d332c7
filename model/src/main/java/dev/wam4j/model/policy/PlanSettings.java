package dev.wam4j.model.policy;

/**
 * Inference settings a caller may choose instead of the ones a checkpoint was saved with, e.g. on
 * validation seeds: how many actions of each plan run before planning again, how finely a chunk's
 * flow is integrated, the scale of the noise it starts from and how many candidate chunks are
 * imagined per plan. A null keeps the checkpoint's value. An exported model ships them in its
 * config; a loader applies them over it.
 *
 * @param executeSteps actions executed per plan, 1..the policy's horizon
 * @param sampleSteps Euler steps integrating a sampled chunk's flow, >= 1
 * @param sampleNoise noise scale in [0, 1] (0: deterministic plans)
 * @param imagineCandidates action chunks sampled and dreamed per plan, the one whose dream covers
 *     the goal best executed; 1 plans without imagination, more needs a checkpoint with a dream
 *     branch (at most the config's limit, 64)
 */
public record PlanSettings(
    Integer executeSteps, Integer sampleSteps, Double sampleNoise, Integer imagineCandidates) {
  /** The checkpoint's own settings. */
  public static final PlanSettings CHECKPOINT = new PlanSettings(null, null, null, null);

  public PlanSettings {
    if (executeSteps != null && executeSteps < 1)
      throw new IllegalArgumentException("execute steps must be >= 1, got " + executeSteps);
    if (sampleSteps != null && sampleSteps < 1)
      throw new IllegalArgumentException("sample steps must be >= 1, got " + sampleSteps);
    if (sampleNoise != null && !(sampleNoise >= 0 && sampleNoise <= 1)) {
      throw new IllegalArgumentException("sample noise must lie in [0, 1], got " + sampleNoise);
    }
    if (imagineCandidates != null && imagineCandidates < 1) {
      throw new IllegalArgumentException(
          "imagine candidates must be >= 1, got " + imagineCandidates);
    }
  }

  /**
   * The same settings, keeping the checkpoint's imagination (as callers chose them before
   * imagination was one).
   */
  public PlanSettings(Integer executeSteps, Integer sampleSteps, Double sampleNoise) {
    this(executeSteps, sampleSteps, sampleNoise, null);
  }

  /**
   * The same settings with {@code imagineCandidates} candidates per plan (null: the checkpoint's).
   */
  public PlanSettings withImagineCandidates(Integer imagineCandidates) {
    return new PlanSettings(executeSteps, sampleSteps, sampleNoise, imagineCandidates);
  }
}
