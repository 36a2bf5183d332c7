package dev.wam4j.data.pusht;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wam4j.data.zarr.ReplayBuffer;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class RenderFidelityTest {
  static final Path STORE = dev.wam4j.data.DataSets.pushTSample();

  @Test
  void renderedFramesOfTheFirstEpisodesMatchTheRecordedOnes() throws Exception {
    RenderFidelity.Report r = RenderFidelity.check(ReplayBuffer.open(STORE), 2);
    assertThat(r.episodes()).hasSize(2);
    assertThat(r.frames()).isEqualTo(r.episodes().get(0).frames() + r.episodes().get(1).frames());
    // measured 0.014 mean over the whole store (1-LSB resize rounding and the unmodelled contact
    // marks)
    assertThat(r.meanAbsPixelError()).isLessThan(0.05);
    for (RenderFidelity.EpisodeError e : r.episodes())
      assertThat(e.meanAbsPixelError()).isLessThan(0.05);
  }
}
