package dev.wam4j.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wam4j.data.loader.TrainingLoader;
import dev.wam4j.model.wam.WamConfig;
import dev.wam4j.model.wam.WamRun;
import dev.wam4j.model.wam.WamTrainer;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code wam4j train bench}: training throughput of a config on its real data path (loader sampling,
 * tensor conversion, forward, backward, AdamW, EMA), to set beside bench/pytorch-wam's reference.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
    description = "Time training steps of a config on its dataset (nothing is saved): samples/s and ms per step. "
        + "Compare with bench/pytorch-wam/wam_reference.py at the same config and threads.")
final class TrainBenchCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--config", required = true, description = "JSON config (its dataset is loaded).")
  Path config;

  @Option(names = "--steps", description = "Timed steps (default: ${DEFAULT-VALUE}).", defaultValue = "50")
  int steps;

  @Option(names = "--warmup", description = "Untimed steps first (default: ${DEFAULT-VALUE}).", defaultValue = "10")
  int warmup;

  @Option(names = "--threads", description = "Intra-op threads (default: the config's).")
  Integer threads;

  @Option(names = "--json", description = "Print the result as JSON.")
  boolean json;

  /** Training throughput of a config, beside its size; {@code wamConfig} is spelled as in config files. */
  record Bench(String config, String dataset, int threads, int batchSize, long parameters, int warmupSteps, int timedSteps,
      double samplesPerS, double msPerStepMean, double msPerStepP50, boolean videoPrediction, JsonNode wamConfig) {}

  @Override
  public Integer call() throws Exception {
    if (steps < 1 || warmup < 0) throw new IllegalArgumentException("--steps must be >= 1 and --warmup >= 0");
    WamConfig c = WamRun.loadConfig(config);
    if (threads != null) c = c.withThreads(threads);
    PrintWriter err = spec.commandLine().getErr();
    Progress loading = new Progress(err, "decode", 0, "frames");
    TrainingLoader loader = TrainingLoader.load(Path.of(c.dataset()), c.loaderConfig(c.seed(), 2), loading::update);
    loading.done();
    double[] ms = new double[steps];
    long parameters;
    try (WamTrainer trainer = WamTrainer.create(c, loader)) {
      parameters = trainer.parameterCount();
      Progress bar = new Progress(err, "bench", warmup + steps, "steps");
      for (int i = 0; i < warmup; i++) {
        trainer.step();
        bar.update(i + 1);
      }
      for (int i = 0; i < steps; i++) {
        long t0 = System.nanoTime();
        trainer.step();
        ms[i] = (System.nanoTime() - t0) / 1e6;
        bar.update(warmup + i + 1);
      }
      bar.done();
    }
    double total = Arrays.stream(ms).sum();
    double[] sorted = ms.clone();
    Arrays.sort(sorted);
    Bench result = new Bench(config.toString(), c.dataset(), c.threads(), c.batchSize(), parameters, warmup, steps,
        steps * c.batchSize() / (total / 1000), total / steps, sorted[(steps - 1) / 2], c.predictsVideo(), WamRun.toJson(c));
    PrintWriter o = spec.commandLine().getOut();
    if (json) {
      o.println(Json.result(result, spec));
    } else {
      o.printf("train bench: %.1f samples/s (%.1f ms/step mean, %.1f p50) at batch %d, %d threads, %,d parameters%n",
          result.samplesPerS(), result.msPerStepMean(), result.msPerStepP50(), c.batchSize(), c.threads(), parameters);
    }
    o.flush();
    return 0;
  }
}
