package dev.wam4j.rl.ppo;

import dev.wam4j.model.steer.PoseFeatures;
import dev.wam4j.sim.pusht.PushTEnv;
import dev.wam4j.sim.scene.Pose;

/**
 * What a state-based policy sees of one {@link PushTEnv} and what it is paid: the privileged state
 * (agent, block pose, goal) as {@link #OBSERVATIONS} features scaled to about [-1, 1], the change
 * since the last step standing in for velocities; and a reward of progress: in coverage, in a
 * potential phi that rises as the block nears the goal pose and the pusher nears the block ({@code
 * phi(s') - phi(s)}), and a bonus at success. Undiscounted progress, not Ng, Harada and Russell's
 * {@code gamma * phi(s') - phi(s)}: with phi negative, the discounted form pays {@code (1 - gamma)
 * |phi|} every step for staying far from the goal, which over 300 steps outweighed every push
 * (RESULTS 25). An episode's shaping sums to {@code phi(last) - phi(first)}.
 *
 * <p>One per environment (it remembers the previous state); allocation-free.
 */
final class PushTask {
  /** Features per observation. */
  static final int OBSERVATIONS = PoseFeatures.COUNT;

  private final double goalX;
  private final double goalY;
  private final double goalAngle;
  private final PpoConfig.Reward weights;
  private final double[] state = new double[5];
  private final double[] previous = new double[5];
  private double coverage;
  private double potential;

  PushTask(Pose goal, PpoConfig.Reward weights) {
    this.goalX = goal.x();
    this.goalY = goal.y();
    this.goalAngle = goal.angle();
    this.weights = weights;
  }

  /** Call after the environment's reset: the new episode's first state is also its previous one. */
  void start(PushTEnv env) {
    env.state(state, 0);
    System.arraycopy(state, 0, previous, 0, 5);
    coverage = env.coverage();
    potential = potential(state);
  }

  /**
   * Call after each step: the step's reward. Remembers the state before the step for the velocity
   * features.
   */
  double reward(PushTEnv env) {
    System.arraycopy(state, 0, previous, 0, 5);
    env.state(state, 0);
    double covered = env.coverage();
    double next = potential(state);
    double r = weights.coverage() * (covered - coverage) + next - potential;
    if (env.terminated()) r += weights.success();
    coverage = covered;
    potential = next;
    return r;
  }

  /**
   * Writes the current observation into {@code out[offset .. offset + OBSERVATIONS)}: {@link
   * PoseFeatures} of the simulator's state.
   */
  void observe(float[] out, int offset) {
    PoseFeatures.write(state, previous, goalX, goalY, goalAngle, coverage, out, offset);
  }

  /** The shaping potential phi of the current state. */
  double potential() {
    return potential;
  }

  /** Coverage after the last step or reset. */
  double coverage() {
    return coverage;
  }

  private double potential(double[] s) {
    double blockToGoal = Math.hypot(s[2] - goalX, s[3] - goalY) / 100;
    double turn = Math.abs(PoseFeatures.wrap(s[4] - goalAngle)) / Math.PI;
    double reach = Math.max(0, Math.hypot(s[0] - s[2], s[1] - s[3]) - 30) / 100;
    return -weights.blockDistance() * blockToGoal
        - weights.blockAngle() * turn
        - weights.reach() * reach;
  }
}
