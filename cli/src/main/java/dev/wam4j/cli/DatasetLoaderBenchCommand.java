package dev.wam4j.cli;

import dev.wam4j.data.loader.LoaderBench;
import dev.wam4j.data.loader.LoaderConfig;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code wam4j dataset loader-bench}: how fast the training loader feeds batches, against what a
 * training step consumes.
 */
@Command(
    name = "loader-bench",
    mixinStandardHelpOptions = true,
    description =
        "Load a LeRobot dataset into the training loader (decoding its video) and measure batches/s and frames/s.")
final class DatasetLoaderBenchCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(index = "0", description = "LeRobot dataset folder.")
  Path dataset;

  @Option(
      names = "--image-key",
      description = "Video feature (default: ${DEFAULT-VALUE}; 'none' for state/action only).",
      defaultValue = "observation.image")
  String imageKey;

  @Option(
      names = "--batch",
      description = "Samples per batch (default: ${DEFAULT-VALUE}).",
      defaultValue = "64")
  int batch;

  @Option(
      names = "--history",
      description = "Observation frames per sample (default: ${DEFAULT-VALUE}).",
      defaultValue = "2")
  int history;

  @Option(
      names = "--horizon",
      description = "Actions per sample (default: ${DEFAULT-VALUE}).",
      defaultValue = "16")
  int horizon;

  @Option(
      names = "--future-frames",
      description = "Future observation frames per sample (default: ${DEFAULT-VALUE}).",
      defaultValue = "0")
  int futureFrames;

  @Option(
      names = "--future-stride",
      description = "Frames between future frames (default: ${DEFAULT-VALUE}).",
      defaultValue = "1")
  int futureStride;

  @Option(
      names = "--seconds",
      description = "Sampling time measured (default: ${DEFAULT-VALUE}).",
      defaultValue = "3")
  double seconds;

  @Option(
      names = "--seed",
      description = "Sampling seed (default: ${DEFAULT-VALUE}).",
      defaultValue = "0")
  long seed;

  @Option(names = "--json", description = "Print JSON.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    if (!(seconds > 0 && seconds <= 600))
      throw new IllegalArgumentException("--seconds must be in (0, 600], got " + seconds);
    LoaderConfig cfg =
        new LoaderConfig(
            "none".equals(imageKey) ? null : imageKey,
            "observation.state",
            "action",
            history,
            horizon,
            batch,
            seed,
            Math.max(1, Runtime.getRuntime().availableProcessors()),
            futureFrames == 0 ? 0 : futureStride,
            futureFrames);
    Progress progress = new Progress(spec.commandLine().getErr(), "decode", "frames");
    LoaderBench.Result r = LoaderBench.run(dataset, cfg, seconds, progress::update);
    progress.done();
    PrintWriter o = spec.commandLine().getOut();
    if (json) {
      o.println(Json.result(r, spec));
    } else {
      o.printf(
          "loaded %d frames of %d episodes in %.1f s (video decode %.0f frames/s)%n",
          r.frames(), r.episodes(), r.loadSeconds(), r.decodeFramesPerSecond());
      o.printf(
          "sampling: %.0f batches/s = %.0f samples/s (batch %d, history %d, horizon %d, future %d every %d)%n",
          r.batchesPerSecond(),
          r.samplesPerSecond(),
          batch,
          history,
          horizon,
          futureFrames,
          cfg.futureStride());
    }
    o.flush();
    return 0;
  }
}
