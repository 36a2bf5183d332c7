package dev.wam4j.fleet.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wam4j.data.AtomicFiles;
import dev.wam4j.data.FileTrees;
import dev.wam4j.data.Zips;
import dev.wam4j.data.lerobot.LeRobotDataset;
import dev.wam4j.data.lerobot.write.LeRobotAggregate;
import dev.wam4j.data.pusht.PushTRate;
import dev.wam4j.eval.CheckpointEvaluator;
import dev.wam4j.eval.ClosedLoopEvaluation;
import dev.wam4j.eval.SeedRange;
import dev.wam4j.fleet.api.FleetEvent;
import dev.wam4j.fleet.autopilot.Autopilot;
import dev.wam4j.fleet.autopilot.AutopilotConfig;
import dev.wam4j.fleet.store.DeploymentStatus;
import dev.wam4j.fleet.store.FleetStore;
import dev.wam4j.fleet.store.Records;
import dev.wam4j.model.wam.CheckpointExport;
import dev.wam4j.model.wam.WamCheckpoint;
import dev.wam4j.model.wam.WamConfig;
import dev.wam4j.model.wam.WamRun;
import dev.wam4j.sim.scene.SceneFile;
import dev.wam4j.sim.scene.Scenes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * The autopilot's hands on a real fleet: hours and episodes from the store, candidates fine-tuned
 * ({@link WamRun}) from the group's deployed model on the task's kept episodes, closed-loop
 * evaluation in the config's scene, and the model registry for canaries. A candidate lives in
 * {@code <work>/<name>/}: {@code data/} (its episodes, one LeRobot dataset, no video re-encoded),
 * {@code train/} (the run, resumed after a kill) and {@code model/} (the exported checkpoint robots
 * download).
 */
final class AutopilotFleet implements Autopilot.Fleet {
  private final AutopilotConfig config;
  private final FleetStore store;
  private final ModelFiles models;
  private final Path work;
  private final CheckpointEvaluator evaluator;
  private final dev.wam4j.fleet.autopilot.CandidateTraining training;
  private final Consumer<FleetEvent> events;
  private final Consumer<String> log;
  // a deployed version's validation result does not change: evaluated once per version
  private final Map<String, Double> deployedSuccess = new ConcurrentHashMap<>();

  AutopilotFleet(
      AutopilotConfig config,
      FleetStore store,
      ModelFiles models,
      Path work,
      CheckpointEvaluator evaluator,
      dev.wam4j.fleet.autopilot.CandidateTraining training,
      Consumer<FleetEvent> events,
      Consumer<String> log)
      throws IOException {
    this.config = config;
    this.store = store;
    this.models = models;
    this.work = Files.createDirectories(work);
    this.evaluator = evaluator;
    this.training = training;
    this.events = events;
    this.log = log;
  }

  /**
   * Refuses, before any candidate trains, a config whose scene does not load, whose fine-tuning
   * overrides name no config field or a replayed dataset that is not there, or (when the group runs
   * a model) do not make a valid config with the deployed model's, or whose model has no pose head
   * to label episodes with.
   */
  void check() throws IOException {
    try {
      Scenes.resolve(config.scene());
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException(
          "autopilot scene '" + config.scene() + "': " + e.getMessage(), e);
    }
    JsonNode fields = WamRun.toJson(WamConfig.defaults());
    for (var it = config.finetune().fieldNames(); it.hasNext(); ) {
      String f = it.next();
      if (!fields.has(f))
        throw new IllegalArgumentException(
            "autopilot finetune: unknown field '" + f + "' (not a training config field)");
    }
    for (JsonNode extra : config.finetune().path("extraDatasets"))
      if (!Files.isDirectory(Path.of(extra.asText())))
        throw new IllegalArgumentException(
            "autopilot finetune.extraDatasets: " + extra.asText() + " is not a dataset folder");
    try {
      if (store.models().active(config.group()).isPresent()) {
        Records.Model deployed = deployed(config.group());
        finetuneConfig(deployed, work.resolve("check"));
        if (!WamCheckpoint.readMeta(WamCheckpoint.resolve(Path.of(deployed.path())))
            .config()
            .hasPoseHead())
          throw new IllegalArgumentException(
              "autopilot: the group's model "
                  + deployed.name()
                  + " v"
                  + deployed.version()
                  + " has no pose head, and fleet episodes are labelled with the deployed"
                  + " perception's pose estimates");
      }
    } catch (SQLException e) {
      throw new IOException("cannot read the deployments: " + e, e);
    }
  }

  @Override
  public double hours(String task) throws IOException {
    try {
      return PushTRate.hours(
          store.uploads().episodes(task).stream().mapToLong(Records.Episode::frames).sum());
    } catch (SQLException e) {
      throw new IOException("cannot read the episodes of task '" + task + "': " + e, e);
    }
  }

  @Override
  public Autopilot.Candidate train(String name, String task, String group, boolean successfulOnly)
      throws IOException {
    Records.Model deployed = deployed(group);
    List<Records.Episode> episodes;
    try {
      episodes =
          store.uploads().episodes(task).stream()
              .filter(e -> !successfulOnly || e.success())
              .toList();
    } catch (SQLException e) {
      throw new IOException("cannot read the episodes of task '" + task + "': " + e, e);
    }
    if (episodes.isEmpty())
      throw new IOException(
          "task '" + task + "' has no " + (successfulOnly ? "successful " : "") + "episodes yet");
    if (config.recentHours() > 0) episodes = newest(episodes, config.recentHours());
    Path dir = Files.createDirectories(work.resolve(name));
    Path data = dir.resolve("data"), run = dir.resolve("train"), model = dir.resolve("model");
    // each episode labelled once per deployed model (and expert scene), then all in one dataset
    // (no video re-encoded in that step)
    boolean expert = AutopilotConfig.LABELS_EXPERT.equals(config.labels());
    SceneFile scene = expert ? Scenes.resolve(config.scene()) : null;
    // labels depend on the deployed perception, and expert chunks on the scene the expert acts
    // in (its contents: a scene file edited in place gets labels of its own) and the labels'
    // version
    String key =
        deployed.sha256().substring(0, 16)
            + (expert
                ? "-expert"
                    + EXPERT_LABELS_VERSION
                    + "-"
                    + dev.wam4j.data.Digests.sha256Hex(
                            scene.toJson().getBytes(java.nio.charset.StandardCharsets.UTF_8))
                        .substring(0, 12)
                : "");
    // what the candidate's data hold: those labels, of which episodes
    String dataKey =
        key
            + (successfulOnly ? "-successful" : "-all")
            + (config.recentHours() > 0 ? "-newest-" + config.recentHours() + "h" : "");
    boolean same = sameData(dir, dataKey, log);
    if (same && Files.isRegularFile(model.resolve("checkpoint.json")))
      return candidate(name, model, data); // done before
    if (!same) {
      AtomicFiles.writeString(dir.resolve(DATA_LABELS), dataKey + "\n");
      List<Path> labelled =
          EpisodeLabels.label(
              Path.of(deployed.path()),
              episodes,
              work.resolveSibling("labels").resolve(key),
              task,
              scene,
              log);
      if (labelled.isEmpty())
        throw new IOException(
            "none of the task's "
                + episodes.size()
                + " episodes could be labelled (the reasons in the log, and in .skipped files"
                + " under "
                + work.resolveSibling("labels").resolve(key)
                + ")");
      Path fresh = AtomicFiles.hiddenDirectory(dir, ".data-");
      boolean done = false;
      try {
        Files.delete(fresh); // the aggregate writes a folder of that name itself
        LeRobotAggregate.append(null, labelled, fresh);
        AtomicFiles.publishDirectory(fresh, data);
        done = true;
      } finally {
        if (!done) FileTrees.deleteQuietly(fresh, null);
      }
    }
    WamConfig wam = finetuneConfig(deployed, data);
    log.accept(
        "autopilot: training "
            + name
            + " from "
            + deployed.name()
            + " v"
            + deployed.version()
            + " on "
            + trainedOn(data).episodes()
            + " episodes ("
            + wam.steps()
            + " steps)");
    training.train(wam, run, log);
    Path tmp = AtomicFiles.hiddenDirectory(dir, ".model-");
    boolean done = false;
    try {
      FileTrees.delete(tmp);
      CheckpointExport.export(
          run,
          tmp,
          "Fine-tuned by the autopilot from "
              + deployed.name()
              + " v"
              + deployed.version()
              + " on "
              + trainedOn(data).episodes()
              + (successfulOnly ? " successful" : "")
              + " fleet episodes of task '"
              + task
              + "'"
              + (AutopilotConfig.LABELS_EXPERT.equals(config.labels())
                  ? ", each frame labelled with the scripted expert's chunk from the perceived"
                      + " state (DAgger)."
                  : "."));
      AtomicFiles.publishDirectory(tmp, model);
      done = true;
    } finally {
      if (!done) FileTrees.deleteQuietly(tmp, null);
    }
    return candidate(name, model, data);
  }

  /** Episodes and frames of a candidate's training data. */
  private record TrainedOn(int episodes, long frames) {}

  /**
   * What the candidate's data holds: the episodes that were labelled, not those asked for (an
   * episode that cannot be labelled is set aside), so the decision's evidence says what it learned
   * from.
   */
  private static TrainedOn trainedOn(Path data) throws IOException {
    try (LeRobotDataset ds = LeRobotDataset.open(data)) {
      return new TrainedOn(
          ds.episodes().size(), ds.episodes().stream().mapToLong(e -> e.length()).sum());
    }
  }

  private static Autopilot.Candidate candidate(String name, Path model, Path data)
      throws IOException {
    TrainedOn t = trainedOn(data);
    return new Autopilot.Candidate(
        name, model.toString(), t.episodes(), PushTRate.hours(t.frames()), null);
  }

  /** The newest episodes (by upload) that add up to {@code hours}, oldest first. */
  static List<Records.Episode> newest(List<Records.Episode> episodes, double hours) {
    List<Records.Episode> byUpload = new java.util.ArrayList<>(episodes);
    byUpload.sort(java.util.Comparator.comparingLong(Records.Episode::id).reversed());
    List<Records.Episode> kept = new java.util.ArrayList<>();
    long frames = 0;
    for (Records.Episode e : byUpload) {
      if (PushTRate.hours(frames) >= hours) break;
      kept.add(e);
      frames += e.frames();
    }
    java.util.Collections.reverse(kept);
    return kept;
  }

  /**
   * Bumped when what the expert's labels are changes (its cache then labels afresh): 2 places the
   * perceived pose with no physics step.
   */
  static final int EXPERT_LABELS_VERSION = 2;

  /** The deployed model's own config with the autopilot's overrides, its weights as the start. */
  private WamConfig finetuneConfig(Records.Model deployed, Path data) throws IOException {
    Path from = Path.of(deployed.path());
    WamConfig base = WamCheckpoint.readMeta(WamCheckpoint.resolve(from)).config();
    ObjectNode tree = (ObjectNode) WamRun.toJson(base);
    tree.setAll(config.finetune());
    tree.put("dataset", data.toAbsolutePath().toString());
    tree.put("init", from.toAbsolutePath().toString());
    return WamRun.parseConfig(tree, data.getParent(), "the autopilot's fine-tuning config");
  }

  @Override
  public double simSuccess(Optional<Autopilot.Candidate> candidate, String group, SeedRange seeds)
      throws IOException {
    Path checkpoint;
    String key = null;
    if (candidate.isPresent()) checkpoint = Path.of(candidate.get().checkpoint());
    else {
      Records.Model m = deployed(group);
      checkpoint = Path.of(m.path());
      key = m.name() + "/" + m.version() + "/" + seeds;
      Double known = deployedSuccess.get(key);
      if (known != null) return known;
    }
    ClosedLoopEvaluation.Config eval =
        ClosedLoopEvaluation.Config.seeds(seeds.first(), seeds.last())
            .withScene(Scenes.resolve(config.scene()).scene())
            .withDream(false);
    double rate = evaluator.evaluate(checkpoint, eval).successRate();
    if (key != null) deployedSuccess.put(key, rate);
    return rate;
  }

  @Override
  public int register(Autopilot.Candidate candidate) throws IOException {
    Records.Model deployed = deployed(config.group());
    try {
      byte[] zip = Zips.zipTree(Path.of(candidate.checkpoint()));
      String sha = dev.wam4j.data.Digests.sha256Hex(zip);
      // registered before a kill took the autopilot before it saved: that version, not another
      for (Records.Model m : store.models().all())
        if (m.name().equals(deployed.name()) && m.sha256().equals(sha)) return m.version();
      return models.add(deployed.name(), zip).version();
    } catch (SQLException e) {
      throw new IOException("cannot register " + candidate.name() + ": " + e, e);
    }
  }

  /** Beside a candidate's data folder: the key of what it holds (labels, episodes chosen). */
  static final String DATA_LABELS = "data-labels.txt";

  /**
   * Whether the candidate in {@code dir} holds data of {@code key} (the deployed perception, the
   * labels, which episodes). When it holds other data (the config's {@code labels}, {@code
   * successfulOnly} or {@code recentHours} changed while the candidate was prepared, or a folder
   * from before the key was kept), that data, the training begun on it and a model exported from it
   * are removed: resumed, they would give the candidate another config's data.
   */
  static boolean sameData(Path dir, String key, Consumer<String> log) throws IOException {
    Path data = dir.resolve("data"), keyFile = dir.resolve(DATA_LABELS);
    if (!Files.isDirectory(data)) return false; // published whole: a folder there is complete
    String was = Files.isRegularFile(keyFile) ? Files.readString(keyFile).strip() : "unknown";
    if (was.equals(key)) return true;
    log.accept(
        "autopilot: "
            + dir.getFileName()
            + "'s data are "
            + was
            + ", now wanted: "
            + key
            + "; labelled again and trained from the start");
    // the key first: a kill midway leaves a folder of unknown data, never one that looks valid
    Files.deleteIfExists(keyFile);
    FileTrees.delete(dir.resolve("model"));
    FileTrees.delete(dir.resolve("train"));
    FileTrees.delete(data);
    return false;
  }

  @Override
  public Optional<Autopilot.Canary> canaryOf(int version, String group) throws IOException {
    String name = deployed(group).name();
    try {
      return store.models().deployments().stream()
          .filter(
              d ->
                  d.status() == DeploymentStatus.CANARY
                      && d.group().equals(group)
                      && d.modelName().equals(name)
                      && d.modelVersion() == version)
          .reduce((a, b) -> b)
          .map(AutopilotFleet::canary);
    } catch (SQLException e) {
      throw new IOException("cannot read the deployments: " + e, e);
    }
  }

  @Override
  public Autopilot.Canary deployCanary(int version, String group) throws IOException {
    try {
      Records.Deployment d = store.models().deploy(deployed(group).name(), version, group, true);
      events.accept(new FleetEvent.DeploymentChanged(d));
      return canary(d);
    } catch (SQLException e) {
      throw new IOException("cannot deploy version " + version + ": " + e, e);
    }
  }

  @Override
  public Autopilot.CanaryStatus status(Autopilot.Canary canary) throws IOException {
    try {
      Records.Deployment d =
          store
              .models()
              .deployment(canary.deploymentId())
              .orElseThrow(
                  () -> new IOException("deployment " + canary.deploymentId() + " is gone"));
      return switch (d.status()) {
        case CANARY -> Autopilot.CanaryStatus.OUT;
        case ACTIVE -> Autopilot.CanaryStatus.PROMOTED;
        case ROLLED_BACK -> Autopilot.CanaryStatus.ROLLED_BACK;
      };
    } catch (SQLException e) {
      throw new IOException("cannot read deployment " + canary.deploymentId() + ": " + e, e);
    }
  }

  @Override
  public Autopilot.Live live(Autopilot.Canary canary) throws IOException {
    try {
      Set<String> group =
          store.robots().all().stream()
              .filter(r -> r.group().equals(config.group()))
              .map(Records.Robot::id)
              .collect(Collectors.toSet());
      long cs = 0, cn = 0, gs = 0, gn = 0;
      String canaryModel = deployed(config.group()).name() + ":" + canary.version();
      String groupModel =
          deployed(config.group()).name() + ":" + deployed(config.group()).version();
      // the episodes kept since the canary went out, each counted for the model its robot reports
      // having run (a task begun before the deployment ran the old one; an upload may arrive late)
      for (Records.Episode e : store.uploads().episodesSince(config.task(), canary.sinceMs())) {
        if (!group.contains(e.robotId()) || e.taskId() == null) continue;
        String ran = modelOf(e.taskId());
        if (e.robotId().equals(canary.robotId()) && canaryModel.equals(ran)) {
          cn++;
          if (e.success()) cs++;
        } else if (!e.robotId().equals(canary.robotId()) && groupModel.equals(ran)) {
          gn++;
          if (e.success()) gs++;
        }
      }
      return new Autopilot.Live(cs, cn, gs, gn);
    } catch (SQLException e) {
      throw new IOException("cannot read the live episodes: " + e, e);
    }
  }

  /** The model a task's robot reported running it ("name:version"), or null. */
  private String modelOf(long taskId) throws SQLException {
    Optional<Records.Task> t = store.tasks().task(taskId);
    if (t.isEmpty() || t.get().result() == null) return null;
    try {
      return JsonExchange.JSON.readTree(t.get().result()).path("model").asText(null);
    } catch (com.fasterxml.jackson.core.JacksonException e) {
      return null; // not a result this code wrote: counted for neither
    }
  }

  @Override
  public void promote(Autopilot.Canary canary) throws IOException {
    status(canary, DeploymentStatus.ACTIVE);
  }

  @Override
  public void rollBack(Autopilot.Canary canary) throws IOException {
    status(canary, DeploymentStatus.ROLLED_BACK);
  }

  private void status(Autopilot.Canary canary, DeploymentStatus status) throws IOException {
    try {
      Records.Deployment d = store.models().deployment(canary.deploymentId()).orElseThrow();
      if (d.status() == status) return; // done before a kill
      events.accept(
          new FleetEvent.DeploymentChanged(
              store.models().setStatus(canary.deploymentId(), status)));
    } catch (SQLException e) {
      throw new IOException("cannot set deployment " + canary.deploymentId() + ": " + e, e);
    }
  }

  private Records.Model deployed(String group) throws IOException {
    try {
      Records.Deployment d =
          store
              .models()
              .active(group)
              .orElseThrow(
                  () ->
                      new IOException(
                          "group '"
                              + group
                              + "' has no active deployment: deploy a model to it first"));
      return store
          .models()
          .find(d.modelName(), d.modelVersion())
          .orElseThrow(
              () ->
                  new IOException(
                      "deployment "
                          + d.id()
                          + " names model "
                          + d.modelName()
                          + " version "
                          + d.modelVersion()
                          + ", which the registry does not hold"));
    } catch (SQLException e) {
      throw new IOException("cannot read the deployments: " + e, e);
    }
  }

  private static Autopilot.Canary canary(Records.Deployment d) {
    return new Autopilot.Canary(d.id(), d.modelVersion(), d.canaryRobotId(), d.createdMs());
  }
}
