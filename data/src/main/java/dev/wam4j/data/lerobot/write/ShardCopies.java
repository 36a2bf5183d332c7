package dev.wam4j.data.lerobot.write;

import dev.wam4j.data.lerobot.LeRobotFormatException;
import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Copies a dataset's shard files into a dataset being assembled: as they are, hard-linked where the
 * filesystem allows (a published dataset is never written again, so sharing its files is safe), or
 * a data file with its episodes renumbered. Video files are only ever linked or copied, never
 * decoded.
 */
final class ShardCopies {
  private ShardCopies() {}

  /**
   * How one dataset's numbers change in the assembled one.
   *
   * @param episodeOffset added to {@code episode_index}
   * @param frameOffset added to the global {@code index}
   * @param tasks its {@code task_index} values to the assembled dataset's
   */
  record Renumbering(long episodeOffset, long frameOffset, Map<Integer, Integer> tasks) {
    Renumbering {
      tasks = Map.copyOf(tasks);
    }

    /** True when every number stays: the data files can be copied as they are. */
    boolean keepsNumbers() {
      return episodeOffset == 0
          && frameOffset == 0
          && tasks.entrySet().stream().allMatch(e -> e.getKey().equals(e.getValue()));
    }
  }

  /** The renumbered index columns of one episode, in frame order, for its statistics. */
  record IndexColumns(double[] episodeIndex, double[] index, double[] taskIndex) {}

  /** Hard-links {@code src} at {@code dst}, or copies it where the filesystem cannot link. */
  static void linkOrCopy(Path src, Path dst) throws IOException {
    Files.createDirectories(dst.getParent());
    try {
      Files.createLink(dst, src);
    } catch (UnsupportedOperationException
        | FileSystemException e) { // another filesystem, or links not allowed
      Files.copy(src, dst);
    }
  }

  /**
   * Writes data file {@code src} to {@code dst} with {@code episode_index}, {@code index} and
   * {@code task_index} renumbered by {@code r}, every other column and the row order unchanged.
   *
   * @throws LeRobotFormatException when {@code src} lacks an index column or holds a task_index its
   *     tasks metadata does not list; the message names the file
   */
  static void copyRenumbered(Connection db, Path src, Path dst, Renumbering r) throws IOException {
    String from = "read_parquet(" + Sql.path(src) + ")";
    try {
      Map<String, String> types = new LinkedHashMap<>();
      try (Statement s = db.createStatement();
          ResultSet rs = s.executeQuery("DESCRIBE SELECT * FROM " + from)) {
        while (rs.next()) types.put(rs.getString(1), rs.getString(2));
      }
      for (String column : List.of("episode_index", "index", "task_index")) {
        if (!types.containsKey(column))
          throw new LeRobotFormatException(
              src, "no column '" + column + "'; columns are " + types.keySet());
      }
      StringBuilder task = new StringBuilder("CASE task_index");
      TreeSet<Integer> present = distinctTasks(db, from);
      for (int t : present) {
        Integer to = r.tasks().get(t);
        if (to == null)
          throw new LeRobotFormatException(
              src, "task_index " + t + " is not in the dataset's tasks " + r.tasks().keySet());
        task.append(" WHEN ").append(t).append(" THEN ").append(to);
      }
      String taskValue =
          present.isEmpty() ? "task_index" : task.append(" END").toString(); // CASE needs a WHEN
      String query =
          "SELECT * REPLACE ("
              + "CAST(episode_index + "
              + r.episodeOffset()
              + " AS "
              + types.get("episode_index")
              + ") AS episode_index, "
              + "CAST(\"index\" + "
              + r.frameOffset()
              + " AS "
              + types.get("index")
              + ") AS \"index\", "
              + "CAST("
              + taskValue
              + " AS "
              + types.get("task_index")
              + ") AS task_index) FROM "
              + from;
      Files.createDirectories(dst.getParent());
      Sql.copyQueryToParquet(db, query, dst);
    } catch (SQLException e) {
      throw new IOException("copying " + src + " to " + dst + " renumbered: " + e.getMessage(), e);
    }
  }

  private static TreeSet<Integer> distinctTasks(Connection db, String from) throws SQLException {
    TreeSet<Integer> tasks = new TreeSet<>();
    try (Statement s = db.createStatement();
        ResultSet rs = s.executeQuery("SELECT DISTINCT task_index FROM " + from)) {
      while (rs.next()) tasks.add(rs.getInt(1));
    }
    return tasks;
  }

  /**
   * The index columns of the episodes in data files {@code files}, per {@code episode_index}, whose
   * lengths are {@code lengths}.
   */
  static Map<Integer, IndexColumns> indexColumns(
      Connection db, List<Path> files, Map<Integer, Integer> lengths) throws IOException {
    Map<Integer, IndexColumns> out = new HashMap<>();
    lengths.forEach(
        (e, n) -> out.put(e, new IndexColumns(new double[n], new double[n], new double[n])));
    String sql =
        "SELECT episode_index, \"index\", task_index, frame_index FROM read_parquet(["
            + String.join(", ", files.stream().map(Sql::path).toList())
            + "]) ORDER BY episode_index, frame_index";
    try (Statement s = db.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      while (rs.next()) {
        IndexColumns c = out.get(rs.getInt(1));
        int frame = rs.getInt(4);
        if (c == null || frame < 0 || frame >= c.index().length) {
          throw new IOException(
              files
                  + ": episode "
                  + rs.getInt(1)
                  + " frame "
                  + frame
                  + " is not in the episodes metadata");
        }
        c.episodeIndex()[frame] = rs.getLong(1);
        c.index()[frame] = rs.getLong(2);
        c.taskIndex()[frame] = rs.getLong(3);
      }
    } catch (SQLException e) {
      throw new IOException("reading the index columns of " + files + ": " + e.getMessage(), e);
    }
    return out;
  }
}
