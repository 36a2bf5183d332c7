package dev.wam4j.eval.study;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.wam4j.data.Provenance;
import dev.wam4j.eval.CheckpointEvaluator;
import dev.wam4j.eval.report.HtmlReport;
import dev.wam4j.eval.report.ReportFiles;
import dev.wam4j.model.chart.LineChart;
import dev.wam4j.model.wam.WamConfig;
import dev.wam4j.model.wam.WamRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Does pre-training on human video cut the robot data needed? For each K in the study's {@code
 * episodes}, fine-tunes on the first K robot episodes twice — from fresh weights and from the
 * stage-1 checkpoint — once per training seed of the study ({@code trainingSeeds}), and evaluates
 * each closed loop (Diffusion Policy protocol); each arm's mean over seeds carries its standard
 * error. Writes {@code ablation.json}, {@code ablation.png} and {@code ablation.html} after every
 * finished cell, so a long study shows its progress and a killed one loses at most the cell in
 * flight (rerun: finished runs are reused, the one in flight resumes).
 */
public final class AblationStudy {
  static final ObjectMapper JSON =
      new ObjectMapper()
          .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
          .enable(SerializationFeature.INDENT_OUTPUT);

  /** One run: K robot episodes, with or without pre-training, one training seed. */
  public record Cell(
      int robotEpisodes,
      boolean pretrained,
      long trainingSeed,
      String init,
      RunOutcome outcome,
      String clip) {}

  /**
   * One arm at one K over its training seeds: the mean of the runs' closed-loop figures and its
   * standard error (sample standard deviation over the runs / sqrt(runs); NaN for a single run).
   */
  public record Arm(
      int robotEpisodes,
      boolean pretrained,
      int runs,
      double meanMaxCoverage,
      double meanMaxCoverageStandardError,
      double successRate,
      double successRateStandardError) {
    static Arm of(List<Cell> cells) {
      double[] cov = cells.stream().mapToDouble(c -> c.outcome().meanMaxCoverage()).toArray();
      double[] suc = cells.stream().mapToDouble(c -> c.outcome().successRate()).toArray();
      return new Arm(
          cells.get(0).robotEpisodes(),
          cells.get(0).pretrained(),
          cells.size(),
          mean(cov),
          standardError(cov),
          mean(suc),
          standardError(suc));
    }
  }

  /**
   * The runs so far, in order (K ascending; fresh weights, then pre-trained; seeds in the study's
   * order), and their arms.
   */
  public record Result(String studyFile, String pretrained, List<Cell> cells) {
    /** The arms of the runs so far, in the cells' order. */
    @JsonProperty("arms")
    public List<Arm> arms() {
      Map<String, List<Cell>> byArm = new LinkedHashMap<>();
      for (Cell c : cells)
        byArm
            .computeIfAbsent(c.robotEpisodes() + "/" + c.pretrained(), k -> new ArrayList<>())
            .add(c);
      return byArm.values().stream().map(Arm::of).toList();
    }
  }

  private AblationStudy() {}

  /**
   * Runs (or continues) the study in {@code out}.
   *
   * @param provenance echoed into the JSON (what produced it)
   * @param log progress lines
   */
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
    if (study.finetune() == null)
      throw new IllegalArgumentException(
          study.file() + ": the ablation needs the field 'finetune'");
    if ((study.pretrain() == null) == (study.pretrainCheckpoint() == null)) {
      throw new IllegalArgumentException(
          study.file()
              + ": the ablation needs exactly one of 'pretrain' (a stage-1 config to train) "
              + "and 'pretrainCheckpoint' (an existing stage-1 checkpoint)");
    }
    List<Integer> ks = study.episodes();
    StudyRuns.requireEpisodes(
        study, "finetune", study.finetuneConfig(ks.get(0), null).dataset(), ks.get(ks.size() - 1));
    Files.createDirectories(out);
    StudyRuns runs = new StudyRuns(log, evaluator);
    Path init;
    if (study.pretrain() != null) {
      init = out.resolve("pretrain");
      runs.train("pretrain", study.pretrainConfig(0), WamRun.Stage.PRETRAIN, init);
    } else {
      init = Path.of(study.pretrainCheckpoint());
      if (!Files.exists(init))
        throw new IllegalArgumentException(
            study.file() + ": pretrainCheckpoint " + init + " does not exist");
    }
    // no trainingSeeds: one run per cell with the config's own seed, named as before the field
    // existed
    List<Long> seeds =
        study.trainingSeeds().isEmpty()
            ? java.util.Collections.singletonList(null)
            : study.trainingSeeds();
    List<Cell> cells = new ArrayList<>();
    Result result = new Result(study.file().toString(), init.toString(), cells);
    for (int k : study.episodes()) {
      for (boolean pretrained : new boolean[] {false, true}) {
        for (Long seed : seeds) {
          String name =
              "k"
                  + k
                  + (pretrained ? "-pretrained" : "-scratch")
                  + (seed == null ? "" : "-seed" + seed);
          WamConfig c = study.finetuneConfig(k, pretrained ? init : null, seed);
          Path dir = out.resolve(name);
          runs.train(name, c, WamRun.Stage.FINETUNE, dir);
          RunOutcome outcome = runs.evaluate(name, dir, study.evalSeeds());
          cells.add(
              new Cell(
                  k,
                  pretrained,
                  c.seed(),
                  c.init(),
                  outcome,
                  runs.clip(name, dir, study.evalSeeds()).toString()));
          write(result, study, out, provenance);
        }
      }
    }
    return result;
  }

  /**
   * What {@code ablation.json} holds: the study, its runs so far and what produced them.
   *
   * @param study always "ablation"
   * @param evalSeeds the closed-loop evaluation seeds, as a range
   * @param finetuneConfig the fine-tuning config of the first cell (the others differ in episodes,
   *     init and seed)
   */
  record AblationFile(
      String study,
      String studyFile,
      String pretrainedCheckpoint,
      String evalSeeds,
      List<Long> trainingSeeds,
      List<Arm> arms,
      List<Cell> cells,
      JsonNode finetuneConfig,
      Provenance provenance) {}

  private static void write(Result r, StudyConfig study, Path out, Provenance provenance)
      throws IOException {
    AblationFile json =
        new AblationFile(
            "ablation",
            r.studyFile(),
            r.pretrained(),
            study.evalSeeds().toString(),
            study.trainingSeeds(),
            r.arms(),
            r.cells(),
            WamRun.toJson(study.finetuneConfig(study.episodes().get(0), null)),
            provenance);
    ReportFiles.write(out.resolve("ablation.json"), JSON.writeValueAsString(json));
    byte[] png = chart(r);
    ReportFiles.write(out.resolve("ablation.png"), png);
    HtmlReport html = new HtmlReport("Ablation: human-video pre-training vs robot episodes");
    html.paragraph(
        "Each cell fine-tunes the world action model on the first K robot episodes, from fresh weights or from the stage-1 "
            + "checkpoint "
            + r.pretrained()
            + ", then evaluates it closed loop on seeds "
            + study.evalSeeds()
            + " (Diffusion Policy protocol: success = coverage > 0.95; score = mean over episodes of the best min(coverage/0.95, 1))"
            + (study.trainingSeeds().isEmpty()
                ? "."
                : ", once per training seed "
                    + study.trainingSeeds()
                    + "; an arm's standard error is over its seeds."));
    List<List<String>> armRows = new ArrayList<>();
    for (Arm a : r.arms()) {
      armRows.add(
          List.of(
              Integer.toString(a.robotEpisodes()),
              a.pretrained() ? "yes" : "no",
              Integer.toString(a.runs()),
              withError(a.meanMaxCoverage(), a.meanMaxCoverageStandardError(), "%.3f"),
              withError(100 * a.successRate(), 100 * a.successRateStandardError(), "%.1f%%")));
    }
    html.table(
        List.of(
            "robot episodes K",
            "pre-trained",
            "training seeds",
            "mean max coverage ± s.e.",
            "success ± s.e."),
        armRows);
    List<List<String>> rows = new ArrayList<>();
    for (Cell c : r.cells()) {
      RunOutcome o = c.outcome();
      rows.add(
          List.of(
              Integer.toString(c.robotEpisodes()),
              c.pretrained() ? "yes" : "no",
              Long.toString(c.trainingSeed()),
              String.format("%.3f", o.meanMaxCoverage()),
              String.format(
                  "%.0f%% (%d/%d)",
                  100 * o.successRate(), Math.round(o.successRate() * o.episodes()), o.episodes()),
              Long.toString(o.step()),
              String.format("%.1f", o.trainSeconds() / 60),
              o.run()));
    }
    html.table(
        List.of(
            "robot episodes K",
            "pre-trained",
            "training seed",
            "mean max coverage",
            "success",
            "steps",
            "train min",
            "run"),
        rows);
    html.png(png, "mean max coverage and success rate against robot episodes");
    int largest = r.cells().get(r.cells().size() - 1).robotEpisodes();
    for (Cell c : r.cells()) {
      if (c.robotEpisodes() == largest && Files.isRegularFile(Path.of(c.clip()))) {
        html.video(
            Files.readAllBytes(Path.of(c.clip())),
            "K = "
                + largest
                + (c.pretrained() ? ", pre-trained" : ", fresh weights")
                + ": seed "
                + study.evalSeeds().first()
                + ", reality (left) and the dream (right)");
      }
    }
    html.heading("Fine-tuning config (K and init vary per cell)");
    html.code(
        JSON.writeValueAsString(
            WamRun.toJson(study.finetuneConfig(study.episodes().get(0), null))));
    html.heading("Provenance");
    html.code(JSON.writeValueAsString(provenance));
    html.write(out.resolve("ablation.html"));
  }

  static byte[] chart(Result r) {
    LineChart chart =
        new LineChart(
                "Closed-loop score vs robot episodes",
                "robot episodes K",
                "mean max coverage / success rate")
            .withLogX();
    for (boolean pretrained : new boolean[] {false, true}) {
      List<Arm> arm = r.arms().stream().filter(a -> a.pretrained() == pretrained).toList();
      double[] k = arm.stream().mapToDouble(Arm::robotEpisodes).toArray();
      String label = pretrained ? "pre-trained" : "fresh weights";
      chart.series(
          "coverage, " + label, k, arm.stream().mapToDouble(Arm::meanMaxCoverage).toArray());
      chart.curve("success, " + label, k, arm.stream().mapToDouble(Arm::successRate).toArray());
    }
    return chart.png();
  }

  static double mean(double[] x) {
    double s = 0;
    for (double v : x) s += v;
    return s / x.length;
  }

  /** Sample standard deviation / sqrt(n); NaN below two values. */
  static double standardError(double[] x) {
    if (x.length < 2) return Double.NaN;
    double m = mean(x), ss = 0;
    for (double v : x) ss += (v - m) * (v - m);
    return Math.sqrt(ss / (x.length - 1) / x.length);
  }

  private static String withError(double value, double error, String format) {
    return String.format(format, value)
        + (Double.isNaN(error) ? "" : " ± " + String.format(format, error));
  }
}
