package dev.wam4j.fleet.build;

import dev.wam4j.data.FileTrees;
import dev.wam4j.fleet.agent.BuildAgent;
import dev.wam4j.fleet.agent.FleetClient;
import dev.wam4j.fleet.api.ApiPaths;
import dev.wam4j.fleet.api.BuildApi;
import dev.wam4j.fleet.api.RobotApi;
import dev.wam4j.fleet.server.FleetServer;
import dev.wam4j.fleet.server.Limits;
import dev.wam4j.fleet.store.JobStatus;
import dev.wam4j.sim.factory.FactoryRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Consumer;

/**
 * Builds a design through the Physical API: submits it to a fleet server as a build (its placements
 * the tasks), optionally enrols and runs robot agents in this process, and follows the build until
 * it ends. With {@link Options#local()} the server is started here too, on loopback, for a run that
 * needs nothing else.
 */
public final class FleetBuild {
  /**
   * How to build.
   *
   * @param server the fleet server's URL (ignored when {@code local})
   * @param token an operator token (ignored when {@code local})
   * @param seed the feeder's seed, unless the design sets one
   * @param robotsLocal robot agents to enrol and run in this process (0: the fleet's own robots do
   *     the work; with {@code local}, 0 means one per pusher of the design)
   * @param local start an embedded server on loopback for this build (in a temporary folder)
   * @param pollMs how often the build's progress is read
   * @param steering how the in-process robots push
   */
  public record Options(
      String server,
      String token,
      long seed,
      int robotsLocal,
      boolean local,
      long pollMs,
      BuildAgent.Steering steering) {
    /** Checks the values. */
    public Options {
      if (robotsLocal < 0 || robotsLocal > 64)
        throw new IllegalArgumentException("robots-local must lie in 0..64, got " + robotsLocal);
      if (pollMs < 10) throw new IllegalArgumentException("pollMs must be >= 10, got " + pollMs);
      java.util.Objects.requireNonNull(steering, "steering");
      if (!local && (server == null || token == null))
        throw new IllegalArgumentException("a server URL and an operator token are needed");
    }
  }

  /**
   * What the build did.
   *
   * @param build the build's last status (its {@code result} is {@code factory run}'s form)
   * @param agents each in-process robot's run
   * @param stepsPerSecond control steps of the shared cell per second of wall time, over HTTP
   */
  public record Outcome(
      BuildApi.BuildStatus build, List<BuildAgent.Summary> agents, double stepsPerSecond) {
    /** The result in {@code factory run}'s form. */
    public FactoryRun.Result result() {
      return build.result();
    }
  }

  private FleetBuild() {}

  /**
   * Builds {@code designMarkdown}; {@code progress} sees the build's status whenever a part is
   * placed or lost, and every few seconds.
   *
   * @throws IllegalArgumentException when the server refuses the design (the message names the
   *     line)
   */
  public static Outcome run(String designMarkdown, Options options, Consumer<String> progress)
      throws Exception {
    if (!options.local())
      return follow(options.server(), options.token(), designMarkdown, options, progress);
    Path dir = Files.createTempDirectory("wam4j-fleet-build");
    // the robots step in lockstep over HTTP, one request per control step: no rate limit between
    // them and their own server
    FleetServer.Config config =
        FleetServer.Config.of(0, dir, null)
            .withLimits(
                Limits.defaults()
                    .withRobotRate(1_000_000, 1_000_000)
                    .withRobotBytes(1L << 40, 1L << 40));
    try (FleetServer server = FleetServer.start(config)) {
      String url = "http://127.0.0.1:" + server.port();
      progress.accept("embedded fleet server at " + url);
      return follow(url, server.bootstrapToken(), designMarkdown, options, progress);
    } finally {
      FileTrees.delete(dir);
    }
  }

  private static Outcome follow(
      String url, String token, String markdown, Options options, Consumer<String> progress)
      throws Exception {
    FleetClient operator = new FleetClient(url, token);
    BuildApi.BuildStatus s;
    try {
      s =
          operator.post(
              ApiPaths.builds(),
              new BuildApi.Submit(markdown, options.seed()),
              BuildApi.BuildStatus.class);
    } catch (FleetClient.ApiError e) {
      if (e.status == 400) throw new IllegalArgumentException(e.getMessage(), e);
      throw e;
    }
    long id = s.id();
    progress.accept(
        String.format(
            "build %d '%s': %d parts, %d pushers, seed %d",
            id, s.title(), s.partsTotal(), s.robots(), s.seed()));
    int robots =
        options.robotsLocal() > 0 ? options.robotsLocal() : options.local() ? s.robots() : 0;
    List<BuildAgent> agents = new ArrayList<>();
    List<BuildAgent.Summary> summaries = Collections.synchronizedList(new ArrayList<>());
    List<Exception> failures = Collections.synchronizedList(new ArrayList<>());
    List<Thread> threads = new ArrayList<>();
    for (int i = 1; i <= robots; i++) {
      RobotApi.Enrolled e =
          operator.post(
              ApiPaths.robots(),
              new RobotApi.Enroll("build-" + id + "-robot-" + i, "build"),
              RobotApi.Enrolled.class);
      BuildAgent agent =
          new BuildAgent(
              new FleetClient(url, e.token()),
              new BuildAgent.Config(50, 0, 0),
              options.steering(),
              line -> {});
      agents.add(agent);
      threads.add(
          Thread.ofVirtual()
              .name("build-robot-" + i)
              .start(
                  () -> {
                    try {
                      summaries.add(agent.run());
                    } catch (Exception ex) {
                      failures.add(ex);
                    }
                  }));
    }
    long t0 = System.nanoTime(), lastSaid = t0;
    int lastPlaced = -1;
    try {
      while (true) {
        s = operator.get(ApiPaths.build(id), BuildApi.BuildStatus.class);
        if (s.status() != JobStatus.RUNNING) break;
        if (!failures.isEmpty()) {
          operator.post(ApiPaths.build(id, "cancel"), null);
          throw failures.get(0);
        }
        long now = System.nanoTime();
        if (s.partsPlaced() != lastPlaced || now - lastSaid > 5e9) {
          progress.accept(
              String.format(
                  "build %d: %d/%d placed, %.1f of %.0f simulated minutes, %d robot%s in the cell",
                  id,
                  s.partsPlaced(),
                  s.partsTotal(),
                  s.simMinutes(),
                  s.maxMinutes(),
                  s.robotsJoined(),
                  s.robotsJoined() == 1 ? "" : "s"));
          lastPlaced = s.partsPlaced();
          lastSaid = now;
        }
        Thread.sleep(options.pollMs());
      }
    } finally {
      for (BuildAgent a : agents) a.stop();
      for (Thread t : threads) t.join(15_000);
    }
    progress.accept(
        String.format(
            "build %d %s: %d/%d placed, %.1f simulated minutes%s",
            id,
            s.status().wire(),
            s.partsPlaced(),
            s.partsTotal(),
            s.simMinutes(),
            s.failure() == null ? "" : " (" + s.failure() + ")"));
    double seconds = (System.nanoTime() - t0) / 1e9;
    return new Outcome(s, List.copyOf(summaries), seconds > 0 ? s.steps() / seconds : 0);
  }

  /** Reads a design file for {@link #run}, naming the file when it is missing. */
  public static String read(Path design) throws IOException {
    if (!Files.isRegularFile(design))
      throw new java.nio.file.NoSuchFileException(design.toString(), null, "no design file there");
    return Files.readString(design);
  }
}
