package dev.wam4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wam4j.data.DataSets;
import dev.wam4j.data.video.VideoEncoding;
import dev.wam4j.data.video.VideoWriter;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.Arrays;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code wam4j dataset ...} through the real command line. */
class DatasetCommandTest {
  private final CliRun cli = new CliRun();
  private final java.io.StringWriter out = cli.out;
  private final java.io.StringWriter err = cli.err;

  private int run(String... args) {
    return cli.run(args);
  }

  private static String so101() {
    return DataSets.lerobotV30So101().toString();
  }

  @Test
  void infoJsonHasTheRequiredKeysForTheSo101Sample() throws Exception {
    assertThat(run("dataset", "info", so101(), "--json")).isZero();
    JsonNode n = new ObjectMapper().readTree(out.toString());
    assertThat(n.get("codebase_version").asText()).isEqualTo("v3.0");
    assertThat(n.get("total_episodes").asInt()).isEqualTo(4);
    assertThat(n.get("total_frames").asInt()).isEqualTo(1492);
    assertThat(n.get("fps").asDouble()).isEqualTo(30);
    assertThat(n.get("features").has("observation.state")).isTrue();
    assertThat(n.get("tasks").get("0").asText()).startsWith("Pick the orange cube");
    assertThat(n.get("video_keys").get("observation.images.top").asText()).isEqualTo("av1");
    assertThat(n.get("missing_files")).hasSize(2);
    assertThat(n.has("provenance")).isTrue();
  }

  @Test
  void validateFailsOnTheSo101SampleNamingTheMissingVideos() {
    assertThat(run("dataset", "validate", so101())).isEqualTo(1);
    assertThat(out.toString())
        .contains("2 problems")
        .contains("observation.images.front/chunk-000/file-000.mp4");
  }

  @Test
  void sqlPrintsATableAndJson() throws Exception {
    assertThat(
            run(
                "dataset",
                "sql",
                so101(),
                "SELECT episode_index, count(*) AS n FROM data GROUP BY 1 ORDER BY 1"))
        .isZero();
    assertThat(out.toString()).contains("episode_index").contains("373").contains("(4 rows)");
    out.getBuffer().setLength(0);
    assertThat(
            run("dataset", "sql", so101(), "SELECT sum(length) AS frames FROM episodes", "--json"))
        .isZero();
    assertThat(new ObjectMapper().readTree(out.toString()).get("rows").get(0).get(0).asInt())
        .isEqualTo(1492);
  }

  @Test
  void badSqlAndBadPathsGiveOneClearLine() {
    assertThat(run("dataset", "sql", so101(), "SELECT nope FROM data")).isEqualTo(2);
    assertThat(err.toString()).startsWith("wam4j: sql: ").contains("nope");
    assertThat(run("dataset", "info", "/no/such/dataset")).isEqualTo(2);
    assertThat(err.toString()).contains("/no/such/dataset");
  }

  @Test
  void framesWritesOnePngPerFrame(@TempDir Path dir) throws Exception {
    Path root = tinyVideoDataset(dir.resolve("ds"));
    Path pngs = dir.resolve("pngs");
    assertThat(
            run(
                "dataset",
                "frames",
                root.toString(),
                "--episode",
                "0",
                "--key",
                "observation.image",
                "--out",
                pngs.toString()))
        .as(err.toString())
        .isZero();
    try (var files = Files.list(pngs)) {
      assertThat(files.map(p -> p.getFileName().toString()).sorted())
          .containsExactly("frame_000000.png", "frame_000001.png", "frame_000002.png");
    }
    BufferedImage img = ImageIO.read(pngs.resolve("frame_000002.png").toFile());
    assertThat(img.getWidth()).isEqualTo(32);
    assertThat(img.getRGB(16, 16) & 0xff).isBetween(150, 170); // grey 160
    assertThat(
            run(
                "dataset",
                "frames",
                root.toString(),
                "--episode",
                "0",
                "--key",
                "action",
                "--out",
                pngs.toString()))
        .isEqualTo(2);
    assertThat(err.toString()).contains("'action'").contains("observation.image");
  }

  /** A v2.1 dataset of one 3-frame episode with a 32x32 video of greys 80, 120, 160. */
  private static Path tinyVideoDataset(Path root) throws Exception {
    Files.createDirectories(root.resolve("meta"));
    Files.createDirectories(root.resolve("data/chunk-000"));
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
        Statement s = c.createStatement()) {
      s.execute(
          "COPY (SELECT [CAST(range AS FLOAT)] AS action, CAST(range / 10.0 AS FLOAT) AS timestamp, range AS frame_index,"
              + " 0::BIGINT AS episode_index, range AS \"index\", 0::BIGINT AS task_index FROM range(3)) TO '"
              + root.resolve("data/chunk-000/episode_000000.parquet")
              + "' (FORMAT parquet)");
    }
    Files.writeString(
        root.resolve("meta/episodes.jsonl"),
        "{\"episode_index\": 0, \"tasks\": [\"t\"], \"length\": 3}\n");
    Files.writeString(root.resolve("meta/tasks.jsonl"), "{\"task_index\": 0, \"task\": \"t\"}\n");
    Files.writeString(
        root.resolve("meta/info.json"),
        """
        {"codebase_version": "v2.1", "total_episodes": 1, "total_frames": 3, "total_tasks": 1, "fps": 10,
         "data_path": "data/chunk-{episode_chunk:03d}/episode_{episode_index:06d}.parquet",
         "video_path": "videos/chunk-{episode_chunk:03d}/{video_key}/episode_{episode_index:06d}.mp4",
         "features": {
           "action": {"dtype": "float32", "shape": [1], "names": null},
           "observation.image": {"dtype": "video", "shape": [32, 32, 3], "names": ["height", "width", "channel"],
             "video_info": {"video.fps": 10, "video.codec": "av1"}},
           "timestamp": {"dtype": "float32", "shape": [1], "names": null},
           "frame_index": {"dtype": "int64", "shape": [1], "names": null},
           "episode_index": {"dtype": "int64", "shape": [1], "names": null},
           "index": {"dtype": "int64", "shape": [1], "names": null},
           "task_index": {"dtype": "int64", "shape": [1], "names": null}}}
        """);
    Path mp4 = root.resolve("videos/chunk-000/observation.image/episode_000000.mp4");
    Files.createDirectories(mp4.getParent());
    byte[] frame = new byte[32 * 32 * 3];
    try (VideoWriter w = VideoWriter.open(mp4, 32, 32, 10, VideoEncoding.AV1_LEROBOT)) {
      for (int grey : new int[] {80, 120, 160}) {
        Arrays.fill(frame, (byte) grey);
        w.writeFrame(frame, 0);
      }
      w.finish();
    }
    return root;
  }

  @Test
  void framesWritesPngsForAnImageFeatureAndInfoListsIt(@TempDir Path dir) throws Exception {
    Path root = tinyImageDataset(dir.resolve("ds"));
    Path pngs = dir.resolve("pngs");
    assertThat(
            run(
                "dataset",
                "frames",
                root.toString(),
                "--episode",
                "0",
                "--key",
                "observation.image",
                "--out",
                pngs.toString()))
        .as(err.toString())
        .isZero();
    for (int t = 0; t < 3; t++) {
      BufferedImage img = ImageIO.read(pngs.resolve(String.format("frame_%06d.png", t)).toFile());
      assertThat(img.getWidth()).isEqualTo(6);
      assertThat(img.getHeight()).isEqualTo(4);
      assertThat(img.getRGB(5, 3) & 0xffffff).isEqualTo(imagePixel(t, 5, 3));
      assertThat(img.getRGB(0, 1) & 0xffffff).isEqualTo(imagePixel(t, 0, 1));
    }
    out.getBuffer().setLength(0);
    assertThat(run("dataset", "info", root.toString(), "--json")).isZero();
    JsonNode n = new ObjectMapper().readTree(out.toString());
    assertThat(n.get("image_keys")).hasSize(1);
    assertThat(n.get("image_keys").get(0).asText()).isEqualTo("observation.image");
    assertThat(n.get("features").get("observation.image").get("dtype").asText()).isEqualTo("image");
  }

  private static int imagePixel(int t, int x, int y) {
    return (40 * t + 30 * x) << 16 | (50 * y) << 8 | (200 - 10 * t);
  }

  /**
   * A v3.0 dataset of one 3-frame episode with a 6x4 image feature stored as PNG bytes in the
   * parquet.
   */
  private static Path tinyImageDataset(Path root) throws Exception {
    Files.createDirectories(root.resolve("meta/episodes/chunk-000"));
    Files.createDirectories(root.resolve("data/chunk-000"));
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
        Statement s = c.createStatement()) {
      s.execute("CREATE TABLE images (i BIGINT, png BLOB)");
      try (PreparedStatement p = c.prepareStatement("INSERT INTO images VALUES (?, ?)")) {
        for (int t = 0; t < 3; t++) {
          BufferedImage img = new BufferedImage(6, 4, BufferedImage.TYPE_INT_RGB);
          for (int y = 0; y < 4; y++) {
            for (int x = 0; x < 6; x++) img.setRGB(x, y, imagePixel(t, x, y));
          }
          ByteArrayOutputStream png = new ByteArrayOutputStream();
          ImageIO.write(img, "png", png);
          p.setLong(1, t);
          p.setBytes(2, png.toByteArray());
          p.execute();
        }
      }
      s.execute(
          "COPY (SELECT [CAST(i AS FLOAT)] AS action, {'bytes': png, 'path': NULL::VARCHAR} AS \"observation.image\","
              + " CAST(i / 10.0 AS FLOAT) AS timestamp, i AS frame_index, 0::BIGINT AS episode_index, i AS \"index\","
              + " 0::BIGINT AS task_index FROM images ORDER BY i) TO '"
              + root.resolve("data/chunk-000/file-000.parquet")
              + "' (FORMAT parquet)");
      s.execute(
          "COPY (SELECT 0::BIGINT AS episode_index, ['t'] AS tasks, 3::BIGINT AS length, 0::BIGINT AS \"data/chunk_index\","
              + " 0::BIGINT AS \"data/file_index\", 0::BIGINT AS dataset_from_index, 3::BIGINT AS dataset_to_index) TO '"
              + root.resolve("meta/episodes/chunk-000/file-000.parquet")
              + "' (FORMAT parquet)");
      s.execute(
          "COPY (SELECT 0::BIGINT AS task_index, 't' AS task) TO '"
              + root.resolve("meta/tasks.parquet")
              + "' (FORMAT parquet)");
    }
    Files.writeString(
        root.resolve("meta/info.json"),
        """
        {"codebase_version": "v3.0", "total_episodes": 1, "total_frames": 3, "total_tasks": 1, "fps": 10,
         "data_path": "data/chunk-{chunk_index:03d}/file-{file_index:03d}.parquet", "video_path": null,
         "features": {
           "action": {"dtype": "float32", "shape": [1], "names": null},
           "observation.image": {"dtype": "image", "shape": [4, 6, 3], "names": ["height", "width", "channel"]},
           "timestamp": {"dtype": "float32", "shape": [1], "names": null},
           "frame_index": {"dtype": "int64", "shape": [1], "names": null},
           "episode_index": {"dtype": "int64", "shape": [1], "names": null},
           "index": {"dtype": "int64", "shape": [1], "names": null},
           "task_index": {"dtype": "int64", "shape": [1], "names": null}}}
        """);
    return root;
  }
}
