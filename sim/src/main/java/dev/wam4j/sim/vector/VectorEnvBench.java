package dev.wam4j.sim.vector;

import dev.wam4j.sim.pusht.PushTEnv;
import dev.wam4j.sim.render.SceneRenderer;
import java.util.SplittableRandom;

/**
 * PushT env steps per second on the reference harness's workload: uniform random targets in [0,
 * 512]^2, every instance reset every 300 steps (reset time included), optionally a 96x96
 * observation rendered after every step. A warm-up (JIT) runs first and is not measured.
 */
public final class VectorEnvBench {
  private VectorEnvBench() {}

  /**
   * @param envs instances stepped together, >= 1
   * @param threads worker threads, >= 1
   * @param seconds measured seconds after the warm-up
   * @param warmupSeconds warm-up seconds, not measured
   * @param render also render the reference observation after every step
   * @param seed seeds the actions and the resets
   */
  public record Config(
      int envs, int threads, double seconds, double warmupSeconds, boolean render, long seed) {}

  /**
   * @param envStepsPerSecond env steps (one instance, one step) per wall-clock second
   * @param threads worker threads actually used (at most one per instance)
   * @param seconds length of the measured region
   * @param steps env steps in it
   * @param resets instance resets in it
   * @param substepsPerEnvStep physics substeps per env step
   * @param java the Java runtime version
   */
  public record Result(
      long envStepsPerSecond,
      int threads,
      int envs,
      boolean render,
      double seconds,
      long steps,
      long resets,
      long seed,
      int substepsPerEnvStep,
      String java) {}

  /**
   * Steps {@code config.envs()} reference PushT instances for the warm-up, then for the measured
   * seconds.
   */
  public static Result run(Config config) {
    try (VectorEnv vec =
        new VectorEnv(
            config.envs(),
            config.threads(),
            i -> PushTEnv.reference(),
            config.render() ? t -> observationRenderer() : null,
            config.render() ? SceneRenderer.pushtObservation().frameBytes() : 0)) {
      vec.reset(config.seed());
      SplittableRandom rng = new SplittableRandom(config.seed());
      double[] actions = vec.actions();
      // The reference resets every 300 steps; PushT also ends on success, which random actions
      // practically never reach, so the reset cadence is the same.
      step(vec, rng, actions, config.warmupSeconds());
      long steps0 = vec.totalSteps(), resets0 = vec.totalResets();
      long t0 = System.nanoTime();
      double elapsed = step(vec, rng, actions, config.seconds());
      long t1 = System.nanoTime();
      long steps = vec.totalSteps() - steps0;
      return new Result(
          Math.round(steps / ((t1 - t0) / 1e9)),
          vec.threads(),
          config.envs(),
          config.render(),
          elapsed,
          steps,
          vec.totalResets() - resets0,
          config.seed(),
          PushTEnv.reference().scene().physics().substeps(),
          Runtime.version().toString());
    }
  }

  /** The reference PushT pixel observation (96 x 96 RGB), one renderer per worker. */
  private static VectorEnv.FrameRenderer observationRenderer() {
    SceneRenderer renderer = SceneRenderer.pushtObservation();
    return (env, out, offset) ->
        renderer.render(
            env.agentX(),
            env.agentY(),
            0.0,
            env.blockX(),
            env.blockY(),
            env.blockAngle(),
            out,
            offset);
  }

  /**
   * Steps with fresh random targets until {@code seconds} have passed; returns the seconds taken.
   */
  private static double step(
      VectorEnv vec, SplittableRandom rng, double[] actions, double seconds) {
    long start = System.nanoTime(), end = start + (long) (seconds * 1e9);
    long now;
    do {
      for (int i = 0; i < actions.length; i++) actions[i] = rng.nextDouble() * 512.0;
      vec.step();
      now = System.nanoTime();
    } while (now < end);
    return (now - start) / 1e9;
  }
}
