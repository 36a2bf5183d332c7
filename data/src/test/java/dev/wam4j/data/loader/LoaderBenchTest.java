package dev.wam4j.data.loader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.wam4j.data.lerobot.write.LeRobotWriteConfig;
import dev.wam4j.data.lerobot.write.LeRobotWriter;
import dev.wam4j.data.lerobot.write.WriteFeature;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LoaderBenchTest {
  @TempDir Path tmp;

  @Test
  void ratesFollowFromBatchesTimesTheBatchShape() throws Exception {
    Path dataset;
    try (LeRobotWriter w =
        LeRobotWriter.create(
            tmp.resolve("ds"),
            LeRobotWriteConfig.of(
                10,
                "test",
                List.of(
                    new WriteFeature.Video("observation.image", 16, 16),
                    new WriteFeature.Vector("observation.state", List.of("x", "y")),
                    new WriteFeature.Vector("action", List.of("x", "y")))))) {
      for (int length : new int[] {4, 6}) {
        w.beginEpisode("task");
        for (int t = 0; t < length; t++) {
          w.setImage("observation.image", new byte[16 * 16 * 3], 0)
              .setVector("observation.state", new float[] {t, 0})
              .setVector("action", new float[] {t, 1});
          w.endFrame();
        }
        w.endEpisode();
      }
      dataset = w.finish();
    }
    LoaderConfig config =
        new LoaderConfig("observation.image", "observation.state", "action", 2, 4, 8, 0, 1, 2, 1);
    AtomicLong total = new AtomicLong();
    LoaderBench.Result r =
        LoaderBench.run(dataset, config, 0.05, (done, frames) -> total.set(frames));
    assertThat(total).hasValue(10);
    assertThat(r.episodes()).isEqualTo(2);
    assertThat(r.frames()).isEqualTo(10);
    assertThat(r.config()).isEqualTo(config);
    assertThat(r.batchesPerSecond()).isPositive();
    assertThat(r.samplesPerSecond())
        .isCloseTo(8 * r.batchesPerSecond(), within(1e-6 * r.samplesPerSecond()));
    assertThat(r.imageFramesPerSecond())
        .isCloseTo(
            3 * r.samplesPerSecond(),
            within(1e-6 * r.imageFramesPerSecond())); // 2 history + 1 future

    LoaderBench.Result none =
        LoaderBench.run(
            dataset,
            new LoaderConfig(null, "observation.state", "action", 2, 4, 8, 0, 1, 0, 0),
            0.05,
            null);
    assertThat(none.imageFramesPerSecond()).isZero();
  }
}
