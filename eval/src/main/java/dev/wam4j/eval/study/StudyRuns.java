package dev.wam4j.eval.study;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.wam4j.eval.CheckpointEvaluator;
import dev.wam4j.eval.ClosedLoopEvaluation;
import dev.wam4j.eval.SeedRange;
import dev.wam4j.eval.report.ReportFiles;
import dev.wam4j.model.load.ChunkPolicies;
import dev.wam4j.model.policy.ChunkPolicy;
import dev.wam4j.model.wam.WamCheckpoint;
import dev.wam4j.model.wam.WamConfig;
import dev.wam4j.model.wam.WamRun;
import dev.wam4j.model.wam.WamTrainer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * The runs of a study: each trained in its own run directory (resumed after a crash, reused when
 * already finished) with its resolved config written beside it, and evaluated once (the outcome is
 * cached next to the run, keyed by checkpoint step and seeds).
 */
final class StudyRuns {
  static final String EVAL_FILE = "study-eval.json";
  static final String CONFIG_FILE = "study-config.json";
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /**
   * What {@link #CONFIG_FILE} holds beside a run.
   *
   * @param initWeights which weights the run started from ({@link #initWeights}), so a run is not
   *     reused when its init path holds other weights now
   */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  record RunRecord(String stage, String initWeights, JsonNode config) {}

  private final Consumer<String> log;
  private final CheckpointEvaluator evaluator;

  /**
   * @param evaluator runs the closed-loop evaluations of {@link #evaluate} (the clips of {@link
   *     #clip} are always recorded here)
   */
  StudyRuns(Consumer<String> log, CheckpointEvaluator evaluator) {
    this.log = log;
    this.evaluator = evaluator;
  }

  /**
   * Trains (or resumes, or reuses) {@code config} in {@code dir}; returns the final checkpoint's
   * metadata.
   */
  WamCheckpoint.Meta train(String name, WamConfig config, WamRun.Stage stage, Path dir)
      throws IOException {
    return train(name, config, stage, dir, Long.MAX_VALUE);
  }

  /** Training stopped at a deadline; the run keeps its last checkpoint and resumes from it. */
  static final class DeadlinePassed extends RuntimeException {
    private static final long serialVersionUID = 1L;

    DeadlinePassed(String name, long step) {
      super(name + ": stopped at step " + step + ", the deadline passed");
    }
  }

  /**
   * The same, stopped at {@code deadlineNanos} ({@link System#nanoTime()}) with {@link
   * DeadlinePassed}.
   */
  WamCheckpoint.Meta train(
      String name, WamConfig config, WamRun.Stage stage, Path dir, long deadlineNanos)
      throws IOException {
    Files.createDirectories(dir);
    // The config names its init checkpoint by path; the weights behind a path can change (a run
    // continued,
    // a folder retrained), so the run records which weights it started from and is not reused from
    // others.
    String initWeights = initWeights(config);
    Path record = dir.resolve(CONFIG_FILE);
    if (Files.isRegularFile(record)) {
      String old = JSON.readValue(record.toFile(), RunRecord.class).initWeights();
      if (old != null && !old.equals(initWeights)) {
        throw new IllegalStateException(
            name
                + ": "
                + dir
                + " was trained from other initial weights than "
                + config.init()
                + " holds now ("
                + old
                + " vs "
                + initWeights
                + "); delete "
                + dir
                + " to train it again");
      }
    }
    RunRecord recorded = new RunRecord(stage.id(), initWeights, WamRun.toJson(config));
    WamCheckpoint.Meta done = WamRun.finished(config, stage, dir);
    if (done != null) {
      ReportFiles.write(record, JSON.writeValueAsString(recorded));
      log.accept(name + ": finished earlier (step " + done.step() + "), reused");
      return done;
    }
    ReportFiles.write(record, JSON.writeValueAsString(recorded));
    long t0 = System.nanoTime();
    log.accept(
        name
            + ": "
            + stage.id()
            + " "
            + config.steps()
            + " steps on "
            + config.dataset()
            + (config.datasetEpisodes() > 0
                ? " (first " + config.datasetEpisodes() + " episodes)"
                : "")
            + (config.init() == null ? ", fresh weights" : ", from " + config.init())
            + " -> "
            + dir);
    WamRun.train(
        config,
        stage,
        dir,
        new WamRun.Listener() {
          @Override
          public void resumed(Path checkpoint, long step) {
            log.accept(name + ": resuming from step " + step);
          }

          @Override
          public void step(long step, long total, WamTrainer.Losses l) {
            if (step < total && System.nanoTime() - deadlineNanos > 0)
              throw new DeadlinePassed(name, step);
            if (step % 500 == 0 || step == total) {
              log.accept(
                  String.format(
                      "%s: step %d/%d loss %.4f (action %.4f video %.4f) %.1f min",
                      name,
                      step,
                      total,
                      l.total(),
                      l.action(),
                      l.video(),
                      (System.nanoTime() - t0) / 60e9));
            }
          }
        });
    return WamCheckpoint.readMeta(WamCheckpoint.resolve(dir));
  }

  /**
   * The closed-loop outcome of the run's latest checkpoint on {@code seeds}, evaluated once and
   * cached.
   */
  RunOutcome evaluate(String name, Path run, SeedRange seeds) throws IOException {
    WamCheckpoint.Meta meta = WamCheckpoint.readMeta(WamCheckpoint.resolve(run));
    Path cache = run.resolve(EVAL_FILE);
    if (Files.isRegularFile(cache)) {
      RunOutcome o = JSON.readValue(cache.toFile(), RunOutcome.class);
      if (o.step() == meta.step() && o.seeds().equals(seeds.toString())) return o;
    }
    log.accept(name + ": evaluating step " + meta.step() + " on seeds " + seeds);
    // no dream: the actions are the same, the plans faster
    ClosedLoopEvaluation.Result r =
        evaluator.evaluate(
            run, ClosedLoopEvaluation.Config.seeds(seeds.first(), seeds.last()).withDream(false));
    long frames = meta.data().get("frames") instanceof Number n ? n.longValue() : -1;
    RunOutcome o =
        new RunOutcome(
            run.toString(),
            meta.step(),
            meta.trainSeconds(),
            frames,
            seeds.toString(),
            r.episodes(),
            r.successRate(),
            r.meanMaxCoverage());
    ReportFiles.write(cache, JSON.writeValueAsString(o));
    log.accept(
        String.format(
            "%s: success %.0f%%, mean max coverage %.3f",
            name, 100 * o.successRate(), o.meanMaxCoverage()));
    return o;
  }

  /**
   * Checks before hours of training that the sweep fits the dataset.
   *
   * @throws IllegalArgumentException naming the study file, the field and the dataset
   */
  static void requireEpisodes(StudyConfig study, String field, String dataset, int largest)
      throws IOException {
    int have;
    try (dev.wam4j.data.lerobot.LeRobotDataset ds =
        dev.wam4j.data.lerobot.LeRobotDataset.open(Path.of(dataset))) {
      have = ds.episodes().size();
    }
    if (largest > have) {
      throw new IllegalArgumentException(
          study.file()
              + ": 'episodes' asks for "
              + largest
              + " episodes of "
              + field
              + ".dataset "
              + dataset
              + ", which has "
              + have);
    }
  }

  /**
   * The init checkpoint a config starts from, as a concrete directory and its files' SHA-256, or
   * "none".
   */
  static String initWeights(WamConfig config) throws IOException {
    if (config.init() == null) return "none";
    Path dir = WamCheckpoint.resolve(Path.of(config.init()));
    return dir.toAbsolutePath().normalize()
        + " "
        + new java.util.TreeMap<>(WamCheckpoint.readMeta(dir).files());
  }

  /**
   * A reality | dream clip of the run's first evaluation episode ({@code
   * <run>/eval-clip-<seed>.mp4}), made once: what the HTML reports show beside the numbers.
   */
  Path clip(String name, Path run, SeedRange seeds) throws IOException {
    Path clip =
        run.resolve(
            "eval-clip-"
                + seeds.first()
                + ".mp4"); // the seed in the name: a clip never shows another seed than its caption
    if (Files.isRegularFile(clip)) return clip;
    log.accept(name + ": recording a reality|dream clip of seed " + seeds.first());
    try (ChunkPolicy policy = ChunkPolicies.load(run)) {
      ClosedLoopEvaluation.run(
          policy,
          ClosedLoopEvaluation.Config.seeds(seeds.first(), seeds.first()).withVideo(clip, 1),
          null);
    }
    return clip;
  }
}
