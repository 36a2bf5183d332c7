package dev.wam4j.data.lerobot.write;

import dev.wam4j.data.FileTrees;
import dev.wam4j.data.lerobot.write.LeRobotWriteConfig.Version;
import dev.wam4j.data.video.VideoEncoding;
import dev.wam4j.data.video.VideoWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

/**
 * Writes a LeRobot dataset (specs/lerobot-dataset.md): v3.0 by default, v2.1 on request.
 *
 * <p>Lifecycle: {@link #create}; per episode {@link #beginEpisode}, then per frame the {@code set*}
 * calls for every declared feature and {@link #endFrame()}, then {@link #endEpisode()}; finally
 * {@link #finish()}; always {@link #close()} (try-with-resources). Numeric columns of the current
 * episode are held in memory; video frames go straight to the encoder.
 *
 * <p>Atomic: everything is written into a hidden directory {@code .NAME.partial-*} beside the target,
 * and {@code meta/info.json} is written last. {@link #finish()} renames that directory onto the target;
 * {@link #close()} without a successful finish deletes it. A crash or kill therefore leaves either
 * nothing at the target or the complete dataset; a leftover partial directory has a different name and
 * (unless the kill hit the last instant) no {@code info.json}, so it is not taken for a dataset. Folders
 * and files are created with the process's umask (not owner-only), so the published dataset is as
 * readable as any other file the process makes.
 *
 * <p>Fail-stop: after any exception from a call, every later call except {@link #close()} (and the
 * {@link #target()} / {@link #workingDirectory()} accessors) throws {@link IllegalStateException} naming
 * the dataset and the first failure, since the working directory may then hold half an episode.
 *
 * <p>Sharding (v3.0): data rows go to {@code data/chunk-C/file-F.parquet} until the next episode would
 * push the file's uncompressed row bytes over {@code data_files_size_in_mb}; each video key's frames are
 * concatenated into {@code videos/KEY/chunk-C/file-F.mp4} until the bytes written plus the file's mean
 * episode size would exceed {@code video_files_size_in_mb}. Sizes are in MiB (2^20 bytes), as LeRobot
 * counts them. At most {@code chunks_size} files per chunk.
 *
 * <p>Statistics ({@code meta/stats.json} and per episode): see {@link FeatureStats}; image statistics
 * use LeRobot's frame subsample and pixel stride ({@link FeatureStats#pixelStride}) and are exact over
 * them (8-bit histograms).
 *
 * <p>Owns a DuckDB connection and native encoders; not thread-safe.
 */
public final class LeRobotWriter implements AutoCloseable {

  private final Path target;
  private final Path temp;
  private final LeRobotWriteConfig config;
  private final DuckDBConnection db;

  private final List<WriteFeature> numeric = new ArrayList<>();
  private final List<WriteFeature.Video> videos = new ArrayList<>();
  private final Map<String, Integer> numericIndex = new HashMap<>();
  private final Map<String, Integer> videoIndex = new HashMap<>();
  private final Map<String, Integer> tasks = new LinkedHashMap<>();
  private final List<EpisodeRecord> episodes = new ArrayList<>();

  // current episode
  private boolean inEpisode;
  private String episodeTask;
  private int episodeLength;
  private final int[] dims;
  private double[][] values;       // per numeric feature, rows x dim (float32 and bool values exactly)
  private long[][] longs;          // per INT64 feature, rows
  private final boolean[] numericSet;
  private final boolean[] videoSet;
  private int[][] histograms;      // per video, frames x (3 * 256) pixel counts
  private final float[][] rowScratch;

  // files
  private long globalIndex;
  private int dataChunk, dataFile;
  private String dataTable;
  private DuckDBAppender dataAppender;
  private long dataFileRows, dataFileBytes;
  private int tableCounter;
  private final VideoFile[] videoFiles;

  private boolean finished;
  private boolean closed;
  private Throwable failure; // first exception thrown by a call; non-null makes the writer unusable

  /** Bytes in one MiB: LeRobot's {@code *_files_size_in_mb} limits count MiB. */
  static final double MIB = 1024.0 * 1024.0;

  /** One open (or next) video file of one key. */
  private static final class VideoFile {
    int chunk, file;
    VideoWriter writer;
    long frames;
    int episodes;
  }

  private record VideoSpan(int chunk, int file, double from, double to) {}

  private record EpisodeRecord(int index, String task, int length, int dataChunk, int dataFile, long from, long to,
      List<VideoSpan> videos, LinkedHashMap<String, FeatureStats> stats) {}

  private LeRobotWriter(Path target, Path temp, LeRobotWriteConfig config, DuckDBConnection db) {
    this.target = target;
    this.temp = temp;
    this.config = config;
    this.db = db;
    for (WriteFeature f : config.features()) {
      switch (f) {
        case WriteFeature.Video v -> {
          videoIndex.put(v.key(), videos.size());
          videos.add(v);
        }
        case WriteFeature.Vector v -> {
          numericIndex.put(v.key(), numeric.size());
          numeric.add(v);
        }
        case WriteFeature.Scalar s -> {
          numericIndex.put(s.key(), numeric.size());
          numeric.add(s);
        }
      }
    }
    dims = new int[numeric.size()];
    values = new double[numeric.size()][];
    longs = new long[numeric.size()][];
    rowScratch = new float[numeric.size()][];
    for (int i = 0; i < dims.length; i++) {
      dims[i] = numeric.get(i) instanceof WriteFeature.Vector v ? v.dim() : 1;
      values[i] = new double[64 * dims[i]];
      if (isInt64(numeric.get(i))) longs[i] = new long[64];
      rowScratch[i] = new float[dims[i]];
    }
    numericSet = new boolean[numeric.size()];
    videoSet = new boolean[videos.size()];
    histograms = new int[videos.size()][768 * 64];
    videoFiles = new VideoFile[videos.size()];
    for (int i = 0; i < videoFiles.length; i++) videoFiles[i] = new VideoFile();
  }

  private static boolean isInt64(WriteFeature f) {
    return f instanceof WriteFeature.Scalar s && s.type() == WriteFeature.ScalarType.INT64;
  }

  /**
   * Starts a dataset that will appear at {@code dir} on {@link #finish()}.
   *
   * @throws IllegalArgumentException when {@code dir} already exists (a dataset is never overwritten)
   * @throws IOException when the temporary directory cannot be created
   */
  public static LeRobotWriter create(Path dir, LeRobotWriteConfig config) throws IOException {
    Path target = dir.toAbsolutePath().normalize();
    if (Files.exists(target)) {
      throw new IllegalArgumentException("dataset directory " + target + " already exists; refusing to overwrite it");
    }
    Path parent = target.getParent();
    Files.createDirectories(parent);
    Path temp = createPartialDirectory(parent, "." + target.getFileName() + ".partial-");
    java.sql.Connection connection = null;
    try {
      connection = Sql.open();
      return new LeRobotWriter(target, temp, config, connection.unwrap(DuckDBConnection.class));
    } catch (SQLException | RuntimeException e) {
      if (connection != null) { // the native database, also when unwrapping or the writer's set-up fails
        try {
          connection.close();
        } catch (SQLException closing) {
          e.addSuppressed(closing);
        }
      }
      FileTrees.deleteQuietly(temp, e); // a failing clean-up must not hide why the writer could not start
      if (e instanceof SQLException) throw new IOException("cannot start DuckDB to write " + target + ": " + e.getMessage(), e);
      throw (RuntimeException) e;
    }
  }

  /**
   * Creates {@code parent/prefix<random>} with the default permissions (umask applies), unlike
   * {@link Files#createTempDirectory}, whose owner-only mode would survive the final rename.
   */
  static Path createPartialDirectory(Path parent, String prefix) throws IOException {
    for (int attempt = 0; ; attempt++) {
      Path dir = parent.resolve(prefix + Long.toUnsignedString(ThreadLocalRandom.current().nextLong(), 36));
      try {
        return Files.createDirectory(dir);
      } catch (FileAlreadyExistsException e) {
        if (attempt >= 100) throw new IOException("cannot create a working directory " + prefix + "* under " + parent, e);
      }
    }
  }

  /** The directory the dataset is published to. */
  public Path target() {
    return target;
  }

  /** The hidden directory being written (beside the target) until {@link #finish()}. */
  public Path workingDirectory() {
    return temp;
  }

  /** Episodes completed so far. */
  public int episodeCount() {
    ensureNotFailed();
    return episodes.size();
  }

  /** Frames of completed episodes so far. */
  public long frameCount() {
    ensureNotFailed();
    return globalIndex;
  }

  /**
   * Starts an episode.
   *
   * @param task the natural-language task; new strings get the next task index
   * @throws IllegalStateException when an episode is already open
   */
  public void beginEpisode(String task) throws IOException {
    ensureNotFailed();
    try {
      begin(task);
    } catch (Throwable t) {
      recordFailure(t);
      throw t;
    }
  }

  private void begin(String task) throws IOException {
    ensureOpen();
    if (inEpisode) throw new IllegalStateException("episode " + episodes.size() + " is still open; call endEpisode() first");
    if (task == null || task.isBlank()) throw new IllegalArgumentException("episode " + episodes.size() + ": task must be non-blank");
    inEpisode = true;
    episodeTask = task;
    episodeLength = 0;
    Arrays.fill(numericSet, false);
    Arrays.fill(videoSet, false);
    for (int v = 0; v < videos.size(); v++) {
      VideoFile vf = videoFiles[v];
      if (vf.writer == null) {
        WriteFeature.Video feature = videos.get(v);
        Path file = config.version() == Version.V3_0
            ? temp.resolve(String.format("videos/%s/chunk-%03d/file-%03d.mp4", feature.key(), vf.chunk, vf.file))
            : temp.resolve(String.format("videos/chunk-%03d/%s/episode_%06d.mp4", episodes.size() / config.chunksSize(), feature.key(), episodes.size()));
        vf.writer = VideoWriter.open(file, feature.width(), feature.height(), config.fps(), config.encoding());
        vf.frames = 0;
        vf.episodes = 0;
      }
    }
  }

  /** Sets a float32 vector feature (or a float32 scalar, with one value) for the current frame. */
  public LeRobotWriter setVector(String key, float[] v) {
    ensureNotFailed();
    try {
      return putVector(key, v);
    } catch (Throwable t) {
      recordFailure(t);
      throw t;
    }
  }

  private LeRobotWriter putVector(String key, float[] v) {
    int i = numericFeature(key);
    if (numeric.get(i) instanceof WriteFeature.Scalar s && s.type() != WriteFeature.ScalarType.FLOAT32) {
      throw new IllegalArgumentException("feature " + key + " is " + s.type().numpy + ", not a float32 vector");
    }
    if (v.length != dims[i]) {
      throw new IllegalArgumentException("feature " + key + " has " + dims[i] + " values per frame, got " + v.length
          + " (episode " + episodes.size() + ", frame " + episodeLength + ")");
    }
    double[] dst = row(i);
    int base = episodeLength * dims[i];
    for (int k = 0; k < v.length; k++) {
      if (!Float.isFinite(v[k])) throw nonFinite(key, v[k]);
      dst[base + k] = v[k];
    }
    numericSet[i] = true;
    return this;
  }

  /** Sets a float32 scalar feature (stored as float32). */
  public LeRobotWriter setFloat(String key, double value) {
    ensureNotFailed();
    try {
      return putFloat(key, value);
    } catch (Throwable t) {
      recordFailure(t);
      throw t;
    }
  }

  private LeRobotWriter putFloat(String key, double value) {
    int i = scalar(key, WriteFeature.ScalarType.FLOAT32);
    float f = (float) value;
    if (!Float.isFinite(f)) throw nonFinite(key, value);
    row(i)[episodeLength] = f;
    numericSet[i] = true;
    return this;
  }

  /** Sets an int64 scalar feature. */
  public LeRobotWriter setLong(String key, long value) {
    ensureNotFailed();
    try {
      return putLong(key, value);
    } catch (Throwable t) {
      recordFailure(t);
      throw t;
    }
  }

  private LeRobotWriter putLong(String key, long value) {
    int i = scalar(key, WriteFeature.ScalarType.INT64);
    row(i)[episodeLength] = value;
    if (longs[i].length <= episodeLength) longs[i] = Arrays.copyOf(longs[i], 2 * longs[i].length);
    longs[i][episodeLength] = value;
    numericSet[i] = true;
    return this;
  }

  /** Sets a bool scalar feature. */
  public LeRobotWriter setBool(String key, boolean value) {
    ensureNotFailed();
    try {
      return putBool(key, value);
    } catch (Throwable t) {
      recordFailure(t);
      throw t;
    }
  }

  private LeRobotWriter putBool(String key, boolean value) {
    int i = scalar(key, WriteFeature.ScalarType.BOOL);
    row(i)[episodeLength] = value ? 1 : 0;
    numericSet[i] = true;
    return this;
  }

  /**
   * Encodes the current frame of a video feature.
   *
   * @param rgb packed HWC RGB bytes of the feature's size, starting at {@code offset}; only read during the call
   */
  public LeRobotWriter setImage(String key, byte[] rgb, int offset) throws IOException {
    ensureNotFailed();
    try {
      return putImage(key, rgb, offset);
    } catch (Throwable t) {
      recordFailure(t);
      throw t;
    }
  }

  private LeRobotWriter putImage(String key, byte[] rgb, int offset) throws IOException {
    ensureFrame(key);
    Integer v = videoIndex.get(key);
    if (v == null) throw unknown(key);
    WriteFeature.Video feature = videos.get(v);
    if (videoSet[v]) throw new IllegalStateException("feature " + key + " set twice in frame " + episodeLength + " of episode " + episodes.size());
    videoFiles[v].writer.writeFrame(rgb, offset);
    int[] h = histograms[v];
    int base = episodeLength * 768;
    if (h.length < base + 768) h = histograms[v] = Arrays.copyOf(h, 2 * h.length);
    Arrays.fill(h, base, base + 768, 0);
    FeatureStats.addStridedPixels(rgb, offset, feature.width(), feature.height(), h, base);
    videoSet[v] = true;
    return this;
  }

  /**
   * Completes the current frame.
   *
   * @throws IllegalStateException naming the first feature that was not set
   */
  public void endFrame() {
    ensureNotFailed();
    try {
      completeFrame();
    } catch (Throwable t) {
      recordFailure(t);
      throw t;
    }
  }

  private void completeFrame() {
    ensureFrame("frame");
    for (int i = 0; i < numericSet.length; i++) {
      if (!numericSet[i]) throw missing(numeric.get(i).key());
    }
    for (int v = 0; v < videoSet.length; v++) {
      if (!videoSet[v]) throw missing(videos.get(v).key());
    }
    Arrays.fill(numericSet, false);
    Arrays.fill(videoSet, false);
    episodeLength++;
  }

  /**
   * Completes the current episode: computes its statistics and appends its rows to the data file.
   *
   * @return the episode's index
   * @throws IllegalStateException when the episode has no frames or a frame is half set
   */
  public int endEpisode() throws IOException {
    ensureNotFailed();
    try {
      return completeEpisode();
    } catch (Throwable t) {
      recordFailure(t);
      throw t;
    }
  }

  private int completeEpisode() throws IOException {
    ensureOpen();
    if (!inEpisode) throw new IllegalStateException("no episode is open");
    int ep = episodes.size();
    for (int i = 0; i < numericSet.length; i++) {
      if (numericSet[i]) throw new IllegalStateException("episode " + ep + ": frame " + episodeLength + " was started but not ended (endFrame)");
    }
    for (boolean b : videoSet) {
      if (b) throw new IllegalStateException("episode " + ep + ": frame " + episodeLength + " was started but not ended (endFrame)");
    }
    int n = episodeLength;
    if (n == 0) throw new IllegalStateException("episode " + ep + " has no frames");
    Integer taskIndex = tasks.get(episodeTask);
    if (taskIndex == null) {
      taskIndex = tasks.size();
      tasks.put(episodeTask, taskIndex);
    }
    long from = globalIndex;
    LinkedHashMap<String, FeatureStats> stats = episodeStats(ep, n, taskIndex, from);
    try {
      appendRows(ep, n, taskIndex, from);
    } catch (SQLException e) {
      throw new IOException("writing data rows of episode " + ep + " under " + temp + ": " + e.getMessage(), e);
    }
    List<VideoSpan> spans = new ArrayList<>();
    for (int v = 0; v < videos.size(); v++) {
      VideoFile vf = videoFiles[v];
      double fromTs = (double) vf.frames / config.fps();
      vf.frames += n;
      vf.episodes++;
      spans.add(new VideoSpan(vf.chunk, vf.file, fromTs, (double) vf.frames / config.fps()));
      boolean close = config.version() == Version.V2_1;
      if (!close) {
        double bytes = vf.writer.bytesWritten();
        close = bytes + bytes / vf.episodes > config.videoFilesSizeMb() * MIB;
      }
      if (close) {
        vf.writer.finish();
        vf.writer.close();
        vf.writer = null;
        if (++vf.file >= config.chunksSize()) {
          vf.file = 0;
          vf.chunk++;
        }
      }
    }
    globalIndex += n;
    episodes.add(new EpisodeRecord(ep, episodeTask, n, dataChunk, dataFile, from, globalIndex, List.copyOf(spans), stats));
    if (config.version() == Version.V2_1) closeDataFile(String.format("data/chunk-%03d/episode_%06d.parquet", ep / config.chunksSize(), ep));
    inEpisode = false;
    return ep;
  }

  private LinkedHashMap<String, FeatureStats> episodeStats(int ep, int n, int taskIndex, long from) {
    LinkedHashMap<String, FeatureStats> stats = new LinkedHashMap<>();
    for (WriteFeature f : config.features()) {
      if (f instanceof WriteFeature.Video v) {
        int vi = videoIndex.get(v.key());
        long[] sum = new long[768];
        int[] pick = FeatureStats.imageSampleIndices(n);
        int[] h = histograms[vi];
        for (int frame : pick) {
          int base = frame * 768;
          for (int k = 0; k < 768; k++) sum[k] += h[base + k];
        }
        stats.put(v.key(), FeatureStats.ofPixelHistogram(sum, 3, pick.length));
      } else {
        int i = numericIndex.get(f.key());
        stats.put(f.key(), FeatureStats.ofRows(values[i], n, dims[i], isInt64(f)));
      }
    }
    double[] ts = new double[n], frameIdx = new double[n], epIdx = new double[n], idx = new double[n], task = new double[n];
    for (int t = 0; t < n; t++) {
      ts[t] = timestamp(t);
      frameIdx[t] = t;
      epIdx[t] = ep;
      idx[t] = from + t;
      task[t] = taskIndex;
    }
    stats.put("timestamp", FeatureStats.ofRows(ts, n, 1, false));
    stats.put("frame_index", FeatureStats.ofRows(frameIdx, n, 1, true));
    stats.put("episode_index", FeatureStats.ofRows(epIdx, n, 1, true));
    stats.put("index", FeatureStats.ofRows(idx, n, 1, true));
    stats.put("task_index", FeatureStats.ofRows(task, n, 1, true));
    return stats;
  }

  private float timestamp(int frame) {
    return (float) ((double) frame / config.fps());
  }

  private void appendRows(int ep, int n, int taskIndex, long from) throws SQLException, IOException {
    long rowBytes = 4 + 8 * 4;
    for (int i = 0; i < numeric.size(); i++) {
      rowBytes += switch (numeric.get(i)) {
        case WriteFeature.Scalar s -> s.type() == WriteFeature.ScalarType.INT64 ? 8 : s.type() == WriteFeature.ScalarType.BOOL ? 1 : 4;
        default -> 4L * dims[i];
      };
    }
    long episodeBytes = rowBytes * n;
    if (config.version() == Version.V3_0 && dataTable != null && dataFileRows > 0
        && dataFileBytes + episodeBytes > config.dataFilesSizeMb() * MIB) {
      closeDataFile(String.format("data/chunk-%03d/file-%03d.parquet", dataChunk, dataFile));
      if (++dataFile >= config.chunksSize()) {
        dataFile = 0;
        dataChunk++;
      }
    }
    if (dataTable == null) openDataTable();
    for (int t = 0; t < n; t++) {
      dataAppender.beginRow();
      for (int i = 0; i < numeric.size(); i++) {
        double[] src = values[i];
        switch (numeric.get(i)) {
          case WriteFeature.Vector v -> {
            float[] row = rowScratch[i];
            for (int k = 0; k < row.length; k++) row[k] = (float) src[t * row.length + k];
            dataAppender.append(row);
          }
          case WriteFeature.Scalar s -> {
            switch (s.type()) {
              case FLOAT32 -> dataAppender.append((float) src[t]);
              case INT64 -> dataAppender.append(longs[i][t]);
              case BOOL -> dataAppender.append(src[t] != 0);
            }
          }
          case WriteFeature.Video v -> throw new IllegalStateException("video " + v.key() + " is not a data column");
        }
      }
      dataAppender.append(timestamp(t)).append((long) t).append((long) ep).append(from + t).append((long) taskIndex);
      dataAppender.endRow();
    }
    dataFileRows += n;
    dataFileBytes += episodeBytes;
  }

  private void openDataTable() throws SQLException {
    dataTable = "data_" + tableCounter++;
    StringBuilder ddl = new StringBuilder("CREATE TABLE ").append(Sql.ident(dataTable)).append(" (");
    for (int i = 0; i < numeric.size(); i++) {
      String type = switch (numeric.get(i)) {
        case WriteFeature.Scalar s -> s.type().sql;
        default -> "FLOAT[]";
      };
      ddl.append(Sql.ident(numeric.get(i).key())).append(' ').append(type).append(", ");
    }
    ddl.append("\"timestamp\" FLOAT, frame_index BIGINT, episode_index BIGINT, \"index\" BIGINT, task_index BIGINT)");
    Sql.execute(db, ddl.toString());
    dataAppender = db.createAppender("main", dataTable);
    dataFileRows = 0;
    dataFileBytes = 0;
  }

  private void closeDataFile(String relative) throws IOException {
    if (dataTable == null) return;
    Path file = temp.resolve(relative);
    try {
      dataAppender.close();
      dataAppender = null;
      Files.createDirectories(file.getParent());
      Sql.copyToParquet(db, dataTable, file, null);
      Sql.execute(db, "DROP TABLE " + Sql.ident(dataTable));
    } catch (SQLException e) {
      throw new IOException("writing " + file + ": " + e.getMessage(), e);
    }
    dataTable = null;
  }

  /**
   * Writes the remaining files and the metadata, then publishes the dataset by renaming the working
   * directory onto the target.
   *
   * @return the dataset directory
   * @throws IllegalStateException when an episode is open or no episode was written
   * @throws IOException when writing or the rename fails (nothing is then published; {@link #close()}
   *     removes the working directory)
   */
  public Path finish() throws IOException {
    ensureNotFailed();
    try {
      return publish();
    } catch (Throwable t) {
      recordFailure(t);
      throw t;
    }
  }

  private Path publish() throws IOException {
    ensureOpen();
    if (inEpisode) throw new IllegalStateException("episode " + episodes.size() + " is still open; call endEpisode() first");
    if (episodes.isEmpty()) throw new IllegalStateException("no episodes written; a dataset needs at least one");
    if (config.version() == Version.V3_0) closeDataFile(String.format("data/chunk-%03d/file-%03d.parquet", dataChunk, dataFile));
    for (VideoFile vf : videoFiles) {
      if (vf.writer != null) {
        vf.writer.finish();
        vf.writer.close();
        vf.writer = null;
      }
    }
    LinkedHashMap<String, FeatureStats> global = aggregateStats();
    MetaFiles meta = new MetaFiles(temp, config, db);
    try {
      if (config.version() == Version.V3_0) {
        meta.writeTasksParquet(tasks);
        meta.writeEpisodesParquet(episodeRows(), videos);
      } else {
        meta.writeV21Jsonl(tasks, episodeRows());
      }
    } catch (SQLException e) {
      throw new IOException("writing metadata under " + temp + ": " + e.getMessage(), e);
    }
    meta.writeStatsJson(global);
    int totalVideos = 0;
    int totalDataChunks = (episodes.size() - 1) / config.chunksSize() + 1;
    if (config.version() == Version.V2_1) totalVideos = videos.size() * episodes.size();
    // info.json last: its presence marks a complete dataset
    meta.writeInfoJson(episodes.size(), globalIndex, tasks.size(), totalVideos, totalDataChunks);
    if (Files.exists(target)) throw new IOException("dataset directory " + target + " appeared while writing; not overwriting it");
    Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
    finished = true;
    return target;
  }

  private List<MetaFiles.EpisodeRow> episodeRows() {
    List<MetaFiles.EpisodeRow> rows = new ArrayList<>(episodes.size());
    for (EpisodeRecord e : episodes) {
      List<MetaFiles.VideoSpan> spans = new ArrayList<>();
      for (VideoSpan s : e.videos()) spans.add(new MetaFiles.VideoSpan(s.chunk(), s.file(), s.from(), s.to()));
      rows.add(new MetaFiles.EpisodeRow(e.index(), e.task(), e.length(), e.dataChunk(), e.dataFile(), e.from(), e.to(), spans, e.stats()));
    }
    return rows;
  }

  private LinkedHashMap<String, FeatureStats> aggregateStats() {
    LinkedHashMap<String, FeatureStats> global = new LinkedHashMap<>();
    for (String key : episodes.get(0).stats().keySet()) {
      List<FeatureStats> parts = new ArrayList<>(episodes.size());
      for (EpisodeRecord e : episodes) parts.add(e.stats().get(key));
      global.put(key, FeatureStats.aggregate(parts));
    }
    return global;
  }

  /**
   * Releases the encoders and DuckDB. Without a successful {@link #finish()} this discards everything
   * written: the working directory is deleted and nothing appears at the target. Idempotent.
   */
  @Override
  public void close() throws IOException {
    if (closed) return;
    closed = true;
    IOException failure = null;
    for (VideoFile vf : videoFiles) {
      if (vf.writer != null) {
        try {
          vf.writer.close();
        } catch (IOException e) {
          failure = e;
        }
        vf.writer = null;
      }
    }
    try {
      if (dataAppender != null) dataAppender.close();
    } catch (SQLException e) {
      if (failure == null) failure = new IOException("closing the frame appender for " + target + ": " + e.getMessage(), e);
    }
    try { // closed even when the appender failed to: the database is native memory and a file handle
      db.close();
    } catch (SQLException e) {
      if (failure == null) failure = new IOException("closing DuckDB for " + target + ": " + e.getMessage(), e);
    }
    if (!finished) {
      try {
        deleteTree(temp);
      } catch (UncheckedIOException e) {
        if (failure == null) failure = e.getCause();
      }
    }
    if (failure != null) throw failure;
  }

  static void deleteTree(Path root) {
    try {
      FileTrees.delete(root);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + root, e);
    }
  }

  private double[] row(int i) {
    int need = (episodeLength + 1) * dims[i];
    if (values[i].length < need) values[i] = Arrays.copyOf(values[i], Math.max(need, 2 * values[i].length));
    return values[i];
  }

  private int numericFeature(String key) {
    ensureFrame(key);
    Integer i = numericIndex.get(key);
    if (i == null) throw unknown(key);
    if (numericSet[i]) throw new IllegalStateException("feature " + key + " set twice in frame " + episodeLength + " of episode " + episodes.size());
    return i;
  }

  private int scalar(String key, WriteFeature.ScalarType type) {
    int i = numericFeature(key);
    if (!(numeric.get(i) instanceof WriteFeature.Scalar s) || s.type() != type) {
      throw new IllegalArgumentException("feature " + key + " is not a " + type.numpy + " scalar");
    }
    return i;
  }

  private void ensureFrame(String what) {
    ensureOpen();
    if (!inEpisode) throw new IllegalStateException("cannot set " + what + ": no episode is open (beginEpisode)");
  }

  private void recordFailure(Throwable t) {
    if (failure == null) failure = t;
  }

  private void ensureNotFailed() {
    if (failure != null) {
      throw new IllegalStateException("dataset " + target + ": an earlier call failed (" + failure
          + "); the writer accepts only close() now, which discards the partial dataset", failure);
    }
  }

  private void ensureOpen() {
    if (closed) throw new IllegalStateException("writer for " + target + " is closed");
    if (finished) throw new IllegalStateException("dataset " + target + " is already finished");
  }

  private IllegalArgumentException unknown(String key) {
    List<String> known = config.features().stream().map(WriteFeature::key).toList();
    return new IllegalArgumentException("unknown feature '" + key + "' (declared: " + known + ")");
  }

  private IllegalStateException missing(String key) {
    return new IllegalStateException("feature " + key + " not set in frame " + episodeLength + " of episode " + episodes.size());
  }

  private IllegalArgumentException nonFinite(String key, double v) {
    return new IllegalArgumentException("feature " + key + ": value " + v + " is not a finite float32 (episode "
        + episodes.size() + ", frame " + episodeLength + ")");
  }

  /** Codec name as LeRobot's info.json states it. */
  static String codecName(VideoEncoding e) {
    return switch (e.codec()) {
      case AV1 -> "av1";
      case H264 -> "h264";
    };
  }
}
