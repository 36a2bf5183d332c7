package dev.wam4j.data.lerobot.write;

import dev.wam4j.data.lerobot.LeRobotFormatException;
import java.nio.file.Path;
import java.sql.Array;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the per-episode statistics a v3.0 dataset stores in its episodes metadata, the flattened
 * columns {@code stats/KEY/{min,max,mean,std,count,q01,q10,q50,q90,q99}}, back into {@link
 * FeatureStats}: per-dimension lists for numeric features, (channels, 1, 1) lists for images.
 */
final class StoredStats {
  /** The statistics of one feature in column order: the moments, the count, the quantiles. */
  private static final List<String> STATS =
      List.of("min", "max", "mean", "std", "count", "q01", "q10", "q50", "q90", "q99");

  /** Where the quantiles start in {@link #STATS}. */
  private static final int QUANTILES_FROM = 5;

  private StoredStats() {}

  /**
   * The statistics of every episode of {@code dataset}, by {@code episode_index}, each keyed by
   * feature in the order the columns are stored.
   *
   * @throws LeRobotFormatException when a statistic is missing, null or of a shape other than a
   *     list or a (channels, 1, 1) list; the message names the episodes folder and the column
   */
  static Map<Integer, LinkedHashMap<String, FeatureStats>> read(
      Connection db, SourceDataset dataset) throws LeRobotFormatException {
    Path where = dataset.root().resolve("meta/episodes");
    String from =
        "read_parquet(["
            + String.join(", ", dataset.episodeFiles().stream().map(Sql::path).toList())
            + "], union_by_name = true)";
    try {
      Map<String, String> types = describe(db, from);
      List<String> keys = new ArrayList<>();
      for (String column : types.keySet()) {
        if (column.startsWith("stats/") && column.endsWith("/mean"))
          keys.add(column.substring(6, column.length() - 5));
      }
      List<String> select = new ArrayList<>(List.of("episode_index"));
      for (String key : keys) {
        for (String stat : STATS) {
          String column = "stats/" + key + "/" + stat;
          String type = types.get(column);
          if (type == null)
            throw new LeRobotFormatException(
                where,
                "no column '" + column + "' (an append needs every statistic LeRobot writes)");
          int depth = (int) type.chars().filter(c -> c == '[').count();
          if (depth != 1 && depth != 3)
            throw new LeRobotFormatException(
                where, "column '" + column + "' is " + type + ", not a list of statistics");
          select.add(
              depth == 3 ? "flatten(flatten(" + Sql.ident(column) + "))" : Sql.ident(column));
        }
      }
      Map<Integer, LinkedHashMap<String, FeatureStats>> out = new HashMap<>();
      try (Statement s = db.createStatement();
          ResultSet rs = s.executeQuery("SELECT " + String.join(", ", select) + " FROM " + from)) {
        while (rs.next()) {
          int episode = rs.getInt(1);
          LinkedHashMap<String, FeatureStats> stats = new LinkedHashMap<>();
          int col = 2;
          for (String key : keys) {
            double[][] v = new double[STATS.size()][];
            for (int k = 0; k < v.length; k++)
              v[k] =
                  numbers(rs.getArray(col++), where, episode, "stats/" + key + "/" + STATS.get(k));
            String meanType = types.get("stats/" + key + "/mean");
            String minType = types.get("stats/" + key + "/min");
            boolean image = meanType.endsWith("[][][]");
            boolean integer = !(minType.startsWith("DOUBLE") || minType.startsWith("FLOAT"));
            double[][] quantiles = Arrays.copyOfRange(v, QUANTILES_FROM, STATS.size());
            stats.put(
                key,
                new FeatureStats(
                    v[0], v[1], v[2], v[3], (long) v[4][0], quantiles, image, integer));
          }
          out.put(episode, stats);
        }
      }
      return out;
    } catch (SQLException e) {
      throw new LeRobotFormatException(
          where, "cannot read the per-episode statistics: " + e.getMessage(), e);
    }
  }

  private static Map<String, String> describe(Connection db, String from) throws SQLException {
    Map<String, String> types = new LinkedHashMap<>();
    try (Statement s = db.createStatement();
        ResultSet rs = s.executeQuery("DESCRIBE SELECT * FROM " + from)) {
      while (rs.next()) types.put(rs.getString(1), rs.getString(2));
    }
    return types;
  }

  private static double[] numbers(Array a, Path where, int episode, String column)
      throws SQLException, LeRobotFormatException {
    Object[] items = a == null ? null : (Object[]) a.getArray();
    if (items == null || items.length == 0)
      throw new LeRobotFormatException(
          where, "episode " + episode + ": '" + column + "' is null or empty");
    double[] out = new double[items.length];
    for (int i = 0; i < items.length; i++) {
      if (!(items[i] instanceof Number n))
        throw new LeRobotFormatException(
            where, "episode " + episode + ": '" + column + "' holds " + items[i]);
      out[i] = n.doubleValue();
    }
    return out;
  }
}
