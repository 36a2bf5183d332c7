package dev.wam4j.eval.study;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wam4j.data.Provenance;
import dev.wam4j.eval.CheckpointEvaluator;
import dev.wam4j.eval.report.HtmlReport;
import dev.wam4j.eval.report.ReportFiles;
import dev.wam4j.model.wam.WamRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The scaling law of stage-1 pre-training, measured end to end: pre-trains the study's {@code
 * pretrain} config on the first N episodes of its dataset for each N of {@code episodes} (a
 * geometric sweep of hours of video), fits {@link ScalingFit L = a - b ln D and L = c D^-alpha} to
 * each run's best validation loss, and, when the study has a {@code finetune} config, fine-tunes
 * from every size and evaluates closed loop (downstream success per D). Writes {@code
 * scaling.json}, {@code scaling.png} and {@code scaling.html}; finished runs are reused and an
 * interrupted one resumes on a rerun.
 */
public final class ScalingSweep {
  /** The fit, and the downstream outcome per size (empty without a finetune config). */
  public record Result(ScalingStudy.Result fit, List<Downstream> downstream) {}

  /** Fine-tuning from the pre-training run on {@code videoEpisodes} episodes. */
  public record Downstream(int videoEpisodes, double videoHours, RunOutcome outcome, String clip) {}

  private ScalingSweep() {}

  public static Result run(StudyConfig study, Path out, Provenance provenance, Consumer<String> log)
      throws IOException {
    return run(study, out, provenance, log, CheckpointEvaluator.local());
  }

  /**
   * The same, with the closed-loop evaluations run by {@code evaluator} (e.g. on a Spark cluster);
   * training stays in this JVM.
   */
  public static Result run(
      StudyConfig study,
      Path out,
      Provenance provenance,
      Consumer<String> log,
      CheckpointEvaluator evaluator)
      throws IOException {
    if (study.pretrain() == null)
      throw new IllegalArgumentException(
          study.file() + ": the scaling sweep needs the field 'pretrain'");
    if (study.episodes().size() < 2)
      throw new IllegalArgumentException(
          study.file() + ": the scaling sweep needs at least 2 sizes in 'episodes'");
    List<Integer> sizes = study.episodes();
    if (study.pretrainConfig(0).validationDataset() == null
        || study.pretrainConfig(0).validationBatches() == 0) {
      throw new IllegalArgumentException(
          study.file()
              + ": the scaling sweep fits validation loss; set pretrain.validationDataset "
              + "(held-out video) and validationBatches >= 1");
    }
    StudyRuns.requireEpisodes(
        study, "pretrain", study.pretrainConfig(0).dataset(), sizes.get(sizes.size() - 1));
    Files.createDirectories(out);
    StudyRuns runs = new StudyRuns(log, evaluator);
    List<Path> dirs = new ArrayList<>();
    for (int n : study.episodes()) {
      Path dir = out.resolve("d" + n);
      runs.train("d" + n, study.pretrainConfig(n), WamRun.Stage.PRETRAIN, dir);
      dirs.add(dir);
      if (dirs.size() >= 2
          && dirs.size()
              < study.episodes().size()) { // the fit so far, for whoever watches a long sweep
        write(
            new Result(ScalingStudy.fromRuns(dirs, study.metric()), List.of()),
            study,
            out,
            provenance);
      }
    }
    ScalingStudy.Result fit = ScalingStudy.fromRuns(dirs, study.metric());
    List<Downstream> downstream = new ArrayList<>();
    write(new Result(fit, downstream), study, out, provenance);
    if (study.finetune() != null) {
      for (int i = 0; i < study.episodes().size(); i++) {
        int n = study.episodes().get(i);
        String name = "d" + n + "-finetune";
        Path dir = out.resolve(name);
        runs.train(name, study.finetuneConfig(0, dirs.get(i)), WamRun.Stage.FINETUNE, dir);
        double hours =
            fit.points().stream()
                .filter(p -> p.run().equals("d" + n))
                .findFirst()
                .orElseThrow()
                .hours();
        RunOutcome outcome = runs.evaluate(name, dir, study.evalSeeds());
        downstream.add(
            new Downstream(n, hours, outcome, runs.clip(name, dir, study.evalSeeds()).toString()));
        write(new Result(fit, downstream), study, out, provenance);
      }
    }
    return new Result(fit, List.copyOf(downstream));
  }

  /**
   * What {@code scaling.json} holds: the pre-training points, their fits, the fine-tuning runs from
   * them so far and what produced them.
   *
   * @param study always "scaling"
   * @param span the largest point's video hours over the smallest's
   * @param pretrainConfig the pre-training config of the first point (the others differ in video)
   */
  record ScalingFile(
      String study,
      String studyFile,
      String metric,
      List<ScalingStudy.Point> points,
      LogLinear logLinear,
      PowerLaw powerLaw,
      double span,
      List<Downstream> downstream,
      JsonNode pretrainConfig,
      Provenance provenance) {}

  /**
   * The fit {@code L = a - b ln D} ({@link ScalingFit}), {@code r2} its coefficient of
   * determination.
   */
  record LogLinear(double a, double b, double r2) {}

  /**
   * The fit {@code L = c D^-alpha} ({@link ScalingFit}), {@code r2} its coefficient of
   * determination.
   */
  record PowerLaw(double c, double alpha, double r2) {}

  private static void write(Result r, StudyConfig study, Path out, Provenance provenance)
      throws IOException {
    ScalingStudy.Result s = r.fit();
    ScalingFit f = s.fit();
    double span = s.points().get(s.points().size() - 1).hours() / s.points().get(0).hours();
    ScalingFile json =
        new ScalingFile(
            "scaling",
            study.file().toString(),
            s.metric(),
            s.points(),
            new LogLinear(f.a(), f.b(), f.r2LogLinear()),
            new PowerLaw(f.c(), f.alpha(), f.r2Power()),
            span,
            r.downstream(),
            WamRun.toJson(study.pretrainConfig(0)),
            provenance);
    ReportFiles.write(out.resolve("scaling.json"), AblationStudy.JSON.writeValueAsString(json));
    Path png = out.resolve("scaling.png");
    ScalingPlot.write(s, png);
    HtmlReport html = new HtmlReport("Scaling law of human-video pre-training");
    html.paragraph(
        String.format(
            "Best %s of each stage-1 run against the hours of video it trained on (%d sizes spanning %.1fx). "
                + "L = %.5f - %.5f ln D (R^2 %.3f); L = %.5f D^-%.4f (R^2 %.3f). EgoScale's anchor: L = 0.024 - 0.003 ln D, R^2 0.998, "
                + "over 1k-20k hours.",
            s.metric(),
            s.points().size(),
            span,
            f.a(),
            f.b(),
            f.r2LogLinear(),
            f.c(),
            f.alpha(),
            f.r2Power()));
    List<List<String>> rows = new ArrayList<>();
    for (ScalingStudy.Point p : s.points()) {
      rows.add(
          List.of(
              p.run(),
              String.format("%.3f", p.hours()),
              Long.toString(p.frames()),
              String.format("%.5f", p.bestLoss()),
              Long.toString(p.bestStep()),
              String.format("%.5f", f.logLinear(p.hours()))));
    }
    html.table(
        List.of("run", "hours D", "frames", "best " + s.metric(), "at step", "log-linear fit"),
        rows);
    html.png(Files.readAllBytes(png), "best validation loss against hours with both fits");
    if (!r.downstream().isEmpty()) {
      html.heading(
          "Downstream: fine-tuned from each size, closed loop on seeds " + study.evalSeeds());
      List<List<String>> d = new ArrayList<>();
      for (Downstream x : r.downstream()) {
        d.add(
            List.of(
                Integer.toString(x.videoEpisodes()),
                String.format("%.3f", x.videoHours()),
                String.format("%.3f", x.outcome().meanMaxCoverage()),
                String.format("%.0f%%", 100 * x.outcome().successRate())));
      }
      html.table(List.of("video episodes", "hours", "mean max coverage", "success"), d);
      Downstream first = r.downstream().get(0),
          last = r.downstream().get(r.downstream().size() - 1);
      for (Downstream x : first == last ? List.of(first) : List.of(first, last)) {
        if (Files.isRegularFile(Path.of(x.clip()))) {
          html.video(
              Files.readAllBytes(Path.of(x.clip())),
              String.format(
                  "fine-tuned from %.3f h of video: seed %d, reality (left) and "
                      + "the dream (right)",
                  x.videoHours(), study.evalSeeds().first()));
        }
      }
    }
    html.heading("Pre-training config (datasetEpisodes varies per run)");
    html.code(AblationStudy.JSON.writeValueAsString(WamRun.toJson(study.pretrainConfig(0))));
    html.heading("Provenance");
    html.code(AblationStudy.JSON.writeValueAsString(provenance));
    html.write(out.resolve("scaling.html"));
  }
}
