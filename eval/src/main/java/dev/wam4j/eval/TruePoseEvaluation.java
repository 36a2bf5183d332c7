package dev.wam4j.eval;

import dev.wam4j.model.wam.WamPolicy;
import dev.wam4j.sim.Embodiment;
import dev.wam4j.sim.pusht.PushTEnv;
import dev.wam4j.sim.scene.Scene;

/**
 * A measurement, not a policy: the action head of a checkpoint that reads the block's pose ({@code
 * actionFromPose}) driven by the simulator's true pose instead of the pose head's estimate, under
 * the protocol otherwise (legacy resets, 300 steps, the checkpoint's executed steps per plan).
 * Against the ordinary evaluation it splits a policy's shortfall between its head and its
 * perception.
 */
public final class TruePoseEvaluation {
  private TruePoseEvaluation() {}

  /** Mean over episodes of max min(coverage / 0.95, 1), and the successes (coverage > 0.95). */
  public record Result(long firstSeed, int episodes, double meanMaxCoverage, int successes) {}

  /**
   * Runs {@code policy}'s head on {@code count} seeds from {@code firstSeed}, scored as {@link
   * ClosedLoopEvaluation} scores (the reset state earns nothing, the policy acts at least once, at
   * most {@code maxSteps} steps) with the same per-episode sampling seed, so its episodes pair with
   * an ordinary evaluation's.
   */
  public static Result run(
      WamPolicy policy, long firstSeed, int count, int maxSteps, long policySeed) {
    if (!policy.config().actionFromPose()) {
      throw new IllegalArgumentException(
          "true-pose evaluation needs a checkpoint whose head reads the pose (actionFromPose); this one's does not");
    }
    if (count < 1 || maxSteps < 1)
      throw new IllegalArgumentException(
          "true-pose evaluation: count and maxSteps must be >= 1, got " + count + ", " + maxSteps);
    PushTEnv env = new PushTEnv(Scene.pushT(), Embodiment.RobotPusher.reference());
    int h = policy.historyFrames();
    float[] positions = new float[2 * h];
    double sum = 0;
    int ok = 0;
    for (long seed = firstSeed; seed < firstSeed + count; seed++) {
      env.reset(seed);
      policy.reset(ClosedLoopEvaluation.episodePolicySeed(policySeed, seed));
      for (int k = 0;
          k < h;
          k++) { // the first observation repeated, as the protocol's history starts
        positions[2 * k] = (float) env.agentX();
        positions[2 * k + 1] = (float) env.agentY();
      }
      double max = 0;
      int steps = 0;
      boolean done = false;
      while (!done && steps < maxSteps) {
        float[] chunk =
            policy.planFromPose(positions, env.blockX(), env.blockY(), env.blockAngle());
        for (int j = 0; j < policy.executeSteps() && !done && steps < maxSteps; j++) {
          env.step(chunk[2 * j], chunk[2 * j + 1]);
          steps++;
          System.arraycopy(positions, 2, positions, 0, 2 * h - 2);
          positions[2 * h - 2] = (float) env.agentX();
          positions[2 * h - 1] = (float) env.agentY();
          max = Math.max(max, env.reward());
          done = env.terminated();
        }
      }
      sum += max;
      if (done) ok++;
    }
    return new Result(firstSeed, count, sum / count, ok);
  }
}
