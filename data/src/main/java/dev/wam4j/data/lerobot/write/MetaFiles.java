package dev.wam4j.data.lerobot.write;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The metadata files of a LeRobot dataset, written into a working directory: by the writer, and by
 * the append, which writes the same files from the episodes it gathers.
 */
final class MetaFiles {
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  private static final ObjectMapper JSONL = new ObjectMapper();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final String[] MOMENTS = {"min", "max", "mean", "std"};

  private final Path root;
  private final Connection db;

  MetaFiles(Path root, Connection db) {
    this.root = root;
    this.db = db;
  }

  /**
   * {@code meta/tasks.parquet} as pandas writes it: the task string is the (named-less) index
   * column {@code __index_level_0__}, declared in the {@code pandas} key-value metadata, so
   * LeRobot's {@code pd.read_parquet(...)} gets the strings back as the index.
   */
  void writeTasksParquet(Map<String, Integer> tasks) throws SQLException, IOException {
    Sql.execute(db, "CREATE TABLE tasks (task_index BIGINT, __index_level_0__ VARCHAR)");
    StringBuilder insert = new StringBuilder("INSERT INTO tasks VALUES ");
    boolean first = true;
    for (Map.Entry<String, Integer> t : tasks.entrySet()) {
      if (!first) insert.append(", ");
      first = false;
      insert
          .append('(')
          .append(t.getValue())
          .append(", ")
          .append(Sql.string(t.getKey()))
          .append(')');
    }
    Sql.execute(db, insert.toString());
    String pandas =
        "{\"index_columns\": [\"__index_level_0__\"], \"column_indexes\": [{\"name\": null, \"field_name\": null, "
            + "\"pandas_type\": \"unicode\", \"numpy_type\": \"object\", \"metadata\": {\"encoding\": \"UTF-8\"}}], "
            + "\"columns\": [{\"name\": \"task_index\", \"field_name\": \"task_index\", \"pandas_type\": \"int64\", \"numpy_type\": \"int64\", \"metadata\": null}, "
            + "{\"name\": null, \"field_name\": \"__index_level_0__\", \"pandas_type\": \"unicode\", \"numpy_type\": \"object\", \"metadata\": null}], "
            + "\"attributes\": {}, \"creator\": {\"library\": \"wam4j\", \"version\": \"0.1\"}, \"pandas_version\": \"2.2.0\"}";
    Path file = root.resolve("meta/tasks.parquet");
    Files.createDirectories(file.getParent());
    Sql.copyToParquet(db, "tasks", file, "{pandas: " + Sql.string(pandas) + "}");
    Sql.execute(db, "DROP TABLE tasks");
  }

  /**
   * {@code meta/episodes/chunk-000/file-000.parquet}: one row per episode, flattened statistics.
   */
  void writeEpisodesParquet(List<EpisodeRow> rows, List<String> videoKeys)
      throws SQLException, IOException {
    List<String> columns = new ArrayList<>();
    List<String> types = new ArrayList<>();
    add(columns, types, "episode_index", "BIGINT");
    add(columns, types, "tasks", "VARCHAR[]");
    add(columns, types, "length", "BIGINT");
    add(columns, types, "data/chunk_index", "BIGINT");
    add(columns, types, "data/file_index", "BIGINT");
    add(columns, types, "dataset_from_index", "BIGINT");
    add(columns, types, "dataset_to_index", "BIGINT");
    for (String key : videoKeys) {
      String p = "videos/" + key + "/";
      add(columns, types, p + "chunk_index", "BIGINT");
      add(columns, types, p + "file_index", "BIGINT");
      add(columns, types, p + "from_timestamp", "DOUBLE");
      add(columns, types, p + "to_timestamp", "DOUBLE");
    }
    Map<String, FeatureStats> firstStats = rows.get(0).stats();
    for (Map.Entry<String, FeatureStats> e : firstStats.entrySet()) {
      FeatureStats s = e.getValue();
      String p = "stats/" + e.getKey() + "/";
      String list = s.image ? "DOUBLE[][][]" : "DOUBLE[]";
      add(columns, types, p + "min", s.integer ? "BIGINT[]" : list);
      add(columns, types, p + "max", s.integer ? "BIGINT[]" : list);
      add(columns, types, p + "mean", list);
      add(columns, types, p + "std", list);
      add(columns, types, p + "count", "BIGINT[]");
      for (String q : FeatureStats.QUANTILE_NAMES) add(columns, types, p + q, list);
    }
    add(columns, types, "meta/episodes/chunk_index", "BIGINT");
    add(columns, types, "meta/episodes/file_index", "BIGINT");

    StringBuilder ddl = new StringBuilder("CREATE TABLE episodes (");
    for (int i = 0; i < columns.size(); i++) {
      if (i > 0) ddl.append(", ");
      ddl.append(Sql.ident(columns.get(i))).append(' ').append(types.get(i));
    }
    Sql.execute(db, ddl.append(')').toString());
    // The rows go through a JSON lines file that DuckDB reads in one go: VALUES lists of nested
    // list literals cost DuckDB's binder ~50 us each, most of a merge of thousands of episodes.
    Path rowsFile = root.resolve("meta/.episodes-rows.jsonl");
    Files.createDirectories(rowsFile.getParent());
    try (BufferedWriter w = Files.newBufferedWriter(rowsFile, StandardCharsets.UTF_8)) {
      for (EpisodeRow r : rows) {
        ObjectNode n = NODES.objectNode();
        int c = 0;
        n.put(columns.get(c++), r.index());
        ArrayNode tasks = n.putArray(columns.get(c++));
        r.tasks().forEach(tasks::add);
        n.put(columns.get(c++), r.length());
        n.put(columns.get(c++), r.dataChunk());
        n.put(columns.get(c++), r.dataFile());
        n.put(columns.get(c++), r.from());
        n.put(columns.get(c++), r.to());
        for (VideoSpan s : r.videos()) {
          n.put(columns.get(c++), s.chunk());
          n.put(columns.get(c++), s.file());
          n.set(columns.get(c++), jsonNumber(s.from()));
          n.set(columns.get(c++), jsonNumber(s.to()));
        }
        for (String key : firstStats.keySet()) {
          FeatureStats s = r.stats().get(key);
          n.set(columns.get(c++), jsonList(s.min, s.image, s.integer));
          n.set(columns.get(c++), jsonList(s.max, s.image, s.integer));
          n.set(columns.get(c++), jsonList(s.mean, s.image, false));
          n.set(columns.get(c++), jsonList(s.std, s.image, false));
          n.putArray(columns.get(c++)).add(s.count);
          for (double[] q : s.quantiles) n.set(columns.get(c++), jsonList(q, s.image, false));
        }
        n.put(columns.get(c++), 0);
        n.put(columns.get(c++), 0);
        w.write(JSONL.writeValueAsString(n));
        w.write('\n');
      }
    }
    StringBuilder spec = new StringBuilder("{");
    for (int i = 0; i < columns.size(); i++) {
      if (i > 0) spec.append(", ");
      spec.append(Sql.string(columns.get(i))).append(": ").append(Sql.string(types.get(i)));
    }
    try {
      Sql.execute(
          db,
          "INSERT INTO episodes SELECT * FROM read_json("
              + Sql.path(rowsFile)
              + ", format = 'newline_delimited', columns = "
              + spec
              + "})");
    } finally {
      Files.deleteIfExists(rowsFile);
    }
    Path file = root.resolve("meta/episodes/chunk-000/file-000.parquet");
    Files.createDirectories(file.getParent());
    Sql.copyToParquet(db, "episodes", file, null);
    Sql.execute(db, "DROP TABLE episodes");
  }

  private static void add(List<String> columns, List<String> types, String name, String type) {
    columns.add(name);
    types.add(type);
  }

  /**
   * A double as JSON: a number (Jackson writes the shortest repr, which DuckDB's reader parses
   * exactly), or for NaN and infinities the string DuckDB casts to them.
   */
  private static com.fasterxml.jackson.databind.JsonNode jsonNumber(double v) {
    if (Double.isFinite(v)) return NODES.numberNode(v);
    return NODES.textNode(Double.isNaN(v) ? "nan" : v > 0 ? "inf" : "-inf");
  }

  /** Per-dimension values as a JSON list; images as LeRobot's (channels, 1, 1) nesting. */
  private static ArrayNode jsonList(double[] v, boolean image, boolean integer) {
    ArrayNode a = NODES.arrayNode();
    for (double x : v) {
      com.fasterxml.jackson.databind.JsonNode e =
          integer ? NODES.numberNode((long) x) : jsonNumber(x);
      if (image) a.addArray().addArray().add(e);
      else a.add(e);
    }
    return a;
  }

  /**
   * v2.1: {@code meta/tasks.jsonl}, {@code meta/episodes.jsonl} and {@code
   * meta/episodes_stats.jsonl}.
   */
  void writeV21Jsonl(Map<String, Integer> tasks, List<EpisodeRow> rows) throws IOException {
    Path meta = root.resolve("meta");
    Files.createDirectories(meta);
    try (BufferedWriter w =
        Files.newBufferedWriter(meta.resolve("tasks.jsonl"), StandardCharsets.UTF_8)) {
      for (Map.Entry<String, Integer> t : tasks.entrySet()) {
        ObjectNode n = NODES.objectNode();
        n.put("task_index", t.getValue());
        n.put("task", t.getKey());
        w.write(JSONL.writeValueAsString(n));
        w.write('\n');
      }
    }
    try (BufferedWriter w =
        Files.newBufferedWriter(meta.resolve("episodes.jsonl"), StandardCharsets.UTF_8)) {
      for (EpisodeRow r : rows) {
        ObjectNode n = NODES.objectNode();
        n.put("episode_index", r.index());
        ArrayNode episodeTasks = n.putArray("tasks");
        r.tasks().forEach(episodeTasks::add);
        n.put("length", r.length());
        w.write(JSONL.writeValueAsString(n));
        w.write('\n');
      }
    }
    try (BufferedWriter w =
        Files.newBufferedWriter(meta.resolve("episodes_stats.jsonl"), StandardCharsets.UTF_8)) {
      for (EpisodeRow r : rows) {
        ObjectNode n = NODES.objectNode();
        n.put("episode_index", r.index());
        ObjectNode stats = n.putObject("stats");
        for (Map.Entry<String, FeatureStats> e : r.stats().entrySet())
          stats.set(e.getKey(), statsNode(e.getValue(), false));
        w.write(JSONL.writeValueAsString(n));
        w.write('\n');
      }
    }
  }

  /**
   * {@code meta/stats.json}: per feature the statistics of {@code rows} aggregated ({@link
   * FeatureStats#aggregate}); v3.0 has {@code quantiles}.
   */
  void writeStatsJson(List<EpisodeRow> rows, boolean quantiles) throws IOException {
    ObjectNode root = NODES.objectNode();
    for (String key : rows.get(0).stats().keySet()) {
      List<FeatureStats> parts = new ArrayList<>(rows.size());
      for (EpisodeRow r : rows) parts.add(r.stats().get(key));
      root.set(key, statsNode(FeatureStats.aggregate(parts), quantiles));
    }
    Path file = this.root.resolve("meta/stats.json");
    Files.createDirectories(file.getParent());
    Files.writeString(file, JSON.writeValueAsString(root), StandardCharsets.UTF_8);
  }

  private static ObjectNode statsNode(FeatureStats s, boolean quantiles) {
    ObjectNode n = NODES.objectNode();
    double[][] moments = {s.min, s.max, s.mean, s.std};
    for (int m = 0; m < MOMENTS.length; m++)
      n.set(MOMENTS[m], array(moments[m], s.image, s.integer && m < 2));
    n.putArray("count").add(s.count);
    if (quantiles) {
      for (int k = 0; k < FeatureStats.QUANTILE_NAMES.length; k++)
        n.set(FeatureStats.QUANTILE_NAMES[k], array(s.quantiles[k], s.image, false));
    }
    return n;
  }

  private static ArrayNode array(double[] v, boolean image, boolean integer) {
    ArrayNode a = NODES.arrayNode();
    for (double x : v) {
      if (image) {
        a.addArray().addArray().add(x);
      } else if (integer) {
        a.add((long) x);
      } else {
        a.add(x);
      }
    }
    return a;
  }

  /**
   * LeRobot writes whole sizes as JSON integers (100, not 100.0); fractional limits stay decimals.
   */
  static void putSize(ObjectNode info, String field, double mib) {
    if (mib == Math.rint(mib) && Math.abs(mib) < 0x1p53) info.put(field, (long) mib);
    else info.put(field, mib);
  }

  /**
   * {@code meta/info.json} of a dataset written with {@code config}; see {@link
   * #writeInfoJson(ObjectNode)}.
   */
  void writeInfoJson(
      LeRobotWriteConfig config,
      int episodes,
      long frames,
      int tasks,
      int totalVideos,
      int totalChunks)
      throws IOException {
    boolean v3 = config.version() == LeRobotWriteConfig.Version.V3_0;
    boolean hasVideo = config.features().stream().anyMatch(f -> f instanceof WriteFeature.Video);
    ObjectNode info = NODES.objectNode();
    info.put("codebase_version", config.version().tag());
    info.put("robot_type", config.robotType());
    info.put("total_episodes", episodes);
    info.put("total_frames", frames);
    info.put("total_tasks", tasks);
    if (!v3) {
      info.put("total_videos", totalVideos);
      info.put("total_chunks", totalChunks);
    }
    info.put("chunks_size", config.chunksSize());
    if (v3) {
      putSize(info, "data_files_size_in_mb", config.dataFilesSizeMb());
      putSize(info, "video_files_size_in_mb", config.videoFilesSizeMb());
    }
    info.put("fps", config.fps());
    info.putObject("splits").put("train", "0:" + episodes);
    if (v3) {
      info.put("data_path", V3Paths.DATA_TEMPLATE);
      if (hasVideo) info.put("video_path", V3Paths.VIDEO_TEMPLATE);
      else info.putNull("video_path");
    } else {
      info.put("data_path", "data/chunk-{episode_chunk:03d}/episode_{episode_index:06d}.parquet");
      if (hasVideo)
        info.put(
            "video_path",
            "videos/chunk-{episode_chunk:03d}/{video_key}/episode_{episode_index:06d}.mp4");
      else info.putNull("video_path");
    }
    ObjectNode features = info.putObject("features");
    for (WriteFeature f : config.features()) {
      ObjectNode n = features.putObject(f.key());
      switch (f) {
        case WriteFeature.Vector v -> {
          n.put("dtype", "float32");
          n.putArray("shape").add(v.dim());
          ArrayNode names = n.putArray("names");
          v.names().forEach(names::add);
        }
        case WriteFeature.Scalar s -> {
          n.put("dtype", s.type().numpy);
          n.putArray("shape").add(1);
          n.putNull("names");
        }
        case WriteFeature.Video v -> {
          n.put("dtype", "video");
          n.putArray("shape").add(v.height()).add(v.width()).add(3);
          n.putArray("names").add("height").add("width").add("channels");
          ObjectNode vi = n.putObject("info");
          vi.put("video.height", v.height());
          vi.put("video.width", v.width());
          vi.put("video.codec", LeRobotWriter.codecName(config.encoding()));
          vi.put("video.pix_fmt", "yuv420p");
          vi.put("video.is_depth_map", false);
          vi.put("video.fps", config.fps());
          vi.put("video.channels", 3);
          vi.put("has_audio", false);
        }
      }
    }
    for (String key :
        new String[] {"timestamp", "frame_index", "episode_index", "index", "task_index"}) {
      ObjectNode n = features.putObject(key);
      n.put("dtype", key.equals("timestamp") ? "float32" : "int64");
      n.putArray("shape").add(1);
      n.putNull("names");
    }
    writeInfoJson(info);
  }

  /** Writes {@code meta/info.json}; last, since its presence is what marks a complete dataset. */
  void writeInfoJson(ObjectNode info) throws IOException {
    Files.writeString(
        root.resolve("meta/info.json"), JSON.writeValueAsString(info), StandardCharsets.UTF_8);
  }
}
