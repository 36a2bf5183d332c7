package dev.wam4j.fleet.load;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wam4j.fleet.agent.FleetClient;
import dev.wam4j.fleet.api.ApiPaths;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Load and fault test of the fleet: one or several server processes (started here, so their CPU and
 * memory can be read from /proc; several share one database and one data folder) and N simulated
 * robots on virtual threads. Each robot posts state at a fixed rate with its own sequence numbers,
 * resending a message until it is acknowledged, and works through the test's tasks (claim, hold for
 * a while, report done). Optionally kills a server (SIGKILL) mid-run: a lone server is started
 * again on the same data; with several, the killed one stays down and its robots fail over to the
 * others. At the end, every acknowledged message is looked up in the store (lost = acknowledged but
 * not stored) and every task's runs are counted (a task two robots started, or one robot twice, ran
 * twice).
 */
public final class LoadTest {
  /**
   * @param robots simulated robots
   * @param hz messages per second per robot
   * @param seconds how long robots send
   * @param killAtSeconds when to kill a server, or a negative number for never
   * @param servers server processes on one database (several need {@code dbUrl})
   * @param tasks tasks the robots work through during the run (0: state messages only)
   * @param taskSeconds how long a robot holds a task before it reports it done
   * @param port the first server's port (the others take the next ports)
   * @param dataDir the servers' data folder (must not exist: a fresh fleet), shared by all servers
   * @param dbUrl JDBC URL of the database every server opens, or {@code null} for a lone server's
   *     embedded store
   * @param serverCommand the command that runs {@code wam4j serve} (port, data and database options
   *     are appended)
   */
  public record Config(
      int robots,
      double hz,
      double seconds,
      double killAtSeconds,
      int servers,
      int tasks,
      double taskSeconds,
      int port,
      Path dataDir,
      String dbUrl,
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
      if (servers < 1 || servers > 16)
        throw new IllegalArgumentException("servers must lie in 1..16, got " + servers);
      if (servers > 1 && (dbUrl == null || !dbUrl.startsWith("jdbc:postgresql:")))
        throw new IllegalArgumentException(
            servers
                + " servers need one PostgreSQL database they share: give its JDBC URL (e.g."
                + " jdbc:postgresql://localhost:5432/fleet?user=wam4j)"
                + (dbUrl == null ? "" : ", got " + dbUrl));
      if (tasks < 0 || tasks > 100_000)
        throw new IllegalArgumentException("tasks must lie in 0..100000, got " + tasks);
      if (!(taskSeconds > 0))
        throw new IllegalArgumentException("taskSeconds must be > 0, got " + taskSeconds);
      if (Files.exists(dataDir))
        throw new IllegalArgumentException(
            "data folder " + dataDir + " exists; the load test starts a fresh fleet");
      serverCommand = List.copyOf(serverCommand);
    }

    /** The URL of server {@code i}. */
    String url(int i) {
      return "http://localhost:" + (port + i);
    }

    /** Every server's URL, starting at server {@code first}: robot k's failover order. */
    String urls(int first) {
      List<String> u = new ArrayList<>();
      for (int i = 0; i < servers; i++) u.add(url((first + i) % servers));
      return String.join(",", u);
    }
  }

  /**
   * What the run measured. Latency is that of each acknowledged message's last attempt (one client
   * call: a fail-over to another server is inside it); {@code longestSilenceMs}: the longest time
   * any robot went between two acknowledgements; {@code scheduled}: messages the robots would send
   * at their rate (more than {@code sent} when the machine cannot keep the pace); CPU in percent of
   * one core over the run, the servers' summed (a killed one's up to its kill), the generator's
   * (this process: the robots) apart. {@code duplicateTaskRuns}: extra starts of tasks (by a second
   * robot, or by one robot after it had reported it); {@code tasksClaimedAgain}: tasks the store
   * gave out more than once (its attempts count).
   */
  public record Result(
      int robots,
      double hz,
      double seconds,
      int servers,
      long scheduled,
      long sent,
      long acknowledged,
      long resends,
      long stored,
      long lost,
      double messagesPerSecond,
      double p50Ms,
      double p99Ms,
      double maxMs,
      double longestSilenceMs,
      double serverCpuPercent,
      double generatorCpuPercent,
      long serverPeakRssMb,
      long serverRssEndMb,
      boolean killed,
      double downtimeSeconds,
      long unacknowledgedAtEnd,
      int tasks,
      long tasksDone,
      long taskRuns,
      long duplicateTaskRuns,
      long tasksClaimedAgain,
      long resultsRefused,
      long failovers) {}

  private LoadTest() {}

  public static Result run(Config c, Consumer<String> log)
      throws IOException, InterruptedException {
    List<ServerProcess> servers = new ArrayList<>();
    List<Thread> threads = new ArrayList<>();
    try {
      for (int i = 0; i < c.servers(); i++) servers.add(ServerProcess.start(c, i, log));
      Path tokenFile = c.dataDir().resolve("operator.token");
      if (!Files.isRegularFile(tokenFile))
        throw new IllegalArgumentException(
            "the database "
                + c.dbUrl()
                + " already holds a fleet (its servers wrote no operator token here); the load test"
                + " needs a fresh, empty database");
      String op = Files.readString(tokenFile).strip();
      FleetClient operator = new FleetClient(c.urls(c.servers() - 1), op);
      List<LoadRobot> robots = new ArrayList<>();
      TaskLedger ledger = new TaskLedger();
      for (int i = 0; i < c.robots(); i++) {
        JsonNode e = operator.post(ApiPaths.robots(), Map.of("name", "load-" + i, "group", "load"));
        FleetClient client = new FleetClient(c.urls(i % c.servers()), e.get("token").asText());
        String id = e.get("robot_id").asText();
        client.post(ApiPaths.robot(id, "connection"), Map.of("embodiment", "robot"));
        robots.add(new LoadRobot(id, client, ledger));
      }
      List<Long> jobs = submitTasks(operator, c.tasks());
      log.accept(
          String.format(
              "%d robots enrolled on %d server(s); sending %s Hz each for %s s%s",
              c.robots(),
              c.servers(),
              c.hz(),
              c.seconds(),
              c.tasks() > 0 ? "; " + c.tasks() + " tasks to work through" : ""));
      long t0 = System.nanoTime(), end = t0 + (long) (c.seconds() * 1e9), cpu0 = cpuNs();
      for (int i = 0; i < robots.size(); i++) {
        LoadRobot r = robots.get(i);
        // spread the robots over one period
        long first = t0 + (long) (1e9 / c.hz() * i / robots.size());
        threads.add(
            Thread.ofVirtual()
                .name("load-robot-" + i)
                .start(() -> r.run(c, first, end, c.tasks() > 0)));
      }
      // every server's CPU over the whole run: a killed server's is taken just before the kill
      List<ServerProcess.Sampler> samplers =
          new ArrayList<>(servers.stream().map(ServerProcess::sampler).toList());
      List<ServerProcess.Usage> usage = new ArrayList<>();
      boolean killed = false;
      double downtime = 0;
      if (c.killAtSeconds() >= 0) {
        sleepNs((long) (c.killAtSeconds() * 1e9) - (System.nanoTime() - t0));
        log.accept("killing server 0 (SIGKILL, pid " + servers.get(0).pid() + ")");
        long k0 = System.nanoTime();
        usage.add(samplers.remove(0).stop()); // its CPU up to the kill
        servers.get(0).kill();
        killed = true;
        if (c.servers() == 1) {
          servers.set(0, ServerProcess.start(c, 0, log));
          samplers.add(0, servers.get(0).sampler());
          downtime = (System.nanoTime() - k0) / 1e9;
          log.accept(String.format("server back after %.1f s", downtime));
        } else {
          servers.remove(0); // stays down: its robots carry on with the others
          log.accept("server 0 stays down; its robots fail over to the others");
        }
      }
      for (Thread t : threads) t.join();
      double elapsed = (System.nanoTime() - t0) / 1e9,
          generatorCpu = 100 * (cpuNs() - cpu0) / 1e9 / elapsed;
      for (ServerProcess.Sampler sampler : samplers) usage.add(sampler.stop());
      JsonNode stats = operator.get(ApiPaths.telemetryStats());
      long stored = 0, lost = 0;
      for (LoadRobot r : robots) {
        JsonNode s = stats.get(r.id);
        long have = s == null ? 0 : s.get("messages").asLong();
        stored += have;
        lost += Math.max(0, r.acknowledged - have); // each acknowledged message must be stored
      }
      long done = 0, claimedAgain = 0;
      for (long job : jobs) {
        for (JsonNode t : operator.get(ApiPaths.job(job)).get("tasks")) {
          if ("done".equals(t.get("status").asText())) done++;
          if (t.get("attempts").asInt() > 1) claimedAgain++;
        }
      }
      double[] all =
          robots.stream().flatMapToDouble(r -> Arrays.stream(r.latencies())).sorted().toArray();
      return new Result(
          c.robots(),
          c.hz(),
          elapsed,
          c.servers(),
          Math.round(c.robots() * c.hz() * c.seconds()),
          robots.stream().mapToLong(r -> r.sent).sum(),
          robots.stream().mapToLong(r -> r.acknowledged).sum(),
          robots.stream().mapToLong(r -> r.resends).sum(),
          stored,
          lost,
          robots.stream().mapToLong(r -> r.acknowledged).sum() / elapsed,
          rank(all, 0.5),
          rank(all, 0.99),
          all.length == 0 ? Double.NaN : all[all.length - 1],
          robots.stream().mapToDouble(r -> r.longestSilenceMs).max().orElse(0),
          100 * usage.stream().mapToDouble(ServerProcess.Usage::cpuSeconds).sum() / elapsed,
          generatorCpu,
          usage.stream().mapToLong(ServerProcess.Usage::peakRssMb).max().orElse(0),
          usage.stream().mapToLong(ServerProcess.Usage::endRssMb).max().orElse(0),
          killed,
          downtime,
          robots.stream().mapToLong(r -> r.unacked).sum(),
          c.tasks(),
          done,
          ledger.runs(),
          ledger.duplicateRuns(),
          claimedAgain,
          robots.stream().mapToLong(r -> r.resultsRefused).sum(),
          robots.stream().filter(r -> r.failedOver()).count());
    } finally {
      for (Thread t : threads) t.interrupt(); // robots still sending when the test failed
      for (ServerProcess s : servers) {
        try {
          s.stop();
        } catch (RuntimeException | InterruptedException e) {
          s.kill(); // the next ones are still stopped
        }
      }
    }
  }

  /** The tasks as jobs of one step each (a step holds at most 1,000 tasks). */
  private static List<Long> submitTasks(FleetClient operator, int tasks)
      throws IOException, InterruptedException {
    List<Long> jobs = new ArrayList<>();
    for (int left = tasks, k = 1; left > 0; left -= 1000, k++) {
      String doc = "# Load test job " + k + "\n\n## Push\n- count: " + Math.min(left, 1000) + "\n";
      jobs.add(operator.postMarkdown(ApiPaths.jobs(), doc).get("id").asLong());
    }
    return jobs;
  }

  /** CPU time of this process (the robots' side), in ns. */
  private static long cpuNs() {
    return ((com.sun.management.OperatingSystemMXBean)
            java.lang.management.ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
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
