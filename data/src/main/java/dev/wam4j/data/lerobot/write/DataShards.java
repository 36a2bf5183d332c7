package dev.wam4j.data.lerobot.write;

import dev.wam4j.data.lerobot.write.LeRobotWriteConfig.Version;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

/**
 * The data parquet files of a dataset being written. Episodes' rows are appended to an in-memory
 * DuckDB table, which is copied to a parquet file when the file is complete: v3.0 starts a new file
 * ({@code data/chunk-C/file-F.parquet}, at most {@code chunks_size} per chunk) when the next
 * episode would push the current one's uncompressed row bytes over {@code data_files_size_in_mb};
 * v2.1 writes one file per episode.
 */
final class DataShards implements AutoCloseable {
  private final Path root;
  private final LeRobotWriteConfig config;
  private final DuckDBConnection db;
  private final List<WriteFeature> numeric;
  private final float[][] rowScratch;

  private int chunk, file;
  private String table;
  private DuckDBAppender appender;
  private long fileRows, fileBytes;
  private int tableCounter;

  DataShards(Path root, LeRobotWriteConfig config, DuckDBConnection db, EpisodeBuffer layout) {
    this.root = root;
    this.config = config;
    this.db = db;
    this.numeric = layout.numericFeatures();
    rowScratch = new float[numeric.size()][];
    for (int i = 0; i < rowScratch.length; i++) rowScratch[i] = new float[layout.dim(i)];
  }

  /** Chunk index of the file the last episode went to. */
  int chunk() {
    return chunk;
  }

  /** File index (within its chunk) of the file the last episode went to. */
  int file() {
    return file;
  }

  /**
   * Appends the rows of episode {@code ep} (its values in {@code buffer}), starting a new file
   * first when this one would grow past its limit; v2.1 completes the episode's own file.
   */
  void append(int ep, int taskIndex, long from, EpisodeBuffer buffer) throws IOException {
    int n = buffer.length();
    long episodeBytes = rowBytes(buffer) * n;
    try {
      if (config.version() == Version.V3_0
          && table != null
          && fileRows > 0
          && fileBytes + episodeBytes > config.dataFilesSizeMb() * LeRobotWriter.MIB) {
        closeFile(v3Name());
        if (++file >= config.chunksSize()) {
          file = 0;
          chunk++;
        }
      }
      if (table == null) openTable();
      for (int t = 0; t < n; t++) {
        appender.beginRow();
        for (int i = 0; i < numeric.size(); i++) {
          switch (numeric.get(i)) {
            case WriteFeature.Vector v -> {
              buffer.vector(i, t, rowScratch[i]);
              appender.append(rowScratch[i]);
            }
            case WriteFeature.Scalar s -> {
              switch (s.type()) {
                case FLOAT32 -> appender.append((float) buffer.scalar(i, t));
                case INT64 -> appender.append(buffer.int64(i, t));
                case BOOL -> appender.append(buffer.scalar(i, t) != 0);
              }
            }
            case WriteFeature.Video v ->
                throw new IllegalStateException("video " + v.key() + " is not a data column");
          }
        }
        appender
            .append(buffer.timestamp(t))
            .append((long) t)
            .append((long) ep)
            .append(from + t)
            .append((long) taskIndex);
        appender.endRow();
      }
    } catch (SQLException e) {
      throw new IOException(
          "writing data rows of episode " + ep + " under " + root + ": " + e.getMessage(), e);
    }
    fileRows += n;
    fileBytes += episodeBytes;
    if (config.version() == Version.V2_1)
      closeFile(
          String.format("data/chunk-%03d/episode_%06d.parquet", ep / config.chunksSize(), ep));
  }

  /** Uncompressed bytes of one row: the features' values and the five index columns. */
  private long rowBytes(EpisodeBuffer buffer) {
    long bytes = 4 + 8 * 4;
    for (int i = 0; i < numeric.size(); i++) {
      bytes +=
          switch (numeric.get(i)) {
            case WriteFeature.Scalar s ->
                s.type() == WriteFeature.ScalarType.INT64
                    ? 8
                    : s.type() == WriteFeature.ScalarType.BOOL ? 1 : 4;
            default -> 4L * buffer.dim(i);
          };
    }
    return bytes;
  }

  /** Writes the file still open (v3.0). */
  void finish() throws IOException {
    if (config.version() == Version.V3_0) closeFile(v3Name());
  }

  private String v3Name() {
    return V3Paths.data(chunk, file);
  }

  private void openTable() throws SQLException {
    table = "data_" + tableCounter++;
    StringBuilder ddl = new StringBuilder("CREATE TABLE ").append(Sql.ident(table)).append(" (");
    for (WriteFeature f : numeric) {
      String type =
          switch (f) {
            case WriteFeature.Scalar s -> s.type().sql;
            default -> "FLOAT[]";
          };
      ddl.append(Sql.ident(f.key())).append(' ').append(type).append(", ");
    }
    ddl.append(
        "\"timestamp\" FLOAT, frame_index BIGINT, episode_index BIGINT, \"index\" BIGINT, task_index BIGINT)");
    Sql.execute(db, ddl.toString());
    appender = db.createAppender("main", table);
    fileRows = 0;
    fileBytes = 0;
  }

  private void closeFile(String relative) throws IOException {
    if (table == null) return;
    Path out = root.resolve(relative);
    try {
      appender.close();
      appender = null;
      Files.createDirectories(out.getParent());
      Sql.copyToParquet(db, table, out, null);
      Sql.execute(db, "DROP TABLE " + Sql.ident(table));
    } catch (SQLException e) {
      throw new IOException("writing " + out + ": " + e.getMessage(), e);
    }
    table = null;
  }

  /** Releases the appender (the connection is the writer's). */
  @Override
  public void close() throws SQLException {
    if (appender != null) {
      DuckDBAppender a = appender;
      appender = null;
      a.close();
    }
  }
}
