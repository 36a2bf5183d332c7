package dev.wam4j.eval.turing;

import dev.wam4j.model.policy.ChunkPolicy;
import dev.wam4j.sim.motion.MotionStyle;

/**
 * A checkpoint's policy as the robot of {@link TuringTest}, one trace at a time, for whoever needs
 * the robot's episodes without the automatic judge (the human judge's page): the same closed loop
 * (dreams off, policy seed 0), the same time budget, the same recording, so both judges see the
 * same robot.
 *
 * <p>Not thread-safe (the policy is not); the caller closes the policy.
 */
public final class PolicyTraces {
  private final PolicyRobot robot;

  /** Traces of {@code policy}, reusing one rollout across seeds. */
  public PolicyTraces(ChunkPolicy policy) {
    if (policy == null) throw new IllegalArgumentException("the policy is required");
    robot = new PolicyRobot(policy, MotionStyle.NONE);
  }

  /**
   * The policy from the legacy reset of {@code seed} for at most {@code limit} steps (and the
   * scene's 300), stopping at success: the state before each action.
   */
  public PusherTrace trace(long seed, int limit) {
    return robot.episode(seed, limit).trace();
  }
}
