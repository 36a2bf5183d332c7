package dev.wam4j.sim;

/**
 * A simulated environment with a fixed-size state and action. Stepping writes into the
 * environment's own state (read it back with the accessors) so that hot loops allocate nothing.
 * Implementations are not thread-safe; a vector environment owns one per instance.
 */
public interface Environment {

  /** Length of {@link #state(double[], int)}. */
  int stateSize();

  /** Length of an action. */
  int actionSize();

  /** Starts a new episode drawn from {@code seed}: the same seed gives the same episode. */
  void reset(long seed);

  /**
   * Applies one control step. Throws {@link IllegalArgumentException} naming the value if the
   * action is NaN or infinite; the state is never silently corrupted.
   */
  void step(double[] action, int offset);

  /** Copies the current state into {@code out} at {@code offset}. */
  void state(double[] out, int offset);

  /** Reward of the last step (or of the reset state). */
  double reward();

  /** True when the task is solved (the episode ends). */
  boolean terminated();

  /** True when the step limit is reached. */
  boolean truncated();

  /** Control steps since the last reset. */
  int stepCount();
}
