package dev.wam4j.data.pusht;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wam4j.data.lerobot.DatasetValidation;
import dev.wam4j.data.lerobot.LeRobotDataset;
import dev.wam4j.data.lerobot.write.LeRobotWriteConfig;
import dev.wam4j.data.lerobot.write.LeRobotWriter;
import dev.wam4j.data.lerobot.write.WriteFeature;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PushTEpisodesTest {
  @TempDir Path dir;

  @Test
  void episodesAreRewrittenWithPushTsColumnsOnlyUnderOneTaskFrameForFrame() throws Exception {
    Path source = twoEpisodes();
    Path out = dir.resolve("pusht");
    assertThat(PushTEpisodes.rewrite(source, out, "Push", "fleet")).isEqualTo(7);
    assertThat(DatasetValidation.validate(out, true)).isEmpty();
    try (LeRobotDataset in = LeRobotDataset.open(source);
        LeRobotDataset ds = LeRobotDataset.open(out)) {
      assertThat(ds.features())
          .doesNotContainKey("observation.extra")
          .containsKeys(PushTSchema.IMAGE, PushTSchema.STATE);
      assertThat(ds.tasks().values()).containsExactly("Push");
      assertThat(ds.episodes()).extracting(ep -> ep.length()).containsExactly(3, 4);
      assertThat(ds.row(1, 2).floats(PushTSchema.STATE)).containsExactly(2f, 1f);
      for (int e = 0; e < 2; e++) {
        for (int t = 0; t < 3 + e; t++) {
          byte[] a = in.frame(e, t, PushTSchema.IMAGE), b = ds.frame(e, t, PushTSchema.IMAGE);
          assertThat(Math.abs((b[0] & 0xff) - (a[0] & 0xff)))
              .as("episode %d frame %d", e, t)
              .isLessThanOrEqualTo(3);
        }
      }
    }
  }

  @Test
  void teacherChunksAreWrittenPerFrameFromTheAgentAndThePoseLabel() throws Exception {
    Path source = twoEpisodes(), out = dir.resolve("labelled");
    PushTEpisodes.PoseLabeller poses = (t, image, x, y) -> new double[] {100 + t, 200, 0.5};
    PushTEpisodes.ChunkLabeller chunks =
        (x, y, pose, chunk) -> {
          for (int j = 0; j < chunk.length / 2; j++) {
            chunk[2 * j] = x + (float) pose[0] + j;
            chunk[2 * j + 1] = y;
          }
        };
    assertThat(PushTEpisodes.rewrite(source, out, "Push", "fleet", poses, chunks, 3)).isEqualTo(7);
    assertThat(DatasetValidation.validate(out, true)).isEmpty();
    try (LeRobotDataset ds = LeRobotDataset.open(out)) {
      // episode 1, frame 2: the agent at (2, 1), the pose label's x 102
      assertThat(ds.row(1, 2).floats(dev.wam4j.data.loader.TrainingLoader.TEACHER_CHUNK))
          .containsExactly(104f, 1f, 105f, 1f, 106f, 1f);
      assertThat(ds.row(1, 2).floats(dev.wam4j.data.loader.TrainingLoader.TEACHER_BLOCK_POSE))
          .containsExactly(102f, 200f, 0.5f);
    }
  }

  @Test
  void aChunkLabelThatIsNotFiniteIsRefusedNamingTheEpisodeAndFrame() throws Exception {
    Path source = twoEpisodes();
    PushTEpisodes.PoseLabeller poses = (t, image, x, y) -> new double[] {100, 200, 0};
    PushTEpisodes.ChunkLabeller nan = (x, y, pose, chunk) -> chunk[1] = x == 1 ? Float.NaN : 0;
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> PushTEpisodes.rewrite(source, dir.resolve("bad"), "Push", "fleet", poses, nan, 2))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("episode 0 frame 1")
        .hasMessageContaining("action chunk label is not finite");
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () ->
                PushTEpisodes.rewrite(
                    source, dir.resolve("bad2"), "Push", "fleet", null, (x, y, p, c) -> {}, 2))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("need a pose labeller");
  }

  /** Two episodes of 3 and 4 frames, each frame a flat grey of its own, the agent at (t, e). */
  private Path twoEpisodes() throws Exception {
    List<WriteFeature> features = new ArrayList<>(PushTSchema.features(16));
    features.add(new WriteFeature.Vector("observation.extra", List.of("e")));
    Path source = dir.resolve("source");
    try (LeRobotWriter w =
        LeRobotWriter.create(source, LeRobotWriteConfig.of(PushTRate.FPS, "arm", features))) {
      for (int e = 0;
          e < 2;
          e++) { // two episodes of 3 and 4 frames, each frame a flat grey of its own
        w.beginEpisode("task " + e);
        for (int t = 0; t < 3 + e; t++) {
          byte[] grey = new byte[16 * 16 * 3];
          java.util.Arrays.fill(grey, (byte) (40 * t + 20));
          w.setImage(PushTSchema.IMAGE, grey, 0)
              .setVector(PushTSchema.STATE, new float[] {t, e})
              .setVector(PushTSchema.ACTION, new float[] {-t, e})
              .setFloat(PushTSchema.REWARD, t / 10f)
              .setBool(PushTSchema.DONE, t == 2 + e)
              .setBool(PushTSchema.SUCCESS, false)
              .setVector("observation.extra", new float[] {t});
          w.endFrame();
        }
        w.endEpisode();
      }
      w.finish();
    }
    return source;
  }
}
