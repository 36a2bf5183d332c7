package dev.wam4j.data.zarr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Diffusion Policy's zarr replay buffer, read from the real sample shipped in datasets/ (first 25
 * of 206 episodes).
 */
class ReplayBufferTest {
  static final Path STORE = dev.wam4j.data.DataSets.pushTSample();

  @Test
  void theShippedPushTSampleHasTheFirst25EpisodesAnd3172Frames() throws Exception {
    ReplayBuffer rb = ReplayBuffer.open(STORE);
    assertThat(rb.episodeCount()).isEqualTo(25);
    assertThat(rb.frameCount()).isEqualTo(3172);
    assertThat(rb.arrayNames()).contains("state", "action", "img", "keypoint", "n_contacts");
    assertThat(rb.episodeRange(0).start()).isZero();
    assertThat(rb.episodeRange(24).end()).isEqualTo(3172);
    assertThat(rb.episodeRange(1).start()).isEqualTo(rb.episodeRange(0).end());
  }

  @Test
  void firstStateIsTheLegacyResetOfSeedZeroAfterSetState() throws Exception {
    // seed 0 draws agent (222, 97), block (217, 292), angle 3.0079994677219553; setting the angle
    // rotates about the centre of gravity at local (0, 45), moving the origin.
    double a = 3.0079994677219553;
    double bx = 217 + 45 * Math.sin(a);
    double by = 292 + 45 - 45 * Math.cos(a);
    float[] s = ReplayBuffer.open(STORE).array("state").readFloats(0, 1);
    assertThat(s).hasSize(5);
    assertThat((double) s[0]).isCloseTo(222, within(1e-3));
    assertThat((double) s[1]).isCloseTo(97, within(1e-3));
    assertThat((double) s[2]).isCloseTo(bx, within(1e-2));
    assertThat((double) s[3]).isCloseTo(by, within(1e-2));
    assertThat((double) s[4]).isCloseTo(a, within(1e-5));
  }

  @Test
  void rangeReadsAcrossChunkBoundariesMatchAFullRead() throws Exception {
    ZarrArray state = ReplayBuffer.open(STORE).array("state");
    assertThat(state.shape()).containsExactly(3172, 5);
    assertThat(state.dtype()).isEqualTo(ZarrDtype.FLOAT32);
    float[] all = state.readFloats();
    float[] part = state.readFloats(150, 200); // chunks of 161 rows: spans three
    for (int i = 0; i < part.length; i++) assertThat(part[i]).isEqualTo(all[150 * 5 + i]);
  }

  @Test
  void imagesHoldPixelValuesInZeroTo255() throws Exception {
    ZarrArray img = ReplayBuffer.open(STORE).array("img");
    assertThat(img.shape()).containsExactly(3172, 96, 96, 3);
    float[] f = img.readFloats(160, 2);
    float min = Float.MAX_VALUE, max = -Float.MAX_VALUE;
    for (float v : f) {
      min = Math.min(min, v);
      max = Math.max(max, v);
    }
    assertThat(min).isGreaterThanOrEqualTo(0f);
    assertThat(max).isEqualTo(255f);
  }
}
