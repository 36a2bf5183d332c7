package dev.wam4j.fleet.store;

import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The store's small JDBC helper: statements with positional arguments, rows mapped by column name,
 * and {@link #transaction} in place of hand-written commit and rollback blocks. Works alike on
 * SQLite, H2 and PostgreSQL. Thread-safe (one pooled connection per call or transaction).
 */
final class Db implements AutoCloseable {
  /** Maps the current row of a result set. */
  interface Row<T> {
    T map(ResultSet r) throws SQLException;
  }

  /** Work done inside one transaction. */
  interface Work<T> {
    T run(Tx tx) throws SQLException;
  }

  private final HikariDataSource pool;

  Db(HikariDataSource pool) {
    this.pool = pool;
  }

  <T> List<T> query(String sql, Row<T> row, Object... args) throws SQLException {
    try (Connection c = pool.getConnection()) {
      return new Tx(c).query(sql, row, args);
    }
  }

  /**
   * The first row's value; empty when there is no row or the row maps to null (a MIN over no rows).
   */
  <T> Optional<T> one(String sql, Row<T> row, Object... args) throws SQLException {
    try (Connection c = pool.getConnection()) {
      return new Tx(c).one(sql, row, args);
    }
  }

  /** The first column of the first row, as a number (a COUNT, a MAX). */
  long count(String sql, Object... args) throws SQLException {
    try (Connection c = pool.getConnection()) {
      return new Tx(c).count(sql, args);
    }
  }

  /** One statement in its own transaction; returns the rows changed. */
  int update(String sql, Object... args) throws SQLException {
    try (Connection c = pool.getConnection()) {
      return new Tx(c).update(sql, args);
    }
  }

  /** One INSERT in its own transaction; returns the generated key. */
  long insert(String sql, Object... args) throws SQLException {
    try (Connection c = pool.getConnection()) {
      return new Tx(c).insert(sql, args);
    }
  }

  /**
   * Runs {@code work} in one transaction: committed when it returns (unless it called {@link
   * Tx#rollbackOnly()}), rolled back when it throws.
   */
  <T> T transaction(Work<T> work) throws SQLException {
    try (Connection c = pool.getConnection()) {
      c.setAutoCommit(false);
      Tx tx = new Tx(c);
      T result;
      try {
        result = work.run(tx);
      } catch (SQLException | RuntimeException e) {
        rollback(c, e);
        throw e;
      }
      if (tx.rollbackOnly) c.rollback();
      // Commits by leaving manual mode. JDBC's commit() would, in sqlite-jdbc with IMMEDIATE
      // transactions, begin the next
      // transaction at once and so hold the database's write lock until the pool resets the
      // connection.
      c.setAutoCommit(true);
      return result;
    }
  }

  private static void rollback(Connection c, Exception cause) {
    try {
      c.rollback();
    } catch (SQLException e) {
      cause.addSuppressed(
          e); // the pool discards a broken connection; the first failure is the one to report
    }
  }

  @Override
  public void close() {
    pool.close();
  }

  /** Statements on one connection (inside a transaction, or alone in auto-commit mode). */
  static final class Tx {
    private final Connection c;
    private boolean rollbackOnly;

    private Tx(Connection c) {
      this.c = c;
    }

    /**
     * Rolls the transaction back instead of committing it when its work returns (a write that must
     * not stand).
     */
    void rollbackOnly() {
      rollbackOnly = true;
    }

    <T> List<T> query(String sql, Row<T> row, Object... args) throws SQLException {
      try (PreparedStatement s = prepare(sql, args);
          ResultSet r = s.executeQuery()) {
        List<T> out = new ArrayList<>();
        while (r.next()) out.add(row.map(r));
        return out;
      }
    }

    /**
     * The first row's value; empty when there is no row or the row maps to null (a MIN over no
     * rows).
     */
    <T> Optional<T> one(String sql, Row<T> row, Object... args) throws SQLException {
      List<T> rows = query(sql, row, args);
      return rows.isEmpty() ? Optional.empty() : Optional.ofNullable(rows.get(0));
    }

    long count(String sql, Object... args) throws SQLException {
      try (PreparedStatement s = prepare(sql, args);
          ResultSet r = s.executeQuery()) {
        r.next();
        return r.getLong(1);
      }
    }

    int update(String sql, Object... args) throws SQLException {
      try (PreparedStatement s = prepare(sql, args)) {
        return s.executeUpdate();
      }
    }

    long insert(String sql, Object... args) throws SQLException {
      try (PreparedStatement s = c.prepareStatement(sql, Statement.RETURN_GENERATED_KEYS)) {
        bind(s, args);
        s.executeUpdate();
        try (ResultSet k = s.getGeneratedKeys()) {
          if (!k.next()) throw new SQLException("no key generated by: " + sql);
          return k.getLong(1);
        }
      }
    }

    private PreparedStatement prepare(String sql, Object... args) throws SQLException {
      PreparedStatement s = c.prepareStatement(sql);
      try {
        bind(s, args);
        return s;
      } catch (SQLException e) {
        s.close();
        throw e;
      }
    }
  }

  private static void bind(PreparedStatement s, Object... args) throws SQLException {
    for (int i = 0; i < args.length; i++) {
      Object a =
          args[i] instanceof Wire w
              ? w.wire()
              : args[i]; // statuses are stored as they are spelt on the wire
      if (a == null) s.setNull(i + 1, Types.NULL);
      else s.setObject(i + 1, a);
    }
  }

  /**
   * A nullable BIGINT column, read the same way by every driver (SQLite's rejects getObject(c,
   * Long.class) for small values).
   */
  static Long nullableLong(ResultSet r, String column) throws SQLException {
    long v = r.getLong(column);
    return r.wasNull() ? null : v;
  }

  static Double nullableDouble(ResultSet r, String column) throws SQLException {
    double v = r.getDouble(column);
    return r.wasNull() ? null : v;
  }
}
