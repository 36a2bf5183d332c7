package dev.wam4j.eval;

import dev.wam4j.model.wam.WamPolicy;
import dev.wam4j.sim.Embodiment;
import dev.wam4j.sim.expert.PushExpert;
import dev.wam4j.sim.pusht.PushTEnv;
import dev.wam4j.sim.render.Camera;
import dev.wam4j.sim.render.Sampling;
import dev.wam4j.sim.render.SceneLook;
import dev.wam4j.sim.render.SceneRenderer;
import dev.wam4j.sim.scene.Scene;
import java.util.Arrays;

/**
 * A measurement of a pose-reading checkpoint's perception where success is decided: its pose head's
 * estimate against the simulator's pose on the states the scripted expert passes through on its way
 * into the goal (coverage at least {@code minCoverage}), rendered as the closed-loop evaluation
 * renders them.
 *
 * <p>Why: PushT counts a success above coverage 0.95, which a block 2 workspace pixels or 1.7
 * degrees off the goal already misses; the overall pose error of a training run's validation says
 * little about that last stretch. The bias matters as much as the spread: a head aligns the block
 * to where it sees the goal, so a constant offset is a constant shortfall.
 */
public final class PerceptionNearGoal {
  private PerceptionNearGoal() {}

  /**
   * Errors of the estimate (estimate minus truth) over the sampled states.
   *
   * @param states states measured
   * @param rmsPixels root mean square error per axis, workspace pixels
   * @param rmsDegrees root mean square angle error, degrees
   * @param biasXPixels mean x error, workspace pixels
   * @param biasYPixels mean y error, workspace pixels
   * @param biasDegrees mean angle error, degrees
   * @param p90Pixels 90th percentile of the position error's length, workspace pixels
   * @param p90Degrees 90th percentile of the absolute angle error, degrees
   */
  public record Result(
      int states,
      double rmsPixels,
      double rmsDegrees,
      double biasXPixels,
      double biasYPixels,
      double biasDegrees,
      double p90Pixels,
      double p90Degrees) {}

  /**
   * Runs the robot expert from the legacy resets of {@code count} seeds from {@code firstSeed} (at
   * most 300 steps each) and measures {@code policy}'s estimate at every step whose coverage is at
   * least {@code minCoverage}, the history frames drawn as the protocol draws them.
   *
   * @throws IllegalArgumentException when the checkpoint has no pose head, or no step qualified
   */
  public static Result run(WamPolicy policy, long firstSeed, int count, double minCoverage) {
    if (!policy.config().hasPoseHead()) {
      throw new IllegalArgumentException(
          "perception near the goal needs a checkpoint with a pose head (poseWeight > 0); this one's poseWeight is "
              + policy.config().poseWeight());
    }
    if (count < 1)
      throw new IllegalArgumentException(
          "perception near the goal: count must be >= 1, got " + count);
    if (!(minCoverage >= 0 && minCoverage < 1))
      throw new IllegalArgumentException(
          "perception near the goal: minCoverage must lie in [0, 1), got " + minCoverage);
    Scene scene = Scene.pushT();
    PushTEnv env = new PushTEnv(scene, Embodiment.RobotPusher.reference());
    PushExpert expert = PushExpert.of(env);
    int size = policy.imageSize(), h = policy.historyFrames();
    SceneRenderer renderer =
        new SceneRenderer(SceneLook.of(scene), Camera.identity(), size, size, Sampling.REFERENCE);
    int frameBytes = renderer.frameBytes();
    byte[] images = new byte[h * frameBytes];
    float[] positions = new float[2 * h];
    double[] action = new double[2];
    int capacity = 1024, n = 0;
    double[] lengths = new double[capacity], angles = new double[capacity];
    double sx = 0, sy = 0, sa = 0, sxx = 0, syy = 0, saa = 0;
    for (long seed = firstSeed; seed < firstSeed + count; seed++) {
      env.reset(seed);
      expert.reset();
      for (int k = 0; k < h; k++) observe(env, renderer, images, positions, k, frameBytes);
      for (int step = 0; step < 300 && !env.terminated(); step++) {
        expert.act(env, action);
        env.step(action[0], action[1]);
        System.arraycopy(images, frameBytes, images, 0, (h - 1) * frameBytes);
        System.arraycopy(positions, 2, positions, 0, 2 * h - 2);
        observe(env, renderer, images, positions, h - 1, frameBytes);
        if (env.coverage() < minCoverage) continue;
        double[] estimate = policy.estimatePose(images, positions);
        double dx = estimate[0] - env.blockX(), dy = estimate[1] - env.blockY();
        double da = Math.toDegrees(Math.IEEEremainder(estimate[2] - env.blockAngle(), 2 * Math.PI));
        if (n == capacity) {
          capacity *= 2;
          lengths = Arrays.copyOf(lengths, capacity);
          angles = Arrays.copyOf(angles, capacity);
        }
        lengths[n] = Math.hypot(dx, dy);
        angles[n] = Math.abs(da);
        n++;
        sx += dx;
        sy += dy;
        sa += da;
        sxx += dx * dx;
        syy += dy * dy;
        saa += da * da;
      }
    }
    if (n == 0)
      throw new IllegalArgumentException(
          "perception near the goal: no state of seeds "
              + firstSeed
              + ".."
              + (firstSeed + count - 1)
              + " reached coverage "
              + minCoverage);
    Arrays.sort(lengths, 0, n);
    Arrays.sort(angles, 0, n);
    int p90 = Math.max(0, (int) Math.ceil(0.9 * n) - 1); // nearest rank
    return new Result(
        n,
        Math.sqrt((sxx + syy) / (2.0 * n)),
        Math.sqrt(saa / n),
        sx / n,
        sy / n,
        sa / n,
        lengths[p90],
        angles[p90]);
  }

  private static void observe(
      PushTEnv env,
      SceneRenderer renderer,
      byte[] images,
      float[] positions,
      int slot,
      int frameBytes) {
    renderer.render(
        env.agentX(),
        env.agentY(),
        0,
        env.blockX(),
        env.blockY(),
        env.blockAngle(),
        images,
        slot * frameBytes);
    positions[2 * slot] = (float) env.agentX();
    positions[2 * slot + 1] = (float) env.agentY();
  }
}
