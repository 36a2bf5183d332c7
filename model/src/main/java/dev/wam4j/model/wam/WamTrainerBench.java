package dev.wam4j.model.wam;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wam4j.data.loader.TrainingLoader;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Training throughput of a config on its real data path (loader sampling, tensor conversion,
 * forward, backward, AdamW, EMA), to set beside bench/pytorch-wam's reference: untimed warm-up
 * steps, then each timed step measured alone. Nothing is saved.
 */
public final class WamTrainerBench {
  private WamTrainerBench() {}

  /** Hears the bench's progress; every method defaults to nothing. */
  public interface Listener {
    /** Video frames decoded so far while loading the dataset (from the decoding threads). */
    default void decoded(long frames) {}

    /** The dataset is loaded and the trainer built; the steps start. */
    default void loaded() {}

    /** {@code done} of the warm-up and timed steps are finished. */
    default void stepped(int done) {}
  }

  /**
   * Training throughput of a config, beside its size.
   *
   * @param config the config file
   * @param threads intra-op threads
   * @param parameters trainable parameters
   * @param samplesPerS training samples per second over the timed steps
   * @param msPerStepMean mean milliseconds per timed step
   * @param msPerStepP50 median milliseconds per timed step (the lower middle for an even count)
   * @param videoPrediction whether the config predicts future frames
   * @param wamConfig the config as config files spell it
   */
  public record Result(
      String config,
      String dataset,
      int threads,
      int batchSize,
      long parameters,
      int warmupSteps,
      int timedSteps,
      double samplesPerS,
      double msPerStepMean,
      double msPerStepP50,
      boolean videoPrediction,
      JsonNode wamConfig) {}

  /**
   * Loads the config file {@code configFile} (its {@code threads} replaced unless null) and its
   * dataset, then runs {@code warmupSteps} untimed and {@code timedSteps} timed training steps.
   */
  public static Result run(
      Path configFile, Integer threads, int warmupSteps, int timedSteps, Listener listener)
      throws IOException {
    if (timedSteps < 1 || warmupSteps < 0)
      throw new IllegalArgumentException(
          "train bench: timed steps must be >= 1 and warm-up steps >= 0");
    WamConfig c = WamRun.loadConfig(configFile);
    if (threads != null) c = c.withThreads(threads);
    TrainingLoader loader =
        TrainingLoader.load(Path.of(c.dataset()), c.loaderConfig(c.seed(), 2), listener::decoded);
    double[] ms = new double[timedSteps];
    long parameters;
    try (WamTrainer trainer = WamTrainer.create(c, loader)) {
      parameters = trainer.parameterCount();
      listener.loaded();
      for (int i = 0; i < warmupSteps; i++) {
        trainer.step();
        listener.stepped(i + 1);
      }
      for (int i = 0; i < timedSteps; i++) {
        long t0 = System.nanoTime();
        trainer.step();
        ms[i] = (System.nanoTime() - t0) / 1e6;
        listener.stepped(warmupSteps + i + 1);
      }
    }
    double total = Arrays.stream(ms).sum();
    double[] sorted = ms.clone();
    Arrays.sort(sorted);
    return new Result(
        configFile.toString(),
        c.dataset(),
        c.threads(),
        c.batchSize(),
        parameters,
        warmupSteps,
        timedSteps,
        timedSteps * c.batchSize() / (total / 1000),
        total / timedSteps,
        sorted[(timedSteps - 1) / 2],
        c.predictsVideo(),
        WamRun.toJson(c));
  }
}
