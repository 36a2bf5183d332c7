package dev.wam4j.eval.study;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.wam4j.eval.ClosedLoopEvaluation;
import dev.wam4j.eval.SeedRange;
import dev.wam4j.eval.report.ReportFiles;
import dev.wam4j.model.policy.ChunkPolicies;
import dev.wam4j.model.policy.ChunkPolicy;
import dev.wam4j.model.wam.WamCheckpoint;
import dev.wam4j.model.wam.WamConfig;
import dev.wam4j.model.wam.WamRun;
import dev.wam4j.model.wam.WamTrainer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The runs of a study: each trained in its own run directory (resumed after a crash, reused when
 * already finished) with its resolved config written beside it, and evaluated once (the outcome is
 * cached next to the run, keyed by checkpoint step and seeds).
 */
final class StudyRuns {
  static final String EVAL_FILE = "study-eval.json";
  static final String CLIP_FILE = "eval-clip.mp4";
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private final Consumer<String> log;

  StudyRuns(Consumer<String> log) {
    this.log = log;
  }

  /** Trains (or resumes, or reuses) {@code config} in {@code dir}; returns the final checkpoint's metadata. */
  WamCheckpoint.Meta train(String name, WamConfig config, WamRun.Stage stage, Path dir) throws IOException {
    Files.createDirectories(dir);
    ReportFiles.write(dir.resolve("study-config.json"), JSON.writeValueAsString(Map.of("stage", stage.id(), "config", WamRun.toJson(config))));
    WamCheckpoint.Meta done = WamRun.finished(config, stage, dir);
    if (done != null) {
      log.accept(name + ": finished earlier (step " + done.step() + "), reused");
      return done;
    }
    long t0 = System.nanoTime();
    log.accept(name + ": " + stage.id() + " " + config.steps() + " steps on " + config.dataset()
        + (config.datasetEpisodes() > 0 ? " (first " + config.datasetEpisodes() + " episodes)" : "")
        + (config.init() == null ? ", fresh weights" : ", from " + config.init()) + " -> " + dir);
    WamRun.train(config, stage, dir, new WamRun.Listener() {
      @Override
      public void resumed(Path checkpoint, long step) {
        log.accept(name + ": resuming from step " + step);
      }

      @Override
      public void step(long step, long total, WamTrainer.Losses l) {
        if (step % 500 == 0 || step == total) {
          log.accept(String.format("%s: step %d/%d loss %.4f (action %.4f video %.4f) %.1f min", name, step, total, l.total(), l.action(),
              l.video(), (System.nanoTime() - t0) / 60e9));
        }
      }
    });
    return WamCheckpoint.readMeta(WamCheckpoint.resolve(dir));
  }

  /** The closed-loop outcome of the run's latest checkpoint on {@code seeds}, evaluated once and cached. */
  RunOutcome evaluate(String name, Path run, SeedRange seeds) throws IOException {
    WamCheckpoint.Meta meta = WamCheckpoint.readMeta(WamCheckpoint.resolve(run));
    Path cache = run.resolve(EVAL_FILE);
    if (Files.isRegularFile(cache)) {
      RunOutcome o = JSON.readValue(cache.toFile(), RunOutcome.class);
      if (o.step() == meta.step() && o.seeds().equals(seeds.toString())) return o;
    }
    log.accept(name + ": evaluating step " + meta.step() + " on seeds " + seeds);
    ClosedLoopEvaluation.Result r;
    try (ChunkPolicy policy = ChunkPolicies.load(run)) {
      // no dream: the actions are the same, the plans faster
      r = ClosedLoopEvaluation.run(policy, ClosedLoopEvaluation.Config.seeds(seeds.first(), seeds.last()).withDream(false), null);
    }
    long frames = meta.data().get("frames") instanceof Number n ? n.longValue() : -1;
    RunOutcome o = new RunOutcome(run.toString(), meta.step(), meta.trainSeconds(), frames, seeds.toString(), r.episodes(),
        r.successRate(), r.meanMaxCoverage());
    ReportFiles.write(cache, JSON.writeValueAsString(o));
    log.accept(String.format("%s: success %.0f%%, mean max coverage %.3f", name, 100 * o.successRate(), o.meanMaxCoverage()));
    return o;
  }

  /**
   * A reality | dream clip of the run's first evaluation episode ({@code <run>/eval-clip.mp4}), made
   * once: what the HTML reports show beside the numbers.
   */
  Path clip(String name, Path run, SeedRange seeds) throws IOException {
    Path clip = run.resolve(CLIP_FILE);
    if (Files.isRegularFile(clip)) return clip;
    log.accept(name + ": recording a reality|dream clip of seed " + seeds.first());
    try (ChunkPolicy policy = ChunkPolicies.load(run)) {
      ClosedLoopEvaluation.run(policy, ClosedLoopEvaluation.Config.seeds(seeds.first(), seeds.first()).withVideo(clip, 1), null);
    }
    return clip;
  }
}
