package dev.wam4j.data.loader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wam4j.data.lerobot.write.LeRobotWriteConfig;
import dev.wam4j.data.lerobot.write.LeRobotWriter;
import dev.wam4j.data.lerobot.write.WriteFeature;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Frames drawn from each row's state and block pose replace the decoded video, history and future
 * alike.
 */
class TrainingLoaderRenderTest {
  @TempDir Path tmp;

  /**
   * Fills a 2x2 frame with (state x, state y, pose x, pose y, pose angle, 0, ...) as bytes: which
   * row drew it is visible.
   */
  static final RowRenderer ROW_BYTES =
      new RowRenderer() {
        @Override
        public int frameBytes() {
          return 12;
        }

        @Override
        public void render(float[] state, int so, float[] pose, int po, byte[] out, int offset) {
          java.util.Arrays.fill(out, offset, offset + 12, (byte) 0);
          out[offset] = (byte) state[so];
          out[offset + 1] = (byte) state[so + 1];
          for (int i = 0; i < 3; i++) out[offset + 2 + i] = (byte) pose[po + i];
        }
      };

  /**
   * One episode of 4 frames: state (1, t), pose (10 + t, 20 + t, t) on every row, or on none with
   * {@code withPose} false.
   */
  private Path write(String name, boolean withPose) throws Exception {
    List<WriteFeature> features =
        new java.util.ArrayList<>(
            List.of(
                new WriteFeature.Video("observation.image", 32, 32),
                new WriteFeature.Vector("observation.state", List.of("x", "y")),
                new WriteFeature.Vector("action", List.of("x", "y"))));
    if (withPose)
      features.add(
          new WriteFeature.Vector(TrainingLoader.TEACHER_BLOCK_POSE, List.of("x", "y", "angle")));
    try (LeRobotWriter w =
        LeRobotWriter.create(tmp.resolve(name), LeRobotWriteConfig.of(10, "test", features))) {
      byte[] img = new byte[32 * 32 * 3];
      w.beginEpisode("task");
      for (int t = 0; t < 4; t++) {
        w.setImage("observation.image", img, 0)
            .setVector("observation.state", new float[] {1, t})
            .setVector("action", new float[] {0, 0});
        if (withPose)
          w.setVector(TrainingLoader.TEACHER_BLOCK_POSE, new float[] {10 + t, 20 + t, t});
        w.endFrame();
      }
      w.endEpisode();
      return w.finish();
    }
  }

  @Test
  void historyAndFutureFramesAreDrawnFromTheirOwnRows() throws Exception {
    Path ds = write("posed", true);
    LoaderConfig full =
        new LoaderConfig("observation.image", "observation.state", "action", 2, 3, 64, 7, 1, 2, 1);
    LoaderConfig bare = new LoaderConfig(null, "observation.state", "action", 2, 3, 64, 7, 1, 0, 0);
    TrainingLoader loader =
        TrainingLoader.load(ds, bare, null).renderingFrames(ROW_BYTES, full, ds.toString());
    TrainingLoader two = TrainingLoader.concat(full, List.of(loader, loader));
    for (TrainingLoader l : List.of(loader, two)) {
      TrainingBatch b = l.newBatch();
      l.sample(b);
      for (int s = 0; s < 64; s++) {
        int t = b.frame[s];
        for (int j = 0; j < 2; j++) {
          int row = Math.max(0, t - 1 + j), at = (s * 2 + j) * 12;
          assertThat(b.images[at + 1])
              .as("history frame %d of sample %d", j, s)
              .isEqualTo((byte) row);
          assertThat(b.images[at + 2]).isEqualTo((byte) (10 + row));
          assertThat(b.images[at + 4]).isEqualTo((byte) row);
        }
        int future = Math.min(3, t + 2);
        assertThat(b.futureImages[s * 12 + 3])
            .as("future frame of sample %d", s)
            .isEqualTo((byte) (20 + future));
      }
    }
  }

  /**
   * Like {@link #ROW_BYTES}, with the pose's x, y and angle x 10 as shorts, to read jitter back.
   */
  static final RowRenderer POSE_SHORTS =
      new RowRenderer() {
        @Override
        public int frameBytes() {
          return 6;
        }

        @Override
        public void render(float[] state, int so, float[] pose, int po, byte[] out, int offset) {
          for (int i = 0; i < 3; i++) {
            int v = Math.round(pose[po + i] * (i == 2 ? 10 : 1));
            out[offset + 2 * i] = (byte) (v >> 8);
            out[offset + 2 * i + 1] = (byte) v;
          }
        }
      };

  private static int shortAt(byte[] b, int at) {
    return (short) ((b[at] << 8) | (b[at + 1] & 0xff));
  }

  @Test
  void aMovedBlockMovesInEveryFrameOfItsSampleAndInItsRecordedPoseAndAResumedRunDrawsTheSame()
      throws Exception {
    Path ds = write("jitter", true);
    LoaderConfig full =
        new LoaderConfig("observation.image", "observation.state", "action", 2, 3, 64, 7, 1, 2, 1);
    LoaderConfig bare = new LoaderConfig(null, "observation.state", "action", 2, 3, 64, 7, 1, 0, 0);
    TrainingLoader loader =
        TrainingLoader.load(ds, bare, null)
            .renderingFrames(POSE_SHORTS, full, "ds")
            .jitterBlock(30, 0.5);
    TrainingBatch first = loader.newBatch(), second = loader.newBatch();
    loader.sample(first);
    loader.sample(second);
    double spread = 0;
    for (int s = 0; s < 64; s++) {
      int t = first.frame[s];
      float dx = first.blockPose[3 * s] - (10 + t), da = first.blockPose[3 * s + 2] - t;
      assertThat(Math.abs(dx)).isLessThanOrEqualTo(30f);
      assertThat(Math.abs(da)).isLessThanOrEqualTo(0.5f);
      spread += Math.abs(dx);
      for (int j = 0;
          j < 2;
          j++) { // each history frame shows its own row's pose moved by the sample's offset
        int row = Math.max(0, t - 1 + j);
        assertThat(shortAt(first.images, (s * 2 + j) * 6)).isEqualTo(Math.round(10 + row + dx));
      }
      int future = Math.min(3, t + 2);
      assertThat(shortAt(first.futureImages, s * 6)).isEqualTo(Math.round(10 + future + dx));
    }
    assertThat(spread / 64).as("mean |dx|, uniform in +-30").isBetween(8.0, 22.0);
    TrainingLoader resumed =
        TrainingLoader.load(ds, bare, null)
            .renderingFrames(POSE_SHORTS, full, "ds")
            .jitterBlock(30, 0.5);
    resumed.skip(1);
    TrainingBatch again = resumed.newBatch();
    resumed.sample(again);
    assertThat(again.blockPose).isEqualTo(second.blockPose);
    assertThat(again.images).isEqualTo(second.images);
  }

  @Test
  void renderingNeedsABlockPoseOnEveryRowAndNoDecodedFrames() throws Exception {
    Path plain = write("plain", false);
    LoaderConfig full =
        new LoaderConfig("observation.image", "observation.state", "action", 1, 2, 8, 7, 1, 0, 0);
    LoaderConfig bare = new LoaderConfig(null, "observation.state", "action", 1, 2, 8, 7, 1, 0, 0);
    assertThatThrownBy(
            () ->
                TrainingLoader.load(plain, bare, null).renderingFrames(ROW_BYTES, full, "plain-ds"))
        .hasMessageContaining("plain-ds")
        .hasMessageContaining(TrainingLoader.TEACHER_BLOCK_POSE);
    Path posed = write("posed2", true);
    assertThatThrownBy(
            () ->
                TrainingLoader.load(posed, full, null).renderingFrames(ROW_BYTES, full, "posed-ds"))
        .hasMessageContaining("posed-ds")
        .hasMessageContaining("decoded");
  }
}
