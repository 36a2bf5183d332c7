package dev.wam4j.data.lerobot.write;

import dev.wam4j.data.FileTrees;
import dev.wam4j.data.lerobot.write.LeRobotWriteConfig.Version;
import dev.wam4j.data.video.VideoEncoding;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.duckdb.DuckDBConnection;

/**
 * Writes a LeRobot dataset (specs/lerobot-dataset.md): v3.0 by default, v2.1 on request.
 *
 * <p>Lifecycle: {@link #create}; per episode {@link #beginEpisode}, then per frame the {@code set*}
 * calls for every declared feature and {@link #endFrame()}, then {@link #endEpisode()}; finally
 * {@link #finish()}; always {@link #close()} (try-with-resources). Numeric columns of the current
 * episode are held in memory; video frames go straight to the encoder.
 *
 * <p>Atomic: everything is written into a hidden directory {@code .NAME.partial-*} beside the
 * target, and {@code meta/info.json} is written last. {@link #finish()} renames that directory onto
 * the target; {@link #close()} without a successful finish deletes it. A crash or kill therefore
 * leaves either nothing at the target or the complete dataset; a leftover partial directory has a
 * different name and (unless the kill hit the last instant) no {@code info.json}, so it is not
 * taken for a dataset. Folders and files are created with the process's umask (not owner-only), so
 * the published dataset is as readable as any other file the process makes.
 *
 * <p>Fail-stop: after any exception from a call, every later call except {@link #close()} (and the
 * {@link #target()} / {@link #workingDirectory()} accessors) throws {@link IllegalStateException}
 * naming the dataset and the first failure, since the working directory may then hold half an
 * episode.
 *
 * <p>Sharding (v3.0): data rows go to {@code data/chunk-C/file-F.parquet} until the next episode
 * would push the file's uncompressed row bytes over {@code data_files_size_in_mb}; each video key's
 * frames are concatenated into {@code videos/KEY/chunk-C/file-F.mp4} until the bytes written plus
 * the file's mean episode size would exceed {@code video_files_size_in_mb}. Sizes are in MiB (2^20
 * bytes), as LeRobot counts them. At most {@code chunks_size} files per chunk.
 *
 * <p>Statistics ({@code meta/stats.json} and per episode): see {@link FeatureStats}; image
 * statistics use LeRobot's frame subsample and pixel stride ({@link FeatureStats#pixelStride}) and
 * are exact over them (8-bit histograms).
 *
 * <p>Owns a DuckDB connection and native encoders; not thread-safe.
 */
public final class LeRobotWriter implements AutoCloseable {

  /** Bytes in one MiB: LeRobot's {@code *_files_size_in_mb} limits count MiB. */
  static final double MIB = 1024.0 * 1024.0;

  private final Path target;
  private final Path temp;
  private final LeRobotWriteConfig config;
  private final DuckDBConnection db;
  private final EpisodeBuffer buffer;
  private final DataShards data;
  private final VideoShards videos;
  private final Map<String, Integer> tasks = new LinkedHashMap<>();
  private final List<EpisodeRow> episodes = new ArrayList<>();

  private boolean inEpisode;
  private String episodeTask;
  private long globalIndex;
  private boolean finished;
  private boolean closed;
  private Throwable failure; // first exception thrown by a call; non-null makes the writer unusable

  private LeRobotWriter(Path target, Path temp, LeRobotWriteConfig config, DuckDBConnection db) {
    this.target = target;
    this.temp = temp;
    this.config = config;
    this.db = db;
    this.buffer = new EpisodeBuffer(config);
    this.data = new DataShards(temp, config, db, buffer);
    this.videos = new VideoShards(temp, config, buffer.videoFeatures());
  }

  /**
   * Starts a dataset that will appear at {@code dir} on {@link #finish()}.
   *
   * @throws IllegalArgumentException when {@code dir} already exists (a dataset is never
   *     overwritten)
   * @throws IOException when the temporary directory cannot be created
   */
  public static LeRobotWriter create(Path dir, LeRobotWriteConfig config) throws IOException {
    Path target = dir.toAbsolutePath().normalize();
    if (Files.exists(target)) {
      throw new IllegalArgumentException(
          "dataset directory " + target + " already exists; refusing to overwrite it");
    }
    Path parent = target.getParent();
    Files.createDirectories(parent);
    Path temp = createPartialDirectory(parent, "." + target.getFileName() + ".partial-");
    java.sql.Connection connection = null;
    try {
      connection = Sql.open();
      return new LeRobotWriter(target, temp, config, connection.unwrap(DuckDBConnection.class));
    } catch (SQLException | RuntimeException e) {
      if (connection
          != null) { // the native database, also when unwrapping or the writer's set-up fails
        try {
          connection.close();
        } catch (SQLException closing) {
          e.addSuppressed(closing);
        }
      }
      FileTrees.deleteQuietly(
          temp, e); // a failing clean-up must not hide why the writer could not start
      if (e instanceof SQLException)
        throw new IOException("cannot start DuckDB to write " + target + ": " + e.getMessage(), e);
      throw (RuntimeException) e;
    }
  }

  /**
   * Creates {@code parent/prefix<random>} with the default permissions (umask applies), unlike
   * {@link Files#createTempDirectory}, whose owner-only mode would survive the final rename.
   */
  static Path createPartialDirectory(Path parent, String prefix) throws IOException {
    for (int attempt = 0; ; attempt++) {
      Path dir =
          parent.resolve(
              prefix + Long.toUnsignedString(ThreadLocalRandom.current().nextLong(), 36));
      try {
        return Files.createDirectory(dir);
      } catch (FileAlreadyExistsException e) {
        if (attempt >= 100)
          throw new IOException(
              "cannot create a working directory " + prefix + "* under " + parent, e);
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
    failStop(
        () -> {
          ensureOpen();
          if (inEpisode)
            throw new IllegalStateException(
                "episode " + episodes.size() + " is still open; call endEpisode() first");
          if (task == null || task.isBlank())
            throw new IllegalArgumentException(
                "episode " + episodes.size() + ": task must be non-blank");
          inEpisode = true;
          episodeTask = task;
          buffer.start(episodes.size());
          videos.beginEpisode(episodes.size());
          return null;
        });
  }

  /** Sets a float32 vector feature (or a float32 scalar, with one value) for the current frame. */
  public LeRobotWriter setVector(String key, float[] v) {
    return failStop(
        () -> {
          ensureFrame(key);
          buffer.putVector(key, v);
          return this;
        });
  }

  /** Sets a float32 scalar feature (stored as float32). */
  public LeRobotWriter setFloat(String key, double value) {
    return failStop(
        () -> {
          ensureFrame(key);
          buffer.putFloat(key, value);
          return this;
        });
  }

  /** Sets an int64 scalar feature. */
  public LeRobotWriter setLong(String key, long value) {
    return failStop(
        () -> {
          ensureFrame(key);
          buffer.putLong(key, value);
          return this;
        });
  }

  /** Sets a bool scalar feature. */
  public LeRobotWriter setBool(String key, boolean value) {
    return failStop(
        () -> {
          ensureFrame(key);
          buffer.putBool(key, value);
          return this;
        });
  }

  /**
   * Encodes the current frame of a video feature.
   *
   * @param rgb packed HWC RGB bytes of the feature's size, starting at {@code offset}; only read
   *     during the call
   */
  public LeRobotWriter setImage(String key, byte[] rgb, int offset) throws IOException {
    return failStop(
        () -> {
          ensureFrame(key);
          int v = buffer.videoSlot(key);
          videos.writeFrame(v, rgb, offset);
          buffer.imageWritten(v, rgb, offset);
          return this;
        });
  }

  /**
   * Completes the current frame.
   *
   * @throws IllegalStateException naming the first feature that was not set
   */
  public void endFrame() {
    failStop(
        () -> {
          ensureFrame("frame");
          buffer.completeFrame();
          return null;
        });
  }

  /**
   * Completes the current episode: computes its statistics and appends its rows to the data file.
   *
   * @return the episode's index
   * @throws IllegalStateException when the episode has no frames or a frame is half set
   */
  public int endEpisode() throws IOException {
    return failStop(this::completeEpisode);
  }

  private int completeEpisode() throws IOException {
    ensureOpen();
    if (!inEpisode) throw new IllegalStateException("no episode is open");
    buffer.checkComplete();
    int ep = episodes.size();
    int n = buffer.length();
    Integer taskIndex = tasks.get(episodeTask);
    if (taskIndex == null) {
      taskIndex = tasks.size();
      tasks.put(episodeTask, taskIndex);
    }
    long from = globalIndex;
    LinkedHashMap<String, FeatureStats> stats = buffer.stats(taskIndex, from);
    data.append(ep, taskIndex, from, buffer);
    List<VideoSpan> spans = videos.endEpisode(n);
    globalIndex += n;
    episodes.add(
        new EpisodeRow(
            ep,
            List.of(episodeTask),
            n,
            data.chunk(),
            data.file(),
            from,
            globalIndex,
            spans,
            stats));
    inEpisode = false;
    return ep;
  }

  /**
   * Writes the remaining files and the metadata, then publishes the dataset by renaming the working
   * directory onto the target.
   *
   * @return the dataset directory
   * @throws IllegalStateException when an episode is open or no episode was written
   * @throws IOException when writing or the rename fails (nothing is then published; {@link
   *     #close()} removes the working directory)
   */
  public Path finish() throws IOException {
    return failStop(this::publish);
  }

  private Path publish() throws IOException {
    ensureOpen();
    if (inEpisode)
      throw new IllegalStateException(
          "episode " + episodes.size() + " is still open; call endEpisode() first");
    if (episodes.isEmpty())
      throw new IllegalStateException("no episodes written; a dataset needs at least one");
    data.finish();
    videos.finish();
    MetaFiles meta = new MetaFiles(temp, db);
    try {
      if (config.version() == Version.V3_0) {
        meta.writeTasksParquet(tasks);
        meta.writeEpisodesParquet(
            episodes, buffer.videoFeatures().stream().map(WriteFeature::key).toList());
      } else {
        meta.writeV21Jsonl(tasks, episodes);
      }
    } catch (SQLException e) {
      throw new IOException("writing metadata under " + temp + ": " + e.getMessage(), e);
    }
    meta.writeStatsJson(episodes, config.version() == Version.V3_0);
    int totalVideos =
        config.version() == Version.V2_1 ? buffer.videoFeatures().size() * episodes.size() : 0;
    int totalDataChunks = (episodes.size() - 1) / config.chunksSize() + 1;
    // info.json last: its presence marks a complete dataset
    meta.writeInfoJson(
        config, episodes.size(), globalIndex, tasks.size(), totalVideos, totalDataChunks);
    if (Files.exists(target))
      throw new IOException(
          "dataset directory " + target + " appeared while writing; not overwriting it");
    Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
    finished = true;
    return target;
  }

  /**
   * Releases the encoders and DuckDB. Without a successful {@link #finish()} this discards
   * everything written: the working directory is deleted and nothing appears at the target.
   * Idempotent.
   */
  @Override
  public void close() throws IOException {
    if (closed) return;
    closed = true;
    IOException failure = null;
    try {
      videos.close();
    } catch (IOException e) {
      failure = e;
    }
    try {
      data.close();
    } catch (SQLException e) {
      if (failure == null)
        failure =
            new IOException("closing the frame appender for " + target + ": " + e.getMessage(), e);
    }
    try { // closed even when the appender failed to: the database is native memory and a file
      // handle
      db.close();
    } catch (SQLException e) {
      if (failure == null)
        failure = new IOException("closing DuckDB for " + target + ": " + e.getMessage(), e);
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

  /** One call's work, which may throw {@code E}. */
  @FunctionalInterface
  private interface Call<T, E extends Exception> {
    T run() throws E;
  }

  /**
   * Runs a public call fail-stop: refused after an earlier failure, and its own failure recorded,
   * since the working directory may then hold half an episode.
   */
  private <T, E extends Exception> T failStop(Call<T, E> call) throws E {
    ensureNotFailed();
    try {
      return call.run();
    } catch (Throwable t) {
      if (failure == null) failure = t;
      throw t;
    }
  }

  private void ensureFrame(String what) {
    ensureOpen();
    if (!inEpisode)
      throw new IllegalStateException("cannot set " + what + ": no episode is open (beginEpisode)");
  }

  private void ensureNotFailed() {
    if (failure != null) {
      throw new IllegalStateException(
          "dataset "
              + target
              + ": an earlier call failed ("
              + failure
              + "); the writer accepts only close() now, which discards the partial dataset",
          failure);
    }
  }

  private void ensureOpen() {
    if (closed) throw new IllegalStateException("writer for " + target + " is closed");
    if (finished) throw new IllegalStateException("dataset " + target + " is already finished");
  }

  /** Codec name as LeRobot's info.json states it. */
  static String codecName(VideoEncoding e) {
    return switch (e.codec()) {
      case AV1 -> "av1";
      case H264 -> "h264";
    };
  }
}
