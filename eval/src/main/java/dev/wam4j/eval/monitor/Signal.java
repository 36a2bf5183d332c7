package dev.wam4j.eval.monitor;

/** A per-step failure signal a {@link DreamMonitor} records. */
public enum Signal {
  /**
   * The dream in latent space: mean squared difference between the latent the model predicted for
   * this step at an earlier plan and the latent it encodes from the observation now.
   */
  LATENT("latent_divergence"),
  /**
   * The latent divergence relative to how much the scene changed: divergence / (the mean squared
   * change of the observed latent over the same steps + 0.001). Below 1 the model foresaw the
   * change better than "nothing moves" would; a busy scene predicted well scores low, a surprise in
   * a quiet one high.
   */
  LATENT_RELATIVE("relative_latent_divergence"),
  /**
   * The dream in pixels: mean squared difference (RGB in [0, 1]) between the frame the model
   * decoded for this step at an earlier plan and the frame the camera shows now.
   */
  PIXEL("pixel_divergence"),
  /**
   * The dream where the task is decided: 1 - IoU of the block's pixels (segmented by colour) in the
   * frame the model dreamed for this step at an earlier plan and in the frame the camera shows now.
   * 0 when the block is where the dream put it; a push that did not move the block as the dream
   * expected scores high, a pusher the dream drew a few pixels off does not.
   */
  BLOCK("block_divergence"),
  /**
   * The dream's broken promise: the goal coverage the dreamed frame for this step showed minus the
   * goal coverage the camera shows now (both measured on the picture, {@code GoalCoverage}).
   * Positive when the dream expected more progress than happened; an imagining policy runs the
   * chunk whose dream promised most, so a stall it cannot see out of keeps scoring.
   */
  COVERAGE_SHORTFALL("coverage_shortfall"),
  /**
   * The baseline: spread (standard deviation, workspace pixels) of extra sampled action chunks at
   * each plan.
   */
  ACTION_SPREAD("action_spread");

  private final String id;

  Signal(String id) {
    this.id = id;
  }

  /** The name in reports and JSON. */
  public String id() {
    return id;
  }

  /**
   * The signal whose {@link #id()} is {@code id}; an {@link IllegalArgumentException} names the ids
   * there are.
   */
  public static Signal ofId(String id) {
    for (Signal s : values()) if (s.id.equals(id)) return s;
    throw new IllegalArgumentException(
        "no signal '"
            + id
            + "'; signals: "
            + java.util.Arrays.stream(values()).map(Signal::id).toList());
  }

  /** Whether the signal compares the dream with reality (false: the baseline). */
  public boolean isDream() {
    return this != ACTION_SPREAD;
  }
}
