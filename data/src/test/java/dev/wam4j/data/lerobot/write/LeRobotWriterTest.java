package dev.wam4j.data.lerobot.write;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.assertj.core.api.Assumptions.assumeThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wam4j.data.lerobot.DatasetValidation;
import dev.wam4j.data.lerobot.Episode;
import dev.wam4j.data.lerobot.LeRobotDataset;
import dev.wam4j.data.lerobot.Row;
import dev.wam4j.data.video.VideoReader;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LeRobotWriterTest {
  @TempDir Path tmp;

  private static final List<WriteFeature> FEATURES =
      List.of(
          new WriteFeature.Video("observation.image", 64, 64),
          new WriteFeature.Vector("observation.state", List.of("x", "y")),
          new WriteFeature.Scalar("next.reward", WriteFeature.ScalarType.FLOAT32),
          new WriteFeature.Scalar("next.done", WriteFeature.ScalarType.BOOL),
          new WriteFeature.Scalar("step", WriteFeature.ScalarType.INT64));

  /**
   * Episode e, frame t: state (10e + t, -t), reward t / 10, image a flat colour (e*40, t*20, 100).
   */
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

  /**
   * Reads every frame back through the project's reader (values exactly, images within the codec's
   * error) and checks that the dataset validates.
   */
  private static void assertReadsBack(Path ds, int... lengths) throws IOException {
    assertThat(DatasetValidation.validate(ds)).isEmpty();
    try (LeRobotDataset d = LeRobotDataset.open(ds)) {
      List<Episode> episodes = d.episodes();
      assertThat(episodes)
          .extracting(Episode::length)
          .containsExactly(Arrays.stream(lengths).boxed().toArray(Integer[]::new));
      byte[] img = new byte[d.frameBytes("observation.image")];
      for (int e = 0; e < lengths.length; e++) {
        assertThat(episodes.get(e).tasks()).containsExactly(e % 2 == 0 ? "push" : "pull");
        for (int t = 0; t < lengths[e]; t++) {
          Row r = d.row(e, t);
          assertThat(r.floats("observation.state")).containsExactly(10 * e + t, -t);
          assertThat(r.floats("next.reward")).containsExactly((float) (t / 10.0));
          assertThat(r.longs("next.done")).containsExactly(t == lengths[e] - 1 ? 1 : 0);
          assertThat(r.longs("step")).containsExactly(t);
          d.readVideoFrame(e, t, "observation.image", img, 0);
          int[] expected = {e * 40, t * 20, 100};
          for (int p = 0; p < img.length; p++) {
            assertThat(img[p] & 0xff)
                .as("episode %d frame %d byte %d", e, t, p)
                .isCloseTo(expected[p % 3], within(4));
          }
        }
      }
    }
  }

  private static List<Map<String, Object>> query(String sql) throws SQLException {
    List<Map<String, Object>> rows = new ArrayList<>();
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
        Statement s = c.createStatement();
        ResultSet r = s.executeQuery(sql)) {
      while (r.next()) {
        Map<String, Object> row = new LinkedHashMap<>();
        for (int i = 1; i <= r.getMetaData().getColumnCount(); i++)
          row.put(r.getMetaData().getColumnName(i), r.getObject(i));
        rows.add(row);
      }
    }
    return rows;
  }

  private static Map<String, String> schema(Path parquet) throws SQLException {
    Map<String, String> types = new LinkedHashMap<>();
    for (Map<String, Object> r :
        query("SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM '" + parquet + "')")) {
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
    assertThat(data)
        .containsExactly(
            Map.entry("observation.state", "FLOAT[]"),
            Map.entry("next.reward", "FLOAT"),
            Map.entry("next.done", "BOOLEAN"),
            Map.entry("step", "BIGINT"),
            Map.entry("timestamp", "FLOAT"),
            Map.entry("frame_index", "BIGINT"),
            Map.entry("episode_index", "BIGINT"),
            Map.entry("index", "BIGINT"),
            Map.entry("task_index", "BIGINT"));
    List<Map<String, Object>> rows =
        query(
            "SELECT * FROM '"
                + ds.resolve("data/chunk-000/file-000.parquet")
                + "' ORDER BY \"index\"");
    assertThat(rows).hasSize(7);
    assertThat(rows.get(5).get("episode_index")).isEqualTo(1L);
    assertThat(rows.get(5).get("frame_index")).isEqualTo(1L);
    assertThat(rows.get(5).get("timestamp")).isEqualTo(0.1f);
    assertThat(rows.get(5).get("task_index")).isEqualTo(1L);

    Path episodes = ds.resolve("meta/episodes/chunk-000/file-000.parquet");
    Map<String, String> ep = schema(episodes);
    assertThat(ep)
        .containsEntry("tasks", "VARCHAR[]")
        .containsEntry("dataset_from_index", "BIGINT")
        .containsEntry("videos/observation.image/from_timestamp", "DOUBLE")
        .containsEntry("stats/observation.image/mean", "DOUBLE[][][]")
        .containsEntry("stats/observation.state/q99", "DOUBLE[]")
        .containsEntry("stats/frame_index/min", "BIGINT[]")
        .containsEntry("stats/observation.state/count", "BIGINT[]");
    List<Map<String, Object>> eps =
        query(
            "SELECT episode_index, length, dataset_from_index, dataset_to_index, "
                + "\"videos/observation.image/from_timestamp\" f, \"videos/observation.image/to_timestamp\" t FROM '"
                + episodes
                + "' ORDER BY 1");
    assertThat(eps.get(1))
        .containsEntry("length", 3L)
        .containsEntry("dataset_from_index", 4L)
        .containsEntry("dataset_to_index", 7L)
        .containsEntry("f", 0.4)
        .containsEntry("t", 0.7);
    assertThat(
            query(
                "SELECT task_index, __index_level_0__ AS task FROM '"
                    + ds.resolve("meta/tasks.parquet")
                    + "' ORDER BY 1"))
        .extracting(r -> r.get("task"))
        .containsExactly("push", "pull");

    JsonNode info = new ObjectMapper().readTree(ds.resolve("meta/info.json").toFile());
    assertThat(info.get("codebase_version").asText()).isEqualTo("v3.0");
    assertThat(info.get("total_episodes").asInt()).isEqualTo(2);
    assertThat(info.get("total_frames").asInt()).isEqualTo(7);
    assertThat(
            info.get("features").get("observation.image").get("info").get("video.codec").asText())
        .isEqualTo("av1");
    assertThat(info.get("features").get("observation.state").get("shape").get(0).asInt())
        .isEqualTo(2);
    try (VideoReader r =
        VideoReader.open(ds.resolve("videos/observation.image/chunk-000/file-000.mp4"))) {
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
    List<Map<String, Object>> ep =
        query(
            "SELECT \"stats/observation.state/mean\"[1] m, \"stats/observation.state/std\"[1] s, "
                + "\"stats/observation.state/q10\"[1] q10, \"stats/observation.state/q99\"[1] q99, \"stats/observation.state/count\"[1] n, "
                + "\"stats/observation.image/mean\"[2][1][1] g, \"stats/observation.image/std\"[1][1][1] rs FROM '"
                + ds.resolve("meta/episodes/chunk-000/file-000.parquet")
                + "' ORDER BY episode_index");
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
    // quantiles aggregate as the count-weighted mean of the episodes' quantiles: (5 * 2 + 3 * 11) /
    // 8
    assertThat(x.get("q50").get(0).asDouble()).isCloseTo((5 * 2.0 + 3 * 11.0) / 8, within(1e-12));
    // red channel: 0 in episode 0 (5 sampled frames), 40 in episode 1 (3 frames): count-weighted
    // mean 15 / 255
    assertThat(stats.get("observation.image").get("mean").get(0).get(0).get(0).asDouble())
        .isCloseTo(15 / 255.0, within(1e-12));
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
      assertThat(s.quantiles[k][0])
          .isCloseTo(
              FeatureStats.quantileSorted(sorted, 4, FeatureStats.QUANTILES[k]) / 255,
              within(1e-12));
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
    LeRobotWriteConfig config =
        LeRobotWriteConfig.of(10, "test", FEATURES).withFileSizes(1e-6, 1e-6, 2);
    Path ds = write("sharded", config, 3, 2, 4);
    List<Map<String, Object>> eps =
        query(
            "SELECT \"data/chunk_index\" dc, \"data/file_index\" df, "
                + "\"videos/observation.image/chunk_index\" vc, \"videos/observation.image/file_index\" vf, "
                + "\"videos/observation.image/from_timestamp\" f FROM '"
                + ds.resolve("meta/episodes/chunk-000/file-000.parquet")
                + "' ORDER BY episode_index");
    assertThat(eps)
        .extracting(r -> r.get("dc") + "/" + r.get("df"))
        .containsExactly("0/0", "0/1", "1/0");
    assertThat(eps)
        .extracting(r -> r.get("vc") + "/" + r.get("vf"))
        .containsExactly("0/0", "0/1", "1/0");
    assertThat(eps).extracting(r -> r.get("f")).containsOnly(0.0);
    assertThat(ds.resolve("data/chunk-001/file-000.parquet")).exists();
    assertThat(ds.resolve("videos/observation.image/chunk-001/file-000.mp4")).exists();
    assertThat(query("SELECT count(*) n FROM '" + ds + "/data/*/*.parquet'").get(0).get("n"))
        .isEqualTo(9L);
    assertReadsBack(ds, 3, 2, 4);
  }

  @Test
  void fileSizeLimitsCountMebibytes() throws Exception {
    // rows are 57 bytes (state 8, reward 4, done 1, step 8, index columns 36): episodes of 171,
    // 114, 228 bytes.
    // 280e-6 MiB = 293.6 bytes holds episodes 0 and 1 (285 bytes); 280e-6 MB = 280 bytes would not.
    LeRobotWriteConfig config =
        LeRobotWriteConfig.of(10, "test", FEATURES).withFileSizes(280e-6, 500, 1000);
    Path ds = write("mib", config, 3, 2, 4);
    List<Map<String, Object>> eps =
        query(
            "SELECT \"data/file_index\" df FROM '"
                + ds.resolve("meta/episodes/chunk-000/file-000.parquet")
                + "' ORDER BY episode_index");
    assertThat(eps).extracting(r -> r.get("df")).containsExactly(0L, 0L, 1L);
    JsonNode info = new ObjectMapper().readTree(ds.resolve("meta/info.json").toFile());
    assertThat(info.get("data_files_size_in_mb").isIntegralNumber()).isFalse();
    assertThat(info.get("data_files_size_in_mb").asDouble()).isEqualTo(280e-6);
    assertThat(info.get("video_files_size_in_mb").isIntegralNumber()).isTrue();
  }

  @Test
  void wholeSizeLimitsAreWrittenAsIntegersLikeLeRobot() throws Exception {
    Path ds = write("sizes", LeRobotWriteConfig.of(10, "test", FEATURES), 2);
    JsonNode info = new ObjectMapper().readTree(ds.resolve("meta/info.json").toFile());
    assertThat(info.get("data_files_size_in_mb").isIntegralNumber()).isTrue();
    assertThat(info.get("data_files_size_in_mb").asLong()).isEqualTo(100);
    assertThat(info.get("video_files_size_in_mb").isIntegralNumber()).isTrue();
    assertThat(info.get("video_files_size_in_mb").asLong()).isEqualTo(500);
  }

  @Test
  void thePublishedDatasetHasTheUmaskPermissionsNotOwnerOnly() throws Exception {
    assumeThat(FileSystems.getDefault().supportedFileAttributeViews()).contains("posix");
    Set<PosixFilePermission> dirMode =
        Files.getPosixFilePermissions(Files.createDirectory(tmp.resolve("plain-dir")));
    Set<PosixFilePermission> fileMode =
        Files.getPosixFilePermissions(Files.createFile(tmp.resolve("plain-file")));
    Path ds = write("shared", LeRobotWriteConfig.of(10, "test", FEATURES), 2);
    List<Path> all;
    try (Stream<Path> s = Files.walk(ds)) {
      all = s.toList();
    }
    assertThat(all)
        .anyMatch(p -> p.toString().endsWith(".mp4"))
        .anyMatch(p -> p.toString().endsWith(".parquet"));
    for (Path p : all) {
      assertThat(Files.getPosixFilePermissions(p))
          .as(p.toString())
          .isEqualTo(Files.isDirectory(p) ? dirMode : fileMode);
    }
    // with the usual umask (022) that means group and others can read
    assumeThat(fileMode).contains(PosixFilePermission.OTHERS_READ);
    for (Path p : all) {
      assertThat(Files.getPosixFilePermissions(p))
          .as(p.toString())
          .contains(PosixFilePermission.GROUP_READ, PosixFilePermission.OTHERS_READ);
    }
  }

  @Test
  void afterAFailedEndEpisodeEveryCallButCloseIsRefused() throws Exception {
    Path target = tmp.resolve("failing");
    LeRobotWriteConfig config =
        LeRobotWriteConfig.of(10, "test", FEATURES).withVersion(LeRobotWriteConfig.Version.V2_1);
    try (LeRobotWriter w = LeRobotWriter.create(target, config)) {
      writeEpisodes(w, new int[] {2});
      w.beginEpisode("push");
      byte[] img = new byte[64 * 64 * 3];
      w.setImage("observation.image", img, 0)
          .setVector("observation.state", new float[] {1, 2})
          .setFloat("next.reward", 0)
          .setBool("next.done", true)
          .setLong("step", 0);
      w.endFrame();
      // a non-empty folder where episode 1's video goes makes its rename fail after the rows were
      // appended
      Files.createDirectories(
          w.workingDirectory()
              .resolve("videos/chunk-000/observation.image/episode_000001.mp4/blocker"));
      assertThatThrownBy(w::endEpisode).isInstanceOf(IOException.class);
      assertThatThrownBy(w::endEpisode)
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining(target.toString());
      assertThatThrownBy(() -> w.beginEpisode("push"))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining(target.toString());
      assertThatThrownBy(() -> w.setLong("step", 1)).isInstanceOf(IllegalStateException.class);
      assertThatThrownBy(w::finish)
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining(target.toString());
      assertThatThrownBy(w::frameCount).isInstanceOf(IllegalStateException.class);
    }
    assertThat(target).doesNotExist();
    try (Stream<Path> s = Files.list(tmp)) {
      assertThat(s.toList()).isEmpty();
    }
  }

  @Test
  void imageStatisticsUseLeRobotsPixelStride() {
    assertThat(FeatureStats.pixelStride(96, 96)).isEqualTo(1);
    assertThat(FeatureStats.pixelStride(299, 200)).isEqualTo(1);
    assertThat(FeatureStats.pixelStride(300, 200)).isEqualTo(2);
    assertThat(FeatureStats.pixelStride(480, 640)).isEqualTo(4);
    int w = 640, h = 480;
    byte[] rgb = new byte[w * h * 3];
    Random random = new Random(7);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        boolean kept = y % 4 == 0 && x % 4 == 0;
        for (int c = 0; c < 3; c++)
          rgb[(y * w + x) * 3 + c] =
              (byte) (kept ? random.nextInt(200) : 255); // skipped pixels would show as 255
      }
    }
    int[] hist = new int[768];
    FeatureStats.addStridedPixels(rgb, 0, w, h, hist, 0);
    long[] sum = new long[768];
    for (int k = 0; k < 768; k++) sum[k] = hist[k];
    FeatureStats s = FeatureStats.ofPixelHistogram(sum, 3, 1);
    int n = (w / 4) * (h / 4);
    for (int c = 0; c < 3; c++) {
      double[] kept = new double[n];
      int i = 0;
      for (int y = 0; y < h; y += 4)
        for (int x = 0; x < w; x += 4) kept[i++] = (rgb[(y * w + x) * 3 + c] & 0xff) / 255.0;
      FeatureStats expected = FeatureStats.ofRows(kept, n, 1, false);
      assertThat(s.min[c]).isEqualTo(expected.min[0]);
      assertThat(s.max[c]).isEqualTo(expected.max[0]).isLessThan(1);
      assertThat(s.mean[c]).isCloseTo(expected.mean[0], within(1e-12));
      assertThat(s.std[c]).isCloseTo(expected.std[0], within(1e-12));
      for (int k = 0; k < FeatureStats.QUANTILES.length; k++) {
        assertThat(s.quantiles[k][c]).isCloseTo(expected.quantiles[k][0], within(1e-12));
      }
    }
  }

  @Test
  void generousLimitsKeepEpisodesInOneFile() throws Exception {
    Path ds = write("one", LeRobotWriteConfig.of(10, "test", FEATURES), 3, 2, 4);
    try (Stream<Path> s = Files.walk(ds)) {
      assertThat(
              s.filter(p -> p.toString().endsWith(".parquet") || p.toString().endsWith(".mp4"))
                  .count())
          .isEqualTo(4); // data, video, tasks, episodes
    }
  }

  @Test
  void anExceptionMidwayLeavesNoDatasetAndNoWorkingDirectory() throws Exception {
    Path target = tmp.resolve("crashed");
    assertThatThrownBy(
            () -> {
              try (LeRobotWriter w =
                  LeRobotWriter.create(target, LeRobotWriteConfig.of(10, "test", FEATURES))) {
                writeEpisodes(w, new int[] {3, 2});
                w.beginEpisode("push");
                throw new IllegalStateException("simulated failure");
              }
            })
        .hasMessage("simulated failure");
    assertThat(target).doesNotExist();
    try (Stream<Path> s = Files.list(tmp)) {
      assertThat(s.toList()).isEmpty();
    }
  }

  @Test
  void aWorkingDirectoryLeftByACrashIsNotADataset() throws Exception {
    Path target = tmp.resolve("killed");
    try (LeRobotWriter w =
        LeRobotWriter.create(target, LeRobotWriteConfig.of(10, "test", FEATURES))) {
      writeEpisodes(w, new int[] {3, 2});
      // what a kill at this point leaves on disk:
      Path work = w.workingDirectory();
      assertThat(work.getParent()).isEqualTo(tmp);
      assertThat(work.getFileName().toString()).startsWith(".killed.partial-");
      assertThat(target).doesNotExist();
      assertThat(work.resolve("meta/info.json")).doesNotExist();
      assertThat(DatasetValidation.validate(work)).isNotEmpty();
    }
  }

  @Test
  void anExistingTargetIsNeverOverwritten() throws Exception {
    Files.createDirectories(tmp.resolve("taken"));
    assertThatThrownBy(
            () ->
                LeRobotWriter.create(
                    tmp.resolve("taken"), LeRobotWriteConfig.of(10, "test", FEATURES)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("taken")
        .hasMessageContaining("already exists");
  }

  @Test
  void aFrameMissingAFeatureIsRefusedByName() throws Exception {
    try (LeRobotWriter w =
        LeRobotWriter.create(tmp.resolve("bad"), LeRobotWriteConfig.of(10, "test", FEATURES))) {
      w.beginEpisode("push");
      w.setVector("observation.state", new float[] {1, 2});
      assertThatThrownBy(w::endFrame)
          .hasMessageContaining("next.reward")
          .hasMessageContaining("frame 0");
    }
    try (LeRobotWriter w =
        LeRobotWriter.create(tmp.resolve("bad"), LeRobotWriteConfig.of(10, "test", FEATURES))) {
      w.beginEpisode("push");
      assertThatThrownBy(() -> w.setVector("action", new float[] {1}))
          .hasMessageContaining("unknown feature 'action'");
      // the writer stops at the first error: later calls name the dataset and that error
      assertThatThrownBy(() -> w.setFloat("next.reward", 1))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining(tmp.resolve("bad").toString())
          .hasMessageContaining("unknown feature 'action'");
    }
    try (LeRobotWriter w =
        LeRobotWriter.create(tmp.resolve("bad"), LeRobotWriteConfig.of(10, "test", FEATURES))) {
      w.beginEpisode("push");
      assertThatThrownBy(() -> w.setFloat("next.reward", Double.NaN))
          .hasMessageContaining("next.reward");
    }
    assertThat(tmp.resolve("bad")).doesNotExist();
  }

  @Test
  void v21WritesOneFilePerEpisodeWithJsonlMetadata() throws Exception {
    Path ds =
        write(
            "v21",
            LeRobotWriteConfig.of(10, "test", FEATURES)
                .withVersion(LeRobotWriteConfig.Version.V2_1),
            3,
            2);
    assertThat(ds.resolve("data/chunk-000/episode_000001.parquet")).exists();
    assertThat(ds.resolve("videos/chunk-000/observation.image/episode_000001.mp4")).exists();
    assertThat(Files.readAllLines(ds.resolve("meta/episodes.jsonl"))).hasSize(2);
    assertThat(Files.readAllLines(ds.resolve("meta/tasks.jsonl")))
        .containsExactly(
            "{\"task_index\":0,\"task\":\"push\"}", "{\"task_index\":1,\"task\":\"pull\"}");
    JsonNode epStats =
        new ObjectMapper()
            .readTree(Files.readAllLines(ds.resolve("meta/episodes_stats.jsonl")).get(1));
    assertThat(epStats.get("stats").get("observation.state").get("mean").get(0).asDouble())
        .isEqualTo(10.5);
    JsonNode info = new ObjectMapper().readTree(ds.resolve("meta/info.json").toFile());
    assertThat(info.get("codebase_version").asText()).isEqualTo("v2.1");
    assertThat(info.get("total_videos").asInt()).isEqualTo(2);
    assertThat(
            query(
                    "SELECT count(*) n FROM '"
                        + ds.resolve("data/chunk-000/episode_000000.parquet")
                        + "'")
                .get(0)
                .get("n"))
        .isEqualTo(3L);
    assertReadsBack(ds, 3, 2);
  }
}
