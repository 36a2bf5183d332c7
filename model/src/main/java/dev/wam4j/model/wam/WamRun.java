package dev.wam4j.model.wam;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.training.ParameterStore;
import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wam4j.data.DatasetDigest;
import dev.wam4j.data.FileTrees;
import dev.wam4j.data.loader.LoaderConfig;
import dev.wam4j.data.loader.TrainingBatch;
import dev.wam4j.data.loader.TrainingLoader;
import dev.wam4j.model.CheckpointException;
import dev.wam4j.model.train.LossChart;
import dev.wam4j.model.train.TrainingLog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * A training run in a directory: {@code config.json} (the resolved config), {@code log.csv} and
 * {@code loss.png} (the loss curves), and checkpoints {@code step-NNNNNNN/} with a {@code latest}
 * file naming the newest. Starting a run in a directory that has a checkpoint resumes it from there
 * (the config must be the same): a run killed at any moment loses at most the steps since its last
 * checkpoint. (Only {@code threads} may differ on resume.) A NaN loss or gradient stops the run
 * with an error; the NaN weights are never saved.
 */
public final class WamRun {
  /** Stage 1 (video, no robot actions) or stage 2 (robot actions). */
  public enum Stage {
    PRETRAIN,
    FINETUNE;

    public String id() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /** Hears about the run's progress (from the training thread). */
  public interface Listener {
    /** Loading data: a phase name and frames decoded so far. */
    default void loading(String phase, long frames) {}

    /** After every step. */
    default void step(long step, long totalSteps, WamTrainer.Losses losses) {}

    /** After each checkpoint is published. */
    default void checkpoint(Path dir, Map<String, Object> metrics) {}

    /** Once, when the run resumes from a checkpoint. */
    default void resumed(Path checkpoint, long step) {}
  }

  /**
   * What the run did.
   *
   * @param checkpoint the last checkpoint published
   * @param trainSeconds wall time of training over all sessions of the run
   * @param metrics the last checkpoint's metrics
   */
  public record Result(
      Path checkpoint, long steps, double trainSeconds, Map<String, Object> metrics) {}

  static final List<String> COLUMNS =
      List.of(
          TrainingLog.STEP,
          "seconds",
          "samples_per_s",
          "loss",
          "loss_action",
          "loss_video",
          "loss_recon",
          "grad_norm",
          "lr",
          "val_loss",
          "val_action",
          "val_video",
          "val_recon",
          "rss_mb",
          "heap_mb");
  private static final int KEEP_CHECKPOINTS = 2;

  /**
   * The log's columns: a run with a pose head logs its loss too, and with validation data the
   * pose's RMS errors there in workspace pixels and degrees (runs without them keep the columns
   * they always had).
   */
  static List<String> columns(WamConfig config) {
    if (!config.hasPoseHead()) return COLUMNS;
    List<String> c = new ArrayList<>(COLUMNS);
    c.add("loss_pose");
    if (config.validationDataset() != null && config.validationBatches() > 0) {
      c.add("val_pose_px");
      c.add("val_pose_deg");
    }
    return c;
  }

  /**
   * The columns of a resumed run's log: this version's, or, for a pose-head run started before the
   * pose's validation columns existed, the columns it was started with (it goes on without them).
   */
  private static List<String> resumedColumns(Path log, WamConfig config) throws IOException {
    List<String> now = columns(config);
    if (!now.contains("val_pose_px") || !Files.isRegularFile(log)) return now;
    List<String> before = now.subList(0, now.indexOf("val_pose_px"));
    try (java.io.BufferedReader r = Files.newBufferedReader(log)) {
      String header = r.readLine();
      return header != null && header.equals(String.join(",", before)) ? before : now;
    }
  }

  private WamRun() {}

  /**
   * Reads a config file: a JSON object whose fields override {@link WamConfig#defaults()}; relative
   * {@code dataset}, {@code extraDatasets}, {@code validationDataset} and {@code init} paths
   * resolve against the file's folder.
   *
   * @throws IllegalArgumentException naming the file and the field for unknown fields or bad values
   */
  public static WamConfig loadConfig(Path file) throws IOException {
    if (!Files.isRegularFile(file))
      throw new IllegalArgumentException("config file " + file + " does not exist");
    JsonNode tree;
    try {
      tree = WamCheckpoint.JSON.readTree(file.toFile());
    } catch (JacksonException e) {
      throw new IllegalArgumentException(file + ": not valid JSON: " + e.getOriginalMessage(), e);
    }
    if (tree == null || !tree.isObject())
      throw new IllegalArgumentException(file + ": a config must be a JSON object");
    return parseConfig(tree, file.toAbsolutePath().getParent(), file.toString());
  }

  /**
   * A config from a JSON object whose fields override {@link WamConfig#defaults()}, e.g. one nested
   * in a study file; relative paths resolve against {@code base}.
   *
   * @param where names the object in error messages (a file, or a file and field)
   * @throws IllegalArgumentException naming {@code where} and the field for unknown fields or bad
   *     values
   */
  public static WamConfig parseConfig(JsonNode tree, Path base, String where) {
    String file = where;
    if (tree == null || !tree.isObject())
      throw new IllegalArgumentException(where + ": a config must be a JSON object");
    ObjectNode merged = WamCheckpoint.JSON.valueToTree(WamConfig.defaults());
    for (Map.Entry<String, JsonNode> f : tree.properties()) {
      if (!merged.has(f.getKey())) {
        throw new IllegalArgumentException(
            file
                + ": unknown field '"
                + f.getKey()
                + "' (known: "
                + iterable(merged.fieldNames())
                + ")");
      }
      merged.set(f.getKey(), f.getValue());
    }
    WamConfig c;
    try {
      c = WamCheckpoint.JSON.treeToValue(merged, WamConfig.class);
    } catch (JacksonException e) {
      Throwable cause = e.getCause() instanceof IllegalArgumentException iae ? iae : e;
      // name the field whose value did not fit (Jackson's own message names only the type)
      String field =
          e instanceof com.fasterxml.jackson.databind.JsonMappingException m
                  && !m.getPath().isEmpty()
                  && m.getPath().getFirst().getFieldName() != null
              ? "field '" + m.getPath().getFirst().getFieldName() + "': "
              : "";
      throw new IllegalArgumentException(
          file
              + ": "
              + (cause instanceof IllegalArgumentException
                  ? cause.getMessage()
                  : field + e.getOriginalMessage()),
          e);
    }
    if (c.dataset() == null)
      throw new IllegalArgumentException(
          file + ": field 'dataset' (a LeRobot dataset directory) is required");
    List<String> extra = c.extraDatasets().stream().map(p -> resolve(base, p)).toList();
    return c.withData(
            resolve(base, c.dataset()),
            resolve(base, c.validationDataset()),
            resolve(base, c.init()))
        .withExtraDatasets(extra);
  }

  /** The config as a config file spells it (camelCase fields), to echo into results. */
  public static JsonNode toJson(WamConfig config) {
    return WamCheckpoint.JSON.valueToTree(config);
  }

  private static String resolve(Path base, String path) {
    return path == null ? null : base.resolve(path).normalize().toString();
  }

  private static List<String> iterable(Iterator<String> it) {
    List<String> out = new ArrayList<>();
    it.forEachRemaining(out::add);
    return out;
  }

  /**
   * The final checkpoint of {@code dir} when it holds a {@code stage} run of {@code config}
   * (threads aside) trained to its last step, else {@code null}: studies reuse finished runs
   * instead of decoding their data again.
   */
  public static WamCheckpoint.Meta finished(WamConfig config, Stage stage, Path dir)
      throws IOException {
    if (!Files.exists(dir.resolve(WamCheckpoint.LATEST_FILE))) return null;
    WamCheckpoint.Meta m = WamCheckpoint.readMeta(WamCheckpoint.resolve(dir));
    boolean same =
        m.stage().equals(stage.id())
            && ConfigDifferences.all(m.config().withThreads(config.threads()), config).isEmpty();
    return same && m.step() >= config.steps() ? m : null;
  }

  /**
   * Trains {@code config} in {@code dir}, resuming from its latest checkpoint if it has one.
   *
   * @throws CheckpointException when the directory's checkpoint was made under another config or
   *     stage, or the init checkpoint has another architecture
   * @throws IllegalStateException when the loss or gradient turns NaN (the last checkpoint stays
   *     valid)
   */
  public static Result train(WamConfig config, Stage stage, Path dir, Listener listener)
      throws IOException {
    Files.createDirectories(dir);
    Path latest = dir.resolve(WamCheckpoint.LATEST_FILE);
    WamCheckpoint.Meta resumeFrom = null;
    Path resumeDir = null;
    if (Files.exists(latest)) {
      resumeDir = WamCheckpoint.resolve(dir);
      resumeFrom = WamCheckpoint.readMeta(resumeDir);
      // Threads change speed, not the run: a run may resume on another machine with another core
      // count.
      List<String> diffs =
          ConfigDifferences.all(resumeFrom.config().withThreads(config.threads()), config);
      if (!diffs.isEmpty() || !resumeFrom.stage().equals(stage.id())) {
        throw new CheckpointException(
            dir
                + " holds a "
                + resumeFrom.stage()
                + " run under another config; use a new directory"
                + " or the same config (differences: "
                + (diffs.isEmpty() ? "stage" : String.join(", ", diffs))
                + ")");
      }
    }
    discardUnpublished(dir, resumeFrom == null ? 0 : resumeFrom.step());
    writeAtomically(
        dir.resolve("config.json"),
        WamCheckpoint.JSON.writeValueAsString(
            new TreeMap<>(Map.of("stage", stage.id(), "config", config)))); // one key order
    long start = resumeFrom == null ? 0 : resumeFrom.step();
    long loadStart = System.nanoTime();
    TrainingLoader loader =
        load(
            config,
            config.dataset(),
            config.seed(),
            config.datasetEpisodes(),
            n -> listener.loading("train data", n));
    int datasetEpisodes = loader.episodes();
    if (!config.extraDatasets().isEmpty()) {
      List<TrainingLoader> parts = new ArrayList<>(List.of(loader));
      for (String extra : config.extraDatasets()) {
        TrainingLoader part =
            load(
                config,
                extra,
                config.seed(),
                0,
                n -> listener.loading("train data " + Path.of(extra).getFileName(), n));
        requireXy(part, extra);
        parts.add(part);
      }
      loader = TrainingLoader.concat(config.loaderConfig(config.seed(), 2), parts);
    }
    if (config.renderJitterPixels() + config.renderJitterDegrees() > 0) {
      loader.jitterBlock(
          config.renderJitterPixels(),
          Math.toRadians(config.renderJitterDegrees())); // training data only
    }
    loader.skip(start); // the batches the checkpoint already trained on: a resumed run equals an
    // uninterrupted one
    requireXy(loader, config.dataset());
    List<TrainingBatch> validation = new ArrayList<>();
    if (config.validationDataset() != null && config.validationBatches() > 0) {
      TrainingLoader v =
          load(
              config,
              config.validationDataset(),
              12345,
              0,
              n -> listener.loading("validation data", n));
      requireXy(v, config.validationDataset());
      for (int i = 0; i < config.validationBatches(); i++) {
        TrainingBatch b = v.newBatch();
        v.sample(b);
        validation.add(b);
      }
    }
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("dataset", config.dataset());
    data.put("dataset_episodes", datasetEpisodes);
    data.put("episodes", loader.episodes());
    data.put("frames", loader.frames());
    data.put(
        "hours_at_10fps",
        Math.round(loader.frames() / 360.0) / 100.0); // frames / 36,000 per hour, 2 decimals
    data.put("extra_datasets", config.extraDatasets());
    data.put("validation_dataset", config.validationDataset());
    data.put("init", config.init());
    // content hashes: a shipped checkpoint names its data by relative path and hash, never by a
    // machine's path
    data.put("dataset_sha256", DatasetDigest.sha256(Path.of(config.dataset())));
    List<String> extraHashes = new ArrayList<>();
    for (String extra : config.extraDatasets())
      extraHashes.add(DatasetDigest.sha256(Path.of(extra)));
    data.put("extra_datasets_sha256", extraHashes);
    data.put(
        "validation_dataset_sha256",
        config.validationDataset() == null
            ? null
            : DatasetDigest.sha256(Path.of(config.validationDataset())));
    // compute outside the training steps, counted in the lineage of models trained from here (this
    // session's, on a resumed run)
    data.put("load_seconds", (System.nanoTime() - loadStart) / 1e9);

    try (WamTrainer trainer = WamTrainer.create(config, loader);
        TrainingLog log =
            resumeFrom == null
                ? TrainingLog.create(freshLog(dir), columns(config))
                : TrainingLog.resume(
                    dir.resolve("log.csv"),
                    resumedColumns(dir.resolve("log.csv"), config),
                    start)) {
      double priorSeconds = 0;
      if (resumeFrom != null) {
        TrainingState.restore(resumeDir, resumeFrom, trainer);
        priorSeconds = resumeFrom.trainSeconds();
        listener.resumed(resumeDir, start);
      } else if (config.init() != null) {
        InitCheckpoint.initialise(trainer, Path.of(config.init()));
      }
      long t0 = System.nanoTime(), windowStart = t0, windowSteps = 0;
      Path published = resumeDir;
      Map<String, Object> metrics = resumeFrom == null ? Map.of() : resumeFrom.metrics();
      double sum = 0, sumA = 0, sumV = 0, sumR = 0, sumG = 0, sumP = 0;
      for (long s = start; s < config.steps(); ) {
        WamTrainer.Losses l = trainer.step();
        s = trainer.steps();
        sum += l.total();
        sumA += l.action();
        sumV += l.video();
        sumR += l.recon();
        sumG += l.gradNorm();
        sumP += l.pose();
        windowSteps++;
        listener.step(s, config.steps(), l);
        boolean checkpoint = s % config.checkpointEverySteps() == 0 || s == config.steps();
        if (s % config.logEverySteps() == 0 || checkpoint) {
          long now = System.nanoTime();
          double seconds = priorSeconds + (now - t0) / 1e9;
          TrainingLog.Row row =
              log.row(s)
                  .set("seconds", seconds)
                  .set(
                      "samples_per_s",
                      windowSteps * config.batchSize() / ((now - windowStart) / 1e9))
                  .set("loss", sum / windowSteps)
                  .set("loss_action", sumA / windowSteps)
                  .set("loss_video", sumV / windowSteps)
                  .set("loss_recon", sumR / windowSteps)
                  .set("grad_norm", sumG / windowSteps)
                  .set("lr", WamTrainer.learningRate(config, s - 1))
                  .set("rss_mb", TrainingLog.residentMemoryMiB())
                  .set(
                      "heap_mb",
                      Runtime.getRuntime().totalMemory()
                          >> 20); // committed Java heap: RSS minus this is native
          metrics = new LinkedHashMap<>();
          metrics.put("loss", sum / windowSteps);
          metrics.put("loss_action", sumA / windowSteps);
          metrics.put("loss_video", sumV / windowSteps);
          metrics.put("loss_recon", sumR / windowSteps);
          if (config.hasPoseHead()) {
            row.set("loss_pose", sumP / windowSteps);
            metrics.put("loss_pose", sumP / windowSteps);
          }
          metrics.put(
              "samples_per_s", windowSteps * config.batchSize() / ((now - windowStart) / 1e9));
          if (checkpoint && !validation.isEmpty()) {
            double[] v = validate(trainer, validation);
            row.set("val_loss", v[0])
                .set("val_action", v[1])
                .set("val_video", v[2])
                .set("val_recon", v[3]);
            metrics.put("val_loss", v[0]);
            metrics.put("val_action", v[1]);
            metrics.put("val_video", v[2]);
            metrics.put("val_recon", v[3]);
            if (log.columns().contains("val_pose_px")
                && Double.isFinite(v[4])) { // the validation data may hold no poses
              row.set("val_pose_px", v[4]).set("val_pose_deg", v[5]);
              metrics.put("val_pose_px", v[4]);
              metrics.put("val_pose_deg", v[5]);
            }
          }
          row.write();
          sum = sumA = sumV = sumR = sumG = sumP = 0;
          windowSteps = 0;
          windowStart = System.nanoTime();
          if (checkpoint) {
            Path ckpt = dir.resolve(String.format("step-%07d", s));
            double trainSeconds = priorSeconds + (System.nanoTime() - t0) / 1e9;
            TrainingState.save(trainer, ckpt, stage.id(), data, metrics, trainSeconds, true);
            writeAtomically(latest, ckpt.getFileName() + "\n");
            published = ckpt;
            prune(dir, ckpt);
            chart(dir);
            listener.checkpoint(ckpt, metrics);
          }
        }
      }
      double trainSeconds = priorSeconds + (System.nanoTime() - t0) / 1e9;
      if (published == null)
        throw new IllegalStateException("run in " + dir + " published no checkpoint");
      return new Result(
          published,
          trainer.steps(),
          resumeFrom != null && start >= config.steps() ? resumeFrom.trainSeconds() : trainSeconds,
          metrics);
    }
  }

  /**
   * Deletes what a killed run may have left beyond the checkpoint it resumes from: checkpoints
   * published after {@code step} but never named by {@code latest} (a kill between the two
   * renames), and hidden partial folders and files.
   */
  static void discardUnpublished(Path dir, long step) throws IOException {
    List<Path> stale;
    try (Stream<Path> s = Files.list(dir)) {
      stale =
          s.filter(
                  p -> {
                    String n = p.getFileName().toString();
                    return n.matches("\\.step-\\d{7}\\.partial-.*")
                        || n.matches("\\..*\\.tmp")
                        || (n.matches("step-\\d{7}") && Long.parseLong(n.substring(5)) > step);
                  })
              .toList();
    }
    for (Path p : stale) {
      if (Files.isDirectory(p)) FileTrees.delete(p);
      else Files.deleteIfExists(p);
    }
  }

  /** A fresh log: a log left by a run killed before its first checkpoint is discarded. */
  private static Path freshLog(Path dir) throws IOException {
    Path log = dir.resolve("log.csv");
    Files.deleteIfExists(log);
    return log;
  }

  /**
   * Checks, without loading weights, that a run of {@code config} can start from its {@code init}
   * checkpoint (the same architecture, or one of the changes a run may make: keypoints or a pose
   * head added, more angle harmonics, a fresh action head, a dream branch added); nothing to check
   * without an init.
   *
   * @throws CheckpointException naming the checkpoint and the differences when it cannot
   * @throws IOException when the checkpoint cannot be read
   */
  public static void checkInit(WamConfig config) throws IOException {
    if (config.init() != null) InitCheckpoint.check(config, Path.of(config.init()));
  }

  /**
   * Mean weighted, action, video and recon loss over the held validation batches (no gradients,
   * fixed noise), of the moving-average weights: the model the policy runs; then the pose head's
   * RMS position error per axis (workspace pixels, as {@code sim expert --pose-noise} counts it)
   * and angle error (degrees) there (NaN without a pose head or recorded poses).
   */
  static double[] validate(WamTrainer trainer, List<TrainingBatch> batches) {
    trainer.optimizer().swapAverage();
    try {
      return score(trainer, batches);
    } finally {
      trainer.optimizer().swapAverage();
    }
  }

  private static double[] score(WamTrainer trainer, List<TrainingBatch> batches) {
    double[] out = new double[6];
    double pos = 0, ang = 0, posed = 0;
    for (int i = 0; i < batches.size(); i++) {
      try (NDScope scope = new NDScope()) {
        scope.suppressNotUsedWarning();
        NDManager m = trainer.model().getNDManager();
        NDArray[] terms =
            trainer.losses(
                new ParameterStore(m, false),
                m,
                batches.get(i),
                new SplittableRandom(1000 + i),
                false);
        for (int k = 0; k < 4; k++) out[k] += terms[k].getFloat() / batches.size();
      }
      double[] e = trainer.poseErrors();
      pos += e[0];
      ang += e[1];
      posed += e[2];
    }
    out[4] =
        posed == 0
            ? Double.NaN
            : Math.sqrt(pos / (2 * posed)); // RMS per axis over frames with a recorded pose
    out[5] = posed == 0 ? Double.NaN : Math.sqrt(ang / posed);
    return out;
  }

  /**
   * One dataset as the run reads it: decoded frames, rendered frames ({@link
   * WamConfig#renderFrames}) or none (headOnly).
   */
  static TrainingLoader load(
      WamConfig config,
      String dataset,
      long seed,
      int episodes,
      java.util.function.LongConsumer progress)
      throws IOException {
    LoaderConfig full = config.loaderConfig(seed, 2);
    if (config.headOnly()) {
      TrainingLoader states = TrainingLoader.load(Path.of(dataset), full, episodes, progress);
      states.requireBlockPoses(dataset, "headOnly (the action head reads the recorded pose)");
      return states;
    }
    if (!config.renderFrames())
      return TrainingLoader.load(Path.of(dataset), full, episodes, progress);
    LoaderConfig bare =
        new LoaderConfig(
            null,
            full.stateKey(),
            full.actionKey(),
            full.historyFrames(),
            full.actionHorizon(),
            full.batchSize(),
            seed,
            2,
            0,
            0);
    return TrainingLoader.load(Path.of(dataset), bare, episodes, progress)
        .renderingFrames(new PushTFrames(config.imageSize()), full, dataset);
  }

  private static void requireXy(TrainingLoader loader, String dataset) {
    TrainingBatch b = loader.newBatch();
    int rows = b.episode.length * loader.config().historyFrames();
    if (b.states.length != rows * 2 || b.actions.length != b.actionIsPad.length * 2) {
      throw new IllegalArgumentException(
          dataset
              + ": '"
              + loader.config().stateKey()
              + "' and '"
              + loader.config().actionKey()
              + "' must be 2 values each (x, y in workspace pixels)");
    }
  }

  private static void prune(Path dir, Path keep) throws IOException {
    List<Path> ckpts;
    try (Stream<Path> s = Files.list(dir)) {
      ckpts = s.filter(p -> p.getFileName().toString().matches("step-\\d{7}")).sorted().toList();
    }
    for (int i = 0; i < ckpts.size() - KEEP_CHECKPOINTS; i++) {
      if (!ckpts.get(i).equals(keep)) FileTrees.delete(ckpts.get(i));
    }
  }

  /** Redraws loss.png from log.csv. */
  static void chart(Path dir) throws IOException {
    TrainingLog.Table table = TrainingLog.read(dir.resolve("log.csv"));
    LossChart.of(
            "wam training loss (" + dir.getFileName() + ")",
            "loss",
            "loss_action",
            "loss_video",
            "loss_recon",
            "val_loss")
        .withLogY()
        .withSmoothing(10, "loss", "loss_action", "loss_video", "loss_recon")
        .write(table, dir.resolve("loss.png"));
  }

  static void writeAtomically(Path file, String text) throws IOException {
    dev.wam4j.data.AtomicFiles.writeString(file, text);
  }
}
