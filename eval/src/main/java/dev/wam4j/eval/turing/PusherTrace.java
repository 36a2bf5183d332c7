package dev.wam4j.eval.turing;

import java.util.Arrays;

/**
 * One PushT episode as the judge sees it: the agent's position and the block's pose at every
 * control step (10 Hz), the state before each action, as the demonstrations record it. World units
 * (workspace pixels, 512 x 512, y down); angles in radians.
 *
 * @param pusher "human" or "robot"
 * @param seed the legacy reset seed the episode started from
 * @param agentX agent x per step
 * @param agentY agent y per step (same length)
 * @param blockX block body position x per step (same length)
 * @param blockY block body position y per step (same length)
 * @param blockAngle block angle per step (same length)
 */
public record PusherTrace(
    String pusher,
    long seed,
    double[] agentX,
    double[] agentY,
    double[] blockX,
    double[] blockY,
    double[] blockAngle) {
  /** Control rate of PushT and of its demonstrations, steps per second. */
  public static final double HZ = 10.0;

  /** Validates lengths and values. */
  public PusherTrace {
    if (pusher == null || pusher.isBlank())
      throw new IllegalArgumentException("trace: pusher is required");
    if (agentX == null || agentY == null || blockX == null || blockY == null || blockAngle == null)
      throw new IllegalArgumentException("trace: every array is required");
    int n = agentX.length;
    if (agentY.length != n || blockX.length != n || blockY.length != n || blockAngle.length != n)
      throw new IllegalArgumentException("trace: arrays differ in length");
    if (n < 1) throw new IllegalArgumentException("trace: needs at least one step");
    for (double[] a : new double[][] {agentX, agentY, blockX, blockY, blockAngle})
      for (double v : a)
        if (!Double.isFinite(v))
          throw new IllegalArgumentException("trace of seed " + seed + ": a value is not finite");
    agentX = agentX.clone();
    agentY = agentY.clone();
    blockX = blockX.clone();
    blockY = blockY.clone();
    blockAngle = blockAngle.clone();
  }

  /** Number of recorded steps. */
  public int length() {
    return agentX.length;
  }

  /** A trace whose block stays at one pose (tests, and pushers judged without a block). */
  public static PusherTrace withFixedBlock(
      String pusher, long seed, double[] x, double[] y, double bx, double by, double ba) {
    double[] fx = new double[x.length], fy = new double[x.length], fa = new double[x.length];
    Arrays.fill(fx, bx);
    Arrays.fill(fy, by);
    Arrays.fill(fa, ba);
    return new PusherTrace(pusher, seed, x, y, fx, fy, fa);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PusherTrace t
        && pusher.equals(t.pusher)
        && seed == t.seed
        && Arrays.equals(agentX, t.agentX)
        && Arrays.equals(agentY, t.agentY)
        && Arrays.equals(blockX, t.blockX)
        && Arrays.equals(blockY, t.blockY)
        && Arrays.equals(blockAngle, t.blockAngle);
  }

  @Override
  public int hashCode() {
    return 31 * Long.hashCode(seed) + Arrays.hashCode(agentX);
  }

  @Override
  public String toString() {
    return "PusherTrace[" + pusher + ", seed " + seed + ", " + length() + " steps]";
  }
}
