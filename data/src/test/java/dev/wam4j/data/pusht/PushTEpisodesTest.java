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
}
