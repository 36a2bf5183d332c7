package dev.wam4j.fleet.load;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wam4j.fleet.agent.FleetClient;
import dev.wam4j.fleet.api.ApiPaths;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * Crash test of the fleet server's promise that an acknowledged write survives a killed process. A
 * server process runs on one data folder; each cycle starts it, checks that every write it ever
 * acknowledged is still there, waits a random idle time (seconds to minutes: stores that buffer
 * commits lose them only after a while), then writes under load (jobs, robot enrolments, robots
 * streaming state) and kills it with SIGKILL at a random moment: right after a write, or in the
 * middle of a burst. Robots resend a state message until it is acknowledged, so their stored
 * messages must be exactly those acknowledged plus at most the one in flight.
 */
public final class CrashTest {
  /**
   * @param kills SIGKILLs in the run
   * @param maxIdleSeconds the longest idle time before a cycle's writes (each cycle draws 0..max;
   *     one in four draws from the top quarter)
   * @param burstSeconds the longest time writes run before the kill
   * @param robots robots streaming state during a burst
   * @param seed every random choice (idle times, kill moments)
   * @param port the server's port
   * @param dataDir the server's data folder (must not exist: a fresh fleet)
   * @param serverCommand the command that runs {@code wam4j serve} (port and data options are
   *     appended)
   */
  public record Config(
      int kills,
      double maxIdleSeconds,
      double burstSeconds,
      int robots,
      long seed,
      int port,
      Path dataDir,
      List<String> serverCommand) {
    public Config {
      if (kills < 1) throw new IllegalArgumentException("kills must be >= 1, got " + kills);
      if (!(maxIdleSeconds >= 0))
        throw new IllegalArgumentException("maxIdleSeconds must be >= 0, got " + maxIdleSeconds);
      if (!(burstSeconds > 0))
        throw new IllegalArgumentException("burstSeconds must be > 0, got " + burstSeconds);
      if (robots < 1 || robots > 100)
        throw new IllegalArgumentException("robots must lie in 1..100, got " + robots);
      if (Files.exists(dataDir))
        throw new IllegalArgumentException(
            "data folder " + dataDir + " exists; the crash test starts a fresh fleet");
      serverCommand = List.copyOf(serverCommand);
    }
  }

  /**
   * One kill: how long the server idled first, how it was killed, and what the restart found
   * missing.
   */
  public record Kill(
      int index, double idleSeconds, String moment, long acknowledgedSoFar, long lostSoFar) {}

  /**
   * What the run found: writes acknowledged (jobs, enrolments, state messages) and those missing
   * after a restart (must be 0).
   */
  public record Result(
      int kills,
      long acknowledged,
      long jobsAcknowledged,
      long robotsAcknowledged,
      long statesAcknowledged,
      long lost,
      List<String> lostWrites,
      List<Kill> perKill,
      double seconds) {}

  private CrashTest() {}

  public static Result run(Config c, Consumer<String> log)
      throws IOException, InterruptedException {
    long t0 = System.nanoTime();
    SplittableRandom rng = new SplittableRandom(c.seed());
    Ledger ledger = new Ledger();
    List<Kill> kills = new ArrayList<>();
    String url = "http://localhost:" + c.port();
    for (int k = 1; k <= c.kills(); k++) {
      ServerProcess server = ServerProcess.start(c.serverCommand(), c.port(), c.dataDir(), s -> {});
      FleetClient operator;
      try {
        operator =
            new FleetClient(url, Files.readString(c.dataDir().resolve("operator.token")).strip());
        ledger.check(operator);
        if (ledger.robots.isEmpty()) ledger.enrolRobots(operator, url, c.robots());
      } catch (IOException | RuntimeException e) {
        server.kill(); // never leave a server behind on the port
        throw e;
      }
      double idle =
          rng.nextInt(4) == 0
              ? c.maxIdleSeconds() * (0.75 + 0.25 * rng.nextDouble())
              : c.maxIdleSeconds() * rng.nextDouble();
      LoadTest.sleepNs((long) (idle * 1e9));
      String moment;
      if (rng.nextBoolean()) { // one write after the idle time, then the kill a moment later
        ledger.submitJob(operator, "after " + Math.round(idle) + " s idle");
        LoadTest.sleepNs((long) (rng.nextDouble() * 3e9));
        moment = "after a write";
      } else { // writers running, killed at a random moment of the burst
        double at = 0.05 + rng.nextDouble() * c.burstSeconds();
        moment = String.format("mid-burst at %.2f s", at);
        Burst burst = Burst.start(ledger, operator, url);
        LoadTest.sleepNs((long) (at * 1e9));
        server.kill();
        burst.stop();
        kills.add(new Kill(k, idle, moment, ledger.acknowledged(), ledger.lost.size()));
        log.accept(
            String.format(
                "kill %d/%d: %.1f s idle, %s; %d acknowledged so far, %d lost",
                k, c.kills(), idle, moment, ledger.acknowledged(), ledger.lost.size()));
        continue;
      }
      server.kill();
      kills.add(new Kill(k, idle, moment, ledger.acknowledged(), ledger.lost.size()));
      log.accept(
          String.format(
              "kill %d/%d: %.1f s idle, %s; %d acknowledged so far, %d lost",
              k, c.kills(), idle, moment, ledger.acknowledged(), ledger.lost.size()));
    }
    ServerProcess server = ServerProcess.start(c.serverCommand(), c.port(), c.dataDir(), s -> {});
    try {
      ledger.check(
          new FleetClient(url, Files.readString(c.dataDir().resolve("operator.token")).strip()));
    } finally {
      server.stop();
    }
    return new Result(
        c.kills(),
        ledger.acknowledged(),
        ledger.jobs.size(),
        ledger.robots.size(),
        ledger.statesAcknowledged(),
        ledger.lost.size(),
        List.copyOf(ledger.lost),
        kills,
        (System.nanoTime() - t0) / 1e9);
  }

  /** Every write the server acknowledged, and those a restart did not find. */
  private static final class Ledger {
    final Map<Long, String> jobs = new LinkedHashMap<>(); // id -> title
    final List<String[]> robots = new ArrayList<>(); // id, token
    final Map<String, Long> ackedSeq =
        new LinkedHashMap<>(); // robot id -> highest acknowledged state seq (1..n, in order)
    final Set<String> lost = new HashSet<>();
    private long jobCounter;

    synchronized long acknowledged() {
      return jobs.size() + robots.size() + statesAcknowledged();
    }

    synchronized long statesAcknowledged() {
      return ackedSeq.values().stream().mapToLong(Long::longValue).sum();
    }

    void enrolRobots(FleetClient operator, String url, int n)
        throws IOException, InterruptedException {
      for (int i = 0; i < n; i++) {
        JsonNode e =
            operator.post(ApiPaths.robots(), Map.of("name", "crash-" + i, "group", "crash"));
        String id = e.get("robot_id").asText(), token = e.get("token").asText();
        new FleetClient(url, token)
            .post(ApiPaths.robot(id, "connection"), Map.of("embodiment", "robot"));
        synchronized (this) {
          robots.add(new String[] {id, token});
          ackedSeq.put(id, 0L);
        }
      }
    }

    void submitJob(FleetClient operator, String note) throws IOException, InterruptedException {
      String title;
      synchronized (this) {
        title = "Crash test job " + (++jobCounter) + " (" + note + ")";
      }
      JsonNode job =
          operator.postMarkdown(ApiPaths.jobs(), "# " + title + "\n\n## Push\n- count: 1\n");
      synchronized (this) {
        jobs.put(job.get("id").asLong(), title);
      }
    }

    /** Looks up every acknowledged write in the restarted server. */
    void check(FleetClient operator) throws IOException, InterruptedException {
      Map<Long, String> stored = new LinkedHashMap<>();
      for (JsonNode j : operator.get(ApiPaths.jobs()))
        stored.put(j.get("id").asLong(), j.get("title").asText());
      Set<String> robotIds = new HashSet<>();
      for (JsonNode r : operator.get(ApiPaths.robots())) robotIds.add(r.get("id").asText());
      JsonNode stats = operator.get(ApiPaths.telemetryStats());
      synchronized (this) {
        jobs.forEach(
            (id, title) -> {
              if (!title.equals(stored.get(id))) lost.add("job " + id + " '" + title + "'");
            });
        for (String[] r : robots) if (!robotIds.contains(r[0])) lost.add("robot " + r[0]);
        ackedSeq.forEach(
            (id, seq) -> {
              JsonNode s = stats.get(id);
              long messages = s == null ? 0 : s.get("messages").asLong();
              if (messages < seq)
                lost.add(
                    "robot "
                        + id
                        + " state messages: "
                        + seq
                        + " acknowledged, "
                        + messages
                        + " stored");
            });
      }
    }
  }

  /**
   * Writers of a burst: an operator submitting jobs and every robot streaming state, until stopped.
   */
  private record Burst(AtomicBoolean running, List<Thread> threads) {
    static Burst start(Ledger ledger, FleetClient operator, String url) {
      AtomicBoolean running = new AtomicBoolean(true);
      List<Thread> threads = new ArrayList<>();
      threads.add(
          Thread.ofVirtual()
              .start(
                  () -> {
                    while (running.get()) {
                      try {
                        ledger.submitJob(operator, "burst");
                      } catch (IOException | InterruptedException e) {
                        return; // the server is gone: this write was not acknowledged
                      }
                    }
                  }));
      List<String[]> robots;
      synchronized (ledger) {
        robots = List.copyOf(ledger.robots);
      }
      for (String[] r : robots) {
        threads.add(
            Thread.ofVirtual()
                .start(
                    () -> {
                      FleetClient client = new FleetClient(url, r[1]);
                      while (running.get()) {
                        long seq;
                        synchronized (ledger) {
                          seq =
                              ledger.ackedSeq.get(r[0])
                                  + 1; // resend the first unacknowledged message until it is
                          // acknowledged
                        }
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
                        } catch (IOException | InterruptedException e) {
                          return;
                        }
                        synchronized (ledger) {
                          ledger.ackedSeq.put(r[0], seq);
                        }
                        LoadTest.sleepNs(20_000_000L);
                      }
                    }));
      }
      return new Burst(running, threads);
    }

    void stop() throws InterruptedException {
      running.set(false);
      for (Thread t : threads) t.join();
    }
  }
}
