package dev.wam4j.data.lerobot;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * SQL over a dataset: views {@code data} (every present data file), {@code episodes} (the episodes
 * metadata as stored) and {@code tasks} ({@code task_index}, {@code task}), created on the first
 * query.
 */
final class DatasetSql {
  private final Connection connection;
  private final Path root;
  private final LeRobotInfo info;
  private final EpisodeMetadata metadata;
  private final List<Path> dataFiles;
  private boolean viewsCreated;

  DatasetSql(
      Connection connection,
      Path root,
      LeRobotInfo info,
      EpisodeMetadata metadata,
      List<Path> dataFiles) {
    this.connection = connection;
    this.root = root;
    this.info = info;
    this.metadata = metadata;
    this.dataFiles = dataFiles;
  }

  /** See {@link LeRobotDataset#query}. */
  QueryResult query(String sql, int maxRows) throws LeRobotFormatException {
    createViews();
    try (Statement s = connection.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
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
          row.add(Duck.plain(rs.getObject(i)));
        }
        rows.add(row);
      }
      return new QueryResult(columns, rows, truncated);
    } catch (SQLException e) {
      throw new IllegalArgumentException("sql: " + Duck.message(e), e);
    }
  }

  private void createViews() throws LeRobotFormatException {
    if (viewsCreated) {
      return;
    }
    List<Path> present = dataFiles.stream().filter(Files::isRegularFile).toList();
    Path tasksFile = metadata.tasksFile();
    try (Statement s = connection.createStatement()) {
      if (!present.isEmpty()) {
        s.execute(
            "CREATE VIEW data AS SELECT * FROM read_parquet(["
                + String.join(", ", present.stream().map(Duck::literal).toList())
                + "], union_by_name = true)");
      }
      if (info.version().perEpisodeFiles()) {
        s.execute(
            "CREATE VIEW episodes AS SELECT * FROM read_json("
                + Duck.literal(metadata.episodeFiles().get(0))
                + ", format = 'newline_delimited')");
        s.execute(
            "CREATE VIEW tasks AS SELECT task_index, task FROM read_json("
                + Duck.literal(tasksFile)
                + ", format = 'newline_delimited')");
      } else {
        s.execute(
            "CREATE VIEW episodes AS SELECT * FROM "
                + Duck.readParquet(metadata.episodeFiles())
                    .replace("])", "], union_by_name = true)"));
        s.execute(
            "CREATE VIEW tasks AS SELECT task_index, "
                + Duck.ident(ParquetEpisodeMetadata.taskColumn(connection, tasksFile))
                + " AS task FROM read_parquet("
                + Duck.literal(tasksFile)
                + ")");
      }
    } catch (SQLException e) {
      throw new LeRobotFormatException(root, "cannot create SQL views: " + Duck.message(e), e);
    }
    viewsCreated = true;
  }
}
