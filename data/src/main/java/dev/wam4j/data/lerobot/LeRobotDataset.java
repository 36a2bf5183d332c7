package dev.wam4j.data.lerobot;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wam4j.data.video.VideoException;
import dev.wam4j.data.video.VideoReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Array;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * A LeRobot dataset (v2.0, v2.1 or v3.0) opened for reading: metadata, random access to a frame's
 * values and decoded frames (video features from mp4, image features from PNG/JPEG bytes in the parquet),
 * sequential column batches for training, and SQL over its parquet.
 *
 * <p>{@link #open} reads {@code meta/} and checks the episodes metadata against the data files (row
 * counts and global index ranges); a disagreement is a {@link LeRobotFormatException} naming the
 * episodes file. Data or video files that are referenced but absent are listed by {@link #missingFiles()}
 * rather than refused: a dataset whose videos were not downloaded still serves its tabular columns.
 *
 * <p>Owns an embedded DuckDB connection and open video decoders: close it (try-with-resources). Not
 * thread-safe; open one instance per thread (each has its own connection).
 */
public final class LeRobotDataset implements AutoCloseable {
  /** A decoded frame must lie this close (seconds) to the time the metadata gives for it, as in LeRobot. */
  public static final double TIMESTAMP_TOLERANCE_S = 1e-4;

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final Path root;
  private final LeRobotInfo info;
  private final List<Episode> episodes;
  private final Map<Integer, Episode> byIndex;
  private final Map<Integer, String> tasks;
  private final Path tasksFile;
  private final List<Path> episodeMetadataFiles;
  private final Connection connection;
  private final Map<Path, Map<String, String>> columnTypes = new HashMap<>();
  private final Map<String, OpenVideo> videos = new HashMap<>();
  private final Map<String, ImageEpisode> images = new HashMap<>();
  private boolean viewsCreated;
  private int cachedEpisode = -1;
  private List<Feature> cachedFeatures;
  private Object[] cachedColumns;

  private LeRobotDataset(Path root, LeRobotInfo info, List<Episode> episodes, Map<Integer, String> tasks,
      Path tasksFile, List<Path> episodeMetadataFiles, Connection connection) {
    this.root = root;
    this.info = info;
    this.episodes = List.copyOf(episodes);
    Map<Integer, Episode> m = new HashMap<>();
    for (Episode e : episodes) {
      m.put(e.index(), e);
    }
    this.byIndex = m;
    this.tasks = Collections.unmodifiableMap(new TreeMap<>(tasks));
    this.tasksFile = tasksFile;
    this.episodeMetadataFiles = List.copyOf(episodeMetadataFiles);
    this.connection = connection;
  }

  /**
   * Opens the dataset in folder {@code root} and checks its episodes metadata against the data.
   *
   * @throws LeRobotFormatException when metadata is missing or malformed, a parquet file is unreadable,
   *     or the episodes metadata disagrees with the data; the message names the file
   * @throws IOException when the folder cannot be read
   */
  public static LeRobotDataset open(Path root) throws IOException {
    return open(root, true);
  }

  /** {@link #open(Path)}, optionally without the data check, for {@link DatasetValidation}. */
  static LeRobotDataset open(Path root, boolean checkData) throws IOException {
    Path dir = root.toAbsolutePath().normalize();
    if (!Files.isDirectory(dir)) {
      throw new LeRobotFormatException(dir, "not a folder");
    }
    LeRobotInfo info = LeRobotInfo.read(dir.resolve("meta").resolve("info.json"));
    Connection c;
    try {
      c = Duck.connect();
    } catch (SQLException e) {
      throw new IOException("cannot start DuckDB: " + Duck.message(e), e);
    }
    try {
      Map<Integer, String> tasks = new HashMap<>();
      List<Episode> episodes;
      List<Path> metaFiles = new ArrayList<>();
      Path tasksFile;
      if (info.version().perEpisodeFiles()) {
        tasksFile = dir.resolve("meta/tasks.jsonl");
        readTasksJsonl(tasksFile, tasks);
        Path epFile = dir.resolve("meta/episodes.jsonl");
        metaFiles.add(epFile);
        episodes = readEpisodesJsonl(dir, info, epFile);
      } else {
        tasksFile = dir.resolve("meta/tasks.parquet");
        readTasksParquet(c, tasksFile, tasks);
        metaFiles.addAll(episodeParquetFiles(dir));
        episodes = new ArrayList<>();
        for (Path f : metaFiles) {
          readEpisodesParquet(c, dir, info, f, episodes);
        }
        episodes.sort((a, b) -> Integer.compare(a.index(), b.index()));
      }
      LeRobotDataset ds = new LeRobotDataset(dir, info, episodes, tasks, tasksFile, metaFiles, c);
      if (checkData) {
        List<DatasetProblem> problems = ds.checkEpisodesAgainstData(false);
        if (!problems.isEmpty()) {
          DatasetProblem p = problems.get(0);
          throw new LeRobotFormatException(p.file(), p.message()
              + (problems.size() > 1 ? " (and " + (problems.size() - 1) + " more problems)" : ""));
        }
      }
      return ds;
    } catch (IOException | RuntimeException | Error e) {
      try {
        c.close();
      } catch (SQLException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    }
  }

  // ---------------------------------------------------------------- metadata

  /** The dataset folder (absolute). */
  public Path root() {
    return root;
  }

  /** The parsed {@code meta/info.json}. */
  public LeRobotInfo info() {
    return info;
  }

  /** The layout version. */
  public CodebaseVersion version() {
    return info.version();
  }

  /** Frames per second. */
  public double fps() {
    return info.fps();
  }

  /** Episodes in {@code episode_index} order. */
  public List<Episode> episodes() {
    return episodes;
  }

  /** The episode with {@code episode_index} {@code index}. */
  public Episode episode(int index) {
    Episode e = byIndex.get(index);
    if (e == null) {
      throw new IllegalArgumentException(root + ": no episode " + index + " (" + episodes.size() + " episodes)");
    }
    return e;
  }

  /** Task strings by {@code task_index}. */
  public Map<Integer, String> tasks() {
    return tasks;
  }

  /** Features in info.json order. */
  public Map<String, Feature> features() {
    return info.features();
  }

  /** Keys of the video features (frames in mp4 files). */
  public List<String> videoKeys() {
    return info.videoKeys();
  }

  /** Keys of the image features (frames as PNG or JPEG bytes in the parquet). */
  public List<String> imageKeys() {
    return info.imageKeys();
  }

  /** Keys of every feature that holds frames, video or image: what {@link #readFrame} accepts. */
  public List<String> frameKeys() {
    return info.frameKeys();
  }

  /** The metadata files the episodes were read from. */
  public List<Path> episodeMetadataFiles() {
    return episodeMetadataFiles;
  }

  /** The tasks metadata file ({@code meta/tasks.jsonl} or {@code meta/tasks.parquet}). */
  public Path tasksFile() {
    return tasksFile;
  }

  /** Data files in episode order, without repeats. */
  public List<Path> dataFiles() {
    Set<Path> files = new LinkedHashSet<>();
    for (Episode e : episodes) {
      files.add(e.dataFile());
    }
    return List.copyOf(files);
  }

  /** Video files in episode order, without repeats. */
  public List<Path> videoFiles() {
    Set<Path> files = new LinkedHashSet<>();
    for (Episode e : episodes) {
      for (String key : info.videoKeys()) {
        VideoSegment s = e.videos().get(key);
        if (s != null) {
          files.add(s.file());
        }
      }
    }
    return List.copyOf(files);
  }

  /** Data and video files the metadata references that do not exist, sorted. */
  public List<Path> missingFiles() {
    Set<Path> missing = new java.util.TreeSet<>();
    for (Path p : dataFiles()) {
      if (!Files.isRegularFile(p)) missing.add(p);
    }
    for (Path p : videoFiles()) {
      if (!Files.isRegularFile(p)) missing.add(p);
    }
    return List.copyOf(missing);
  }

  // ---------------------------------------------------------------- random access

  /**
   * The numeric values of frame {@code frame} of episode {@code episode}. Reads (and keeps) the whole
   * episode's columns on first access, so walking an episode's frames costs one query.
   *
   * @throws IllegalArgumentException for an unknown episode or a frame outside [0, length)
   * @throws LeRobotFormatException when the data file is missing, unreadable or disagrees with the metadata
   */
  public Row row(int episode, int frame) throws LeRobotFormatException {
    Episode e = episode(episode);
    checkFrame(e, frame);
    loadEpisode(e);
    Map<String, Object> values = new LinkedHashMap<>();
    for (int j = 0; j < cachedFeatures.size(); j++) {
      Feature f = cachedFeatures.get(j);
      int w = f.elementCount();
      Object a = cachedColumns[j];
      Object v = switch (a) {
        case float[] x -> Arrays.copyOfRange(x, frame * w, frame * w + w);
        case double[] x -> Arrays.copyOfRange(x, frame * w, frame * w + w);
        case long[] x -> Arrays.copyOfRange(x, frame * w, frame * w + w);
        default -> throw new IllegalStateException(a.getClass().toString());
      };
      values.put(f.name(), v);
    }
    return new Row(episode, frame, values);
  }

  private void loadEpisode(Episode e) throws LeRobotFormatException {
    if (cachedEpisode == e.index()) {
      return;
    }
    cachedEpisode = -1;
    Path file = e.dataFile();
    if (!Files.isRegularFile(file)) {
      throw new LeRobotFormatException(file, "data file of episode " + e.index() + " not found");
    }
    Map<String, String> types = columnTypes(file);
    List<Feature> features = new ArrayList<>();
    for (Feature f : info.features().values()) {
      if (f.isNumeric() && types.containsKey(f.name())) {
        features.add(f);
      }
    }
    Object[] cols = ParquetColumns.read(connection, file, types, features,
        "episode_index = " + e.index() + " ORDER BY frame_index", e.length());
    cachedFeatures = features;
    cachedColumns = cols;
    cachedEpisode = e.index();
  }

  private Map<String, String> columnTypes(Path file) throws LeRobotFormatException {
    Map<String, String> t = columnTypes.get(file);
    if (t == null) {
      t = ParquetColumns.describe(connection, file);
      columnTypes.put(file, t);
    }
    return t;
  }

  private static void checkFrame(Episode e, int frame) {
    if (frame < 0 || frame >= e.length()) {
      throw new IllegalArgumentException("episode " + e.index() + " has frames 0.." + (e.length() - 1) + ", not " + frame);
    }
  }

  /** Bytes of one RGB frame of video or image feature {@code key}, from info.json's shape. */
  public int frameBytes(String key) {
    Feature f = frameFeature(key);
    return f.height() * f.width() * 3;
  }

  /** {@link #readFrame} into a fresh array of {@link #frameBytes(String)} bytes. */
  public byte[] frame(int episode, int frame, String key) throws IOException {
    byte[] out = new byte[frameBytes(key)];
    readFrame(episode, frame, key, out, 0);
    return out;
  }

  /**
   * Frame {@code frame} of episode {@code episode} of feature {@code key} as packed HWC RGB, whichever
   * kind the feature is: a video is decoded as {@link #readVideoFrame} does, an image as
   * {@link #readImageFrame} does.
   *
   * @throws IllegalArgumentException for an unknown episode or key, a key that holds no frames, or a frame
   *     outside the episode
   * @throws LeRobotFormatException when the frame is missing or cannot be decoded; the message names the
   *     file, episode and frame
   */
  public void readFrame(int episode, int frame, String key, byte[] rgbOut, int offset) throws IOException {
    if (frameFeature(key).isVideo()) {
      readVideoFrame(episode, frame, key, rgbOut, offset);
    } else {
      readImageFrame(episode, frame, key, rgbOut, offset);
    }
  }

  /** {@link #readVideoFrame} into a fresh array of {@link #frameBytes(String)} bytes. */
  public byte[] videoFrame(int episode, int frame, String key) throws IOException {
    videoFeature(key);
    byte[] out = new byte[frameBytes(key)];
    readVideoFrame(episode, frame, key, out, 0);
    return out;
  }

  /**
   * Decodes frame {@code frame} of episode {@code episode} of image feature {@code key} into
   * {@code rgbOut} as packed HWC RGB: the PNG or JPEG in the row's {@code key.bytes} (a column of
   * {@code {bytes, path}} structs, or plain bytes) is decoded with ImageIO; see {@link ImageDecoding} for
   * the gray, alpha and deep-sample conversions. Reads (and keeps) the whole episode's image bytes on
   * first access, so walking an episode's frames costs one query.
   *
   * @throws IllegalArgumentException for an unknown key or episode, a key that is no image, or a frame
   *     outside the episode
   * @throws LeRobotFormatException when the data file is missing, the column is absent or of another
   *     type, or the frame's bytes are null, undecodable or of another size than info.json says; the
   *     message names the data file, episode and frame
   */
  public void readImageFrame(int episode, int frame, String key, byte[] rgbOut, int offset) throws IOException {
    Feature f = info.feature(key);
    if (!f.isImage()) {
      throw new IllegalArgumentException(root + ": feature '" + key + "' is " + f.dtype() + ", not an image; image keys are "
          + info.imageKeys());
    }
    Episode e = episode(episode);
    checkFrame(e, frame);
    int bytes = f.height() * f.width() * 3;
    if (offset < 0 || rgbOut.length - offset < bytes) {
      throw new IllegalArgumentException(key + ": a " + f.width() + "x" + f.height() + " RGB frame needs " + bytes
          + " bytes from offset " + offset + ", array has " + rgbOut.length);
    }
    ImageEpisode cached = images.get(key);
    if (cached == null || cached.episode != e.index()) {
      images.remove(key);
      cached = loadImages(e, key);
      images.put(key, cached);
    }
    byte[] encoded = cached.bytes[frame];
    if (encoded == null) {
      throw new LeRobotFormatException(e.dataFile(), "episode " + episode + " frame " + frame + " of " + key
          + ": the image bytes are null" + (cached.paths[frame] == null ? "" : " (path " + cached.paths[frame] + ")"));
    }
    try {
      ImageDecoding.decodeRgb(encoded, f.width(), f.height(), rgbOut, offset);
    } catch (IllegalArgumentException ex) {
      throw new LeRobotFormatException(e.dataFile(), "episode " + episode + " frame " + frame + " of " + key + ": "
          + ex.getMessage(), ex);
    }
  }

  private ImageEpisode loadImages(Episode e, String key) throws LeRobotFormatException {
    Path file = e.dataFile();
    if (!Files.isRegularFile(file)) {
      throw new LeRobotFormatException(file, "data file of episode " + e.index() + " not found");
    }
    String type = columnTypes(file).get(key);
    if (type == null) {
      throw new LeRobotFormatException(file, "no column '" + key + "' (image feature of info.json); columns are "
          + columnTypes(file).keySet());
    }
    String col = Duck.ident(key);
    String bytesSql;
    String pathSql = "NULL";
    if (type.equals("BLOB")) {
      bytesSql = col;
    } else if (type.startsWith("STRUCT(") && type.contains("bytes BLOB")) {
      // Hugging Face's Image feature: struct {bytes, path}; the path only helps an error message.
      bytesSql = "struct_extract(" + col + ", 'bytes')";
      if (type.contains("path VARCHAR")) {
        pathSql = "struct_extract(" + col + ", 'path')";
      }
    } else {
      throw new LeRobotFormatException(file, "column '" + key + "' is " + type
          + ", an image feature needs STRUCT(bytes BLOB, path VARCHAR) or BLOB");
    }
    int n = e.length();
    byte[][] bytes = new byte[n][];
    String[] paths = new String[n];
    String sql = "SELECT frame_index, " + bytesSql + ", " + pathSql + " FROM read_parquet(" + Duck.literal(file)
        + ") WHERE episode_index = " + e.index() + " ORDER BY frame_index";
    int row = 0;
    try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      while (rs.next()) {
        long fi = rs.getLong(1);
        if (row == n || fi != row) {
          throw new LeRobotFormatException(file, "episode " + e.index() + " of length " + n + " has a row with frame_index "
              + fi + " where frame " + row + " was expected");
        }
        bytes[row] = rs.getBytes(2);
        paths[row] = rs.getString(3);
        row++;
      }
    } catch (SQLException ex) {
      throw new LeRobotFormatException(file, "cannot read column '" + key + "': " + Duck.message(ex), ex);
    }
    if (row != n) {
      throw new LeRobotFormatException(file, "episode " + e.index() + " has " + row + " rows, its length is " + n);
    }
    return new ImageEpisode(e.index(), bytes, paths);
  }

  /** One episode's encoded images of one key, indexed by frame. */
  private record ImageEpisode(int episode, byte[][] bytes, String[] paths) {}

  /**
   * Decodes frame {@code frame} of episode {@code episode} of video feature {@code key} into
   * {@code rgbOut} as packed HWC RGB. The frame is the one at {@code from_timestamp + frame / fps} in the
   * episode's mp4; it must lie within {@link #TIMESTAMP_TOLERANCE_S} of that time. Consecutive frames of
   * one file decode without seeking, so walking an episode costs one decode per frame.
   *
   * @throws IllegalArgumentException for an unknown key or episode, or a frame outside the episode
   * @throws LeRobotFormatException when the video file is missing, has another frame size than info.json,
   *     or has no frame at the expected time
   * @throws VideoException when the file cannot be decoded (corrupted); the message names the file
   */
  public void readVideoFrame(int episode, int frame, String key, byte[] rgbOut, int offset) throws IOException {
    Feature f = videoFeature(key);
    Episode e = episode(episode);
    checkFrame(e, frame);
    VideoSegment seg = e.videos().get(key);
    if (seg == null) {
      throw new LeRobotFormatException(e.metadataFile(), "episode " + episode + " has no video segment for " + key);
    }
    if (!Files.isRegularFile(seg.file())) {
      throw new LeRobotFormatException(seg.file(), "video file of " + key + " for episode " + episode + " not found");
    }
    OpenVideo v = videos.get(key);
    if (v == null || !v.file.equals(seg.file())) {
      if (v != null) {
        v.reader.close();
        videos.remove(key);
      }
      VideoReader r = VideoReader.open(seg.file());
      // Check before caching: a reader kept after a failed check would write wrong-size frames later.
      if (r.info().width() != f.width() || r.info().height() != f.height()) {
        int w = r.info().width(), h = r.info().height();
        r.close();
        throw new LeRobotFormatException(seg.file(), "frames are " + w + "x" + h
            + ", info.json feature " + key + " says " + f.width() + "x" + f.height());
      }
      v = new OpenVideo(seg.file(), r);
      videos.put(key, v);
    }
    double target = seg.fromTimestamp() + frame / info.fps();
    double got;
    double interval = 1 / info.fps();
    if (v.lastTime >= 0 && Math.abs(target - (v.lastTime + interval)) <= TIMESTAMP_TOLERANCE_S) {
      if (!v.reader.readFrame(rgbOut, offset)) {
        throw new LeRobotFormatException(seg.file(), "no frame at " + target + " s (episode " + episode
            + " frame " + frame + " of " + key + "): the stream ends before it");
      }
      got = v.reader.frameTime();
    } else {
      try {
        got = v.reader.seek(target, rgbOut, offset);
      } catch (IllegalArgumentException ex) {
        v.lastTime = -1;
        throw new LeRobotFormatException(seg.file(), "no frame at " + target + " s (episode " + episode
            + " frame " + frame + " of " + key + "): " + ex.getMessage());
      }
    }
    v.lastTime = got;
    if (Math.abs(got - target) > TIMESTAMP_TOLERANCE_S) {
      v.lastTime = -1;
      throw new LeRobotFormatException(seg.file(), "episode " + episode + " frame " + frame + " of " + key
          + " should be at " + target + " s, nearest frame is at " + got + " s (tolerance "
          + TIMESTAMP_TOLERANCE_S + " s)");
    }
  }

  private Feature frameFeature(String key) {
    Feature f = info.feature(key);
    if (!f.isVisual()) {
      throw new IllegalArgumentException(root + ": feature '" + key + "' is " + f.dtype()
          + ", not a video or image; frame keys are " + info.frameKeys());
    }
    return f;
  }

  private Feature videoFeature(String key) {
    Feature f = info.feature(key);
    if (!f.isVideo()) {
      throw new IllegalArgumentException(root + ": feature '" + key + "' is " + f.dtype() + ", not a video; video keys are "
          + info.videoKeys());
    }
    return f;
  }

  private static final class OpenVideo {
    final Path file;
    final VideoReader reader;
    double lastTime = -1;

    OpenVideo(Path file, VideoReader reader) {
      this.file = file;
      this.reader = reader;
    }
  }

  // ---------------------------------------------------------------- sequential batches

  /**
   * Sequential batches of the numeric features {@code keys} over every frame of the dataset.
   *
   * @param keys numeric feature keys, e.g. {@code observation.state} and {@code action}
   * @param batchSize rows per batch, at least 1
   * @throws IllegalArgumentException for an unknown or non-numeric key or a batch size below 1
   */
  public ColumnBatchIterator batches(List<String> keys, int batchSize) {
    if (batchSize < 1) {
      throw new IllegalArgumentException("batch size must be at least 1, got " + batchSize);
    }
    if (keys.isEmpty()) {
      throw new IllegalArgumentException("batches need at least one feature key");
    }
    List<Feature> features = new ArrayList<>();
    for (String k : keys) {
      Feature f = info.feature(k);
      if (!f.isNumeric()) {
        throw new IllegalArgumentException(root + ": feature '" + k + "' is " + f.dtype() + ", not numeric");
      }
      features.add(f);
    }
    return new ColumnBatchIterator(connection, dataFiles(), features, batchSize);
  }

  // ---------------------------------------------------------------- SQL

  /**
   * Runs {@code sql} with views {@code data} (every present data file), {@code episodes} (the episodes
   * metadata as stored) and {@code tasks} ({@code task_index}, {@code task}).
   *
   * @param maxRows rows to keep; further rows set {@link QueryResult#truncated()}
   * @throws IllegalArgumentException when DuckDB rejects the query (one line, DuckDB's message)
   */
  public QueryResult query(String sql, int maxRows) throws LeRobotFormatException {
    createViews();
    try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      ResultSetMetaData md = rs.getMetaData();
      List<String> columns = new ArrayList<>();
      for (int i = 1; i <= md.getColumnCount(); i++) {
        columns.add(md.getColumnLabel(i));
      }
      List<List<Object>> rows = new ArrayList<>();
      boolean truncated = false;
      while (rs.next()) {
        if (rows.size() == maxRows) {
          truncated = true;
          break;
        }
        List<Object> row = new ArrayList<>(columns.size());
        for (int i = 1; i <= columns.size(); i++) {
          row.add(plain(rs.getObject(i)));
        }
        rows.add(row);
      }
      return new QueryResult(columns, rows, truncated);
    } catch (SQLException e) {
      throw new IllegalArgumentException("sql: " + Duck.message(e), e);
    }
  }

  private static Object plain(Object v) throws SQLException {
    if (v instanceof Array a) {
      Object[] items = (Object[]) a.getArray();
      List<Object> out = new ArrayList<>(items.length);
      for (Object o : items) {
        out.add(plain(o));
      }
      return out;
    }
    if (v instanceof java.sql.Struct s) {
      List<Object> out = new ArrayList<>();
      for (Object o : s.getAttributes()) {
        out.add(plain(o));
      }
      return out;
    }
    if (v instanceof Number || v instanceof String || v instanceof Boolean || v == null) {
      return v;
    }
    return v.toString();
  }

  private void createViews() throws LeRobotFormatException {
    if (viewsCreated) {
      return;
    }
    List<Path> present = dataFiles().stream().filter(Files::isRegularFile).toList();
    try (Statement s = connection.createStatement()) {
      if (!present.isEmpty()) {
        s.execute("CREATE VIEW data AS SELECT * FROM read_parquet([" + String.join(", ",
            present.stream().map(Duck::literal).toList()) + "], union_by_name = true)");
      }
      if (info.version().perEpisodeFiles()) {
        s.execute("CREATE VIEW episodes AS SELECT * FROM read_json(" + Duck.literal(episodeMetadataFiles.get(0))
            + ", format = 'newline_delimited')");
        s.execute("CREATE VIEW tasks AS SELECT task_index, task FROM read_json(" + Duck.literal(tasksFile)
            + ", format = 'newline_delimited')");
      } else {
        s.execute("CREATE VIEW episodes AS SELECT * FROM " + Duck.readParquet(episodeMetadataFiles)
            .replace("])", "], union_by_name = true)"));
        s.execute("CREATE VIEW tasks AS SELECT task_index, " + Duck.ident(taskColumn(connection, tasksFile))
            + " AS task FROM read_parquet(" + Duck.literal(tasksFile) + ")");
      }
    } catch (SQLException e) {
      throw new LeRobotFormatException(root, "cannot create SQL views: " + Duck.message(e), e);
    }
    viewsCreated = true;
  }

  // ---------------------------------------------------------------- checks

  /**
   * Compares the episodes metadata with the data files: per episode the row count against
   * {@code length} and the {@code index} range against [dataset_from_index, dataset_to_index); with
   * {@code full}, also index and frame_index continuity and timestamps against frame_index / fps.
   * Missing data files are skipped (they are reported by {@link #missingFiles()}).
   */
  List<DatasetProblem> checkEpisodesAgainstData(boolean full) throws LeRobotFormatException {
    List<DatasetProblem> problems = new ArrayList<>();
    Map<Path, List<Episode>> byFile = new LinkedHashMap<>();
    for (Episode e : episodes) {
      byFile.computeIfAbsent(e.dataFile(), k -> new ArrayList<>()).add(e);
    }
    for (Map.Entry<Path, List<Episode>> entry : byFile.entrySet()) {
      Path file = entry.getKey();
      if (!Files.isRegularFile(file)) {
        continue;
      }
      Map<String, String> types;
      try {
        types = columnTypes(file);
      } catch (LeRobotFormatException ex) {
        problems.add(new DatasetProblem(file, stripFile(ex, file)));
        continue;
      }
      List<String> absent = Stream.of("episode_index", "index", "frame_index", "timestamp")
          .filter(c -> !types.containsKey(c)).toList();
      if (!absent.isEmpty()) {
        problems.add(new DatasetProblem(file, "missing columns " + absent + "; columns are " + types.keySet()));
        continue;
      }
      String sql = "SELECT episode_index, count(*), min(\"index\"), max(\"index\"), min(frame_index), max(frame_index)"
          + (full ? ", count(DISTINCT \"index\"), count(DISTINCT frame_index), count(*) FILTER (WHERE abs(CAST(timestamp AS DOUBLE) - frame_index / "
              + info.fps() + ") > " + TIMESTAMP_TOLERANCE_S + ")" : "")
          + " FROM read_parquet(" + Duck.literal(file) + ") GROUP BY episode_index ORDER BY episode_index";
      Map<Integer, long[]> agg = new LinkedHashMap<>();
      try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery(sql)) {
        int cols = rs.getMetaData().getColumnCount();
        while (rs.next()) {
          long[] a = new long[cols - 1];
          for (int i = 0; i < a.length; i++) {
            a[i] = rs.getLong(i + 2);
          }
          agg.put(rs.getInt(1), a);
        }
      } catch (SQLException ex) {
        problems.add(new DatasetProblem(file, "cannot read parquet: " + Duck.message(ex)));
        continue;
      }
      Set<Integer> expected = new java.util.HashSet<>();
      for (Episode e : entry.getValue()) {
        expected.add(e.index());
        long[] a = agg.get(e.index());
        Path meta = e.metadataFile();
        if (a == null) {
          problems.add(new DatasetProblem(meta, "episode " + e.index() + " (length " + e.length() + ") has no rows in " + file));
          continue;
        }
        if (a[0] != e.length()) {
          problems.add(new DatasetProblem(meta, "episode " + e.index() + " has length " + e.length() + ", but "
              + file + " holds " + a[0] + " rows for it"));
        }
        if (a[1] != e.datasetFrom() || a[2] != e.datasetTo() - 1) {
          problems.add(new DatasetProblem(meta, "episode " + e.index() + " covers index [" + e.datasetFrom() + ", "
              + e.datasetTo() + "), but its rows in " + file + " have index " + a[1] + ".." + a[2]));
        }
        if (full) {
          if (a[5] != a[0] || a[2] - a[1] + 1 != a[0]) {
            problems.add(new DatasetProblem(file, "episode " + e.index() + ": index is not continuous ("
                + a[0] + " rows, " + a[5] + " distinct values in " + a[1] + ".." + a[2] + ")"));
          }
          if (a[3] != 0 || a[4] != a[0] - 1 || a[6] != a[0]) {
            problems.add(new DatasetProblem(file, "episode " + e.index() + ": frame_index is not 0.." + (a[0] - 1)
                + " without gaps (" + a[6] + " distinct values in " + a[3] + ".." + a[4] + ")"));
          }
          if (a[7] != 0) {
            problems.add(new DatasetProblem(file, "episode " + e.index() + ": " + a[7]
                + " rows have a timestamp further than " + TIMESTAMP_TOLERANCE_S + " s from frame_index / fps (fps "
                + info.fps() + ")"));
          }
        }
      }
      for (Integer ep : agg.keySet()) {
        if (!expected.contains(ep)) {
          problems.add(new DatasetProblem(file, "holds " + agg.get(ep)[0] + " rows of episode " + ep
              + ", which the episodes metadata does not place in this file"));
        }
      }
    }
    return problems;
  }

  static String stripFile(LeRobotFormatException e, Path file) {
    String m = e.getMessage();
    String prefix = file + ": ";
    return m.startsWith(prefix) ? m.substring(prefix.length()) : m;
  }

  /** Closes the DuckDB connection and every open video decoder. Idempotent. */
  @Override
  public void close() {
    images.clear();
    for (OpenVideo v : videos.values()) {
      v.reader.close();
    }
    videos.clear();
    try {
      connection.close();
    } catch (SQLException e) {
      // nothing was written through the connection, so there is nothing to lose
    }
  }

  // ---------------------------------------------------------------- metadata readers

  private static void readTasksJsonl(Path file, Map<Integer, String> tasks) throws LeRobotFormatException {
    forEachJsonLine(file, (f, node, key) -> {
      int idx = f.nonNegativeInt(node, "task_index", key + ".task_index");
      String task = f.string(node, "task", key + ".task");
      if (tasks.put(idx, task) != null) {
        throw f.error(key + ".task_index", "task_index " + idx + " appears twice");
      }
    });
  }

  private static List<Episode> readEpisodesJsonl(Path root, LeRobotInfo info, Path file) throws LeRobotFormatException {
    List<Episode> out = new ArrayList<>();
    forEachJsonLine(file, (f, node, key) -> {
      int idx = f.nonNegativeInt(node, "episode_index", key + ".episode_index");
      int length = f.nonNegativeInt(node, "length", key + ".length");
      List<String> tasks = JsonFields.present(node, "tasks") ? f.stringArray(node, "tasks", key + ".tasks") : List.of();
      out.add(new Episode(idx, length, tasks, null, 0, 0, Map.of(), file));
    });
    out.sort((a, b) -> Integer.compare(a.index(), b.index()));
    List<Episode> placed = new ArrayList<>(out.size());
    long from = 0;
    Integer previous = null;
    for (Episode e : out) {
      if (previous != null && previous == e.index()) {
        throw new LeRobotFormatException(file, "episode_index " + e.index() + " appears twice");
      }
      previous = e.index();
      int chunk = e.index() / info.chunksSize();
      Path data = resolve(root, info.dataPath(), Map.of("episode_chunk", chunk, "episode_index", e.index(),
          "chunk_index", chunk), info.file(), "data_path");
      Map<String, VideoSegment> videos = new HashMap<>();
      for (String key : info.videoKeys()) {
        Path v = resolve(root, info.videoPath().orElseThrow(), Map.of("episode_chunk", chunk, "episode_index", e.index(),
            "video_key", key, "chunk_index", chunk), info.file(), "video_path");
        videos.put(key, new VideoSegment(v, 0, e.length() / info.fps()));
      }
      placed.add(new Episode(e.index(), e.length(), e.tasks(), data, from, from + e.length(), videos, file));
      from += e.length();
    }
    return placed;
  }

  /**
   * A file the data set's info.json names, which must lie inside the data set: a template that is
   * absolute or climbs out ({@code ../}) would let a downloaded or uploaded data set read any file.
   */
  private static Path resolve(Path root, String template, Map<String, Object> values, Path infoFile, String key)
      throws LeRobotFormatException {
    String relative;
    try {
      relative = PathTemplate.format(template, values);
    } catch (IllegalArgumentException e) {
      throw new LeRobotFormatException(infoFile, key + ": " + e.getMessage());
    }
    Path base = root.toAbsolutePath().normalize();
    Path p = base.resolve(relative).normalize();
    if (Path.of(relative).isAbsolute() || !p.startsWith(base) || p.equals(base)) {
      throw new LeRobotFormatException(infoFile, key + " '" + template + "' names " + relative + ", outside the data set " + base);
    }
    return p;
  }

  @FunctionalInterface
  private interface LineHandler {
    void accept(JsonFields f, JsonNode node, String key) throws LeRobotFormatException;
  }

  private static void forEachJsonLine(Path file, LineHandler handler) throws LeRobotFormatException {
    List<String> lines;
    try {
      lines = Files.readAllLines(file);
    } catch (java.nio.file.NoSuchFileException e) {
      throw new LeRobotFormatException(file, "not found");
    } catch (IOException e) {
      throw new LeRobotFormatException(file, "cannot read: " + e.getMessage(), e);
    }
    JsonFields f = new JsonFields(file);
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (line.isEmpty()) {
        continue;
      }
      String key = "line " + (i + 1);
      JsonNode node;
      try {
        node = MAPPER.readTree(line);
      } catch (JsonProcessingException e) {
        throw f.error(key, "not valid JSON: " + e.getOriginalMessage());
      }
      if (node == null || !node.isObject()) {
        throw f.error(key, "expected a JSON object");
      }
      handler.accept(f, node, key);
    }
  }

  private static List<Path> episodeParquetFiles(Path root) throws IOException {
    Path dir = root.resolve("meta/episodes");
    if (!Files.isDirectory(dir)) {
      throw new LeRobotFormatException(dir, "not found (a v3.0 dataset keeps its episodes metadata here)");
    }
    try (Stream<Path> s = Files.walk(dir, 2)) {
      List<Path> files = s.filter(p -> p.getFileName().toString().endsWith(".parquet") && Files.isRegularFile(p))
          .sorted().toList();
      if (files.isEmpty()) {
        throw new LeRobotFormatException(dir, "holds no parquet files");
      }
      return files;
    }
  }

  private static void readEpisodesParquet(Connection c, Path root, LeRobotInfo info, Path file, List<Episode> out)
      throws LeRobotFormatException {
    Map<String, String> types = ParquetColumns.describe(c, file);
    List<String> needed = new ArrayList<>(List.of("episode_index", "length", "data/chunk_index", "data/file_index",
        "dataset_from_index", "dataset_to_index"));
    for (String key : info.videoKeys()) {
      for (String part : List.of("chunk_index", "file_index", "from_timestamp", "to_timestamp")) {
        needed.add("videos/" + key + "/" + part);
      }
    }
    List<String> absent = needed.stream().filter(n -> !types.containsKey(n)).toList();
    if (!absent.isEmpty()) {
      throw new LeRobotFormatException(file, "missing columns " + absent);
    }
    boolean hasTasks = types.containsKey("tasks");
    String sql = "SELECT " + String.join(", ", needed.stream().map(Duck::ident).toList())
        + (hasTasks ? ", tasks" : "") + " FROM read_parquet(" + Duck.literal(file) + ")";
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      int row = 0;
      while (rs.next()) {
        int col = 1;
        long[] v = new long[6];
        for (int i = 0; i < 6; i++) {
          v[i] = rs.getLong(col);
          if (rs.wasNull()) {
            throw new LeRobotFormatException(file, "row " + row + ": column '" + needed.get(i) + "' is null");
          }
          col++;
        }
        if (v[0] < 0 || v[0] > Integer.MAX_VALUE || v[1] < 0 || v[1] > Integer.MAX_VALUE) {
          throw new LeRobotFormatException(file, "row " + row + ": episode_index " + v[0] + " or length " + v[1]
              + " out of range");
        }
        int idx = (int) v[0];
        if (v[5] - v[4] != v[1]) {
          throw new LeRobotFormatException(file, "episode " + idx + ": dataset_from_index " + v[4]
              + " and dataset_to_index " + v[5] + " do not span its length " + v[1]);
        }
        Path data = resolve(root, info.dataPath(), Map.of("chunk_index", v[2], "file_index", v[3]), info.file(), "data_path");
        Map<String, VideoSegment> videos = new HashMap<>();
        for (String key : info.videoKeys()) {
          long chunk = rs.getLong(col++);
          long fileIndex = rs.getLong(col++);
          double from = rs.getDouble(col++);
          double to = rs.getDouble(col++);
          if (rs.wasNull()) {
            throw new LeRobotFormatException(file, "row " + row + ": video columns of " + key + " are null");
          }
          Path video = resolve(root, info.videoPath().orElseThrow(),
              Map.of("video_key", key, "chunk_index", chunk, "file_index", fileIndex), info.file(), "video_path");
          videos.put(key, new VideoSegment(video, from, to));
        }
        List<String> tasks = new ArrayList<>();
        if (hasTasks) {
          Object t = plain(rs.getObject(col));
          if (t instanceof List<?> l) {
            for (Object o : l) {
              tasks.add(String.valueOf(o));
            }
          }
        }
        out.add(new Episode(idx, (int) v[1], tasks, data, v[4], v[5], videos, file));
        row++;
      }
    } catch (SQLException e) {
      throw new LeRobotFormatException(file, "cannot read parquet: " + Duck.message(e), e);
    }
  }

  private static void readTasksParquet(Connection c, Path file, Map<Integer, String> tasks) throws LeRobotFormatException {
    if (!Files.isRegularFile(file)) {
      throw new LeRobotFormatException(file, "not found");
    }
    String taskColumn = taskColumn(c, file);
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT task_index, " + Duck.ident(taskColumn) + " FROM read_parquet("
            + Duck.literal(file) + ")")) {
      while (rs.next()) {
        int idx = rs.getInt(1);
        if (tasks.put(idx, rs.getString(2)) != null) {
          throw new LeRobotFormatException(file, "task_index " + idx + " appears twice");
        }
      }
    } catch (SQLException e) {
      throw new LeRobotFormatException(file, "cannot read parquet: " + Duck.message(e), e);
    }
  }

  /** The task text column: {@code task}, or the pandas index LeRobot writes ({@code __index_level_0__}). */
  private static String taskColumn(Connection c, Path file) throws LeRobotFormatException {
    Map<String, String> types = ParquetColumns.describe(c, file);
    if (!types.containsKey("task_index")) {
      throw new LeRobotFormatException(file, "no column 'task_index'; columns are " + types.keySet());
    }
    for (String name : List.of("task", "__index_level_0__")) {
      if ("VARCHAR".equals(types.get(name))) {
        return name;
      }
    }
    throw new LeRobotFormatException(file, "no text column 'task' (or '__index_level_0__'); columns are " + types.keySet());
  }
}
