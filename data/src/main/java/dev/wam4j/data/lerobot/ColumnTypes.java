package dev.wam4j.data.lerobot;

import java.nio.file.Path;
import java.sql.Connection;
import java.util.HashMap;
import java.util.Map;

/** The column types of a dataset's parquet files, read once per file from its footer and kept. */
final class ColumnTypes {
  private final Connection connection;
  private final Map<Path, Map<String, String>> byFile = new HashMap<>();

  ColumnTypes(Connection connection) {
    this.connection = connection;
  }

  /**
   * Column name to DuckDB type text of {@code file}, as {@link ParquetColumns#describe} gives it.
   */
  Map<String, String> of(Path file) throws LeRobotFormatException {
    Map<String, String> t = byFile.get(file);
    if (t == null) {
      t = ParquetColumns.describe(connection, file);
      byFile.put(file, t);
    }
    return t;
  }
}
