package dev.wam4j.data.replay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wam4j.data.zarr.ReplayBuffer;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The physics against the 206 real human demonstrations (about two seconds). */
class DemonstrationReplayTest {
  private static final Path ZARR =
      dev.wam4j.data.SharedData.pushTZarr();

  @Test
  void everyRecordedStateIsReproducedExactlyAtFloat32AndTheSameSevenEpisodesSucceed() throws Exception {
    ReplayReport report = DemonstrationReplay.run(ReplayBuffer.open(ZARR), 0, null);
    assertThat(report.episodes()).isEqualTo(206);
    assertThat(report.frames()).isEqualTo(25650);
    assertThat(report.float32ExactFraction()).isEqualTo(1.0);
    assertThat(report.successEpisodes()).containsExactly(20, 32, 51, 124, 131, 160, 195);
    assertThat(report.terminalCoverageMedian()).isBetween(0.8968, 0.8970);
    assertThat(report.positionErrorFinalMedian()).isLessThan(1e-4);
  }
}
