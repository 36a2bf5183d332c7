package dev.wam4j.fleet.load;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wam4j.data.AtomicFiles;
import dev.wam4j.data.Zips;
import dev.wam4j.data.pusht.PushTRate;
import dev.wam4j.eval.CheckpointEvaluator;
import dev.wam4j.eval.monitor.Signal;
import dev.wam4j.fleet.agent.FleetClient;
import dev.wam4j.fleet.agent.RobotAgent;
import dev.wam4j.fleet.api.ApiPaths;
import dev.wam4j.fleet.api.RobotApi;
import dev.wam4j.fleet.autopilot.Autopilot;
import dev.wam4j.fleet.autopilot.AutopilotConfig;
import dev.wam4j.fleet.server.FleetServer;
import dev.wam4j.fleet.store.Records;
import dev.wam4j.model.load.ChunkPolicies;
import dev.wam4j.model.policy.ChunkPolicy;
import dev.wam4j.sim.scene.Physics;
import dev.wam4j.sim.scene.SceneFile;
import dev.wam4j.sim.scene.Scenes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * A simulated day of a fleet with no person in it: a server running the {@link Autopilot}, {@code
 * robots} simulated robot agents working one long job (every episode uploaded, the flywheel
 * building the task's dataset), until the fleet has worked {@code hours} each (simulated time: an
 * episode lasts its steps at 10 Hz) or the wall-clock limit passes. Optionally one deliberately bad
 * candidate (the {@code badCandidate}-th, fine-tuned with corrupted settings) is sent to a canary
 * past the simulation gate, to test the live check behind it. Writes {@code timeline.json}, {@code
 * success.png}, {@code report.md} and {@code result.json} into {@code out}; a run killed midway
 * resumes from {@code out} (the server's database, the robots' tokens, the autopilot's state).
 */
public final class AutopilotSim {
  /** The task the simulated robots work (a job step of this name). */
  public static final String TASK = "push-t";

  /** The robot group of the simulated fleet. */
  public static final String GROUP = "sim";

  /** A day in which no episode is kept for this long has stopped (and says so). */
  static final long STALL_MS = 180_000;

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /**
   * One simulated day.
   *
   * @param robots simulated robots working at once
   * @param hours simulated hours each robot works
   * @param model the checkpoint the fleet starts with (version 1 of model {@code fleet})
   * @param scene where the robots work and the autopilot's validation runs: a built-in scene or a
   *     scene file (its physics; the task is PushT)
   * @param autopilot the autopilot's config ({@code task} and {@code group} are set here)
   * @param badCandidate which candidate is the deliberately bad one (1 = the first), 0 = none
   * @param badFinetune the fine-tuning overrides that make it bad
   * @param maxWallMinutes stop after this long even before {@code hours} (0: no limit)
   * @param stateEverySteps a robot reports its state every this many steps
   * @param out the run's folder (resumed when it holds a run)
   */
  public record Config(
      int robots,
      double hours,
      Path model,
      String scene,
      AutopilotConfig autopilot,
      int badCandidate,
      ObjectNode badFinetune,
      double maxWallMinutes,
      int stateEverySteps,
      Path out) {
    public Config {
      if (robots < 2)
        throw new IllegalArgumentException(
            "robots must be >= 2 (a canary and the group it is compared with), got " + robots);
      if (!(hours > 0)) throw new IllegalArgumentException("hours must be > 0, got " + hours);
      if (badCandidate < 0)
        throw new IllegalArgumentException("badCandidate must be >= 0, got " + badCandidate);
      if (!(maxWallMinutes >= 0))
        throw new IllegalArgumentException("maxWallMinutes must be >= 0, got " + maxWallMinutes);
      if (stateEverySteps < 1)
        throw new IllegalArgumentException("stateEverySteps must be >= 1, got " + stateEverySteps);
    }
  }

  /** A moment of the day: sampled every few seconds of wall time. */
  public record Point(
      long atMs,
      double wallSeconds,
      double simulatedHours,
      double dataHours,
      long episodes,
      long successes,
      int deployedVersion,
      int canaryVersion) {}

  /**
   * What the day showed.
   *
   * @param successRateStart success rate of the episodes in the first tenth of the simulated day
   * @param successRateEnd the same in the last tenth
   * @param interventions operators' pauses and resumes (0: no person acted)
   * @param decisions every decision of the autopilot, with its evidence and simulated hour
   * @param stoppedBy why the day ended: {@code hours} (all worked), {@code wall-clock limit}, or
   *     what went wrong
   */
  public record Result(
      Map<String, Object> config,
      double simulatedHours,
      double dataHours,
      long episodes,
      long successes,
      Double successRateStart,
      Double successRateEnd,
      int candidates,
      int promoted,
      int rolledBack,
      int interventions,
      List<Map<String, Object>> decisions,
      double wallMinutes,
      String stoppedBy,
      String report,
      String chart) {}

  private AutopilotSim() {}

  /** Runs (or resumes) the day, candidates fine-tuned by {@code training}. */
  public static Result run(
      Config c, dev.wam4j.fleet.autopilot.CandidateTraining training, Consumer<String> log)
      throws Exception {
    Files.createDirectories(c.out());
    boolean builtin = Scenes.names().contains(c.scene());
    // a scene file by its absolute path: the autopilot's evaluations resolve it later
    String scene = builtin ? c.scene() : Path.of(c.scene()).toAbsolutePath().normalize().toString();
    SceneFile world = Scenes.resolve(scene);
    Physics physics = builtin ? null : world.scene().physics();
    AutopilotConfig ap = c.autopilot().forFleet(TASK, GROUP, scene);
    FleetServer.Config sc = FleetServer.Config.of(0, c.out().resolve("server"), null);
    long started = System.currentTimeMillis();
    try (FleetServer server = FleetServer.start(sc)) {
      String url = "http://localhost:" + server.port();
      FleetClient operator = new FleetClient(url, operatorToken(c.out(), server));
      List<RobotApi.Enrolled> robots = setUp(c, operator, builtin ? c.scene() : "pusht");
      CheckpointEvaluator evaluator = CheckpointEvaluator.local();
      Autopilot.Fleet bad =
          c.badCandidate() == 0
              ? null
              : server.autopilotHands(
                  ap.withFinetune(c.badFinetune()), evaluator, training, "candidates-bad", log);
      Autopilot autopilot =
          server.startAutopilot(
              ap,
              evaluator,
              training,
              hands -> bad == null ? hands : new BadCandidate(hands, bad, c),
              log);
      List<RobotAgent> agents = Collections.synchronizedList(new ArrayList<>());
      List<Thread> threads = new ArrayList<>();
      List<Exception> failures = Collections.synchronizedList(new ArrayList<>());
      for (int i = 0; i < robots.size(); i++) {
        Path own = c.out().resolve("robot-" + (i + 1));
        FleetClient client = new FleetClient(url, robots.get(i).token());
        threads.add(
            Thread.ofPlatform() // the model's native calls would pin virtual threads
                .name("sim-robot-" + (i + 1))
                .start(
                    () -> {
                      try (ChunkPolicy policy = ChunkPolicies.load(c.model())) {
                        RobotAgent agent =
                            new RobotAgent(
                                client,
                                policy,
                                new RobotAgent.Config(
                                    "robot",
                                    Signal.LATENT_RELATIVE,
                                    3,
                                    Double.NaN,
                                    200,
                                    0,
                                    0,
                                    own.resolve("outbox"),
                                    own.resolve("models"),
                                    new RobotAgent.Simulated(
                                        physics, c.stateEverySteps(), false, false)),
                                robotLog(own));
                        agents.add(agent);
                        agent.run();
                      } catch (Exception e) {
                        failures.add(e);
                      }
                    }));
      }
      List<Point> timeline = new ArrayList<>(readTimeline(c.out()));
      String stoppedBy = null;
      double offset = timeline.isEmpty() ? 0 : timeline.getLast().wallSeconds();
      try {
        double target = c.robots() * c.hours();
        long lastLog = 0, lastEpisodes = -1, lastEpisodeMs = System.currentTimeMillis();
        while (stoppedBy == null) {
          Thread.sleep(5_000);
          Point p = sample(server, c, offset + (System.currentTimeMillis() - started) / 1000.0);
          timeline.add(p);
          writeTimeline(c.out(), timeline);
          if (System.currentTimeMillis() - lastLog > 60_000) {
            lastLog = System.currentTimeMillis();
            log.accept(
                String.format(
                    java.util.Locale.ROOT,
                    "day: %.2f of %.2f simulated h, %d episodes (%d successful), model v%d%s; %s",
                    p.simulatedHours(),
                    c.hours(),
                    p.episodes(),
                    p.successes(),
                    p.deployedVersion(),
                    p.canaryVersion() > 0 ? ", canary v" + p.canaryVersion() : "",
                    autopilot.state().phase().getClass().getSimpleName().toLowerCase()));
          }
          if (p.episodes() != lastEpisodes) {
            lastEpisodes = p.episodes();
            lastEpisodeMs = System.currentTimeMillis();
          }
          if (!failures.isEmpty()) stoppedBy = "a robot failed: " + failures.get(0);
          else if (p.dataHours() >= target) stoppedBy = "hours";
          else if (c.maxWallMinutes() > 0
              && System.currentTimeMillis() - started > c.maxWallMinutes() * 60_000)
            stoppedBy = "wall-clock limit";
          else if (System.currentTimeMillis() - lastEpisodeMs > STALL_MS)
            stoppedBy = "no episode kept for " + STALL_MS / 1000 + " s: the fleet stopped working";
        }
        log.accept("day: stopped by " + stoppedBy);
      } finally { // the robots stop also when sampling fails: their threads would keep the JVM
        for (RobotAgent a : agents) a.stop();
        for (Thread t : threads) t.join(120_000);
      }
      if (!failures.isEmpty()) throw failures.get(0);
      server.stopAutopilot(); // its last decision is in the report, none comes after it
      server.awaitDatasets();
      double wall = offset / 60 + (System.currentTimeMillis() - started) / 60_000.0;
      return AutopilotSimReport.write(
          c, server, autopilot, timeline, wall, stoppedBy, c.out(), TASK);
    }
  }

  /** The operator token of this run's server (created at its first start, kept in {@code out}). */
  private static String operatorToken(Path out, FleetServer server) throws IOException {
    Path f = out.resolve("operator.token");
    if (server.bootstrapToken() != null) AtomicFiles.writeSecret(f, server.bootstrapToken() + "\n");
    return Files.readString(f).strip();
  }

  /**
   * At the first start: the robots enrolled (tokens kept), the model uploaded and deployed to the
   * group, one long job posted; at a resume, the robots of the first start.
   */
  private static List<RobotApi.Enrolled> setUp(Config c, FleetClient operator, String scene)
      throws IOException, InterruptedException {
    Path f = c.out().resolve("robots.json");
    if (Files.isRegularFile(f))
      return List.of(JSON.readValue(f.toFile(), RobotApi.Enrolled[].class));
    byte[] zip = Zips.zipTree(c.model());
    long version =
        operator.postBytes(ApiPaths.model("fleet"), zip, "application/zip").get("version").asLong();
    operator.post(
        ApiPaths.deployments(),
        Map.of("model", "fleet", "version", version, "group", GROUP, "canary", false));
    List<RobotApi.Enrolled> robots = new ArrayList<>();
    for (int i = 1; i <= c.robots(); i++)
      robots.add(
          operator.post(
              ApiPaths.robots(),
              new RobotApi.Enroll("sim-robot-" + i, GROUP),
              RobotApi.Enrolled.class));
    // enough tasks for the day (an episode lasts at least a few seconds), in jobs of at most 1,000;
    // any try counts as the task done (else a task failed three times fails its whole job and the
    // fleet would stop working): the autopilot reads each episode's own success, coverage > 0.95
    int tasks = (int) Math.min(100_000, Math.ceil(c.robots() * c.hours() * 3600 / 5.0));
    for (int posted = 0; posted < tasks; posted += 1000)
      operator.postMarkdown(
          ApiPaths.jobs(),
          "# A simulated day\n\n## "
              + TASK
              + "\n- scene: "
              + scene
              + "\n- count: "
              + Math.min(1000, tasks - posted)
              + "\n- success-score: 0\n");
    AtomicFiles.writeString(f, JSON.writeValueAsString(robots)); // last: a resume starts here
    return robots;
  }

  /**
   * A robot's log lines, time-stamped, appended to {@code robot.log} in its folder (a robot that
   * stops working says why there); a line that cannot be written is dropped, not the robot.
   */
  private static Consumer<String> robotLog(Path own) {
    Path file = own.resolve("robot.log");
    return line -> {
      try {
        Files.writeString(
            file,
            java.time.Instant.now() + " " + line + "\n",
            java.nio.file.StandardOpenOption.CREATE,
            java.nio.file.StandardOpenOption.APPEND);
      } catch (java.io.IOException e) {
        // the day goes on without this line
      }
    };
  }

  private static Point sample(FleetServer server, Config c, double wallSeconds) throws Exception {
    List<Records.Episode> eps = server.store().uploads().episodes(TASK);
    long frames = 0, ok = 0;
    for (Records.Episode e : eps) {
      frames += e.frames();
      if (e.success()) ok++;
    }
    double data = PushTRate.hours(frames);
    int deployed =
        server.store().models().active(GROUP).map(Records.Deployment::modelVersion).orElse(0);
    int canary =
        server.store().models().deployments().stream()
            .filter(d -> d.status() == dev.wam4j.fleet.store.DeploymentStatus.CANARY)
            .reduce((a, b) -> b)
            .map(Records.Deployment::modelVersion)
            .orElse(0);
    return new Point(
        System.currentTimeMillis(),
        wallSeconds,
        data / c.robots(),
        data,
        eps.size(),
        ok,
        deployed,
        canary);
  }

  static List<Point> readTimeline(Path out) throws IOException {
    Path f = out.resolve("timeline.json");
    return Files.isRegularFile(f) ? List.of(JSON.readValue(f.toFile(), Point[].class)) : List.of();
  }

  private static void writeTimeline(Path out, List<Point> timeline) throws IOException {
    AtomicFiles.writeString(out.resolve("timeline.json"), JSON.writeValueAsString(timeline));
  }

  /**
   * The autopilot's hands with one candidate, the {@code badCandidate}-th, fine-tuned with the
   * corrupting settings and marked injected; everything else as the fleet does it.
   */
  private static final class BadCandidate implements Autopilot.Fleet {
    /** Candidates asked for so far, the last one's name, and the bad one's once chosen. */
    record Choice(int calls, String last, String name) {}

    private final Autopilot.Fleet fleet, bad;
    private final Config config;
    private final Path chosen;

    BadCandidate(Autopilot.Fleet fleet, Autopilot.Fleet bad, Config config) {
      this.fleet = fleet;
      this.bad = bad;
      this.config = config;
      this.chosen = config.out().resolve("bad-candidate.json");
    }

    @Override
    public double hours(String task) throws IOException {
      return fleet.hours(task);
    }

    @Override
    public Autopilot.Candidate train(String name, String task, String group, boolean successfulOnly)
        throws IOException {
      // which call is the bad one is kept on disk: a resumed day does not count again from 1
      Choice was =
          Files.isRegularFile(chosen)
              ? JSON.readValue(chosen.toFile(), Choice.class)
              : new Choice(0, null, null);
      String badName = was.name();
      if (badName == null && !name.equals(was.last())) {
        int calls = was.calls() + 1;
        if (calls == config.badCandidate()) badName = name;
        AtomicFiles.writeString(chosen, JSON.writeValueAsString(new Choice(calls, name, badName)));
      }
      if (!name.equals(badName)) return fleet.train(name, task, group, successfulOnly);
      Autopilot.Candidate c = bad.train(name, task, group, successfulOnly);
      return new Autopilot.Candidate(
          c.name(),
          c.checkpoint(),
          c.episodes(),
          c.hours(),
          "deliberately bad (autopilot-sim --bad-candidate "
              + config.badCandidate()
              + "): fine-tuned with "
              + config.badFinetune());
    }

    @Override
    public double simSuccess(
        Optional<Autopilot.Candidate> candidate, String group, dev.wam4j.eval.SeedRange seeds)
        throws IOException {
      return fleet.simSuccess(candidate, group, seeds);
    }

    @Override
    public int register(Autopilot.Candidate candidate) throws IOException {
      return fleet.register(candidate);
    }

    @Override
    public Optional<Autopilot.Canary> canaryOf(int version, String group) throws IOException {
      return fleet.canaryOf(version, group);
    }

    @Override
    public Autopilot.Canary deployCanary(int version, String group) throws IOException {
      return fleet.deployCanary(version, group);
    }

    @Override
    public Autopilot.CanaryStatus status(Autopilot.Canary canary) throws IOException {
      return fleet.status(canary);
    }

    @Override
    public Autopilot.Live live(Autopilot.Canary canary) throws IOException {
      return fleet.live(canary);
    }

    @Override
    public void promote(Autopilot.Canary canary) throws IOException {
      fleet.promote(canary);
    }

    @Override
    public void rollBack(Autopilot.Canary canary) throws IOException {
      fleet.rollBack(canary);
    }
  }
}
