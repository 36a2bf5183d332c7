package dev.wam4j.data.collect;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wam4j.data.lerobot.DatasetValidation;
import dev.wam4j.data.pusht.PushTZarrImport;
import dev.wam4j.data.video.VideoEncoding;
import dev.wam4j.sim.Embodiment;
import dev.wam4j.sim.cousins.CousinConfig;
import dev.wam4j.sim.scene.Scene;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SimCollectTest {
  @TempDir Path tmp;

  @Test
  void successRateIsSuccessSeedsOverEpisodes() {
    assertThat(new SimCollect.Result(tmp, 4, 100, java.util.List.of(3L), 1).successRate())
        .isEqualTo(0.25);
  }

  @Test
  void robotEpisodesOfTheExpertAreWrittenAsLeRobotV30() throws Exception {
    SimCollect.Result r =
        SimCollect.run(
            new SimCollect.Config(
                Embodiment.RobotPusher.reference(), null, 2, 0, VideoEncoding.AV1_LEROBOT),
            tmp.resolve("robot"),
            e -> {});
    assertThat(r.successSeeds()).containsExactly(0L, 1L); // the expert solves seeds 0 and 1
    assertThat(r.successRate()).isEqualTo(1.0);
    assertThat(DatasetValidation.validate(r.dataset())).isEmpty();
    JsonNode info = new ObjectMapper().readTree(r.dataset().resolve("meta/info.json").toFile());
    assertThat(info.get("total_frames").asLong()).isEqualTo(r.frames());
    assertThat(info.get("features").has("observation.hand_pose")).isFalse();
    // the block's pose, privileged (a training target only), beside every frame
    assertThat(info.get("features").get("teacher.block_pose").get("names").toString())
        .isEqualTo("[\"x\",\"y\",\"angle\"]");
    var loader =
        dev.wam4j.data.loader.TrainingLoader.load(
            r.dataset(),
            new dev.wam4j.data.loader.LoaderConfig(
                null, "observation.state", "action", 1, 1, 16, 0, 1, 0, 0),
            null);
    var batch = loader.newBatch();
    loader.sample(batch);
    assertThat(batch.hasBlockPose).containsOnly(true);
    for (int i = 0; i < 16; i++) assertThat(batch.blockPose[3 * i]).isBetween(0f, 512f);
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT episode_index, bool_or(\"next.success\") ok, sum(\"next.done\"::INT) done, "
                    + "last(\"next.done\" ORDER BY frame_index) last_done FROM '"
                    + r.dataset()
                    + "/data/*/*.parquet' GROUP BY 1 ORDER BY 1")) {
      while (rs.next()) {
        assertThat(rs.getBoolean("ok")).isTrue();
        assertThat(rs.getInt("done")).isEqualTo(1);
        assertThat(rs.getBoolean("last_done")).isTrue();
      }
    }
  }

  @Test
  void handEpisodesCarryTheHandPoseOnCousins() throws Exception {
    SimCollect.Result r =
        SimCollect.run(
            new SimCollect.Config(
                Embodiment.HumanHand.standard(),
                CousinConfig.builtin("wide"),
                1,
                3,
                VideoEncoding.AV1_LEROBOT),
            tmp.resolve("hand"),
            e -> {});
    JsonNode info = new ObjectMapper().readTree(r.dataset().resolve("meta/info.json").toFile());
    assertThat(info.get("features").get("observation.hand_pose").get("names").toString())
        .isEqualTo("[\"x\",\"y\",\"heading\"]");
    assertThat(info.get("robot_type").asText()).isEqualTo("pusht_hand");
    assertThat(DatasetValidation.validate(r.dataset())).isEmpty();
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT count(*), bool_and(\"observation.hand_pose\"[1] = \"observation.state\"[1] "
                    + "AND \"observation.hand_pose\"[2] = \"observation.state\"[2]), count(DISTINCT \"observation.hand_pose\"[3]) FROM '"
                    + r.dataset()
                    + "/data/*/*.parquet'")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getLong(1)).isEqualTo(r.frames());
      assertThat(rs.getBoolean(2)).isTrue();
      assertThat(rs.getLong(3)).isGreaterThan(1); // the heading follows the motion
    }
  }

  @Test
  void theTaskNamesTheShape() {
    assertThat(SimCollect.task(Scene.pushT())).isEqualTo(PushTZarrImport.TASK);
  }
}
