package dev.wam4j.data.lerobot;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wam4j.data.video.VideoEncoding;
import dev.wam4j.data.video.VideoWriter;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.imageio.ImageIO;

/**
 * Writes small LeRobot datasets for tests with DuckDB's COPY ... TO parquet, in any of the layouts
 * and info.json variants real files use. Values are functions of the global index {@code i} and
 * frame {@code f}: state = [i / 2, -i], action = [i + 0.25, f], next.reward = f / 10, next.done =
 * last frame. A video frame is a flat grey of level {@link #grey(long)} of its global index; an
 * image frame is the pattern {@link #imageRgb(long)}, stored as PNG bytes in a {bytes, path} struct
 * column.
 */
final class SyntheticDataset {
  static final ObjectMapper JSON = new ObjectMapper();

  String version = "v3.0";
  int[] lengths = {5, 7, 4};

  /** fps written as an int when whole and {@link #floatFps} is false. */
  double fps = 10;

  boolean floatFps;

  /** action as a fixed-size list (FLOAT[2]) instead of a variable list. */
  boolean fixedSizeAction;

  /** "info" or "video_info". */
  String videoInfoKey = "info";

  /** "channels" or "channel". */
  String channelName = "channels";

  boolean channelsFirst;

  /** null, "list", "nested", "dict" */
  String namesStyle = "list";

  boolean sizeKeys = true;

  /** adds a video key (96x96 AV1) when true */
  boolean video;

  int videoSize = 96;
  VideoEncoding encoding = VideoEncoding.AV1_LEROBOT;

  /**
   * adds observation.image as an image feature (PNG bytes in the parquet) when true; excludes
   * {@link #video}
   */
  boolean image;

  int imageWidth = 12;
  int imageHeight = 8;

  /**
   * the BufferedImage type the PNGs are drawn in: TYPE_3BYTE_BGR (RGB PNG), TYPE_INT_ARGB (RGBA),
   * TYPE_BYTE_GRAY
   */
  int imageType = BufferedImage.TYPE_3BYTE_BGR;

  /** global index whose image bytes are replaced by bytes that are no image; -1 for none */
  long corruptImage = -1;

  /** global index whose image bytes are null; -1 for none */
  long nullImage = -1;

  static int grey(long globalIndex) {
    return (int) (16 + (globalIndex * 9) % 220);
  }

  /**
   * The RGB the image of global index {@code i} decodes to: a pattern that differs per pixel,
   * channel and frame.
   */
  byte[] imageRgb(long i) {
    byte[] rgb = new byte[imageWidth * imageHeight * 3];
    for (int y = 0; y < imageHeight; y++) {
      for (int x = 0; x < imageWidth; x++) {
        int o = 3 * (y * imageWidth + x);
        int r = (int) ((x * 19 + i * 13) & 0xff);
        int g = (int) ((y * 29 + i * 7 + 100) & 0xff);
        int b = (int) ((x * y * 3 + i * 5 + 200) & 0xff);
        if (imageType == BufferedImage.TYPE_BYTE_GRAY) {
          g = r;
          b = r;
        }
        rgb[o] = (byte) r;
        rgb[o + 1] = (byte) g;
        rgb[o + 2] = (byte) b;
      }
    }
    return rgb;
  }

  private byte[] png(long i) throws IOException {
    if (i == corruptImage) {
      return "not a png, just bytes".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }
    byte[] rgb = imageRgb(i);
    BufferedImage img = new BufferedImage(imageWidth, imageHeight, imageType);
    for (int y = 0; y < imageHeight; y++) {
      for (int x = 0; x < imageWidth; x++) {
        int o = 3 * (y * imageWidth + x);
        if (imageType == BufferedImage.TYPE_BYTE_GRAY) {
          img.getRaster().setSample(x, y, 0, rgb[o] & 0xff);
        } else {
          // alpha varies too, so an RGBA reader that blended it in would show
          int a = imageType == BufferedImage.TYPE_INT_ARGB ? 0x40 + (x * 11) % 0xc0 : 0xff;
          img.setRGB(
              x,
              y,
              a << 24 | (rgb[o] & 0xff) << 16 | (rgb[o + 1] & 0xff) << 8 | (rgb[o + 2] & 0xff));
        }
      }
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    if (!ImageIO.write(img, "png", out)) {
      throw new IOException("no PNG writer");
    }
    return out.toByteArray();
  }

  private void addImages(Connection c, Statement s) throws IOException, SQLException {
    s.execute("CREATE TABLE images (i BIGINT, png BLOB)");
    try (PreparedStatement p = c.prepareStatement("INSERT INTO images VALUES (?, ?)")) {
      for (long i = 0; i < total(); i++) {
        p.setLong(1, i);
        if (i == nullImage) {
          p.setNull(2, java.sql.Types.BLOB);
        } else {
          p.setBytes(2, png(i));
        }
        p.execute();
      }
    }
    s.execute(
        "CREATE TABLE framesi AS SELECT f.*, {'bytes': im.png, 'path': 'frame_' || f.\"index\" || '.png'}"
            + " AS \"observation.image\" FROM frames f JOIN images im ON f.\"index\" = im.i ORDER BY f.\"index\"");
    s.execute("DROP TABLE frames");
    s.execute("ALTER TABLE framesi RENAME TO frames");
  }

  long total() {
    return Arrays.stream(lengths).sum();
  }

  Path write(Path root) throws IOException, SQLException {
    Files.createDirectories(root.resolve("meta"));
    try (Connection c = Duck.connect();
        Statement s = c.createStatement()) {
      s.execute("CREATE TABLE frames AS " + framesSql());
      if (image) {
        addImages(c, s);
      }
      if (version.equals("v3.0")) {
        writeV3(root, s);
      } else {
        writeV2(root, s);
      }
    }
    writeInfo(root);
    writeStats(root);
    if (video) {
      writeVideos(root);
    }
    return root;
  }

  private String framesSql() {
    List<String> parts = new ArrayList<>();
    long from = 0;
    for (int e = 0; e < lengths.length; e++) {
      int n = lengths[e];
      String action =
          "[CAST(i + 0.25 AS FLOAT), CAST(f AS FLOAT)]" + (fixedSizeAction ? "::FLOAT[2]" : "");
      parts.add(
          "SELECT [CAST(i / 2.0 AS FLOAT), CAST(-i AS FLOAT)] AS \"observation.state\", "
              + action
              + " AS action, "
              + "CAST(f / 10.0 AS FLOAT) AS \"next.reward\", f = "
              + (n - 1)
              + " AS \"next.done\", "
              + "CAST(f / "
              + fps
              + " AS FLOAT) AS timestamp, f AS frame_index, CAST("
              + e
              + " AS BIGINT) AS episode_index, "
              + "i AS \"index\", CAST(0 AS BIGINT) AS task_index "
              + "FROM (SELECT range AS f, range + "
              + from
              + " AS i FROM range("
              + n
              + "))");
      from += n;
    }
    return String.join(" UNION ALL ", parts) + " ORDER BY \"index\"";
  }

  private void writeV3(Path root, Statement s) throws IOException, SQLException {
    Path data = root.resolve("data/chunk-000/file-000.parquet");
    Files.createDirectories(data.getParent());
    s.execute("COPY frames TO " + Duck.literal(data) + " (FORMAT parquet)");
    Path eps = root.resolve("meta/episodes/chunk-000/file-000.parquet");
    Files.createDirectories(eps.getParent());
    List<String> rows = new ArrayList<>();
    long from = 0;
    for (int e = 0; e < lengths.length; e++) {
      int n = lengths[e];
      String videoCols =
          video
              ? ", 0 AS \"videos/observation.image/chunk_index\", 0 AS \"videos/observation.image/file_index\", "
                  + (from / fps)
                  + "::DOUBLE AS \"videos/observation.image/from_timestamp\", "
                  + ((from + n) / fps)
                  + "::DOUBLE AS \"videos/observation.image/to_timestamp\""
              : "";
      rows.add(
          "SELECT "
              + e
              + "::BIGINT AS episode_index, ['push the block'] AS tasks, "
              + n
              + "::BIGINT AS length, "
              + "0::BIGINT AS \"data/chunk_index\", 0::BIGINT AS \"data/file_index\", "
              + from
              + "::BIGINT AS dataset_from_index, "
              + (from + n)
              + "::BIGINT AS dataset_to_index"
              + videoCols
              + ", [1.0, 2.0] AS \"stats/observation.state/mean\", [1.0, 2.0] AS \"stats/action/mean\""
              + ", [0.5] AS \"stats/next.reward/mean\", [0.5] AS \"stats/next.done/mean\", [0.5] AS \"stats/timestamp/mean\""
              + ", [0.5] AS \"stats/frame_index/mean\", [0.5] AS \"stats/episode_index/mean\", [0.5] AS \"stats/index/mean\""
              + ", [0.5] AS \"stats/task_index/mean\""
              + (video || image ? ", [[[0.5]]] AS \"stats/observation.image/mean\"" : ""));
      from += n;
    }
    s.execute(
        "COPY ("
            + String.join(" UNION ALL ", rows)
            + ") TO "
            + Duck.literal(eps)
            + " (FORMAT parquet)");
    s.execute(
        "COPY (SELECT 0::BIGINT AS task_index, 'push the block' AS __index_level_0__) TO "
            + Duck.literal(root.resolve("meta/tasks.parquet"))
            + " (FORMAT parquet)");
  }

  private void writeV2(Path root, Statement s) throws IOException, SQLException {
    StringBuilder episodes = new StringBuilder();
    StringBuilder epStats = new StringBuilder();
    for (int e = 0; e < lengths.length; e++) {
      Path data = root.resolve(String.format("data/chunk-000/episode_%06d.parquet", e));
      Files.createDirectories(data.getParent());
      s.execute(
          "COPY (SELECT * FROM frames WHERE episode_index = "
              + e
              + ") TO "
              + Duck.literal(data)
              + " (FORMAT parquet)");
      episodes
          .append("{\"episode_index\": ")
          .append(e)
          .append(", \"tasks\": [\"push the block\"], \"length\": ")
          .append(lengths[e])
          .append("}\n");
      epStats
          .append("{\"episode_index\": ")
          .append(e)
          .append(", \"stats\": {\"action\": {\"mean\": [0, 0]}}}\n");
    }
    Files.writeString(root.resolve("meta/episodes.jsonl"), episodes);
    Files.writeString(
        root.resolve("meta/tasks.jsonl"), "{\"task_index\": 0, \"task\": \"push the block\"}\n");
    if (version.equals("v2.1")) {
      Files.writeString(root.resolve("meta/episodes_stats.jsonl"), epStats);
    }
  }

  private void writeInfo(Path root) throws IOException {
    ObjectNode info = JSON.createObjectNode();
    info.put("codebase_version", version);
    info.put("robot_type", "pusher");
    info.put("total_episodes", lengths.length);
    info.put("total_frames", total());
    info.put("total_tasks", 1);
    info.put("chunks_size", 1000);
    boolean v3 = version.equals("v3.0");
    if (v3 && sizeKeys) {
      info.put("data_files_size_in_mb", 100);
      info.put("video_files_size_in_mb", 500);
    }
    if (!v3) {
      info.put("total_chunks", 1);
      info.put("total_videos", video ? lengths.length : 0);
    }
    if (floatFps || fps != Math.rint(fps)) {
      info.put("fps", fps);
    } else {
      info.put("fps", (int) fps);
    }
    info.putObject("splits").put("train", "0:" + lengths.length);
    info.put(
        "data_path",
        v3
            ? "data/chunk-{chunk_index:03d}/file-{file_index:03d}.parquet"
            : "data/chunk-{episode_chunk:03d}/episode_{episode_index:06d}.parquet");
    if (video) {
      info.put(
          "video_path",
          v3
              ? "videos/{video_key}/chunk-{chunk_index:03d}/file-{file_index:03d}.mp4"
              : "videos/chunk-{episode_chunk:03d}/{video_key}/episode_{episode_index:06d}.mp4");
    } else {
      info.putNull("video_path");
    }
    ObjectNode features = info.putObject("features");
    vector(features, "observation.state", "float32", 2, "x", "y");
    vector(features, "action", "float32", 2, "x", "y");
    vector(features, "next.reward", "float32", 1);
    vector(features, "next.done", "bool", 1);
    vector(features, "timestamp", "float32", 1);
    vector(features, "frame_index", "int64", 1);
    vector(features, "episode_index", "int64", 1);
    vector(features, "index", "int64", 1);
    vector(features, "task_index", "int64", 1);
    if (video || image) {
      ObjectNode img = features.putObject("observation.image");
      img.put("dtype", video ? "video" : "image");
      ArrayNode shape = img.putArray("shape");
      ArrayNode names = img.putArray("names");
      int h = video ? videoSize : imageHeight;
      int w = video ? videoSize : imageWidth;
      if (channelsFirst) {
        shape.add(3).add(h).add(w);
        names.add(channelName).add("height").add("width");
      } else {
        shape.add(h).add(w).add(3);
        names.add("height").add("width").add(channelName);
      }
    }
    if (video) {
      ObjectNode img = (ObjectNode) features.get("observation.image");
      ObjectNode vi = img.putObject(videoInfoKey);
      vi.put("video.fps", floatFps ? fps : (int) fps);
      vi.put("video.codec", encoding.codec().name().toLowerCase(java.util.Locale.ROOT));
      vi.put("video.pix_fmt", "yuv420p");
      vi.put("video.is_depth_map", false);
      vi.put("has_audio", false);
      if (videoInfoKey.equals("info")) {
        vi.put("video.height", videoSize);
        vi.put("video.width", videoSize);
        vi.put("video." + channelName, 3);
      }
    }
    JSON.writerWithDefaultPrettyPrinter().writeValue(root.resolve("meta/info.json").toFile(), info);
  }

  private void vector(ObjectNode features, String key, String dtype, int n, String... labels) {
    ObjectNode f = features.putObject(key);
    f.put("dtype", dtype);
    f.putArray("shape").add(n);
    if (labels.length == 0 || namesStyle == null) {
      f.putNull("names");
      return;
    }
    switch (namesStyle) {
      case "list" -> {
        ArrayNode a = f.putArray("names");
        for (String l : labels) a.add(l);
      }
      case "nested" -> {
        ArrayNode a = f.putArray("names").addArray();
        for (String l : labels) a.add(l);
      }
      case "dict" -> {
        ArrayNode a = f.putObject("names").putArray("axes");
        for (String l : labels) a.add(l);
      }
      default -> throw new IllegalArgumentException(namesStyle);
    }
  }

  private void writeStats(Path root) throws IOException {
    ObjectNode stats = JSON.createObjectNode();
    for (String k :
        List.of(
            "observation.state",
            "action",
            "next.reward",
            "next.done",
            "timestamp",
            "frame_index",
            "episode_index",
            "index",
            "task_index",
            "observation.image")) {
      ObjectNode s = stats.putObject(k);
      s.putArray("mean").add(0.5);
      s.putArray("std").add(0.5);
    }
    JSON.writeValue(root.resolve("meta/stats.json").toFile(), stats);
  }

  private void writeVideos(Path root) throws IOException {
    int n = videoSize * videoSize * 3;
    byte[] frame = new byte[n];
    if (version.equals("v3.0")) {
      Path file = root.resolve("videos/observation.image/chunk-000/file-000.mp4");
      Files.createDirectories(file.getParent());
      try (VideoWriter w = VideoWriter.open(file, videoSize, videoSize, (int) fps, encoding)) {
        for (long i = 0; i < total(); i++) {
          Arrays.fill(frame, (byte) grey(i));
          w.writeFrame(frame, 0);
        }
        w.finish();
      }
      return;
    }
    long i = 0;
    for (int e = 0; e < lengths.length; e++) {
      Path file =
          root.resolve(String.format("videos/chunk-000/observation.image/episode_%06d.mp4", e));
      Files.createDirectories(file.getParent());
      try (VideoWriter w = VideoWriter.open(file, videoSize, videoSize, (int) fps, encoding)) {
        for (int f = 0; f < lengths[e]; f++, i++) {
          Arrays.fill(frame, (byte) grey(i));
          w.writeFrame(frame, 0);
        }
        w.finish();
      }
    }
  }
}
