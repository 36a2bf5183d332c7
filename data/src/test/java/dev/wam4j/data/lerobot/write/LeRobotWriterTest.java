package dev.wam4j.data.lerobot.write;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wam4j.data.video.VideoReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LeRobotWriterTest {
  @TempDir Path tmp;

  private static final List<WriteFeature> FEATURES = List.of(
      new WriteFeature.Video("observation.image", 64, 64),
      new WriteFeature.Vector("observation.state", List.of("x", "y")),
      new WriteFeature.Scalar("next.reward", WriteFeature.ScalarType.FLOAT32),
      new WriteFeature.Scalar("next.done", WriteFeature.ScalarType.BOOL),
      new WriteFeature.Scalar("step", WriteFeature.ScalarType.INT64));

  /** Episode e, frame t: state (10e + t, -t), reward t / 10, image a flat colour (e*40, t*20, 100). */
  private static void writeEpisodes(LeRobotWriter w, int[] lengths) throws IOException {
    byte[] img = new byte[64 * 64 * 3];
    for (int e = 0; e < lengths.length; e++) {
      w.beginEpisode(e % 2 == 0 ? "push" : "pull");
      for (int t = 0; t < lengths[e]; t++) {
        for (int p = 0; p < img.length; p += 3) {
          img[p] = (byte) (e * 40);
          img[p + 1] = (byte) (t * 20);
          img[p + 2] = 100;
        }
        w.setImage("observation.image", img, 0)
            .setVector("observation.state", new float[] {10 * e + t, -t})
            .setFloat("next.reward", t / 10.0)
            .setBool("next.done", t == lengths[e] - 1)
            .setLong("step", t);
        w.endFrame();
      }
      w.endEpisode();
    }
  }

  private Path write(String name, LeRobotWriteConfig config, int... lengths) throws IOException {
    try (LeRobotWriter w = LeRobotWriter.create(tmp.resolve(name), config)) {
      writeEpisodes(w, lengths);
      return w.finish();
    }
  }

  private static List<Map<String, Object>> query(String sql) throws SQLException {
    List<Map<String, Object>> rows = new ArrayList<>();
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
      while (r.next()) {
        Map<String, Object> row = new LinkedHashMap<>();
        for (int i = 1; i <= r.getMetaData().getColumnCount(); i++) row.put(r.getMetaData().getColumnName(i), r.getObject(i));
        rows.add(row);
      }
    }
    return rows;
  }

  private static Map<String, String> schema(Path parquet) throws SQLException {
    Map<String, String> types = new LinkedHashMap<>();
    for (Map<String, Object> r : query("SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM '" + parquet + "')")) {
      types.put((String) r.get("column_name"), (String) r.get("column_type"));
    }
    return types;
  }

  @Test
  void v30WritesLeRobotFilesWithTheirColumnsAndTypes() throws Exception {
    Path ds = write("ds", LeRobotWriteConfig.of(10, "test", FEATURES), 4, 3);
    assertThat(ds.resolve("meta/info.json")).exists();
    assertThat(ds.resolve("meta/stats.json")).exists();
    assertThat(ds.resolve("videos/observation.image/chunk-000/file-000.mp4")).exists();
    Map<String, String> data = schema(ds.resolve("data/chunk-000/file-000.parquet"));
    assertThat(data).containsExactly(Map.entry("observation.state", "FLOAT[]"), Map.entry("next.reward", "FLOAT"),
        Map.entry("next.done", "BOOLEAN"), Map.entry("step", "BIGINT"), Map.entry("timestamp", "FLOAT"),
        Map.entry("frame_index", "BIGINT"), Map.entry("episode_index", "BIGINT"), Map.entry("index", "BIGINT"),
        Map.entry("task_index", "BIGINT"));
    List<Map<String, Object>> rows = query("SELECT * FROM '" + ds.resolve("data/chunk-000/file-000.parquet") + "' ORDER BY \"index\"");
    assertThat(rows).hasSize(7);
    assertThat(rows.get(5).get("episode_index")).isEqualTo(1L);
    assertThat(rows.get(5).get("frame_index")).isEqualTo(1L);
    assertThat(rows.get(5).get("timestamp")).isEqualTo(0.1f);
    assertThat(rows.get(5).get("task_index")).isEqualTo(1L);

    Path episodes = ds.resolve("meta/episodes/chunk-000/file-000.parquet");
    Map<String, String> ep = schema(episodes);
    assertThat(ep).containsEntry("tasks", "VARCHAR[]").containsEntry("dataset_from_index", "BIGINT")
        .containsEntry("videos/observation.image/from_timestamp", "DOUBLE")
        .containsEntry("stats/observation.image/mean", "DOUBLE[][][]")
        .containsEntry("stats/observation.state/q99", "DOUBLE[]")
        .containsEntry("stats/frame_index/min", "BIGINT[]")
        .containsEntry("stats/observation.state/count", "BIGINT[]");
    List<Map<String, Object>> eps = query("SELECT episode_index, length, dataset_from_index, dataset_to_index, "
        + "\"videos/observation.image/from_timestamp\" f, \"videos/observation.image/to_timestamp\" t FROM '" + episodes + "' ORDER BY 1");
    assertThat(eps.get(1)).containsEntry("length", 3L).containsEntry("dataset_from_index", 4L).containsEntry("dataset_to_index", 7L)
        .containsEntry("f", 0.4).containsEntry("t", 0.7);
    assertThat(query("SELECT task_index, __index_level_0__ AS task FROM '" + ds.resolve("meta/tasks.parquet") + "' ORDER BY 1"))
        .extracting(r -> r.get("task")).containsExactly("push", "pull");

    JsonNode info = new ObjectMapper().readTree(ds.resolve("meta/info.json").toFile());
    assertThat(info.get("codebase_version").asText()).isEqualTo("v3.0");
    assertThat(info.get("total_episodes").asInt()).isEqualTo(2);
    assertThat(info.get("total_frames").asInt()).isEqualTo(7);
    assertThat(info.get("features").get("observation.image").get("info").get("video.codec").asText()).isEqualTo("av1");
    assertThat(info.get("features").get("observation.state").get("shape").get(0).asInt()).isEqualTo(2);
    try (VideoReader r = VideoReader.open(ds.resolve("videos/observation.image/chunk-000/file-000.mp4"))) {
      byte[] frame = new byte[64 * 64 * 3];
      int n = 0;
      while (r.readFrame(frame)) n++;
      assertThat(n).isEqualTo(7);
    }
  }

  @Test
  void statisticsHaveLeRobotsMeaningPerEpisodeAndAggregated() throws Exception {
    Path ds = write("stats", LeRobotWriteConfig.of(10, "test", FEATURES), 5, 3);
    // episode 0: state x = 0..4; numpy: mean 2, std sqrt(2), q10 = 0.4, q50 = 2, q99 = 3.96
    List<Map<String, Object>> ep = query("SELECT \"stats/observation.state/mean\"[1] m, \"stats/observation.state/std\"[1] s, "
        + "\"stats/observation.state/q10\"[1] q10, \"stats/observation.state/q99\"[1] q99, \"stats/observation.state/count\"[1] n, "
        + "\"stats/observation.image/mean\"[2][1][1] g, \"stats/observation.image/std\"[1][1][1] rs FROM '"
        + ds.resolve("meta/episodes/chunk-000/file-000.parquet") + "' ORDER BY episode_index");
    assertThat((Double) ep.get(0).get("m")).isCloseTo(2.0, within(1e-12));
    assertThat((Double) ep.get(0).get("s")).isCloseTo(Math.sqrt(2), within(1e-12));
    assertThat((Double) ep.get(0).get("q10")).isCloseTo(0.4, within(1e-12));
    assertThat((Double) ep.get(0).get("q99")).isCloseTo(3.96, within(1e-12));
    assertThat(ep.get(0).get("n")).isEqualTo(5L);
    // image: green channel = t * 20 over frames 0..4 -> mean 40 / 255, red channel flat -> std 0
    assertThat((Double) ep.get(0).get("g")).isCloseTo(40 / 255.0, within(1e-12));
    assertThat((Double) ep.get(0).get("rs")).isEqualTo(0.0);

    // aggregate over all 8 values of x: 0,1,2,3,4,10,11,12
    JsonNode stats = new ObjectMapper().readTree(ds.resolve("meta/stats.json").toFile());
    JsonNode x = stats.get("observation.state");
    double[] all = {0, 1, 2, 3, 4, 10, 11, 12};
    double mean = 43 / 8.0, var = 0;
    for (double v : all) var += (v - mean) * (v - mean);
    assertThat(x.get("mean").get(0).asDouble()).isCloseTo(mean, within(1e-12));
    assertThat(x.get("std").get(0).asDouble()).isCloseTo(Math.sqrt(var / 8), within(1e-12));
    assertThat(x.get("min").get(0).asDouble()).isEqualTo(0);
    assertThat(x.get("max").get(0).asDouble()).isEqualTo(12);
    assertThat(x.get("count").get(0).asLong()).isEqualTo(8);
    // quantiles aggregate as the count-weighted mean of the episodes' quantiles: (5 * 2 + 3 * 11) / 8
    assertThat(x.get("q50").get(0).asDouble()).isCloseTo((5 * 2.0 + 3 * 11.0) / 8, within(1e-12));
    // red channel: 0 in episode 0 (5 sampled frames), 40 in episode 1 (3 frames): count-weighted mean 15 / 255
    assertThat(stats.get("observation.image").get("mean").get(0).get(0).get(0).asDouble()).isCloseTo(15 / 255.0, within(1e-12));
    assertThat(stats.get("frame_index").get("max").get(0).isIntegralNumber()).isTrue();
  }

  @Test
  void pixelHistogramQuantilesMatchSortedValues() {
    long[] hist = new long[768];
    hist[10] = 3; // values 10, 10, 10, 200
    hist[200] = 1;
    for (int c = 1; c < 3; c++) hist[c * 256 + 7] = 4;
    FeatureStats s = FeatureStats.ofPixelHistogram(hist, 3, 1);
    double[] sorted = {10, 10, 10, 200};
    for (int k = 0; k < FeatureStats.QUANTILES.length; k++) {
      assertThat(s.quantiles[k][0]).isCloseTo(FeatureStats.quantileSorted(sorted, 4, FeatureStats.QUANTILES[k]) / 255, within(1e-12));
    }
    assertThat(s.mean[0]).isCloseTo(57.5 / 255, within(1e-12));
    assertThat(s.min[1]).isEqualTo(7 / 255.0);
  }

  @Test
  void imageSubsampleFollowsLeRobot() {
    assertThat(FeatureStats.imageSampleIndices(5)).containsExactly(0, 1, 2, 3, 4);
    int[] idx = FeatureStats.imageSampleIndices(1000); // 1000^0.75 = 177
    assertThat(idx).hasSize(177);
    assertThat(idx[0]).isZero();
    assertThat(idx[176]).isEqualTo(999);
  }

  @Test
  void tinyFileLimitsSplitDataAndVideoFilesAcrossChunks() throws Exception {
    LeRobotWriteConfig config = LeRobotWriteConfig.of(10, "test", FEATURES).withFileSizes(1e-6, 1e-6, 2);
    Path ds = write("sharded", config, 3, 2, 4);
    List<Map<String, Object>> eps = query("SELECT \"data/chunk_index\" dc, \"data/file_index\" df, "
        + "\"videos/observation.image/chunk_index\" vc, \"videos/observation.image/file_index\" vf, "
        + "\"videos/observation.image/from_timestamp\" f FROM '" + ds.resolve("meta/episodes/chunk-000/file-000.parquet") + "' ORDER BY episode_index");
    assertThat(eps).extracting(r -> r.get("dc") + "/" + r.get("df")).containsExactly("0/0", "0/1", "1/0");
    assertThat(eps).extracting(r -> r.get("vc") + "/" + r.get("vf")).containsExactly("0/0", "0/1", "1/0");
    assertThat(eps).extracting(r -> r.get("f")).containsOnly(0.0);
    assertThat(ds.resolve("data/chunk-001/file-000.parquet")).exists();
    assertThat(ds.resolve("videos/observation.image/chunk-001/file-000.mp4")).exists();
    assertThat(query("SELECT count(*) n FROM '" + ds + "/data/*/*.parquet'").get(0).get("n")).isEqualTo(9L);
  }

  @Test
  void generousLimitsKeepEpisodesInOneFile() throws Exception {
    Path ds = write("one", LeRobotWriteConfig.of(10, "test", FEATURES), 3, 2, 4);
    try (Stream<Path> s = Files.walk(ds)) {
      assertThat(s.filter(p -> p.toString().endsWith(".parquet") || p.toString().endsWith(".mp4")).count()).isEqualTo(4); // data, video, tasks, episodes
    }
  }

  @Test
  void anExceptionMidwayLeavesNoDatasetAndNoWorkingDirectory() throws Exception {
    Path target = tmp.resolve("crashed");
    assertThatThrownBy(() -> {
      try (LeRobotWriter w = LeRobotWriter.create(target, LeRobotWriteConfig.of(10, "test", FEATURES))) {
        writeEpisodes(w, new int[] {3, 2});
        w.beginEpisode("push");
        throw new IllegalStateException("simulated failure");
      }
    }).hasMessage("simulated failure");
    assertThat(target).doesNotExist();
    try (Stream<Path> s = Files.list(tmp)) {
      assertThat(s.toList()).isEmpty();
    }
  }

  @Test
  void aWorkingDirectoryLeftByACrashIsNotADataset() throws Exception {
    Path target = tmp.resolve("killed");
    try (LeRobotWriter w = LeRobotWriter.create(target, LeRobotWriteConfig.of(10, "test", FEATURES))) {
      writeEpisodes(w, new int[] {3, 2});
      // what a kill at this point leaves on disk:
      Path work = w.workingDirectory();
      assertThat(work.getParent()).isEqualTo(tmp);
      assertThat(work.getFileName().toString()).startsWith(".killed.partial-");
      assertThat(target).doesNotExist();
      assertThat(work.resolve("meta/info.json")).doesNotExist();
    }
  }

  @Test
  void anExistingTargetIsNeverOverwritten() throws Exception {
    Files.createDirectories(tmp.resolve("taken"));
    assertThatThrownBy(() -> LeRobotWriter.create(tmp.resolve("taken"), LeRobotWriteConfig.of(10, "test", FEATURES)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("taken").hasMessageContaining("already exists");
  }

  @Test
  void aFrameMissingAFeatureIsRefusedByName() throws Exception {
    try (LeRobotWriter w = LeRobotWriter.create(tmp.resolve("bad"), LeRobotWriteConfig.of(10, "test", FEATURES))) {
      w.beginEpisode("push");
      w.setVector("observation.state", new float[] {1, 2});
      assertThatThrownBy(w::endFrame).hasMessageContaining("next.reward").hasMessageContaining("frame 0");
      assertThatThrownBy(() -> w.setVector("action", new float[] {1})).hasMessageContaining("unknown feature 'action'");
      assertThatThrownBy(() -> w.setFloat("next.reward", Double.NaN)).hasMessageContaining("next.reward");
    }
    assertThat(tmp.resolve("bad")).doesNotExist();
  }

  @Test
  void v21WritesOneFilePerEpisodeWithJsonlMetadata() throws Exception {
    Path ds = write("v21", LeRobotWriteConfig.of(10, "test", FEATURES).withVersion(LeRobotWriteConfig.Version.V2_1), 3, 2);
    assertThat(ds.resolve("data/chunk-000/episode_000001.parquet")).exists();
    assertThat(ds.resolve("videos/chunk-000/observation.image/episode_000001.mp4")).exists();
    assertThat(Files.readAllLines(ds.resolve("meta/episodes.jsonl"))).hasSize(2);
    assertThat(Files.readAllLines(ds.resolve("meta/tasks.jsonl"))).containsExactly("{\"task_index\":0,\"task\":\"push\"}", "{\"task_index\":1,\"task\":\"pull\"}");
    JsonNode epStats = new ObjectMapper().readTree(Files.readAllLines(ds.resolve("meta/episodes_stats.jsonl")).get(1));
    assertThat(epStats.get("stats").get("observation.state").get("mean").get(0).asDouble()).isEqualTo(10.5);
    JsonNode info = new ObjectMapper().readTree(ds.resolve("meta/info.json").toFile());
    assertThat(info.get("codebase_version").asText()).isEqualTo("v2.1");
    assertThat(info.get("total_videos").asInt()).isEqualTo(2);
    assertThat(query("SELECT count(*) n FROM '" + ds.resolve("data/chunk-000/episode_000000.parquet") + "'").get(0).get("n")).isEqualTo(3L);
  }
}
