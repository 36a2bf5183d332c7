package dev.wam4j.fleet.store;

import java.nio.file.Path;
import java.sql.SQLException;
import java.util.UUID;
import java.util.function.LongSupplier;

/**
 * The databases the store's tests run on, each test on a new empty one: SQLite as the embedded
 * store opens it, H2 in memory, and a real PostgreSQL server ({@link TestPostgres}).
 */
public enum Backend {
  SQLITE,
  H2,
  POSTGRES;

  /** A new empty database's JDBC URL; SQLite's file goes in {@code dir}. */
  public String newDatabase(Path dir) {
    return switch (this) {
      case SQLITE -> FleetStore.sqliteUrl(dir.resolve(UUID.randomUUID() + ".db"));
      case H2 -> "jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
      case POSTGRES -> TestPostgres.newDatabase();
    };
  }

  /** Opens (and migrates) the database at {@code url}, on a clock of the test's choosing. */
  static FleetStore open(String url, LongSupplier clock) throws SQLException {
    return FleetStore.open(url, url.startsWith("jdbc:h2:") ? "sa" : "", "", clock);
  }

  /** A store on a new empty database, on the system clock. */
  FleetStore open(Path dir) throws SQLException {
    return open(newDatabase(dir), System::currentTimeMillis);
  }
}
