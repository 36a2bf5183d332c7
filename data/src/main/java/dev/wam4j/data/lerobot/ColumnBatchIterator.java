package dev.wam4j.data.lerobot;

import java.nio.file.Path;
import java.sql.Connection;
import java.util.List;

/**
 * Sequential batches of numeric columns over a whole dataset, for training: each data file is read
 * in one DuckDB query into flat arrays, then copied out batch by batch with {@code
 * System.arraycopy}, so the per-batch cost is a copy and nothing is allocated after the first file.
 * Rows come in data-file order (episode order for every layout LeRobot writes); batches run across
 * file and episode boundaries, and all but the last are full.
 *
 * <p>Returned by {@link LeRobotDataset#batches}; uses the dataset's DuckDB connection, so it is
 * valid while the dataset is open. Not thread-safe.
 */
public final class ColumnBatchIterator {
  private final Connection connection;
  private final List<Path> files;
  private final List<Feature> features;
  private final ColumnBatch batch;
  private final int capacity;
  private int nextFile;
  private Object[] table;
  private int tableRows;
  private int tablePos;

  ColumnBatchIterator(
      Connection connection, List<Path> files, List<Feature> features, int batchSize) {
    this.connection = connection;
    this.files = List.copyOf(files);
    this.features = List.copyOf(features);
    this.capacity = batchSize;
    this.batch = new ColumnBatch(features, batchSize);
  }

  /**
   * Fills and returns the next batch, or returns null when every row has been delivered.
   *
   * @throws LeRobotFormatException when a data file is missing, truncated or disagrees with
   *     info.json
   */
  public ColumnBatch nextBatch() throws LeRobotFormatException {
    int filled = 0;
    while (filled < capacity) {
      if (table == null || tablePos == tableRows) {
        if (!loadNextFile()) {
          break;
        }
        continue;
      }
      int n = Math.min(capacity - filled, tableRows - tablePos);
      for (int j = 0; j < table.length; j++) {
        int w = features.get(j).elementCount();
        System.arraycopy(table[j], tablePos * w, batch.array(j), filled * w, n * w);
      }
      tablePos += n;
      filled += n;
    }
    if (filled == 0) {
      return null;
    }
    batch.rows(filled);
    return batch;
  }

  private boolean loadNextFile() throws LeRobotFormatException {
    if (nextFile == files.size()) {
      return false;
    }
    Path file = files.get(nextFile++);
    if (!java.nio.file.Files.isRegularFile(file)) {
      throw new LeRobotFormatException(file, "data file not found");
    }
    long rows = ParquetColumns.count(connection, file);
    if (rows > Integer.MAX_VALUE / 64) {
      throw new LeRobotFormatException(file, rows + " rows is too many for one in-memory read");
    }
    table =
        ParquetColumns.read(
            connection,
            file,
            ParquetColumns.describe(connection, file),
            features,
            null,
            (int) rows);
    tableRows = (int) rows;
    tablePos = 0;
    return true;
  }
}
