package dev.wam4j.cli;

import dev.wam4j.sim.vector.VectorEnvBench;
import java.io.PrintWriter;
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
    description =
        "Measure PushT env steps/s (random actions in [0,512]^2, reset every 300 steps, resets included).")
final class BenchCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--envs",
      description = "Instances stepped together (default: ${DEFAULT-VALUE}).",
      defaultValue = "64")
  int envs;

  @Option(
      names = "--threads",
      description = "Worker threads (default: ${DEFAULT-VALUE}).",
      defaultValue = "1")
  int threads;

  @Option(
      names = "--seconds",
      description = "Measured seconds after warm-up (default: ${DEFAULT-VALUE}).",
      defaultValue = "5")
  double seconds;

  @Option(
      names = "--warmup",
      description = "Warm-up seconds, not measured (default: ${DEFAULT-VALUE}).",
      defaultValue = "2")
  double warmup;

  @Option(names = "--render", description = "Also render a 96x96 observation after every step.")
  boolean render;

  @Option(
      names = "--seed",
      description = "Seed of the actions and resets (default: ${DEFAULT-VALUE}).",
      defaultValue = "1")
  long seed;

  @Option(names = "--json", description = "Print JSON.")
  boolean json;

  @Override
  public Integer call() {
    if (envs < 1 || threads < 1)
      throw new IllegalArgumentException(
          "--envs and --threads must be >= 1, got " + envs + " and " + threads);
    if (!(seconds > 0 && seconds <= 3600))
      throw new IllegalArgumentException("--seconds must be in (0, 3600], got " + seconds);
    if (!(warmup >= 0 && warmup <= 3600))
      throw new IllegalArgumentException("--warmup must be in [0, 3600], got " + warmup);
    VectorEnvBench.Result result =
        VectorEnvBench.run(new VectorEnvBench.Config(envs, threads, seconds, warmup, render, seed));
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      out.println(Json.result(result, spec));
    } else {
      out.printf(
          "%,d env steps/s  (%d envs, %d threads, render %s, %d steps in %.1f s)%n",
          result.envStepsPerSecond(),
          envs,
          result.threads(),
          render,
          result.steps(),
          result.seconds());
    }
    out.flush();
    return 0;
  }
}
