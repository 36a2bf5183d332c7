package dev.wam4j.data.loader;

import dev.wam4j.data.ProgressListener;
import dev.wam4j.data.lerobot.Episode;
import dev.wam4j.data.lerobot.LeRobotDataset;
import java.io.IOException;
import java.nio.file.Path;

/**
 * How fast a dataset loads into the {@link TrainingLoader} (decoding its video) and how fast the
 * loader then samples batches, against what a training step consumes. The first 200 batches are JIT
 * warm-up, not timed.
 */
public final class LoaderBench {
  private static final int WARMUP_BATCHES = 200;

  private LoaderBench() {}

  /**
   * @param frames frames loaded
   * @param loadSeconds loading the dataset, video decoding included
   * @param decodeFramesPerSecond video frames decoded per second while loading
   * @param imageFramesPerSecond observation frames (history and future) delivered per second; 0
   *     without images
   */
  public record Result(
      String dataset,
      LoaderConfig config,
      int episodes,
      int frames,
      double loadSeconds,
      double decodeFramesPerSecond,
      double batchesPerSecond,
      double samplesPerSecond,
      double imageFramesPerSecond) {}

  /**
   * Loads {@code dataset} with {@code config} ({@code progress}, may be null, hears frames
   * decoded), then samples for {@code seconds}.
   */
  public static Result run(
      Path dataset, LoaderConfig config, double seconds, ProgressListener progress)
      throws IOException {
    long frames;
    try (LeRobotDataset ds = LeRobotDataset.open(dataset)) {
      frames = ds.episodes().stream().mapToLong(Episode::length).sum();
    }
    TrainingLoader loader =
        TrainingLoader.load(
            dataset, config, progress == null ? null : done -> progress.update(done, frames));
    TrainingBatch b = loader.newBatch();
    for (int i = 0; i < WARMUP_BATCHES; i++) loader.sample(b);
    long n = 0, t0 = System.nanoTime(), end = t0 + (long) (seconds * 1e9), now;
    do {
      loader.sample(b);
      n++;
      now = System.nanoTime();
    } while (now < end);
    double s = (now - t0) / 1e9;
    int batch = config.batchSize();
    return new Result(
        dataset.toString(),
        config,
        loader.episodes(),
        loader.frames(),
        loader.loadSeconds(),
        loader.decodeFramesPerSecond(),
        n / s,
        n * batch / s,
        config.imageKey() == null
            ? 0
            : n * batch * (config.historyFrames() + config.futureFrames()) / s);
  }
}
