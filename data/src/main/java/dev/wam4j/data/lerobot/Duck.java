package dev.wam4j.data.lerobot;

import java.nio.file.Path;
import java.sql.Array;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Struct;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.stream.Collectors;

/**
 * DuckDB connections and SQL text, for the reader and the writer. Extensions are never installed or
 * auto-loaded, so nothing is ever downloaded and everything works offline: parquet and json are
 * compiled into the JDBC build.
 */
public final class Duck {
  private Duck() {}

  /** A new in-memory DuckDB connection (the caller closes it). */
  public static Connection connect() throws SQLException {
    Properties p = new Properties();
    p.setProperty("autoinstall_known_extensions", "false");
    p.setProperty("autoload_known_extensions", "false");
    try {
      Class.forName("org.duckdb.DuckDBDriver");
    } catch (ClassNotFoundException e) {
      throw new SQLException("DuckDB JDBC driver not on the class path", e);
    }
    return DriverManager.getConnection("jdbc:duckdb:", p);
  }

  /** A SQL string literal. */
  public static String literal(String s) {
    return "'" + s.replace("'", "''") + "'";
  }

  /** A SQL string literal of a path as given. */
  public static String literal(Path p) {
    return literal(p.toString());
  }

  /** A quoted SQL identifier. */
  public static String ident(String s) {
    return '"' + s.replace("\"", "\"\"") + '"';
  }

  /** {@code read_parquet(['a', 'b'])} over {@code files}. */
  static String readParquet(List<Path> files) {
    return "read_parquet(["
        + files.stream().map(Duck::literal).collect(Collectors.joining(", "))
        + "])";
  }

  /** The first line of a DuckDB message, without the error class prefix noise repeated. */
  static String message(SQLException e) {
    String m = e.getMessage() == null ? e.toString() : e.getMessage();
    int nl = m.indexOf('\n');
    return (nl < 0 ? m : m.substring(0, nl)).strip();
  }

  /**
   * A JDBC value as plain Java: numbers, strings and booleans as they are, SQL lists and structs as
   * lists (recursively), anything else as its text.
   */
  static Object plain(Object v) throws SQLException {
    if (v instanceof Array a) {
      Object[] items = (Object[]) a.getArray();
      List<Object> out = new ArrayList<>(items.length);
      for (Object o : items) {
        out.add(plain(o));
      }
      return out;
    }
    if (v instanceof Struct s) {
      List<Object> out = new ArrayList<>();
      for (Object o : s.getAttributes()) {
        out.add(plain(o));
      }
      return out;
    }
    if (v instanceof Number || v instanceof String || v instanceof Boolean || v == null) {
      return v;
    }
    return v.toString();
  }
}
