package dev.wam4j.cli;

import dev.wam4j.model.wam.WamTrainerBench;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code wam4j train bench}: training throughput of a config on its real data path (loader
 * sampling, tensor conversion, forward, backward, AdamW, EMA), to set beside bench/pytorch-wam's
 * reference.
 */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description =
        "Time training steps of a config on its dataset (nothing is saved): samples/s and ms per step. "
            + "Compare with bench/pytorch-wam/wam_reference.py at the same config and threads.")
final class TrainBenchCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--config", required = true, description = "JSON config (its dataset is loaded).")
  Path config;

  @Option(
      names = "--steps",
      description = "Timed steps (default: ${DEFAULT-VALUE}).",
      defaultValue = "50")
  int steps;

  @Option(
      names = "--warmup",
      description = "Untimed steps first (default: ${DEFAULT-VALUE}).",
      defaultValue = "10")
  int warmup;

  @Option(names = "--threads", description = "Intra-op threads (default: the config's).")
  Integer threads;

  @Option(names = "--json", description = "Print the result as JSON.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    if (steps < 1 || warmup < 0)
      throw new IllegalArgumentException("--steps must be >= 1 and --warmup >= 0");
    PrintWriter err = spec.commandLine().getErr();
    WamTrainerBench.Result result =
        WamTrainerBench.run(
            config,
            threads,
            warmup,
            steps,
            new WamTrainerBench.Listener() {
              private final Progress loading = new Progress(err, "decode", 0, "frames");
              private Progress bench;

              @Override
              public void decoded(long frames) {
                loading.update(frames);
              }

              @Override
              public void loaded() {
                loading.done();
                bench =
                    new Progress(
                        err, "bench", warmup + steps, "steps"); // its clock starts with the steps
              }

              @Override
              public void stepped(int done) {
                bench.update(done);
                if (done == warmup + steps) bench.done();
              }
            });
    PrintWriter o = spec.commandLine().getOut();
    if (json) {
      o.println(Json.result(result, spec));
    } else {
      o.printf(
          "train bench: %.1f samples/s (%.1f ms/step mean, %.1f p50) at batch %d, %d threads, %,d parameters%n",
          result.samplesPerS(),
          result.msPerStepMean(),
          result.msPerStepP50(),
          result.batchSize(),
          result.threads(),
          result.parameters());
    }
    o.flush();
    return 0;
  }
}
