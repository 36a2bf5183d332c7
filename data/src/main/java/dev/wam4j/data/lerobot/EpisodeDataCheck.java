package dev.wam4j.data.lerobot;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Compares the episodes metadata with the data files: per episode the row count against {@code
 * length} and the {@code index} range against [dataset_from_index, dataset_to_index); in full, also
 * index and frame_index continuity and timestamps against frame_index / fps. One aggregate query
 * per data file.
 */
final class EpisodeDataCheck {
  private final Connection connection;
  private final ColumnTypes columnTypes;
  private final double fps;

  /**
   * What one data file holds of one episode. {@code continuity} is null unless the check is full.
   */
  private record EpisodeRows(long rows, long minIndex, long maxIndex, Continuity continuity) {}

  /**
   * The full check's figures of one episode's rows: the frame_index range, the distinct index and
   * frame_index values, and the rows whose timestamp is off frame_index / fps.
   */
  private record Continuity(
      long minFrame, long maxFrame, long distinctIndex, long distinctFrame, long offTimestamps) {}

  EpisodeDataCheck(Connection connection, ColumnTypes columnTypes, double fps) {
    this.connection = connection;
    this.columnTypes = columnTypes;
    this.fps = fps;
  }

  /**
   * The problems found; missing data files are skipped (they are reported by {@link
   * LeRobotDataset#missingFiles()}).
   */
  List<DatasetProblem> check(List<Episode> episodes, boolean full) {
    List<DatasetProblem> problems = new ArrayList<>();
    Map<Path, List<Episode>> byFile = new LinkedHashMap<>();
    for (Episode e : episodes) {
      byFile.computeIfAbsent(e.dataFile(), k -> new ArrayList<>()).add(e);
    }
    for (Map.Entry<Path, List<Episode>> entry : byFile.entrySet()) {
      Path file = entry.getKey();
      if (Files.isRegularFile(file)) {
        checkFile(file, entry.getValue(), full, problems);
      }
    }
    return problems;
  }

  private void checkFile(
      Path file, List<Episode> episodes, boolean full, List<DatasetProblem> problems) {
    Map<String, String> types;
    try {
      types = columnTypes.of(file);
    } catch (LeRobotFormatException ex) {
      problems.add(new DatasetProblem(file, stripFile(ex, file)));
      return;
    }
    List<String> absent =
        Stream.of("episode_index", "index", "frame_index", "timestamp")
            .filter(c -> !types.containsKey(c))
            .toList();
    if (!absent.isEmpty()) {
      problems.add(
          new DatasetProblem(
              file, "missing columns " + absent + "; columns are " + types.keySet()));
      return;
    }
    Map<Integer, EpisodeRows> held;
    try {
      held = episodeRows(file, full);
    } catch (SQLException ex) {
      problems.add(new DatasetProblem(file, "cannot read parquet: " + Duck.message(ex)));
      return;
    }
    Set<Integer> expected = new HashSet<>();
    for (Episode e : episodes) {
      expected.add(e.index());
      EpisodeRows r = held.get(e.index());
      if (r == null) {
        problems.add(
            new DatasetProblem(
                e.metadataFile(),
                "episode " + e.index() + " (length " + e.length() + ") has no rows in " + file));
      } else {
        compare(file, e, r, problems);
      }
    }
    for (Map.Entry<Integer, EpisodeRows> h : held.entrySet()) {
      if (!expected.contains(h.getKey())) {
        problems.add(
            new DatasetProblem(
                file,
                "holds "
                    + h.getValue().rows()
                    + " rows of episode "
                    + h.getKey()
                    + ", which the episodes metadata does not place in this file"));
      }
    }
  }

  private Map<Integer, EpisodeRows> episodeRows(Path file, boolean full) throws SQLException {
    String sql =
        "SELECT episode_index, count(*) AS n, min(\"index\") AS min_index, max(\"index\") AS max_index"
            + (full
                ? ", min(frame_index) AS min_frame, max(frame_index) AS max_frame, count(DISTINCT \"index\") AS distinct_index,"
                    + " count(DISTINCT frame_index) AS distinct_frame, count(*) FILTER (WHERE abs(CAST(timestamp AS DOUBLE) - frame_index / "
                    + fps
                    + ") > "
                    + LeRobotDataset.TIMESTAMP_TOLERANCE_S
                    + ") AS off_timestamps"
                : "")
            + " FROM read_parquet("
            + Duck.literal(file)
            + ") GROUP BY episode_index ORDER BY episode_index";
    Map<Integer, EpisodeRows> held = new LinkedHashMap<>();
    try (Statement s = connection.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      while (rs.next()) {
        Continuity c =
            full
                ? new Continuity(
                    rs.getLong("min_frame"),
                    rs.getLong("max_frame"),
                    rs.getLong("distinct_index"),
                    rs.getLong("distinct_frame"),
                    rs.getLong("off_timestamps"))
                : null;
        held.put(
            rs.getInt("episode_index"),
            new EpisodeRows(rs.getLong("n"), rs.getLong("min_index"), rs.getLong("max_index"), c));
      }
    }
    return held;
  }

  private void compare(Path file, Episode e, EpisodeRows r, List<DatasetProblem> problems) {
    Path meta = e.metadataFile();
    if (r.rows() != e.length()) {
      problems.add(
          new DatasetProblem(
              meta,
              "episode "
                  + e.index()
                  + " has length "
                  + e.length()
                  + ", but "
                  + file
                  + " holds "
                  + r.rows()
                  + " rows for it"));
    }
    if (r.minIndex() != e.datasetFrom() || r.maxIndex() != e.datasetTo() - 1) {
      problems.add(
          new DatasetProblem(
              meta,
              "episode "
                  + e.index()
                  + " covers index ["
                  + e.datasetFrom()
                  + ", "
                  + e.datasetTo()
                  + "), but its rows in "
                  + file
                  + " have index "
                  + r.minIndex()
                  + ".."
                  + r.maxIndex()));
    }
    Continuity c = r.continuity();
    if (c == null) {
      return;
    }
    if (c.distinctIndex() != r.rows() || r.maxIndex() - r.minIndex() + 1 != r.rows()) {
      problems.add(
          new DatasetProblem(
              file,
              "episode "
                  + e.index()
                  + ": index is not continuous ("
                  + r.rows()
                  + " rows, "
                  + c.distinctIndex()
                  + " distinct values in "
                  + r.minIndex()
                  + ".."
                  + r.maxIndex()
                  + ")"));
    }
    if (c.minFrame() != 0 || c.maxFrame() != r.rows() - 1 || c.distinctFrame() != r.rows()) {
      problems.add(
          new DatasetProblem(
              file,
              "episode "
                  + e.index()
                  + ": frame_index is not 0.."
                  + (r.rows() - 1)
                  + " without gaps ("
                  + c.distinctFrame()
                  + " distinct values in "
                  + c.minFrame()
                  + ".."
                  + c.maxFrame()
                  + ")"));
    }
    if (c.offTimestamps() != 0) {
      problems.add(
          new DatasetProblem(
              file,
              "episode "
                  + e.index()
                  + ": "
                  + c.offTimestamps()
                  + " rows have a timestamp further than "
                  + LeRobotDataset.TIMESTAMP_TOLERANCE_S
                  + " s from frame_index / fps (fps "
                  + fps
                  + ")"));
    }
  }

  /**
   * The message of {@code e} without its leading {@code file: }, for a problem that names the file
   * itself.
   */
  private static String stripFile(LeRobotFormatException e, Path file) {
    String m = e.getMessage();
    String prefix = file + ": ";
    return m.startsWith(prefix) ? m.substring(prefix.length()) : m;
  }
}
