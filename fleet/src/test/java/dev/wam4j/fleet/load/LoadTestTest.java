package dev.wam4j.fleet.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wam4j.fleet.store.TestPostgres;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The short two-server load and fault test CI runs: two server processes on one real PostgreSQL,
 * robots streaming state and working through tasks, the first server killed with SIGKILL mid-run.
 * Nothing acknowledged may be lost and no task may run twice. The long run (200 robots at 10 Hz for
 * 2 minutes) is {@code wam4j fleet loadtest --servers 2}; docs/RESULTS.md has its figures.
 */
class LoadTestTest {
  @TempDir Path tmp;

  @Test
  void twoServersOnOnePostgresLoseNothingAndRunNoTaskTwiceWhenOneIsKilled() throws Exception {
    int port = freePortPair();
    LoadTest.Result r =
        LoadTest.run(
            new LoadTest.Config(
                20,
                10,
                12,
                5,
                2,
                24,
                1.0,
                port,
                tmp.resolve("fleet"),
                TestPostgres.newDatabase(),
                serverCommand()),
            line -> {});
    assertThat(r.killed()).isTrue();
    assertThat(r.acknowledged()).as("the kill fell on real traffic").isGreaterThan(1000);
    assertThat(r.lost()).isZero();
    assertThat(r.stored()).isGreaterThanOrEqualTo(r.acknowledged());
    assertThat(r.unacknowledgedAtEnd()).isZero();
    assertThat(r.failovers())
        .as("the killed server's robots (every other one) went on with the other")
        .isEqualTo(10);
    assertThat(r.taskRuns()).isGreaterThanOrEqualTo(r.tasksDone());
    assertThat(r.tasksDone()).as("every task finished").isEqualTo(24);
    assertThat(r.duplicateTaskRuns()).isZero();
    assertThat(r.tasksClaimedAgain()).isZero();
  }

  @Test
  void severalServersWithoutASharedDatabaseAreRefused() {
    assertThatThrownBy(
            () ->
                new LoadTest.Config(
                    2, 10, 5, -1, 2, 0, 1.0, 7390, tmp.resolve("x"), null, serverCommand()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("2 servers need one PostgreSQL database they share");
    assertThatThrownBy(
            () ->
                new LoadTest.Config(
                    2,
                    10,
                    5,
                    -1,
                    2,
                    0,
                    1.0,
                    7390,
                    tmp.resolve("x"),
                    "jdbc:sqlite:/tmp/fleet.db",
                    serverCommand()))
        .hasMessageContaining("got jdbc:sqlite:/tmp/fleet.db");
  }

  private static List<String> serverCommand() {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    return List.of(
        java,
        "-Xmx384m",
        "--enable-native-access=ALL-UNNAMED",
        "-cp",
        System.getProperty("java.class.path"),
        CrashTestTest.ServerMain.class.getName());
  }

  /** A port p with p + 1 free too (two servers on consecutive ports). */
  private static int freePortPair() throws java.io.IOException {
    for (int tries = 0; ; tries++) {
      try (ServerSocket a = new ServerSocket(0)) {
        int p = a.getLocalPort();
        if (p < 65535) {
          try {
            new ServerSocket(p + 1).close();
            return p;
          } catch (java.io.IOException taken) {
            if (tries > 20) throw taken;
          }
        }
      }
    }
  }
}
