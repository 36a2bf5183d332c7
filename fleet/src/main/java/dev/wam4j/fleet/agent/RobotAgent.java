package dev.wam4j.fleet.agent;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wam4j.data.Digests;
import dev.wam4j.data.FileTrees;
import dev.wam4j.data.Zips;
import dev.wam4j.data.pusht.PushTRate;
import dev.wam4j.eval.ClosedLoopEvaluation;
import dev.wam4j.eval.Rollout;
import dev.wam4j.eval.monitor.DreamMonitor;
import dev.wam4j.eval.monitor.Signal;
import dev.wam4j.fleet.api.ApiPaths;
import dev.wam4j.fleet.api.JobApi;
import dev.wam4j.fleet.api.RobotApi;
import dev.wam4j.fleet.store.Records;
import dev.wam4j.fleet.store.RobotState;
import dev.wam4j.model.policy.ChunkPolicy;
import dev.wam4j.model.policy.Plan;
import dev.wam4j.sim.render.SceneLook;
import dev.wam4j.sim.scene.Goal;
import dev.wam4j.sim.scene.Pose;
import dev.wam4j.sim.scene.Scene;
import dev.wam4j.sim.scene.Scenes;
import java.io.IOException;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A robot on the fleet: registers with its factsheet, pulls tasks, executes each in its simulator
 * with a world action model under the dream monitor, streams its state at every control step (with
 * the dream-divergence score), raises an alert and hands over when the monitor fires, and reports
 * each task's outcome. The simulator stands behind the same loop a real robot driver would
 * implement (a {@link Rollout} and its observer, the loop closed-loop evaluation runs too).
 */
public final class RobotAgent {
  /**
   * How the agent runs.
   *
   * @param embodiment what this robot is ({@code robot} or {@code hand})
   * @param alarmSignal the monitor signal the alarm watches
   * @param alarmWindow samples in its running score
   * @param alarmThreshold running score that fires the alarm; NaN: never (stream the score only)
   * @param pollMs wait between asking for work when there is none
   * @param maxTasks stop after this many tasks (0: run until stopped)
   * @param idleExitMs stop after this long without work (0: never)
   * @param outbox folder where recorded episodes wait for upload (LeRobot v3.0, zipped), or null to
   *     record nothing
   * @param modelCache folder for models the fleet deploys to this robot (downloaded, checked,
   *     unpacked)
   * @param simulated how a simulated robot running faster than real time differs from a robot, or
   *     null (a robot: every step reported, the live view sent, the dream decoded)
   */
  public record Config(
      String embodiment,
      Signal alarmSignal,
      int alarmWindow,
      double alarmThreshold,
      long pollMs,
      int maxTasks,
      long idleExitMs,
      java.nio.file.Path outbox,
      java.nio.file.Path modelCache,
      Simulated simulated) {
    public Config {
      if (!"robot".equals(embodiment) && !"hand".equals(embodiment))
        throw new IllegalArgumentException("embodiment must be robot or hand, got " + embodiment);
      if (alarmWindow < 1)
        throw new IllegalArgumentException("alarm window must be >= 1, got " + alarmWindow);
      if (pollMs < 10) throw new IllegalArgumentException("pollMs must be >= 10, got " + pollMs);
      if (maxTasks < 0 || idleExitMs < 0)
        throw new IllegalArgumentException("maxTasks and idleExitMs must be >= 0");
    }
  }

  /**
   * A simulated robot of a simulated fleet day, which runs episodes many times faster than real
   * time: its telemetry thinned so that the server is not its bottleneck.
   *
   * @param physics the physics of its world when it differs from its tasks' scene (a heavier block,
   *     a slippery table: a world the fleet's simulator need not know), or null
   * @param stateEverySteps report the state every this many control steps (and at the last)
   * @param liveView send the live view (camera and dream) at every plan
   * @param dream decode the dream at every plan (for the live view and the dream monitor)
   */
  public record Simulated(
      dev.wam4j.sim.scene.Physics physics, int stateEverySteps, boolean liveView, boolean dream) {
    public Simulated {
      if (stateEverySteps < 1)
        throw new IllegalArgumentException("stateEverySteps must be >= 1, got " + stateEverySteps);
    }
  }

  /** What a run of the agent did. */
  public record Summary(
      String robotId,
      int tasks,
      int succeeded,
      int handedOver,
      long telemetryMessages,
      int episodesUploaded,
      int uploadsPending,
      String model) {}

  private final FleetClient client;
  private final ChunkPolicy fallback;
  private ChunkPolicy policy;
  private String model = "local";
  private final Config config;
  private final Consumer<String> log;
  private final Outbox outbox;
  private volatile boolean stopped;
  private long seq;
  private long sent;
  private int uploaded;
  private boolean viewFailed;

  public RobotAgent(FleetClient client, ChunkPolicy policy, Config config, Consumer<String> log) {
    this.client = client;
    this.fallback = policy;
    this.policy = policy;
    this.config = config;
    this.log = log;
    try {
      this.outbox = config.outbox() == null ? null : new Outbox(config.outbox());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(
          "cannot use the outbox " + config.outbox() + ": " + e.getMessage(), e);
    }
  }

  /** Asks the loop to finish the current task and stop. */
  public void stop() {
    stopped = true;
  }

  /**
   * Registers and works until stopped, {@code maxTasks} are done or the fleet stays idle for {@code
   * idleExitMs}.
   */
  public Summary run() throws IOException, InterruptedException {
    RobotApi.Whoami me = client.get(ApiPaths.whoami(), RobotApi.Whoami.class);
    if (!"robot".equals(me.kind()))
      throw new IllegalArgumentException("the token is not a robot token (it acts as " + me + ")");
    String id = me.robotId();
    client.post(
        ApiPaths.robot(id, "connection"),
        new RobotApi.Factsheet(
            config.embodiment(),
            List.of(
                "camera_rgb_" + policy.imageSize() + "x" + policy.imageSize(), "agent_position"),
            "target position (x, y) in workspace pixels, 0..512",
            PushTRate.FPS,
            Map.of(
                "history_frames", policy.historyFrames(), "execute_steps", policy.executeSteps())));
    log.accept("robot " + id + " online as " + config.embodiment());
    seq = latestSeq(id);
    flush(id); // uploads a previous run left unfinished
    int tasks = 0, ok = 0, handed = 0;
    long idleSince = System.currentTimeMillis();
    try {
      while (!stopped && (config.maxTasks() == 0 || tasks < config.maxTasks())) {
        refreshModel(id);
        Records.Task task = client.post(ApiPaths.robot(id, "tasks/next"), null, Records.Task.class);
        if (task == null) {
          if (config.idleExitMs() > 0
              && System.currentTimeMillis() - idleSince > config.idleExitMs()) break;
          state(id, new RobotApi.StateReport(++seq, RobotState.IDLE, null, null, null, null));
          Thread.sleep(config.pollMs());
          continue;
        }
        Outcome o = execute(id, task);
        tasks++;
        if (o.success) ok++;
        if (o.handedOver) handed++;
        idleSince = System.currentTimeMillis();
      }
      flush(id);
      state(
          id,
          new RobotApi.StateReport(
              ++seq,
              RobotState.OFFLINE,
              null,
              null,
              null,
              null)); // leaving: not to be given tasks until it connects again
      return new Summary(
          id,
          tasks,
          ok,
          handed,
          sent,
          uploaded,
          outbox == null ? 0 : outbox.pending().size(),
          model);
    } finally { // a downloaded model holds native memory, also when the server or the disk fails
      if (policy != fallback) policy.close();
      policy = fallback;
      model = "local"; // a later run fetches its deployment again
    }
  }

  /**
   * Runs the model the fleet deploys to this robot (its canary, else its group's active one), else
   * the local one.
   */
  private void refreshModel(String id) throws IOException, InterruptedException {
    RobotApi.AssignedModel m =
        client.get(ApiPaths.robot(id, "model"), RobotApi.AssignedModel.class);
    String wanted = m == null ? "local" : m.name() + ":" + m.version();
    if (wanted.equals(model)) return;
    ChunkPolicy next = fallback;
    if (m != null) {
      java.nio.file.Path dir =
          config.modelCache().toAbsolutePath().normalize().resolve(m.name() + "-v" + m.version());
      if (!java.nio.file.Files.isDirectory(dir)) download(m, dir);
      next = dev.wam4j.model.load.ChunkPolicies.load(dir);
    }
    if (policy != fallback) policy.close();
    policy = next;
    log.accept(
        "running model " + wanted + (m == null ? " (" + "no deployment for this robot)" : ""));
    model = wanted;
  }

  private void download(RobotApi.AssignedModel m, java.nio.file.Path dir)
      throws IOException, InterruptedException {
    byte[] zip = client.getBytes(ApiPaths.modelArchive(m.name(), m.version()));
    String sha = Digests.sha256Hex(zip);
    if (!sha.equals(m.sha256()))
      throw new IOException(
          "model download corrupted: SHA-256 " + sha + ", expected " + m.sha256());
    java.nio.file.Files.createDirectories(dir.getParent());
    java.nio.file.Path tmp =
        java.nio.file.Files.createTempDirectory(dir.getParent(), "." + dir.getFileName());
    try {
      // a model is tens of megabytes: the caps only stop an archive that would fill the disk
      Zips.unzip(new java.io.ByteArrayInputStream(zip), tmp, 1L << 30, 10_000);
      java.nio.file.Files.move(tmp, dir, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException | RuntimeException e) {
      FileTrees.deleteQuietly(tmp, e); // a failing clean-up must not hide why the download failed
      throw e;
    }
  }

  /** Sends every pending episode; one that fails stays for the next try. */
  private void flush(String id) throws IOException, InterruptedException {
    if (outbox == null) return;
    for (java.nio.file.Path note : outbox.pending()) {
      try {
        long episode = outbox.send(client, id, note);
        uploaded++;
        log.accept("episode uploaded: server episode " + episode);
      } catch (FleetClient.ApiError e) {
        if (e.status == 422)
          log.accept(
              "upload of "
                  + note.getFileName()
                  + " quarantined by the server (an operator decides): "
                  + e.getMessage());
        else
          log.accept(
              "upload of " + note.getFileName() + " refused, kept for a retry: " + e.getMessage());
      } catch (IOException e) {
        log.accept(
            "server unreachable (" + e + "); " + note.getFileName() + " waits in the outbox");
        return;
      }
    }
  }

  private record Outcome(boolean success, boolean handedOver) {}

  /**
   * The task's scene (PushT unless the job names another), with the job's goal pose when it gives
   * one.
   */
  static Scene scene(Records.Task task, dev.wam4j.sim.scene.Physics world) {
    Scene s = task.scene() == null ? Scene.pushT() : Scenes.builtin(task.scene());
    if (world != null)
      s =
          new Scene(
              s.name(),
              s.width(),
              s.height(),
              s.walls(),
              s.agentStart(),
              s.objects(),
              s.goal(),
              world);
    if (task.goalX() == null) return s;
    Goal g = s.goal();
    return new Scene(
        s.name(),
        s.width(),
        s.height(),
        s.walls(),
        s.agentStart(),
        s.objects(),
        new Goal(
            g.object(),
            new Pose(task.goalX(), task.goalY(), task.goalAngle()),
            g.successCoverage()),
        s.physics());
  }

  private Outcome execute(String id, Records.Task task) throws IOException, InterruptedException {
    long taskId = task.id();
    int maxSteps = Math.min(task.maxSteps(), ClosedLoopEvaluation.Config.PROTOCOL_MAX_STEPS);
    // one episode per task; its reset seed follows from the task, so a retried task meets a new
    // start
    long seed = 500_000L + taskId * 7919 + task.attempts();
    Scene scene = scene(task, config.simulated() == null ? null : config.simulated().physics());
    dev.wam4j.eval.EpisodeRecorder recorder =
        new dev.wam4j.eval.EpisodeRecorder(policy.imageSize());
    DreamMonitor monitor =
        new DreamMonitor(
            policy.imageSize(),
            SceneLook.of(scene),
            Double.isNaN(config.alarmThreshold())
                ? null
                : new DreamMonitor.Alarm(
                    config.alarmSignal(), config.alarmWindow(), config.alarmThreshold(), true));
    IOException[] failure = {null};
    int frameBytes = policy.imageSize() * policy.imageSize() * 3;
    byte[] camera = new byte[frameBytes];
    Rollout.Observer streaming =
        new Rollout.Observer() {
          @Override
          public void episodeStart(long s, byte[] frame, int offset, float agentX, float agentY) {
            monitor.episodeStart(s, frame, offset, agentX, agentY);
            recorder.episodeStart(s, frame, offset, agentX, agentY);
            System.arraycopy(frame, offset, camera, 0, frameBytes);
          }

          @Override
          public boolean planned(int step, Plan plan) {
            recorder.planned(step, plan);
            if (config.simulated() != null && !config.simulated().liveView())
              return monitor.planned(step, plan);
            try { // the live view: what the camera shows and the first frame of the dream
              Base64.Encoder b64 = Base64.getEncoder();
              String dream =
                  plan.hasDream()
                      ? b64.encodeToString(Arrays.copyOf(plan.dreamFrames(), frameBytes))
                      : null;
              client.post(
                  ApiPaths.robot(id, "view"),
                  new RobotApi.View(
                      policy.imageSize(),
                      step,
                      b64.encodeToString(camera),
                      dream,
                      plan.hasDream() ? plan.dreamOffsets()[0] : null));
            } catch (
                IOException
                    e) { // the live view is for people watching: losing a frame must not stop the
              // robot
              if (!viewFailed)
                log.accept(
                    "live view not accepted (" + e.getMessage() + "); continuing without it");
              viewFailed = true;
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
              return false;
            }
            return monitor.planned(step, plan);
          }

          @Override
          public boolean stepped(
              int step, byte[] frame, int offset, float agentX, float agentY, double reward) {
            recorder.stepped(step, frame, offset, agentX, agentY, reward);
            System.arraycopy(frame, offset, camera, 0, frameBytes);
            boolean go = monitor.stepped(step, frame, offset, agentX, agentY, reward);
            if (config.simulated() != null
                && step % config.simulated().stateEverySteps() != 0
                && step < maxSteps
                && reward < 1
                && go) return true; // thinned telemetry (the monitor still saw the step)
            try {
              double d = monitor.currentScore(config.alarmSignal(), config.alarmWindow());
              state(
                  id,
                  new RobotApi.StateReport(
                      ++seq, RobotState.BUSY, taskId, step, reward, Double.isNaN(d) ? null : d));
            } catch (IOException e) {
              failure[0] = e;
              return false; // the server is unreachable: stop acting rather than act unobserved
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
              return false;
            }
            return go;
          }

          @Override
          public void episodeEnd(ClosedLoopEvaluation.Episode e) {
            monitor.episodeEnd(e);
            recorder.episodeEnd(e);
          }
        };
    ClosedLoopEvaluation.Episode e =
        new Rollout(
                policy,
                ClosedLoopEvaluation.Config.seeds(seed, seed)
                    .withMaxSteps(maxSteps)
                    .withScene(scene)
                    .withDream(config.simulated() == null || config.simulated().dream()),
                streaming)
            .episode(seed);
    if (failure[0] != null) throw failure[0];
    boolean alarm = monitor.traces().get(0).alarmStep() >= 0;
    if (alarm) {
      client.post(
          ApiPaths.robot(id, "alerts"),
          new RobotApi.Alert(
              "dream_divergence",
              taskId,
              String.format(
                  "%s reached %.4g at step %d (threshold %.4g); handed over",
                  config.alarmSignal().id(),
                  monitor.traces().get(0).score(config.alarmSignal(), config.alarmWindow()),
                  monitor.traces().get(0).alarmStep(),
                  config.alarmThreshold())));
    }
    double needed = task.successScore();
    boolean success = needed >= 1 ? e.success() : e.maxCoverage() >= needed;
    JobApi.TaskResult result =
        new JobApi.TaskResult(
            success,
            e.success(),
            needed,
            e.maxCoverage(),
            e.steps(),
            seed,
            e.handedOver(),
            model,
            scene.name(),
            scene.goal().pose());
    if (outbox != null
        && recorder.frames()
            > 0) { // on disk before the task is reported: a crash after this loses no episode
      java.nio.file.Path ds =
          outbox.dir().resolve(".recording-" + taskId + "-" + System.nanoTime());
      String taskName = task.stepName();
      recorder.write(ds, taskName, "wam4j_sim_" + config.embodiment());
      outbox.add(ds, taskId, taskName);
    }
    try {
      client.post(ApiPaths.task(taskId, "result"), result);
    } catch (
        FleetClient.ApiError
            refused) { // the job was cancelled (or the task taken away) meanwhile: nothing to
      // report to
      if (refused.status != 400 && refused.status != 403 && refused.status != 409)
        throw refused; // a server fault is not a refusal
      log.accept("task " + taskId + ": result refused (" + refused.getMessage() + "); moving on");
    }
    flush(id);
    log.accept(
        String.format(
            "task %d (%s #%d): %s, max coverage %.3f in %d steps%s",
            taskId,
            task.stepName(),
            task.seq(),
            success ? "done" : "failed",
            e.maxCoverage(),
            e.steps(),
            e.handedOver() ? ", handed over by the dream monitor" : ""));
    return new Outcome(success, e.handedOver());
  }

  /**
   * Posts one state message, resending it (same seq) until the server acknowledges it or 60 s have
   * passed.
   */
  private void state(String id, RobotApi.StateReport m) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + 60_000_000_000L;
    for (int attempt = 0; ; attempt++) {
      try {
        client.post(ApiPaths.robot(id, "state"), m);
        sent++;
        return;
      } catch (FleetClient.ApiError e) {
        if (e.status < 500) throw e; // refused for cause: resending will not help
        if (System.nanoTime() > deadline) throw e;
      } catch (IOException e) {
        if (System.nanoTime() > deadline) throw e;
        if (attempt == 0)
          log.accept(
              "server unreachable ("
                  + e
                  + "); resending state "
                  + m.seq()
                  + " until it is acknowledged");
      }
      Thread.sleep(Math.min(2_000, 100L << Math.min(attempt, 4)));
    }
  }

  /**
   * Continue the robot's message counter after a restart, so new messages are not taken for
   * resends.
   */
  private long latestSeq(String id) throws IOException, InterruptedException {
    String last = client.get(ApiPaths.robot(id), Records.Robot.class).lastTelemetry();
    if (last == null) return 0;
    JsonNode t = FleetClient.JSON.readTree(last); // the robot's own document as it sent it
    return t.path("seq").asLong(0);
  }
}
