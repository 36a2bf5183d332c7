package dev.wam4j.data.replay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wam4j.data.zarr.ReplayBuffer;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The physics against real human demonstrations: the 25-episode sample shipped in datasets/ (the
 * full 206 episodes: {@code wam4j sim replay}, docs/RESULTS.md).
 */
class DemonstrationReplayTest {
  private static final Path ZARR = dev.wam4j.data.DataSets.pushTSample();

  @Test
  void everyRecordedStateIsReproducedExactlyAtFloat32AndEpisode20Succeeds() throws Exception {
    ReplayReport report = DemonstrationReplay.run(ReplayBuffer.open(ZARR), 0, null);
    assertThat(report.episodes()).isEqualTo(25);
    assertThat(report.frames()).isEqualTo(3172);
    assertThat(report.float32ExactFraction()).isEqualTo(1.0);
    assertThat(report.successEpisodes())
        .containsExactly(20); // of the full set's 20, 32, 51, 124, 131, 160, 195
    assertThat(report.terminalCoverageMedian()).isBetween(0.9017, 0.9019);
    assertThat(report.positionErrorFinalMedian()).isLessThan(1e-4);
  }
}
