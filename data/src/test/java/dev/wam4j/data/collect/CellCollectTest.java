package dev.wam4j.data.collect;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wam4j.data.lerobot.DatasetValidation;
import dev.wam4j.data.lerobot.LeRobotDataset;
import dev.wam4j.data.pusht.PushTSchema;
import dev.wam4j.data.video.VideoEncoding;
import dev.wam4j.sim.factory.DesignParser;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CellCollectTest {
  @TempDir Path dir;

  @Test
  void eachPushIsAnEpisodeInPushTsColumnsWithThePartToMoveDrawnAsTheBlock() throws Exception {
    var pair =
        DesignParser.parse("# Pair\n## Parts\n- a: I at 200, 190, 0\n- b: T at 330, 190, 0\n");
    CellCollect.Result r =
        CellCollect.run(
            new CellCollect.Config(List.of(pair), 3, 7, 25, VideoEncoding.AV1_LEROBOT),
            dir.resolve("cell"),
            null);
    assertThat(r.episodes()).isEqualTo(3);
    assertThat(r.frames()).isBetween(3L, 75L);
    assertThat(DatasetValidation.validate(r.dataset(), true)).isEmpty();
    try (LeRobotDataset ds = LeRobotDataset.open(r.dataset())) {
      assertThat(ds.episodes()).hasSize(3);
      assertThat(ds.features())
          .containsKeys(PushTSchema.IMAGE, PushTSchema.STATE, PushTSchema.ACTION);
      assertThat(ds.tasks().values())
          .allMatch(t -> t.matches("Push the (I|T)-shaped part onto its mark\\."));
      byte[] first = ds.frame(0, 0, PushTSchema.IMAGE);
      int slate = 0, green = 0;
      for (int k = 0; k < first.length; k += 3) {
        int red = first[k] & 0xff, g = first[k + 1] & 0xff, b = first[k + 2] & 0xff;
        if (Math.abs(red - 142) < 20 && Math.abs(g - 163) < 20 && Math.abs(b - 183) < 20)
          slate++; // the part to move
        if (Math.abs(red - 144) < 20 && Math.abs(g - 238) < 20 && Math.abs(b - 144) < 20)
          green++; // its mark
      }
      assertThat(slate).as("the part to move, in PushT's block colour").isGreaterThan(30);
      assertThat(green).as("its target, in PushT's goal colour").isGreaterThan(30);
    }
  }
}
