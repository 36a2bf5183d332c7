package dev.wam4j.data.lerobot;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;

/**
 * Decodes the frames of image features: PNG or JPEG bytes in the parquet rows ({@code {bytes,
 * path}} structs, or plain bytes). Per key, one episode's encoded images are read whole on first
 * access and kept, so walking an episode's frames costs one query.
 */
final class ImageFrames {
  private final Connection connection;
  private final ColumnTypes columnTypes;
  private final Map<String, ImageEpisode> byKey = new HashMap<>();

  /** One episode's encoded images of one key, indexed by frame. */
  private record ImageEpisode(int episode, byte[][] bytes, String[] paths) {}

  ImageFrames(Connection connection, ColumnTypes columnTypes) {
    this.connection = connection;
    this.columnTypes = columnTypes;
  }

  /**
   * Decodes frame {@code frame} of episode {@code e} of image feature {@code f} into {@code
   * rgbOut}; the caller has checked the frame, the feature and the room in {@code rgbOut}.
   */
  void read(Episode e, int frame, Feature f, byte[] rgbOut, int offset)
      throws LeRobotFormatException {
    String key = f.name();
    ImageEpisode cached = byKey.get(key);
    if (cached == null || cached.episode() != e.index()) {
      byKey.remove(key);
      cached = load(e, key);
      byKey.put(key, cached);
    }
    byte[] encoded = cached.bytes()[frame];
    if (encoded == null) {
      throw new LeRobotFormatException(
          e.dataFile(),
          "episode "
              + e.index()
              + " frame "
              + frame
              + " of "
              + key
              + ": the image bytes are null"
              + (cached.paths()[frame] == null ? "" : " (path " + cached.paths()[frame] + ")"));
    }
    try {
      ImageDecoding.decodeRgb(encoded, f.width(), f.height(), rgbOut, offset);
    } catch (IllegalArgumentException ex) {
      throw new LeRobotFormatException(
          e.dataFile(),
          "episode " + e.index() + " frame " + frame + " of " + key + ": " + ex.getMessage(),
          ex);
    }
  }

  private ImageEpisode load(Episode e, String key) throws LeRobotFormatException {
    Path file = e.dataFile();
    if (!Files.isRegularFile(file)) {
      throw new LeRobotFormatException(file, "data file of episode " + e.index() + " not found");
    }
    String type = columnTypes.of(file).get(key);
    if (type == null) {
      throw new LeRobotFormatException(
          file,
          "no column '"
              + key
              + "' (image feature of info.json); columns are "
              + columnTypes.of(file).keySet());
    }
    String col = Duck.ident(key);
    String bytesSql;
    String pathSql = "NULL";
    if (type.equals("BLOB")) {
      bytesSql = col;
    } else if (type.startsWith("STRUCT(") && type.contains("bytes BLOB")) {
      // Hugging Face's Image feature: struct {bytes, path}; the path only helps an error message.
      bytesSql = "struct_extract(" + col + ", 'bytes')";
      if (type.contains("path VARCHAR")) {
        pathSql = "struct_extract(" + col + ", 'path')";
      }
    } else {
      throw new LeRobotFormatException(
          file,
          "column '"
              + key
              + "' is "
              + type
              + ", an image feature needs STRUCT(bytes BLOB, path VARCHAR) or BLOB");
    }
    int n = e.length();
    byte[][] bytes = new byte[n][];
    String[] paths = new String[n];
    String sql =
        "SELECT frame_index, "
            + bytesSql
            + ", "
            + pathSql
            + " FROM read_parquet("
            + Duck.literal(file)
            + ") WHERE episode_index = "
            + e.index()
            + " ORDER BY frame_index";
    int row = 0;
    try (Statement s = connection.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      while (rs.next()) {
        long fi = rs.getLong(1);
        if (row == n || fi != row) {
          throw new LeRobotFormatException(
              file,
              "episode "
                  + e.index()
                  + " of length "
                  + n
                  + " has a row with frame_index "
                  + fi
                  + " where frame "
                  + row
                  + " was expected");
        }
        bytes[row] = rs.getBytes(2);
        paths[row] = rs.getString(3);
        row++;
      }
    } catch (SQLException ex) {
      throw new LeRobotFormatException(
          file, "cannot read column '" + key + "': " + Duck.message(ex), ex);
    }
    if (row != n) {
      throw new LeRobotFormatException(
          file, "episode " + e.index() + " has " + row + " rows, its length is " + n);
    }
    return new ImageEpisode(e.index(), bytes, paths);
  }

  /** Lets go of the kept images. */
  void clear() {
    byKey.clear();
  }
}
