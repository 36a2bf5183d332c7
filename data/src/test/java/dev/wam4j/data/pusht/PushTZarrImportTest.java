package dev.wam4j.data.pusht;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wam4j.data.DataSets;
import dev.wam4j.data.lerobot.DatasetValidation;
import dev.wam4j.data.video.VideoEncoding;
import dev.wam4j.data.zarr.EpisodeRange;
import dev.wam4j.data.zarr.ReplayBuffer;
import dev.wam4j.sim.pusht.Coverage;
import dev.wam4j.sim.pusht.PushTEnv;
import dev.wam4j.sim.scene.Scene;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PushTZarrImportTest {
  @TempDir static Path tmp;
  static ReplayBuffer buffer;
  static Path dataset;
  static PushTZarrImport.Result result;

  @BeforeAll
  static void importFirstThreeEpisodes() throws Exception {
    buffer = ReplayBuffer.open(DataSets.pushTSample());
    result =
        PushTZarrImport.run(
            buffer,
            tmp.resolve("pusht"),
            3,
            PushTZarrImport.config(VideoEncoding.AV1_LEROBOT),
            e -> {});
    dataset = result.dataset();
  }

  @Test
  void stateActionAndBlockPoseAreBitExactAndLabelsDescribeTheStateAfterTheAction()
      throws Exception {
    int frames = buffer.episodeRange(2).end();
    float[] state = buffer.array("state").readFloats(0, frames),
        action = buffer.array("action").readFloats(0, frames);
    Scene scene = Scene.pushT();
    Coverage coverage = new Coverage(scene.goalObject().parts(), scene.goal().pose());
    int rows = 0;
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
        Statement s = c.createStatement();
        ResultSet r =
            s.executeQuery(
                "SELECT \"index\", episode_index, frame_index, \"observation.state\", action, \"next.reward\", "
                    + "\"next.done\", \"next.success\", \"teacher.block_pose\" FROM '"
                    + dataset
                    + "/data/*/*.parquet' ORDER BY \"index\"")) {
      while (r.next()) {
        int i = (int) r.getLong(1);
        EpisodeRange range = buffer.episodeRange((int) r.getLong(2));
        Object[] st = (Object[]) r.getArray(4).getArray(), ac = (Object[]) r.getArray(5).getArray();
        assertThat(Float.floatToRawIntBits((Float) st[0]))
            .isEqualTo(Float.floatToRawIntBits(state[i * 5]));
        assertThat(Float.floatToRawIntBits((Float) st[1]))
            .isEqualTo(Float.floatToRawIntBits(state[i * 5 + 1]));
        assertThat(Float.floatToRawIntBits((Float) ac[0]))
            .isEqualTo(Float.floatToRawIntBits(action[i * 2]));
        assertThat(Float.floatToRawIntBits((Float) ac[1]))
            .isEqualTo(Float.floatToRawIntBits(action[i * 2 + 1]));
        Object[] pose = (Object[]) r.getArray(9).getArray();
        for (int k = 0; k < 3; k++)
          assertThat(Float.floatToRawIntBits((Float) pose[k]))
              .isEqualTo(Float.floatToRawIntBits(state[i * 5 + 2 + k]));
        boolean last = i == range.end() - 1;
        assertThat(r.getBoolean(7)).isEqualTo(last);
        if (!last) {
          double cov =
              coverage.of(state[(i + 1) * 5 + 2], state[(i + 1) * 5 + 3], state[(i + 1) * 5 + 4]);
          assertThat(r.getFloat(6)).isEqualTo((float) Math.min(cov / 0.95, 1));
          assertThat(r.getBoolean(8)).isEqualTo(cov > 0.95);
        }
        rows++;
      }
    }
    assertThat(rows).isEqualTo(frames);
    assertThat(result.frames()).isEqualTo(frames);
  }

  @Test
  void layoutIsLeRobotPushT() throws Exception {
    JsonNode info = new ObjectMapper().readTree(dataset.resolve("meta/info.json").toFile());
    assertThat(info.get("codebase_version").asText()).isEqualTo("v3.0");
    assertThat(info.get("fps").asInt()).isEqualTo(10);
    assertThat(info.get("total_episodes").asInt()).isEqualTo(3);
    JsonNode image = info.get("features").get("observation.image");
    assertThat(image.get("dtype").asText()).isEqualTo("video");
    assertThat(image.get("shape").toString()).isEqualTo("[96,96,3]");
    assertThat(info.get("features").get("next.done").get("dtype").asText()).isEqualTo("bool");
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
        Statement s = c.createStatement();
        ResultSet r =
            s.executeQuery(
                "SELECT __index_level_0__ FROM '" + dataset.resolve("meta/tasks.parquet") + "'")) {
      assertThat(r.next()).isTrue();
      assertThat(r.getString(1)).isEqualTo(PushTZarrImport.TASK);
    }
  }

  @Test
  void episode20EndsInSuccessOnlyThroughTheSimulatedTerminalState() throws Exception {
    EpisodeRange range = buffer.episodeRange(20);
    float[] state = buffer.array("state").readFloats(0, range.end()),
        action = buffer.array("action").readFloats(0, range.end());
    Scene scene = Scene.pushT();
    Coverage coverage = new Coverage(scene.goalObject().parts(), scene.goal().pose());
    double bestRecorded = 0;
    for (int row = range.start(); row < range.end(); row++) {
      bestRecorded =
          Math.max(
              bestRecorded,
              coverage.of(state[row * 5 + 2], state[row * 5 + 3], state[row * 5 + 4]));
    }
    assertThat(bestRecorded).isLessThanOrEqualTo(0.95);
    double[] scratch = new double[5];
    assertThat(
            PushTZarrImport.terminalCoverage(
                PushTEnv.reference(), 20, state, action, range, scratch))
        .isGreaterThan(0.95);
    assertThat(
            PushTZarrImport.terminalCoverage(
                PushTEnv.reference(), 0, state, action, buffer.episodeRange(0), scratch))
        .isLessThanOrEqualTo(0.95);
  }

  @Test
  void theImportedDatasetValidates() {
    assertThat(DatasetValidation.validate(dataset)).isEmpty();
  }

  @Test
  void aReplayThatMissesTheRecordedLastStateStopsTheImportNamingTheEpisode() throws Exception {
    EpisodeRange range = buffer.episodeRange(1);
    int last = range.end() - 1;
    float[] state = buffer.array("state").readFloats(0, range.end()),
        action = buffer.array("action").readFloats(0, range.end());
    PushTEnv env = PushTEnv.reference();
    double[] scratch = new double[5];
    PushTZarrImport.terminalCoverage(
        env, 1, state, action, range, scratch); // the real recording replays exactly
    state[last * 5 + 4] =
        Math.nextUp(state[last * 5 + 4]); // doctor the block angle by one float32 ulp
    assertThatThrownBy(
            () -> PushTZarrImport.terminalCoverage(env, 1, state, action, range, scratch))
        .isInstanceOf(IOException.class)
        .hasMessageStartingWith("episode 1: ")
        .hasMessageContaining("row " + last);
    double[] simulated = {1, 2, 3, 4, 5};
    float[] recorded = {1, 2, 3, 4, 5};
    PushTZarrImport.checkReplayedState(7, 0, simulated, recorded);
    simulated[0] = 1 + 1e-6; // not the same float32
    assertThatThrownBy(() -> PushTZarrImport.checkReplayedState(7, 0, simulated, recorded))
        .hasMessageContaining("episode 7");
  }
}
