package dev.wam4j.fleet.load;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wam4j.fleet.server.FleetServer;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The short crash test CI runs: a server process on the embedded store killed with SIGKILL after a
 * write and in the middle of bursts; nothing it acknowledged may be missing after a restart. The
 * long run (50 kills, idle times up to minutes) is {@code wam4j fleet crashtest}; docs/RESULTS.md
 * has its figures.
 */
class CrashTestTest {
  @TempDir Path tmp;

  @Test
  void everyAcknowledgedWriteSurvivesSigkillsAfterWritesAndMidBurst() throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> server =
        List.of(
            java,
            "-Xmx512m",
            "--enable-native-access=ALL-UNNAMED",
            "-cp",
            System.getProperty("java.class.path"),
            ServerMain.class.getName());
    CrashTest.Result r =
        CrashTest.run(
            new CrashTest.Config(4, 2.0, 1.5, 3, 7, freePort(), tmp.resolve("fleet"), server),
            line -> {});
    assertThat(r.kills()).isEqualTo(4);
    assertThat(r.jobsAcknowledged()).isPositive();
    assertThat(r.statesAcknowledged() + r.jobsAcknowledged())
        .isGreaterThan(20); // the kills fell on real traffic
    assertThat(r.lostWrites()).isEmpty();
    assertThat(r.lost()).isZero();
  }

  private static int freePort() throws java.io.IOException {
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  /**
   * {@code wam4j serve --port P --data DIR [--db URL]} without the CLI module: the fleet server on
   * its embedded store, or on the database given.
   */
  public static final class ServerMain {
    public static void main(String[] args) throws Exception {
      List<String> a = List.of(args);
      int port = Integer.parseInt(args[a.indexOf("--port") + 1]);
      Path data = Path.of(args[a.indexOf("--data") + 1]);
      String db = a.contains("--db") ? args[a.indexOf("--db") + 1] : null;
      FleetServer.start(FleetServer.Config.of(port, data, db));
      Thread.currentThread().join(); // until killed
    }
  }
}
