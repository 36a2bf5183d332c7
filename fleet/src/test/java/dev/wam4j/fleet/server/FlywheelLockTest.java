package dev.wam4j.fleet.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wam4j.fleet.store.FleetStore;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two servers on one data folder: a server starting up leaves alone the working folders of a
 * rebuild another server process is running (its task's lock is held), and clears those nobody
 * holds.
 */
class FlywheelLockTest {
  @TempDir Path data;

  @Test
  void aStartingServerKeepsAnotherServersRebuildFoldersAndClearsAbandonedOnes() throws Exception {
    String busy = Flywheel.slug("Push busy"), idle = Flywheel.slug("Push idle");
    Path datasets = Files.createDirectories(data.resolve("datasets"));
    Path busyNext = Files.createDirectories(datasets.resolve("." + busy + ".next-abc"));
    Path busyOld = Files.createDirectories(datasets.resolve("." + busy + ".old-def"));
    Path idleNext = Files.createDirectories(datasets.resolve("." + idle + ".next-ghi"));
    Path stray = Files.createDirectories(datasets.resolve(".stray"));
    Process other = holdLock(datasets.resolve("." + busy + ".lock"));
    try (FleetStore store = FleetStore.embedded(data.resolve("db"));
        Flywheel flywheel = new Flywheel(store, data, null, 1.0, e -> {})) {
      flywheel.catchUp();
      assertThat(busyNext).as("another server's rebuild in flight").isDirectory();
      assertThat(busyOld).isDirectory();
      assertThat(idleNext).as("abandoned by a crash").doesNotExist();
      assertThat(stray).doesNotExist();
      assertThat(datasets.resolve("." + busy + ".lock")).as("locks are never deleted").exists();
      other.destroyForcibly().waitFor(); // the other server died: its lock goes with it
      flywheel.catchUp();
      assertThat(busyNext).doesNotExist();
      assertThat(busyOld).doesNotExist();
    } finally {
      other.destroyForcibly();
    }
  }

  /** A child JVM that takes an OS lock on the file and holds it until killed. */
  private static Process holdLock(Path file) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process p =
        new ProcessBuilder(
                List.of(
                    java,
                    "-cp",
                    System.getProperty("java.class.path"),
                    HoldLock.class.getName(),
                    file.toString()))
            .redirectErrorStream(true)
            .start();
    BufferedReader out =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    assertThat(out.readLine()).isEqualTo("locked");
    return p;
  }

  /** Locks the file given and waits. */
  public static final class HoldLock {
    public static void main(String[] args) throws Exception {
      FileChannel ch =
          FileChannel.open(Path.of(args[0]), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      ch.lock();
      System.out.println("locked");
      System.out.flush();
      Thread.currentThread().join();
    }
  }
}
