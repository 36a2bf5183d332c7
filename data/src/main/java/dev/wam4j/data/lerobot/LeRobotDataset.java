package dev.wam4j.data.lerobot;

import dev.wam4j.data.video.VideoException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A LeRobot dataset (v2.0, v2.1 or v3.0) opened for reading: metadata, random access to a frame's
 * values and decoded frames (video features from mp4, image features from PNG/JPEG bytes in the
 * parquet), sequential column batches for training, and SQL over its parquet.
 *
 * <p>{@link #open} reads {@code meta/} and checks the episodes metadata against the data files (row
 * counts and global index ranges); a disagreement is a {@link LeRobotFormatException} naming the
 * episodes file. Data or video files that are referenced but absent are listed by {@link
 * #missingFiles()} rather than refused: a dataset whose videos were not downloaded still serves its
 * tabular columns.
 *
 * <p>Owns an embedded DuckDB connection and open video decoders: close it (try-with-resources). Not
 * thread-safe; open one instance per thread (each has its own connection).
 */
public final class LeRobotDataset implements AutoCloseable {
  /**
   * A decoded frame must lie this close (seconds) to the time the metadata gives for it, as in
   * LeRobot.
   */
  public static final double TIMESTAMP_TOLERANCE_S = 1e-4;

  private final Path root;
  private final LeRobotInfo info;
  private final EpisodeMetadata metadata;
  private final Map<Integer, Episode> byIndex;
  private final Connection connection;
  private final ColumnTypes columnTypes;
  private final EpisodeColumns columns;
  private final ImageFrames images;
  private final VideoFrames videos;
  private final DatasetSql sql;

  private LeRobotDataset(
      Path root, LeRobotInfo info, EpisodeMetadata metadata, Connection connection) {
    this.root = root;
    this.info = info;
    this.metadata = metadata;
    this.byIndex = metadata.byIndex();
    this.connection = connection;
    this.columnTypes = new ColumnTypes(connection);
    this.columns = new EpisodeColumns(connection, columnTypes, info);
    this.images = new ImageFrames(connection, columnTypes);
    this.videos = new VideoFrames(info.fps());
    this.sql = new DatasetSql(connection, root, info, metadata, dataFiles());
  }

  /**
   * Opens the dataset in folder {@code root} and checks its episodes metadata against the data.
   *
   * @throws LeRobotFormatException when metadata is missing or malformed, a parquet file is
   *     unreadable, or the episodes metadata disagrees with the data; the message names the file
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
      LeRobotDataset ds = new LeRobotDataset(dir, info, EpisodeMetadata.read(dir, info, c), c);
      if (checkData) {
        List<DatasetProblem> problems = ds.checkEpisodesAgainstData(false);
        if (!problems.isEmpty()) {
          DatasetProblem p = problems.get(0);
          throw new LeRobotFormatException(
              p.file(),
              p.message()
                  + (problems.size() > 1
                      ? " (and " + (problems.size() - 1) + " more problems)"
                      : ""));
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
    return metadata.episodes();
  }

  /** The episode with {@code episode_index} {@code index}. */
  public Episode episode(int index) {
    Episode e = byIndex.get(index);
    if (e == null) {
      throw new IllegalArgumentException(
          root + ": no episode " + index + " (" + metadata.episodes().size() + " episodes)");
    }
    return e;
  }

  /** Task strings by {@code task_index}. */
  public Map<Integer, String> tasks() {
    return metadata.tasks();
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
    return metadata.episodeFiles();
  }

  /** The tasks metadata file ({@code meta/tasks.jsonl} or {@code meta/tasks.parquet}). */
  public Path tasksFile() {
    return metadata.tasksFile();
  }

  /** Data files in episode order, without repeats. */
  public List<Path> dataFiles() {
    Set<Path> files = new LinkedHashSet<>();
    for (Episode e : metadata.episodes()) {
      files.add(e.dataFile());
    }
    return List.copyOf(files);
  }

  /** Video files in episode order, without repeats. */
  public List<Path> videoFiles() {
    Set<Path> files = new LinkedHashSet<>();
    for (Episode e : metadata.episodes()) {
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
    Set<Path> missing = new TreeSet<>();
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
   * The numeric values of frame {@code frame} of episode {@code episode}. Reads (and keeps) the
   * whole episode's columns on first access, so walking an episode's frames costs one query.
   *
   * @throws IllegalArgumentException for an unknown episode or a frame outside [0, length)
   * @throws LeRobotFormatException when the data file is missing, unreadable or disagrees with the
   *     metadata
   */
  public Row row(int episode, int frame) throws LeRobotFormatException {
    Episode e = episode(episode);
    checkFrame(e, frame);
    return columns.row(e, frame);
  }

  private static void checkFrame(Episode e, int frame) {
    if (frame < 0 || frame >= e.length()) {
      throw new IllegalArgumentException(
          "episode " + e.index() + " has frames 0.." + (e.length() - 1) + ", not " + frame);
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
   * Frame {@code frame} of episode {@code episode} of feature {@code key} as packed HWC RGB,
   * whichever kind the feature is: a video is decoded as {@link #readVideoFrame} does, an image as
   * {@link #readImageFrame} does.
   *
   * @throws IllegalArgumentException for an unknown episode or key, a key that holds no frames, or
   *     a frame outside the episode
   * @throws LeRobotFormatException when the frame is missing or cannot be decoded; the message
   *     names the file, episode and frame
   */
  public void readFrame(int episode, int frame, String key, byte[] rgbOut, int offset)
      throws IOException {
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
   * Decodes frame {@code frame} of episode {@code episode} of image feature {@code key} into {@code
   * rgbOut} as packed HWC RGB: the PNG or JPEG in the row's {@code key.bytes} (a column of {@code
   * {bytes, path}} structs, or plain bytes) is decoded with ImageIO; see {@link ImageDecoding} for
   * the gray, alpha and deep-sample conversions. Reads (and keeps) the whole episode's image bytes
   * on first access, so walking an episode's frames costs one query.
   *
   * @throws IllegalArgumentException for an unknown key or episode, a key that is no image, or a
   *     frame outside the episode
   * @throws LeRobotFormatException when the data file is missing, the column is absent or of
   *     another type, or the frame's bytes are null, undecodable or of another size than info.json
   *     says; the message names the data file, episode and frame
   */
  public void readImageFrame(int episode, int frame, String key, byte[] rgbOut, int offset)
      throws IOException {
    Feature f = info.feature(key);
    if (!f.isImage()) {
      throw new IllegalArgumentException(
          root
              + ": feature '"
              + key
              + "' is "
              + f.dtype()
              + ", not an image; image keys are "
              + info.imageKeys());
    }
    Episode e = episode(episode);
    checkFrame(e, frame);
    int bytes = f.height() * f.width() * 3;
    if (offset < 0 || rgbOut.length - offset < bytes) {
      throw new IllegalArgumentException(
          key
              + ": a "
              + f.width()
              + "x"
              + f.height()
              + " RGB frame needs "
              + bytes
              + " bytes from offset "
              + offset
              + ", array has "
              + rgbOut.length);
    }
    images.read(e, frame, f, rgbOut, offset);
  }

  /**
   * Decodes frame {@code frame} of episode {@code episode} of video feature {@code key} into {@code
   * rgbOut} as packed HWC RGB. The frame is the one at {@code from_timestamp + frame / fps} in the
   * episode's mp4; it must lie within {@link #TIMESTAMP_TOLERANCE_S} of that time. Consecutive
   * frames of one file decode without seeking, so walking an episode costs one decode per frame.
   *
   * @throws IllegalArgumentException for an unknown key or episode, or a frame outside the episode
   * @throws LeRobotFormatException when the video file is missing, has another frame size than
   *     info.json, or has no frame at the expected time
   * @throws VideoException when the file cannot be decoded (corrupted); the message names the file
   */
  public void readVideoFrame(int episode, int frame, String key, byte[] rgbOut, int offset)
      throws IOException {
    Feature f = videoFeature(key);
    Episode e = episode(episode);
    checkFrame(e, frame);
    videos.read(e, frame, f, rgbOut, offset);
  }

  private Feature frameFeature(String key) {
    Feature f = info.feature(key);
    if (!f.isVisual()) {
      throw new IllegalArgumentException(
          root
              + ": feature '"
              + key
              + "' is "
              + f.dtype()
              + ", not a video or image; frame keys are "
              + info.frameKeys());
    }
    return f;
  }

  private Feature videoFeature(String key) {
    Feature f = info.feature(key);
    if (!f.isVideo()) {
      throw new IllegalArgumentException(
          root
              + ": feature '"
              + key
              + "' is "
              + f.dtype()
              + ", not a video; video keys are "
              + info.videoKeys());
    }
    return f;
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
        throw new IllegalArgumentException(
            root + ": feature '" + k + "' is " + f.dtype() + ", not numeric");
      }
      features.add(f);
    }
    return new ColumnBatchIterator(connection, dataFiles(), features, batchSize);
  }

  // ---------------------------------------------------------------- SQL

  /**
   * Runs {@code sql} with views {@code data} (every present data file), {@code episodes} (the
   * episodes metadata as stored) and {@code tasks} ({@code task_index}, {@code task}).
   *
   * @param maxRows rows to keep; further rows set {@link QueryResult#truncated()}
   * @throws IllegalArgumentException when DuckDB rejects the query (one line, DuckDB's message)
   */
  public QueryResult query(String sql, int maxRows) throws LeRobotFormatException {
    return this.sql.query(sql, maxRows);
  }

  /**
   * Compares the episodes metadata with the data files, as {@link EpisodeDataCheck} does; with
   * {@code full}, also continuity and timestamps.
   */
  List<DatasetProblem> checkEpisodesAgainstData(boolean full) {
    return new EpisodeDataCheck(connection, columnTypes, info.fps())
        .check(metadata.episodes(), full);
  }

  /** Closes the DuckDB connection and every open video decoder. Idempotent. */
  @Override
  public void close() {
    images.clear();
    videos.close();
    try {
      connection.close();
    } catch (SQLException e) {
      // nothing was written through the connection, so there is nothing to lose
    }
  }
}
