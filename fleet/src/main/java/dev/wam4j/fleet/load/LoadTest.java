package dev.wam4j.fleet.load;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wam4j.fleet.agent.FleetClient;
import dev.wam4j.fleet.api.ApiPaths;
import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Load and fault test of the fleet server: a server process (started here, so its CPU and memory
 * can be read from /proc) and N simulated robots on virtual threads, each posting state at a fixed
 * rate with its own sequence numbers and resending a message until it is acknowledged. Optionally
 * kills the server (SIGKILL) mid-run and starts it again on the same data. At the end, every
 * acknowledged message is looked up in the server's store: lost = acknowledged but not stored.
 */
public final class LoadTest {
  /**
   * @param robots simulated robots
   * @param hz messages per second per robot
   * @param seconds how long robots send
   * @param killAtSeconds when to kill the server and restart it, or a negative number for never
   * @param port the server's port
   * @param dataDir the server's data folder (must not exist: a fresh fleet)
   * @param serverCommand the command that runs {@code wam4j serve} (port and data options are
   *     appended)
   */
  public record Config(
      int robots,
      double hz,
      double seconds,
      double killAtSeconds,
      int port,
      Path dataDir,
      List<String> serverCommand) {
    public Config {
      if (robots < 1 || robots > 10_000)
        throw new IllegalArgumentException("robots must lie in 1..10000, got " + robots);
      if (!(hz > 0 && hz <= 1000))
        throw new IllegalArgumentException("hz must lie in (0, 1000], got " + hz);
      if (!(seconds > 0)) throw new IllegalArgumentException("seconds must be > 0, got " + seconds);
      if (killAtSeconds >= seconds)
        throw new IllegalArgumentException(
            "killAtSeconds must be < seconds (or negative: no kill)");
      if (Files.exists(dataDir))
        throw new IllegalArgumentException(
            "data folder " + dataDir + " exists; the load test starts a fresh fleet");
      serverCommand = List.copyOf(serverCommand);
    }
  }

  /** What the run measured. */
  public record Result(
      int robots,
      double hz,
      double seconds,
      long sent,
      long acknowledged,
      long resends,
      long stored,
      long lost,
      double messagesPerSecond,
      double p50Ms,
      double p99Ms,
      double maxMs,
      double serverCpuPercent,
      long serverPeakRssMb,
      long serverRssEndMb,
      boolean killed,
      double downtimeSeconds,
      long unacknowledgedAtEnd) {}

  private LoadTest() {}

  public static Result run(Config c, Consumer<String> log)
      throws IOException, InterruptedException {
    ServerProcess server = ServerProcess.start(c, log);
    try {
      String url = "http://localhost:" + c.port(),
          op = Files.readString(c.dataDir().resolve("operator.token")).strip();
      FleetClient operator = new FleetClient(url, op);
      List<String[]> robots = new ArrayList<>();
      for (int i = 0; i < c.robots(); i++) {
        JsonNode e = operator.post(ApiPaths.robots(), Map.of("name", "load-" + i, "group", "load"));
        String id = e.get("robot_id").asText(), token = e.get("token").asText();
        new FleetClient(url, token)
            .post(ApiPaths.robot(id, "connection"), Map.of("embodiment", "robot"));
        robots.add(new String[] {id, token});
      }
      log.accept(
          c.robots()
              + " robots enrolled; sending "
              + c.hz()
              + " Hz each for "
              + c.seconds()
              + " s");
      HttpClient http =
          HttpClient.newBuilder()
              .executor(java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor())
              .build();
      AtomicLong sent = new AtomicLong(),
          acked = new AtomicLong(),
          resends = new AtomicLong(),
          unacked = new AtomicLong();
      ConcurrentLinkedQueue<double[]> latencies = new ConcurrentLinkedQueue<>();
      long[] ackedPerRobot = new long[c.robots()];
      long t0 = System.nanoTime(),
          end = t0 + (long) (c.seconds() * 1e9),
          periodNs = (long) (1e9 / c.hz());
      List<Thread> threads = new ArrayList<>();
      for (int i = 0; i < c.robots(); i++) {
        int k = i;
        threads.add(
            Thread.ofVirtual()
                .name("load-robot-" + i)
                .start(
                    () -> {
                      String[] r = robots.get(k);
                      FleetClient client = new FleetClient(url, r[1]);
                      double[] lat = new double[(int) (c.seconds() * c.hz()) + 16];
                      int n = 0;
                      long next =
                          t0
                              + (long)
                                  (periodNs
                                      * (k
                                          / (double)
                                              c.robots())); // spread the robots over one period
                      for (long seq = 1; ; seq++) {
                        long now = System.nanoTime();
                        if (next > now) sleepNs(next - now);
                        if (System.nanoTime() >= end) break;
                        sent.incrementAndGet();
                        boolean ok = false;
                        for (int attempt = 0;
                            !ok && System.nanoTime() < end + 30_000_000_000L;
                            attempt++) { // resend until acknowledged
                          if (attempt > 0) {
                            resends.incrementAndGet();
                            sleepNs(100_000_000L);
                          }
                          long s0 = System.nanoTime();
                          try {
                            client.post(
                                ApiPaths.robot(r[0], "state"),
                                Map.of(
                                    "seq",
                                    seq,
                                    "state",
                                    "busy",
                                    "step",
                                    seq,
                                    "dream_divergence",
                                    0.5));
                            ok = true;
                            if (n == lat.length) lat = Arrays.copyOf(lat, 2 * n);
                            lat[n++] = (System.nanoTime() - s0) / 1e6;
                          } catch (IOException e) {
                            // the server is down (or restarting): try again
                          } catch (InterruptedException e) {
                            return;
                          }
                        }
                        if (ok) {
                          acked.incrementAndGet();
                          ackedPerRobot[k] = seq;
                        } else {
                          unacked.incrementAndGet();
                        }
                        next += periodNs;
                      }
                      latencies.add(Arrays.copyOf(lat, n));
                    }));
      }
      boolean killed = false;
      double downtime = 0;
      if (c.killAtSeconds() >= 0) {
        sleepNs((long) (c.killAtSeconds() * 1e9) - (System.nanoTime() - t0));
        log.accept("killing the server (SIGKILL) at " + c.killAtSeconds() + " s");
        long k0 = System.nanoTime();
        server.kill();
        server = ServerProcess.start(c, log);
        downtime = (System.nanoTime() - k0) / 1e9;
        killed = true;
        log.accept(String.format("server back after %.1f s", downtime));
      }
      ServerProcess.Sampler sampler = server.sampler();
      for (Thread t : threads) t.join();
      double elapsed = (System.nanoTime() - t0) / 1e9;
      ServerProcess.Usage usage = sampler.stop();
      JsonNode stats = operator.get(ApiPaths.telemetryStats());
      long stored = 0, lost = 0;
      for (int i = 0; i < c.robots(); i++) {
        JsonNode s = stats.get(robots.get(i)[0]);
        long have = s == null ? 0 : s.get("messages").asLong();
        stored += have;
        lost += Math.max(0, ackedPerRobot[i] - have); // each robot acknowledges seq 1..n in order
      }
      double[] all = latencies.stream().flatMapToDouble(Arrays::stream).sorted().toArray();
      return new Result(
          c.robots(),
          c.hz(),
          elapsed,
          sent.get(),
          acked.get(),
          resends.get(),
          stored,
          lost,
          acked.get() / elapsed,
          rank(all, 0.5),
          rank(all, 0.99),
          all.length == 0 ? Double.NaN : all[all.length - 1],
          usage.cpuPercent(),
          usage.peakRssMb(),
          usage.endRssMb(),
          killed,
          downtime,
          unacked.get());
    } finally {
      server.stop();
    }
  }

  private static double rank(double[] sorted, double p) {
    return sorted.length == 0
        ? Double.NaN
        : sorted[Math.max(0, (int) Math.ceil(p * sorted.length) - 1)];
  }

  static void sleepNs(long ns) {
    if (ns <= 0) return;
    try {
      Thread.sleep(ns / 1_000_000, (int) (ns % 1_000_000));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
