package dev.wam4j.fleet.teleop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wam4j.data.lerobot.DatasetValidation;
import dev.wam4j.data.video.VideoEncoding;
import dev.wam4j.sim.Embodiment;
import dev.wam4j.sim.scene.Scene;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Saving teleop episodes survives what a killed process or a foreign dataset leaves behind. */
class TeleopDatasetTest {
  @TempDir Path tmp;

  private static TeleopSession session(String id, long seed) {
    TeleopSession s =
        new TeleopSession(
            id, "pusht", Scene.pushT(), Embodiment.RobotPusher.reference(), seed, "ada");
    for (int t = 0; t < 8; t++) {
      s.target(200 + 5 * t, 300);
      s.tick();
    }
    return s;
  }

  @Test
  void aSaveKilledBetweenItsRenamesLosesNoEpisode() throws Exception {
    Path dir = tmp.resolve("teleop");
    TeleopDataset d = new TeleopDataset(dir, VideoEncoding.AV1_LEROBOT);
    d.save(session("a", 1));
    // what a kill between publishing's two renames leaves: the complete dataset moved aside
    Files.move(dir, tmp.resolve(".teleop.old-k1ll3d"));
    TeleopDataset reopened = new TeleopDataset(dir, VideoEncoding.AV1_LEROBOT);
    assertThat(reopened.records()).hasSize(1);
    TeleopDataset.EpisodeRecord second = reopened.save(session("b", 2));
    assertThat(second.episodeIndex()).isEqualTo(1);
    assertThat(DatasetValidation.validate(dir, true)).isEmpty();
    try (var files = Files.list(tmp)) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactly("teleop");
    }
  }

  @Test
  void aNewEpisodeIsNumberedAfterEveryEpisodeTheDatasetHoldsNotOnlyTeleopOnes() throws Exception {
    Path dir = tmp.resolve("teleop");
    TeleopDataset d = new TeleopDataset(dir, VideoEncoding.AV1_LEROBOT);
    d.save(session("a", 1));
    d.save(session("b", 2));
    // a dataset whose episodes have no operator records (as one sim collect wrote)
    Files.delete(dir.resolve(TeleopDataset.OPERATORS_FILE));
    TeleopDataset.EpisodeRecord third = d.save(session("c", 3));
    assertThat(third.episodeIndex()).isEqualTo(2);
    assertThat(d.records())
        .extracting(TeleopDataset.EpisodeRecord::episodeIndex)
        .containsExactly(2);
  }
}
