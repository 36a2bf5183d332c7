package dev.wam4j.cli;

import dev.wam4j.sim.pusht.PushTEnv;
import dev.wam4j.sim.vector.VectorEnv;
import java.io.PrintWriter;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code wam4j sim bench}: PushT env steps per second, the reference harness's workload — uniform
 * random targets in [0, 512]^2, every instance reset every 300 steps (reset time included).
 */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = "Measure PushT env steps/s (random actions in [0,512]^2, reset every 300 steps, resets included).")
final class BenchCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--envs", description = "Instances stepped together (default: ${DEFAULT-VALUE}).", defaultValue = "64")
  int envs;

  @Option(names = "--threads", description = "Worker threads (default: ${DEFAULT-VALUE}).", defaultValue = "1")
  int threads;

  @Option(names = "--seconds", description = "Measured seconds after warm-up (default: ${DEFAULT-VALUE}).", defaultValue = "5")
  double seconds;

  @Option(names = "--warmup", description = "Warm-up seconds, not measured (default: ${DEFAULT-VALUE}).", defaultValue = "2")
  double warmup;

  @Option(names = "--render", description = "Also render a 96x96 observation after every step.")
  boolean render;

  @Option(names = "--seed", description = "Seed of the actions and resets (default: ${DEFAULT-VALUE}).", defaultValue = "1")
  long seed;

  @Option(names = "--json", description = "Print JSON.")
  boolean json;

  /** Env steps per second and the workload they were measured on. */
  record Result(long envStepsPerSecond, int threads, int envs, boolean render, double seconds, long steps, long resets, long seed,
      int substepsPerEnvStep, String java) {}

  @Override
  public Integer call() {
    if (envs < 1 || threads < 1) throw new IllegalArgumentException("--envs and --threads must be >= 1, got " + envs + " and " + threads);
    if (!(seconds > 0 && seconds <= 3600)) throw new IllegalArgumentException("--seconds must be in (0, 3600], got " + seconds);
    if (!(warmup >= 0 && warmup <= 3600)) throw new IllegalArgumentException("--warmup must be in [0, 3600], got " + warmup);
    try (VectorEnv vec = new VectorEnv(envs, threads, i -> PushTEnv.reference(),
        render ? t -> Observations.pushTRenderer() : null, render ? Observations.PUSHT_FRAME_BYTES : 0)) {
      vec.reset(seed);
      SplittableRandom rng = new SplittableRandom(seed);
      double[] actions = vec.actions();
      // The reference resets every 300 steps; PushT also ends on success, which random actions
      // practically never reach, so the reset cadence is the same.
      run(vec, rng, actions, warmup);
      long steps0 = vec.totalSteps(), resets0 = vec.totalResets();
      long t0 = System.nanoTime();
      double elapsed = run(vec, rng, actions, seconds);
      long t1 = System.nanoTime();
      long steps = vec.totalSteps() - steps0;
      double sps = steps / ((t1 - t0) / 1e9);
      Result result = new Result(Math.round(sps), vec.threads(), envs, render, elapsed, steps, vec.totalResets() - resets0, seed,
          PushTEnv.reference().scene().physics().substeps(), Runtime.version().toString());
      PrintWriter out = spec.commandLine().getOut();
      if (json) {
        out.println(Json.result(result, spec));
      } else {
        out.printf("%,.0f env steps/s  (%d envs, %d threads, render %s, %d steps in %.1f s)%n",
            sps, envs, vec.threads(), render, steps, elapsed);
      }
      out.flush();
    }
    return 0;
  }

  private static double run(VectorEnv vec, SplittableRandom rng, double[] actions, double seconds) {
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
