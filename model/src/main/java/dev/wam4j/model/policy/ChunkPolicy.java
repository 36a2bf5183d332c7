package dev.wam4j.model.policy;

/**
 * A visuomotor policy that plans a chunk of actions from a short observation history, and may show
 * what it expects to see while the chunk runs (its dream). Executed with a receding horizon: the
 * caller runs the first {@link #executeSteps()} actions of each plan, then plans again.
 *
 * <p>Observations follow PushT as LeRobot publishes it: square RGB frames of {@link #imageSize()}
 * pixels and the agent position in workspace pixels (0..512). Implementations own native memory:
 * close them. Not thread-safe: one thread plans at a time.
 */
public interface ChunkPolicy extends AutoCloseable {
  /** Observations per plan, the current one last. */
  int historyFrames();

  /** Side of the square observation frames in pixels. */
  int imageSize();

  /** Actions of each plan to execute before planning again (1..horizon). */
  int executeSteps();

  /** Forgets nothing between episodes except what {@code seed} re-seeds: the sampling noise. */
  void reset(long seed);

  /**
   * Plans from an observation history.
   *
   * @param images {@code [historyFrames][imageSize][imageSize][3]} RGB bytes, oldest first
   * @param agentPositions {@code [historyFrames][2]} agent x, y in workspace pixels, oldest first
   * @param dream whether to decode the predicted future frames (costs time)
   */
  Plan plan(byte[] images, float[] agentPositions, boolean dream);

  /**
   * Asks every later plan to sample {@code samples} extra action chunks (0: none) and report their
   * spread in {@link PlanSignals#actionSpreadPixels()}: a baseline failure signal beside the
   * dream's. The extra samples use their own noise, so the executed actions do not change. Policies
   * without signals ignore it.
   */
  default void sampleActionSpread(int samples) {}

  @Override
  void close();
}
