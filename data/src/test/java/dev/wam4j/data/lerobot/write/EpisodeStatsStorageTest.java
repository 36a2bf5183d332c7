package dev.wam4j.data.lerobot.write;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wam4j.data.lerobot.LeRobotDataset;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The per-episode statistics as the episodes metadata stores them (read back through DuckDB). */
class EpisodeStatsStorageTest {
  @TempDir Path tmp;

  @Test
  void statisticsAreStoredBitForBit() throws Exception {
    LeRobotWriteConfig config =
        LeRobotWriteConfig.of(
            10, "test", List.of(new WriteFeature.Vector("observation.state", List.of("x", "y"))));
    float[][] frames = {{0.1f, 5e-7f}, {0.7f, 3.3e8f}, {0.3f, -2.9f}};
    Path out;
    try (LeRobotWriter w = LeRobotWriter.create(tmp.resolve("d"), config)) {
      w.beginEpisode("push");
      for (float[] f : frames) w.setVector("observation.state", f).endFrame();
      w.endEpisode();
      out = w.finish();
    }
    double[] xs = {0.1f, 0.7f, 0.3f};
    double mean = (xs[0] + xs[1] + xs[2]) / 3;
    try (LeRobotDataset d = LeRobotDataset.open(out)) {
      List<Object> row =
          d.query(
                  "SELECT \"stats/observation.state/mean\", \"stats/observation.state/min\","
                      + " \"stats/observation.state/count\", \"episode_index\" FROM episodes",
                  10)
              .rows()
              .get(0);
      double meanY = ((double) 5e-7f + (double) 3.3e8f + (double) -2.9f) / 3;
      assertThat(row.get(0).toString()).isEqualTo(List.of(mean, meanY).toString());
      assertThat(row.get(1).toString())
          .isEqualTo(List.of((double) 0.1f, (double) -2.9f).toString());
      assertThat(row.get(2).toString()).isEqualTo("[3]");
    }
  }
}
