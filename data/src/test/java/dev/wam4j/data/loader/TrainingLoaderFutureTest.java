package dev.wam4j.data.loader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.wam4j.data.lerobot.LeRobotDataset;
import dev.wam4j.data.lerobot.write.LeRobotWriteConfig;
import dev.wam4j.data.lerobot.write.LeRobotWriter;
import dev.wam4j.data.lerobot.write.WriteFeature;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Future observation frames: frame t + k * stride of the same episode, clamped and flagged at its
 * end.
 */
class TrainingLoaderFutureTest {
  @TempDir static Path tmp;
  static Path dataset;
  static final int[] LENGTHS = {8, 4};
  static final int H = 16, W = 16, FRAME_BYTES = H * W * 3;

  /** Decoded frames by global row, read straight from the dataset: what the loader must copy. */
  static byte[][] decoded;

  /** Episode e, frame t (global row r): state (e, t), action (t, 0), image grey 10 + 20r. */
  @BeforeAll
  static void write() throws Exception {
    List<WriteFeature> features =
        List.of(
            new WriteFeature.Video("observation.image", H, W),
            new WriteFeature.Vector("observation.state", List.of("e", "t")),
            new WriteFeature.Vector("action", List.of("a", "b")));
    try (LeRobotWriter w =
        LeRobotWriter.create(tmp.resolve("ds"), LeRobotWriteConfig.of(10, "test", features))) {
      byte[] img = new byte[FRAME_BYTES];
      for (int e = 0, r = 0; e < LENGTHS.length; e++) {
        w.beginEpisode("task");
        for (int t = 0; t < LENGTHS[e]; t++, r++) {
          Arrays.fill(img, (byte) (10 + 20 * r));
          w.setImage("observation.image", img, 0)
              .setVector("observation.state", new float[] {e, t})
              .setVector("action", new float[] {t, 0});
          w.endFrame();
        }
        w.endEpisode();
      }
      dataset = w.finish();
    }
    decoded = new byte[LENGTHS[0] + LENGTHS[1]][];
    try (LeRobotDataset ds = LeRobotDataset.open(dataset)) {
      for (int e = 0, r = 0; e < LENGTHS.length; e++) {
        for (int t = 0; t < LENGTHS[e]; t++, r++) decoded[r] = ds.frame(e, t, "observation.image");
      }
    }
  }

  private static LoaderConfig config(int stride, int future) {
    return new LoaderConfig(
        "observation.image", "observation.state", "action", 2, 3, 128, 11, 1, stride, future);
  }

  private static int row(int episode, int frame) {
    return (episode == 0 ? 0 : LENGTHS[0]) + frame;
  }

  @Test
  void futureFrameKIsFrameTPlusKStrideOfTheSameEpisodeClampedAndFlaggedAtItsEnd() throws Exception {
    int stride = 2, future = 3;
    TrainingLoader loader = TrainingLoader.load(dataset, config(stride, future), null);
    TrainingBatch b = loader.newBatch();
    assertThat(b.futureImages).hasSize(128 * future * FRAME_BYTES);
    assertThat(b.futureStates).hasSize(128 * future * 2);
    assertThat(b.futureIsPad).hasSize(128 * future);
    boolean sawPad = false, sawReal = false;
    for (int round = 0; round < 4; round++) {
      loader.sample(b);
      for (int s = 0; s < 128; s++) {
        int e = b.episode[s], t = b.frame[s], last = LENGTHS[e] - 1;
        for (int k = 1; k <= future; k++) {
          int j = s * future + k - 1, want = Math.min(t + k * stride, last);
          boolean pad = t + k * stride > last;
          sawPad |= pad;
          sawReal |= !pad;
          assertThat(b.futureIsPad[j])
              .as("pad of sample %d (episode %d frame %d) future %d", s, e, t, k)
              .isEqualTo(pad);
          assertThat(b.futureStates[j * 2]).isEqualTo(e);
          assertThat(b.futureStates[j * 2 + 1])
              .as("state frame of episode %d frame %d future %d", e, t, k)
              .isEqualTo(want);
          byte[] img = Arrays.copyOfRange(b.futureImages, j * FRAME_BYTES, (j + 1) * FRAME_BYTES);
          assertThat(img)
              .as("image of episode %d frame %d future %d", e, t, k)
              .isEqualTo(decoded[row(e, want)]);
          assertThat(img[FRAME_BYTES / 2] & 0xFF).isCloseTo(10 + 20 * row(e, want), within(3));
        }
      }
    }
    assertThat(sawPad).isTrue();
    assertThat(sawReal).isTrue();
  }

  @Test
  void futureFramesPastTheEndRepeatTheLastFrame() throws Exception {
    // Stride 5 from any frame of episode 1 (4 frames) always runs past its end.
    TrainingLoader loader = TrainingLoader.load(dataset, config(5, 2), null);
    TrainingBatch b = loader.newBatch();
    loader.sample(b);
    int checked = 0;
    for (int s = 0; s < 128; s++) {
      if (b.episode[s] != 1) continue;
      for (int j = s * 2; j < s * 2 + 2; j++) {
        assertThat(b.futureIsPad[j]).isTrue();
        assertThat(b.futureStates[j * 2 + 1]).isEqualTo(LENGTHS[1] - 1);
        assertThat(Arrays.copyOfRange(b.futureImages, j * FRAME_BYTES, (j + 1) * FRAME_BYTES))
            .isEqualTo(decoded[row(1, LENGTHS[1] - 1)]);
      }
      checked++;
    }
    assertThat(checked).isPositive();
  }

  @Test
  void aHugeStrideClampsInsteadOfOverflowing() throws Exception {
    TrainingLoader loader = TrainingLoader.load(dataset, config(Integer.MAX_VALUE, 2), null);
    TrainingBatch b = loader.newBatch();
    loader.sample(b);
    for (int s = 0; s < 128; s++) {
      int e = b.episode[s];
      assertThat(b.futureIsPad[s * 2 + 1]).isTrue();
      assertThat(b.futureStates[(s * 2 + 1) * 2 + 1]).isEqualTo(LENGTHS[e] - 1);
    }
  }

  @Test
  void noFutureFramesLeavesTheFutureArraysEmptyAndTheRestAsBefore() throws Exception {
    TrainingLoader without = TrainingLoader.load(dataset, config(0, 0), null);
    TrainingLoader with = TrainingLoader.load(dataset, config(3, 2), null);
    TrainingBatch a = without.newBatch(), b = with.newBatch();
    without.sample(a);
    with.sample(b);
    assertThat(a.futureImages).isEmpty();
    assertThat(a.futureStates).isEmpty();
    assertThat(a.futureIsPad).isEmpty();
    // Future frames draw no random numbers: the same seed picks the same samples.
    assertThat(a.episode).isEqualTo(b.episode);
    assertThat(a.frame).isEqualTo(b.frame);
    assertThat(a.images).isEqualTo(b.images);
    assertThat(a.states).isEqualTo(b.states);
    assertThat(a.actions).isEqualTo(b.actions);
    assertThat(a.actionIsPad).isEqualTo(b.actionIsPad);
  }

  @Test
  void pushTAndWithFutureKeepEverythingElse() {
    LoaderConfig pushT = LoaderConfig.pushT();
    assertThat(pushT.futureFrames()).isZero();
    LoaderConfig f = pushT.withFuture(4, 2);
    assertThat(f.futureStride()).isEqualTo(4);
    assertThat(f.futureFrames()).isEqualTo(2);
    assertThat(f.withFuture(0, 0)).isEqualTo(pushT);
  }

  @Test
  void invalidFutureSettingsAreRejectedNamingTheField() {
    LoaderConfig ok = config(1, 1);
    assertThatThrownBy(() -> ok.withFuture(-1, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("future_stride")
        .hasMessageContaining("-1");
    assertThatThrownBy(() -> ok.withFuture(1, -2))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("future_frames")
        .hasMessageContaining("-2");
    assertThatThrownBy(() -> ok.withFuture(0, 2))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("future_stride must be >= 1 when future_frames > 0, got 0");
    assertThatThrownBy(
            () -> new LoaderConfig(null, "observation.state", "action", 1, 1, 1, 0, 1, 1, 2))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("future_frames 2 needs an image key");
    assertThat(
            new LoaderConfig(null, "observation.state", "action", 1, 1, 1, 0, 1, 0, 0)
                .futureFrames())
        .isZero();
  }
}
