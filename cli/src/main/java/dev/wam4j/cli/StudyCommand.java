package dev.wam4j.cli;

import dev.wam4j.cluster.SparkEvaluation;
import dev.wam4j.data.Provenance;
import dev.wam4j.eval.CheckpointEvaluator;
import dev.wam4j.eval.study.AblationStudy;
import dev.wam4j.eval.study.ScalingFit;
import dev.wam4j.eval.study.ScalingPlot;
import dev.wam4j.eval.study.ScalingStudy;
import dev.wam4j.eval.study.ScalingSweep;
import dev.wam4j.eval.study.StudyConfig;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code wam4j study}: measure wam4j's claims from training runs. */
@Command(
    name = "study",
    mixinStandardHelpOptions = true,
    description = "Measure the claims from training runs.",
    subcommands = {
      StudyCommand.AblationCommand.class,
      StudyCommand.ScalingCommand.class,
      StudyCommand.ScalingFitCommand.class
    })
final class StudyCommand {
  /** Options and the run loop shared by the studies that train. */
  abstract static class TrainingStudy implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(
        names = "--config",
        required = true,
        paramLabel = "FILE",
        description = "Study file (JSON; see docs/STUDIES.md).")
    Path config;

    @Option(
        names = "--out",
        paramLabel = "DIR",
        description =
            "Study folder (default: runs/<study file name without .json>). Rerun "
                + "the same command to continue: finished runs are reused, an interrupted one resumes.")
    Path out;

    @Option(names = "--json", description = "Print the result as JSON.")
    boolean json;

    @Option(
        names = "--spark",
        paramLabel = "MASTER",
        description =
            "Run the closed-loop evaluations on Apache Spark: local[N] or spark://host:port (nodes need wam4j and "
                + "the study folder at the same paths). Training stays here: a study is training-bound, only its "
                + "evaluations spread over executors (one policy thread each). docs/CLUSTER.md")
    String spark;

    @Override
    public Integer call() throws Exception {
      StudyConfig study = StudyConfig.load(config);
      Path dir =
          out != null
              ? out
              : Path.of("runs", config.getFileName().toString().replaceFirst("\\.json$", ""));
      Consumer<String> log = minuteLog(spec.commandLine().getErr());
      Object result = run(study, dir, Json.provenance(spec), log, evaluator(spark));
      PrintWriter o = spec.commandLine().getOut();
      if (json) o.println(Json.result(result, spec));
      else summary(o, result, dir);
      o.flush();
      return 0;
    }

    abstract Object run(
        StudyConfig study,
        Path dir,
        Provenance provenance,
        Consumer<String> log,
        CheckpointEvaluator evaluator)
        throws Exception;

    abstract void summary(PrintWriter o, Object result, Path dir);
  }

  /** {@code wam4j study ablation}. */
  @Command(
      name = "ablation",
      mixinStandardHelpOptions = true,
      description =
          "Does human-video pre-training cut the robot data needed? Fine-tunes on the first K robot episodes for each K of "
              + "the study's 'episodes', from fresh weights and from the stage-1 checkpoint, evaluates each closed loop; writes "
              + "ablation.json, ablation.png and ablation.html in the study folder.")
  static final class AblationCommand extends TrainingStudy {
    @Override
    Object run(
        StudyConfig study,
        Path dir,
        Provenance provenance,
        Consumer<String> log,
        CheckpointEvaluator evaluator)
        throws Exception {
      return AblationStudy.run(study, dir, provenance, log, evaluator);
    }

    @Override
    void summary(PrintWriter o, Object result, Path dir) {
      o.printf(
          "%-6s %-12s %6s %18s %18s%n",
          "K", "pre-trained", "runs", "coverage (s.e.)", "success (s.e.)");
      for (AblationStudy.Arm a : ((AblationStudy.Result) result).arms()) {
        boolean one = a.runs() < 2; // no standard error from a single run
        o.printf(
            "%-6d %-12s %6d %10.3f %-7s %9.1f%% %s%n",
            a.robotEpisodes(),
            a.pretrained() ? "yes" : "no",
            a.runs(),
            a.meanMaxCoverage(),
            one ? "" : String.format("(%.3f)", a.meanMaxCoverageStandardError()),
            100 * a.successRate(),
            one ? "" : String.format("(%.1f)", 100 * a.successRateStandardError()));
      }
      o.printf("report: %s%n", dir.resolve("ablation.html"));
    }
  }

  /** {@code wam4j study scaling}. */
  @Command(
      name = "scaling",
      mixinStandardHelpOptions = true,
      description =
          "The scaling law of pre-training: pre-trains on the first N video episodes for each N of the study's 'episodes', "
              + "fits L = a - b ln D and L = c D^-alpha to the best validation loss against hours D, and (with a 'finetune' config) "
              + "fine-tunes and evaluates from each size; writes scaling.json, scaling.png and scaling.html.")
  static final class ScalingCommand extends TrainingStudy {
    @Override
    Object run(
        StudyConfig study,
        Path dir,
        Provenance provenance,
        Consumer<String> log,
        CheckpointEvaluator evaluator)
        throws Exception {
      return ScalingSweep.run(study, dir, provenance, log, evaluator);
    }

    @Override
    void summary(PrintWriter o, Object result, Path dir) {
      ScalingSweep.Result r = (ScalingSweep.Result) result;
      ScalingFit f = r.fit().fit();
      for (ScalingStudy.Point p : r.fit().points()) {
        o.printf(
            "  %-8s %7.3f h  best %s %.5f at step %d%n",
            p.run(), p.hours(), r.fit().metric(), p.bestLoss(), p.bestStep());
      }
      o.printf(
          "L = %.5f - %.5f ln D (R^2 %.3f);  L = %.5f D^-%.4f (R^2 %.3f)%n",
          f.a(), f.b(), f.r2LogLinear(), f.c(), f.alpha(), f.r2Power());
      for (ScalingSweep.Downstream d : r.downstream()) {
        o.printf(
            "  downstream from %.3f h: coverage %.3f, success %.0f%%%n",
            d.videoHours(), d.outcome().meanMaxCoverage(), 100 * d.outcome().successRate());
      }
      o.printf("report: %s%n", dir.resolve("scaling.html"));
    }
  }

  /** {@code wam4j study scaling-fit}: the scaling law from finished stage-1 runs. */
  @Command(
      name = "scaling-fit",
      mixinStandardHelpOptions = true,
      description =
          "Fit L = a - b ln D and L = c D^-alpha to the best validation loss of stage-1 runs against the hours "
              + "of video D each trained on; writes scaling.json and scaling.png.")
  static final class ScalingFitCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(
        names = "--runs",
        required = true,
        split = ",",
        paramLabel = "DIR",
        description = "Training run directories, comma separated.")
    List<Path> runs;

    @Option(
        names = "--metric",
        description =
            "log.csv column minimised (default: ${DEFAULT-VALUE}: the world model's loss on held-out video).",
        defaultValue = "val_video")
    String metric;

    @Option(
        names = "--out",
        description = "Output folder (default: ${DEFAULT-VALUE}).",
        defaultValue = "out/study-scaling")
    Path out;

    @Option(names = "--json", description = "Print the result as JSON.")
    boolean json;

    /** L = a - b ln D and its R^2. */
    record LogLinear(double a, double b, double r2) {}

    /** L = c D^-alpha and its R^2. */
    record PowerLaw(double c, double alpha, double r2) {}

    /**
     * Both laws fitted to the runs' points, the ratio of the largest to the smallest hours, and the
     * plot (scaling.json).
     */
    record Fit(
        String metric,
        List<ScalingStudy.Point> points,
        LogLinear logLinear,
        PowerLaw powerLaw,
        double span,
        String plot) {}

    @Override
    public Integer call() throws Exception {
      ScalingStudy.Result r = ScalingStudy.fromRuns(runs, metric);
      Files.createDirectories(out);
      Path png = out.resolve("scaling.png");
      ScalingPlot.write(r, png);
      double span = r.span();
      ScalingFit f = r.fit();
      Fit m =
          new Fit(
              r.metric(),
              r.points(),
              new LogLinear(f.a(), f.b(), f.r2LogLinear()),
              new PowerLaw(f.c(), f.alpha(), f.r2Power()),
              span,
              png.toString());
      String text = Json.result(m, spec);
      Json.writeFile(out.resolve("scaling.json"), text);
      PrintWriter o = spec.commandLine().getOut();
      if (json) {
        o.println(text);
      } else {
        for (ScalingStudy.Point p : r.points()) {
          o.printf(
              "  %-20s %7.3f h  best %s %.5f at step %d%n",
              p.run(), p.hours(), metric, p.bestLoss(), p.bestStep());
        }
        o.printf(
            "L = %.5f - %.5f ln D (R^2 %.3f);  L = %.5f D^-%.4f (R^2 %.3f); %d runs spanning %.0fx; %s%n",
            f.a(),
            f.b(),
            f.r2LogLinear(),
            f.c(),
            f.alpha(),
            f.r2Power(),
            r.points().size(),
            span,
            png);
      }
      o.flush();
      return 0;
    }
  }

  /** Progress lines on stderr, each stamped with the minutes since the command started. */
  static Consumer<String> minuteLog(PrintWriter err) {
    long t0 = System.nanoTime();
    return line -> {
      err.printf("[%6.1f min] %s%n", (System.nanoTime() - t0) / 60e9, line);
      err.flush();
    };
  }

  /** Where closed-loop evaluations run: here, or on Spark when a master is given. */
  static CheckpointEvaluator evaluator(String sparkMaster) {
    return sparkMaster == null
        ? CheckpointEvaluator.local()
        : SparkEvaluation.evaluator(sparkMaster, 1, null);
  }
}
