package dev.wam4j.fleet.load;

import dev.wam4j.fleet.api.ApiPaths;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** A fleet server in its own process, with its CPU time and resident memory read from /proc. */
final class ServerProcess {
  private final Process process;

  private ServerProcess(Process process) {
    this.process = process;
  }

  /**
   * Server {@code i} of a load test: on port {@code port + i}, with {@code --db} when the test has
   * a database; a lone server logs to DIR/server.log, several to DIR/server-PORT.log.
   */
  static ServerProcess start(LoadTest.Config c, int i, Consumer<String> log)
      throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(c.serverCommand());
    if (c.dbUrl() != null) cmd.addAll(List.of("--db", c.dbUrl()));
    int port = c.port() + i;
    return start(
        cmd, port, c.dataDir(), c.servers() == 1 ? "server.log" : "server-" + port + ".log", log);
  }

  /**
   * Runs {@code serverCommand --port PORT --data DIR}, its output appended to DIR/server.log, and
   * waits for /health.
   */
  static ServerProcess start(
      List<String> serverCommand, int port, Path dataDir, Consumer<String> log)
      throws IOException, InterruptedException {
    return start(serverCommand, port, dataDir, "server.log", log);
  }

  private static ServerProcess start(
      List<String> serverCommand, int port, Path dataDir, String logName, Consumer<String> log)
      throws IOException, InterruptedException {
    if (listening(port)) { // else /health would be answered by that other server
      throw new IOException(
          "port "
              + port
              + " is already in use (another server still running?); choose another with --port");
    }
    List<String> cmd = new ArrayList<>(serverCommand);
    cmd.addAll(List.of("--port", Integer.toString(port), "--data", dataDir.toString()));
    Files.createDirectories(dataDir);
    Path logFile = dataDir.resolve(logName);
    Process p =
        new ProcessBuilder(cmd)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
            .start();
    try {
      return await(p, port, logFile, log);
    } catch (IOException | InterruptedException | RuntimeException e) {
      p.destroyForcibly(); // never leave a server behind that nobody will stop
      throw e;
    }
  }

  private static ServerProcess await(Process p, int port, Path logFile, Consumer<String> log)
      throws IOException, InterruptedException {
    HttpClient http = HttpClient.newHttpClient();
    long deadline = System.nanoTime() + 60_000_000_000L;
    while (System.nanoTime() < deadline) {
      if (!p.isAlive())
        throw new IOException("the server exited (" + p.exitValue() + "); see " + logFile);
      try {
        HttpResponse<String> r =
            http.send(
                HttpRequest.newBuilder(URI.create("http://localhost:" + port + ApiPaths.health()))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200) {
          log.accept("server up on port " + port + " (pid " + p.pid() + ")");
          return new ServerProcess(p);
        }
      } catch (IOException e) {
        Thread.sleep(100);
      }
    }
    p.destroyForcibly();
    throw new IOException("the server did not answer within 60 s; see " + logFile);
  }

  private static boolean listening(int port) {
    try (java.net.Socket socket = new java.net.Socket()) {
      socket.connect(new java.net.InetSocketAddress("localhost", port), 1000);
      return true;
    } catch (IOException nothing) {
      return false;
    }
  }

  long pid() {
    return process.pid();
  }

  void kill() throws InterruptedException {
    process.destroyForcibly(); // SIGKILL: no shutdown hook runs
    process.waitFor();
  }

  /** SIGTERM, and SIGKILL if it has not ended 30 s later. */
  void stop() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) kill();
  }

  /** CPU over the sampled time (seconds, and percent of one core), resident memory. */
  record Usage(double cpuSeconds, double cpuPercent, long peakRssMb, long endRssMb) {}

  /** Samples CPU time and RSS every 500 ms until stopped. */
  Sampler sampler() {
    return new Sampler(process.pid());
  }

  static final class Sampler {
    private final long pid;
    private final long cpu0;
    private final long t0 = System.nanoTime();
    private volatile long peak;
    private final Thread thread;

    Sampler(long pid) {
      this.pid = pid;
      this.cpu0 = cpuTicks(pid);
      this.thread =
          Thread.ofVirtual()
              .start(
                  () -> {
                    while (!Thread.currentThread().isInterrupted()) {
                      peak = Math.max(peak, rssKb(pid));
                      try {
                        Thread.sleep(500);
                      } catch (InterruptedException e) {
                        return;
                      }
                    }
                  });
    }

    Usage stop() {
      thread.interrupt();
      long rss = rssKb(pid);
      double seconds = (System.nanoTime() - t0) / 1e9,
          cpu = (cpuTicks(pid) - cpu0) / 100.0; // USER_HZ = 100
      return new Usage(cpu, 100 * cpu / seconds, Math.max(peak, rss) / 1024, rss / 1024);
    }
  }

  /** utime + stime of a process in clock ticks, from /proc/PID/stat. */
  static long cpuTicks(long pid) {
    try {
      String s = Files.readString(Path.of("/proc/" + pid + "/stat"));
      String[] f = s.substring(s.lastIndexOf(')') + 2).split(" ");
      return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    } catch (IOException | RuntimeException e) {
      return 0;
    }
  }

  static long rssKb(long pid) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
        if (line.startsWith("VmRSS:")) return Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
    } catch (IOException | RuntimeException e) {
      // the process has gone
    }
    return 0;
  }
}
