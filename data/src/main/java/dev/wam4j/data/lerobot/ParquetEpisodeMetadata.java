package dev.wam4j.data.lerobot;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Reads the episode index of a v3.0 dataset: {@code meta/tasks.parquet} and the {@code
 * meta/episodes/} parquet files, one row per episode naming its data file, global index range and,
 * per video key, the mp4 and the time span in it.
 */
final class ParquetEpisodeMetadata {
  private ParquetEpisodeMetadata() {}

  /** The columns every v3.0 episodes row has, before the per-video-key ones. */
  private static final List<String> COLUMNS =
      List.of(
          "episode_index",
          "length",
          "data/chunk_index",
          "data/file_index",
          "dataset_from_index",
          "dataset_to_index");

  /** The location columns of one episodes row, by name. */
  private record EpisodeRow(
      long episodeIndex,
      long length,
      long dataChunk,
      long dataFile,
      long datasetFrom,
      long datasetTo) {}

  static EpisodeMetadata read(Path root, LeRobotInfo info, Connection c) throws IOException {
    Path tasksFile = root.resolve("meta/tasks.parquet");
    Map<Integer, String> tasks = readTasks(c, tasksFile);
    List<Path> files = episodeFiles(root);
    List<Episode> episodes = new ArrayList<>();
    for (Path f : files) {
      readEpisodes(c, root, info, f, episodes);
    }
    episodes.sort((a, b) -> Integer.compare(a.index(), b.index()));
    return new EpisodeMetadata(episodes, tasks, tasksFile, files);
  }

  private static List<Path> episodeFiles(Path root) throws IOException {
    Path dir = root.resolve("meta/episodes");
    if (!Files.isDirectory(dir)) {
      throw new LeRobotFormatException(
          dir, "not found (a v3.0 dataset keeps its episodes metadata here)");
    }
    try (Stream<Path> s = Files.walk(dir, 2)) {
      List<Path> files =
          s.filter(p -> p.getFileName().toString().endsWith(".parquet") && Files.isRegularFile(p))
              .sorted()
              .toList();
      if (files.isEmpty()) {
        throw new LeRobotFormatException(dir, "holds no parquet files");
      }
      return files;
    }
  }

  private static void readEpisodes(
      Connection c, Path root, LeRobotInfo info, Path file, List<Episode> out)
      throws LeRobotFormatException {
    Map<String, String> types = ParquetColumns.describe(c, file);
    List<String> needed = new ArrayList<>(COLUMNS);
    for (String key : info.videoKeys()) {
      for (String part : List.of("chunk_index", "file_index", "from_timestamp", "to_timestamp")) {
        needed.add("videos/" + key + "/" + part);
      }
    }
    List<String> absent = needed.stream().filter(n -> !types.containsKey(n)).toList();
    if (!absent.isEmpty()) {
      throw new LeRobotFormatException(file, "missing columns " + absent);
    }
    boolean hasTasks = types.containsKey("tasks");
    String sql =
        "SELECT "
            + String.join(", ", needed.stream().map(Duck::ident).toList())
            + (hasTasks ? ", tasks" : "")
            + " FROM read_parquet("
            + Duck.literal(file)
            + ")";
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      int row = 0;
      while (rs.next()) {
        EpisodeRow r =
            new EpisodeRow(
                required(rs, file, row, "episode_index"),
                required(rs, file, row, "length"),
                required(rs, file, row, "data/chunk_index"),
                required(rs, file, row, "data/file_index"),
                required(rs, file, row, "dataset_from_index"),
                required(rs, file, row, "dataset_to_index"));
        out.add(episode(rs, root, info, file, row, r, hasTasks));
        row++;
      }
    } catch (SQLException e) {
      throw new LeRobotFormatException(file, "cannot read parquet: " + Duck.message(e), e);
    }
  }

  private static Episode episode(
      ResultSet rs, Path root, LeRobotInfo info, Path file, int row, EpisodeRow r, boolean hasTasks)
      throws SQLException, LeRobotFormatException {
    if (r.episodeIndex() < 0
        || r.episodeIndex() > Integer.MAX_VALUE
        || r.length() < 0
        || r.length() > Integer.MAX_VALUE) {
      throw new LeRobotFormatException(
          file,
          "row "
              + row
              + ": episode_index "
              + r.episodeIndex()
              + " or length "
              + r.length()
              + " out of range");
    }
    int idx = (int) r.episodeIndex();
    if (r.datasetTo() - r.datasetFrom() != r.length()) {
      throw new LeRobotFormatException(
          file,
          "episode "
              + idx
              + ": dataset_from_index "
              + r.datasetFrom()
              + " and dataset_to_index "
              + r.datasetTo()
              + " do not span its length "
              + r.length());
    }
    Path data =
        PathTemplate.resolveInside(
            root,
            info.dataPath(),
            Map.of("chunk_index", r.dataChunk(), "file_index", r.dataFile()),
            info.file(),
            "data_path");
    Map<String, VideoSegment> videos = new HashMap<>();
    for (String key : info.videoKeys()) {
      String p = "videos/" + key + "/";
      long chunk = rs.getLong(p + "chunk_index");
      boolean nulls = rs.wasNull();
      long fileIndex = rs.getLong(p + "file_index");
      nulls |= rs.wasNull();
      double from = rs.getDouble(p + "from_timestamp");
      nulls |= rs.wasNull();
      double to = rs.getDouble(p + "to_timestamp");
      if (nulls || rs.wasNull()) {
        throw new LeRobotFormatException(
            file, "row " + row + ": video columns of " + key + " are null");
      }
      Path video =
          PathTemplate.resolveInside(
              root,
              info.videoPath().orElseThrow(),
              Map.of("video_key", key, "chunk_index", chunk, "file_index", fileIndex),
              info.file(),
              "video_path");
      videos.put(key, new VideoSegment(video, from, to));
    }
    List<String> tasks = new ArrayList<>();
    if (hasTasks && Duck.plain(rs.getObject("tasks")) instanceof List<?> l) {
      for (Object o : l) {
        tasks.add(String.valueOf(o));
      }
    }
    return new Episode(
        idx, (int) r.length(), tasks, data, r.datasetFrom(), r.datasetTo(), videos, file);
  }

  private static long required(ResultSet rs, Path file, int row, String column)
      throws SQLException, LeRobotFormatException {
    long v = rs.getLong(column);
    if (rs.wasNull()) {
      throw new LeRobotFormatException(file, "row " + row + ": column '" + column + "' is null");
    }
    return v;
  }

  private static Map<Integer, String> readTasks(Connection c, Path file)
      throws LeRobotFormatException {
    if (!Files.isRegularFile(file)) {
      throw new LeRobotFormatException(file, "not found");
    }
    Map<Integer, String> tasks = new HashMap<>();
    String taskColumn = taskColumn(c, file);
    try (Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT task_index, "
                    + Duck.ident(taskColumn)
                    + " FROM read_parquet("
                    + Duck.literal(file)
                    + ")")) {
      while (rs.next()) {
        int idx = rs.getInt(1);
        if (tasks.put(idx, rs.getString(2)) != null) {
          throw new LeRobotFormatException(file, "task_index " + idx + " appears twice");
        }
      }
    } catch (SQLException e) {
      throw new LeRobotFormatException(file, "cannot read parquet: " + Duck.message(e), e);
    }
    return tasks;
  }

  /**
   * The task text column: {@code task}, or the pandas index LeRobot writes ({@code
   * __index_level_0__}).
   */
  static String taskColumn(Connection c, Path file) throws LeRobotFormatException {
    Map<String, String> types = ParquetColumns.describe(c, file);
    if (!types.containsKey("task_index")) {
      throw new LeRobotFormatException(
          file, "no column 'task_index'; columns are " + types.keySet());
    }
    for (String name : List.of("task", "__index_level_0__")) {
      if ("VARCHAR".equals(types.get(name))) {
        return name;
      }
    }
    throw new LeRobotFormatException(
        file, "no text column 'task' (or '__index_level_0__'); columns are " + types.keySet());
  }
}
