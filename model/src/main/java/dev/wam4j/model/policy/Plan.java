package dev.wam4j.model.policy;

/**
 * One plan of a {@link ChunkPolicy}.
 *
 * @param actions {@code [horizon][2]} target agent positions in workspace pixels, the first for the
 *     current step
 * @param horizon actions in the chunk
 * @param dreamFrames {@code [dreamOffsets.length][size][size][3]} RGB bytes of the predicted future
 *     frames, empty when no dream was asked for or the policy cannot dream
 * @param dreamOffsets steps after the current observation that each dream frame shows (ascending,
 *     >= 1)
 * @param seconds wall-clock time the plan took
 * @param signals the world model's latents and action spread for monitors, or {@code null} when the
 *     policy has none
 */
public record Plan(
    float[] actions,
    int horizon,
    byte[] dreamFrames,
    int[] dreamOffsets,
    double seconds,
    PlanSignals signals) {
  public Plan {
    if (horizon < 1 || actions.length != horizon * 2) {
      throw new IllegalArgumentException(
          "plan: " + actions.length + " action values for horizon " + horizon);
    }
    for (float a : actions)
      if (!Float.isFinite(a)) throw new IllegalArgumentException("plan: non-finite action " + a);
  }

  /** A plan without monitor signals. */
  public Plan(
      float[] actions, int horizon, byte[] dreamFrames, int[] dreamOffsets, double seconds) {
    this(actions, horizon, dreamFrames, dreamOffsets, seconds, null);
  }

  /** Whether the plan carries dream frames. */
  public boolean hasDream() {
    return dreamFrames.length > 0;
  }
}
