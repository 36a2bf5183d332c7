package dev.wam4j.fleet.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Properties;
import java.util.function.LongSupplier;
import org.flywaydb.core.Flyway;

/**
 * The fleet's state in a SQL database: an embedded SQLite file by default, PostgreSQL (or H2) by
 * JDBC URL, the schema kept by versioned migrations ({@code db/migration} or, for SQLite, {@code
 * db/sqlite}; then {@code db/common}). Its aggregates: {@link #robots()}, {@link #tasks()}, {@link
 * #uploads()} and {@link #models()}. Every write is its own transaction, so what a call returned is
 * on disk (acknowledged means stored). Thread-safe.
 */
public final class FleetStore implements AutoCloseable {
  /** Which database holds the store, told by its JDBC URL. */
  public enum Kind {
    /** {@code jdbc:sqlite:}, the embedded default: one server process per database file. */
    SQLITE,
    /** {@code jdbc:h2:}. */
    H2,
    /** {@code jdbc:postgresql:}: several server processes may share one database. */
    POSTGRESQL,
    /** Any other JDBC URL (migrated as H2 is; not tested). */
    OTHER;

    static Kind of(String jdbcUrl) {
      if (jdbcUrl.startsWith("jdbc:sqlite:")) return SQLITE;
      if (jdbcUrl.startsWith("jdbc:h2:")) return H2;
      if (jdbcUrl.startsWith("jdbc:postgresql:")) return POSTGRESQL;
      return OTHER;
    }
  }

  private final String jdbcUrl;
  private final String user;
  private final String password;
  private final Db db;
  private final Robots robots;
  private final TaskQueue tasks;
  private final Uploads uploads;
  private final ModelRegistry models;

  private FleetStore(
      HikariDataSource pool, String jdbcUrl, String user, String password, LongSupplier clock) {
    this.jdbcUrl = jdbcUrl;
    this.user = user;
    this.password = password;
    this.db = new Db(pool);
    this.robots = new Robots(db, clock);
    this.tasks = new TaskQueue(db, robots, clock);
    this.uploads = new Uploads(db, clock);
    this.models = new ModelRegistry(db, robots, clock);
  }

  /**
   * The embedded database in {@code dataDir}: SQLite, {@code fleet.db}, in WAL mode with {@code
   * synchronous=FULL} (a commit is in the log file, fsynced, before the call returns), write
   * transactions begun IMMEDIATE (one writer at a time, the others wait up to 30 s), created and
   * migrated as needed, readable by its owner only. A folder holding an H2 database of an earlier
   * wam4j ({@code fleet.mv.db}) is refused with the URL that opens it, rather than silently
   * replaced.
   */
  public static FleetStore embedded(Path dataDir) throws SQLException {
    try {
      Files.createDirectories(dataDir);
    } catch (java.io.IOException e) {
      throw new SQLException("cannot create the data folder " + dataDir + ": " + e.getMessage(), e);
    }
    Path dir = dataDir.toAbsolutePath();
    if (Files.exists(dir.resolve("fleet.mv.db")) && !Files.exists(dir.resolve(SQLITE_FILE))) {
      throw new SQLException(
          dir.resolve("fleet.mv.db")
              + " is an H2 database of an earlier wam4j, which could lose acknowledged writes"
              + " when killed; open it with --db 'jdbc:h2:file:"
              + dir.resolve("fleet")
              + ";DB_CLOSE_ON_EXIT=FALSE;WRITE_DELAY=0;REUSE_SPACE=FALSE' (and"
              + " move its data over), or start a fresh data folder");
    }
    FleetStore store = open(sqliteUrl(dir.resolve(SQLITE_FILE)), "", "");
    ownerOnly(dir, SQLITE_FILE, SQLITE_FILE + "-wal", SQLITE_FILE + "-shm");
    return store;
  }

  /** The JDBC URL that opens a SQLite file as {@link #embedded} does. */
  static String sqliteUrl(Path file) {
    return "jdbc:sqlite:"
        + file
        + "?journal_mode=WAL&synchronous=FULL&busy_timeout=30000&transaction_mode=IMMEDIATE&foreign_keys=true";
  }

  /** The embedded database's file name in the data folder. */
  public static final String SQLITE_FILE = "fleet.db";

  /** The database at a JDBC URL (SQLite, PostgreSQL or H2), migrated to the current schema. */
  public static FleetStore open(String jdbcUrl, String user, String password) throws SQLException {
    return open(jdbcUrl, user, password, System::currentTimeMillis);
  }

  static FleetStore open(String jdbcUrl, String user, String password, LongSupplier clock)
      throws SQLException {
    HikariConfig hc = new HikariConfig();
    hc.setJdbcUrl(jdbcUrl);
    hc.setUsername(user);
    hc.setPassword(password);
    hc.setMaximumPoolSize(8);
    hc.setPoolName("wam4j-fleet");
    HikariDataSource ds;
    try {
      ds = new HikariDataSource(hc);
    } catch (RuntimeException e) {
      throw new SQLException(
          "cannot open the fleet database " + jdbcUrl + ": " + e.getMessage(), e);
    }
    // V1..V4 exist twice because SQLite spells auto-increment keys its own way (and applied
    // migrations never change);
    // later ones are written once, in db/common
    String dialect =
        Kind.of(jdbcUrl) == Kind.SQLITE ? "classpath:db/sqlite" : "classpath:db/migration";
    try {
      Flyway.configure().dataSource(ds).locations(dialect, "classpath:db/common").load().migrate();
    } catch (RuntimeException e) {
      ds.close();
      throw new SQLException(
          "cannot migrate the fleet database " + jdbcUrl + ": " + e.getMessage(), e);
    }
    return new FleetStore(ds, jdbcUrl, user, password, clock);
  }

  /**
   * Whether {@code e} says a row conflicts with stored data (a duplicate key, a broken constraint):
   * SQL state class 23 in H2 and PostgreSQL; SQLite's driver leaves the state empty and reports
   * SQLITE_CONSTRAINT (19) in the low byte of its error code.
   */
  public static boolean isConstraintViolation(java.sql.SQLException e) {
    if (e.getSQLState() != null && e.getSQLState().startsWith("23")) return true;
    return e.getClass().getName().startsWith("org.sqlite.") && (e.getErrorCode() & 0xff) == 19;
  }

  private static void ownerOnly(Path dir, String... names) {
    for (String n : names) {
      Path f = dir.resolve(n);
      try {
        if (Files.exists(f))
          Files.setPosixFilePermissions(
              f, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
      } catch (java.io.IOException | UnsupportedOperationException e) {
        // not a POSIX file system: its own permissions apply
      }
    }
  }

  /** Which database holds the store. */
  public Kind kind() {
    return Kind.of(jdbcUrl);
  }

  /**
   * A new connection to the store's database outside its pool, for a session that lives as long as
   * the server (PostgreSQL's LISTEN): a pooled one would be taken from the requests for good, and
   * the pool may replace it at any time. The caller closes it.
   */
  public Connection connect() throws SQLException {
    Properties p = new Properties();
    // as the pool does, but an empty user or password leaves the URL's own in force
    if (user != null && !user.isEmpty()) p.setProperty("user", user);
    if (password != null && !password.isEmpty()) p.setProperty("password", password);
    if (kind() == Kind.POSTGRESQL) {
      // a network path that died without a reset shows as an error, not a read blocked for ever:
      // these sessions (events, locks) never wait that long for one reply
      p.setProperty("tcpKeepAlive", "true");
      p.setProperty("socketTimeout", Integer.toString(SOCKET_TIMEOUT_SECONDS));
    }
    return DriverManager.getConnection(jdbcUrl, p);
  }

  /** Work done under a lock of the database ({@link #exclusively}). */
  @FunctionalInterface
  public interface Locked<T> {
    T run() throws IOException, SQLException;
  }

  /**
   * Runs {@code work} while holding the database-wide lock {@code name}, waiting for it while
   * another server on the database holds it: on PostgreSQL a session-level advisory lock on a
   * connection of its own (released when that connection closes, so also when this process dies);
   * on SQLite and H2, which one server uses at a time, it just runs.
   */
  public <T> T exclusively(String name, Locked<T> work) throws IOException, SQLException {
    if (kind() != Kind.POSTGRESQL) return work.run();
    try (Connection c = connect();
        PreparedStatement s = c.prepareStatement("SELECT pg_try_advisory_lock(?, ?)")) {
      s.setInt(1, LOCK_SPACE);
      s.setInt(2, name.hashCode());
      // asked again and again rather than waited for in one call: no reply is outstanding for
      // longer than the socket timeout, and a server shutting down (interrupted) stops waiting
      while (true) {
        try (ResultSet r = s.executeQuery()) {
          if (r.next() && r.getBoolean(1)) break;
        }
        try {
          Thread.sleep(LOCK_RETRY_MS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IOException("stopped waiting for the database lock '" + name + "'", e);
        }
      }
      return work.run();
    }
  }

  /**
   * Runs {@code work} under the lock {@code name} only if no other server holds it now; returns
   * whether it ran.
   */
  public boolean exclusivelyIfFree(String name, Locked<?> work) throws IOException, SQLException {
    if (kind() != Kind.POSTGRESQL) {
      work.run();
      return true;
    }
    try (Connection c = connect();
        PreparedStatement s = c.prepareStatement("SELECT pg_try_advisory_lock(?, ?)")) {
      s.setInt(1, LOCK_SPACE);
      s.setInt(2, name.hashCode());
      try (ResultSet r = s.executeQuery()) {
        if (!r.next() || !r.getBoolean(1)) return false;
      }
      work.run();
      return true;
    }
  }

  /** The first key of wam4j's advisory locks ("wam4" in ASCII), apart from other applications'. */
  private static final int LOCK_SPACE = 0x77616d34;

  private static final int SOCKET_TIMEOUT_SECONDS = 60;
  private static final long LOCK_RETRY_MS = 200;

  /** The robots, their tokens, telemetry and alerts. */
  public Robots robots() {
    return robots;
  }

  /** Jobs and the tasks they plan. */
  public TaskQueue tasks() {
    return tasks;
  }

  /** Episode uploads, the episodes kept, quarantine and flywheel triggers. */
  public Uploads uploads() {
    return uploads;
  }

  /** Model versions and their deployments. */
  public ModelRegistry models() {
    return models;
  }

  @Override
  public void close() {
    db.close();
  }
}
