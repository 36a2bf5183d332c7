package dev.wam4j.data.lerobot.write;

import dev.wam4j.data.lerobot.Duck;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/** DuckDB plumbing for the writer: number literals and parquet copies on top of {@link Duck}. */
final class Sql {
  private Sql() {}

  /** An in-memory DuckDB that never downloads or auto-loads extensions ({@link Duck#connect}). */
  static Connection open() throws SQLException {
    return Duck.connect();
  }

  static String ident(String name) {
    return Duck.ident(name);
  }

  static String string(String s) {
    return Duck.literal(s);
  }

  static String path(Path p) {
    return Duck.literal(p.toAbsolutePath());
  }

  /**
   * A DOUBLE literal that round-trips exactly: Java's shortest repr written with an exponent
   * ({@code 960208210704093e-17}), which DuckDB reads as a DOUBLE, correctly rounded. A bare {@code
   * 0.0960208210704093} would be a DECIMAL, and DuckDB's DECIMAL to DOUBLE cast is one ulp off for
   * about one value in twenty (and parses several times slower); NaN and infinities spelled for
   * DuckDB.
   */
  static String number(double v) {
    if (Double.isNaN(v)) return "'nan'::DOUBLE";
    if (Double.isInfinite(v)) return v > 0 ? "'inf'::DOUBLE" : "'-inf'::DOUBLE";
    if (v == Math.rint(v) && Math.abs(v) < 1e15) return Long.toString((long) v) + ".0";
    java.math.BigDecimal d = new java.math.BigDecimal(Double.toString(v));
    return d.unscaledValue() + "e" + -d.scale();
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
