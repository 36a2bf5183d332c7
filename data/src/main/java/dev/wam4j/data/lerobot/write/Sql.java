package dev.wam4j.data.lerobot.write;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

/** DuckDB plumbing for the writer: an offline in-memory connection, quoting, literals. */
final class Sql {
  private Sql() {}

  /**
   * An in-memory DuckDB that never downloads or auto-loads extensions (parquet is built into the
   * JDBC driver), so writing works offline and behaves the same everywhere.
   */
  static Connection open() throws SQLException {
    Properties p = new Properties();
    p.setProperty("autoinstall_known_extensions", "false");
    p.setProperty("autoload_known_extensions", "false");
    return DriverManager.getConnection("jdbc:duckdb:", p);
  }

  static String ident(String name) {
    return '"' + name.replace("\"", "\"\"") + '"';
  }

  static String string(String s) {
    return '\'' + s.replace("'", "''") + '\'';
  }

  static String path(Path p) {
    return string(p.toAbsolutePath().toString());
  }

  /**
   * A DOUBLE literal that round-trips exactly (Java's shortest repr); NaN and infinities spelled
   * for DuckDB.
   */
  static String number(double v) {
    if (Double.isNaN(v)) return "'nan'::DOUBLE";
    if (Double.isInfinite(v)) return v > 0 ? "'inf'::DOUBLE" : "'-inf'::DOUBLE";
    if (v == Math.rint(v) && Math.abs(v) < 1e15) return Long.toString((long) v) + ".0";
    return Double.toString(v);
  }

  static void execute(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  /** Writes a whole table to a parquet file (snappy, as LeRobot's files are). */
  static void copyToParquet(Connection c, String table, Path file, String kvMetadata)
      throws SQLException {
    String options =
        "FORMAT parquet, COMPRESSION snappy"
            + (kvMetadata == null ? "" : ", KV_METADATA " + kvMetadata);
    execute(c, "COPY " + ident(table) + " TO " + path(file) + " (" + options + ")");
  }

  /** Writes the rows of {@code query} to a parquet file, in the query's order (snappy). */
  static void copyQueryToParquet(Connection c, String query, Path file) throws SQLException {
    execute(c, "COPY (" + query + ") TO " + path(file) + " (FORMAT parquet, COMPRESSION snappy)");
  }
}
