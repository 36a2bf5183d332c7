package dev.wam4j.cli;

import dev.wam4j.eval.turing.TuringJudge;
import dev.wam4j.eval.turing.TuringTest;
import dev.wam4j.sim.motion.MotionStyle;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code wam4j turing}: the physical Turing test's automatic judge, human demonstrations against
 * robot episodes from the same start states (docs/TURING.md).
 */
@Command(
    name = "turing",
    mixinStandardHelpOptions = true,
    description =
        "Can a judge tell the robot from the human? Human PushT demonstrations against robot episodes from the same"
            + " legacy resets, motion features, a cross-validated logistic regression: judge_roc_auc (0.5 = indistinguishable).")
final class TuringCommand implements Callable<Integer> {
  /** Features printed in text mode. */
  private static final int TOP = 5;

  @Spec CommandSpec spec;

  @Option(names = "--expert", description = "The robot is the scripted expert.")
  boolean expert;

  @Option(
      names = "--checkpoint",
      paramLabel = "DIR",
      description =
          "The robot is this checkpoint's policy (e.g. models/pusht-wam), planning as it ships, dreams off.")
  Path checkpoint;

  @Option(
      names = "--zarr",
      description =
          "Human demonstrations, a Diffusion Policy replay buffer (default: the full PushT demonstrations from WAM4J_DATA or the download cache, else the 25-episode sample in datasets/).")
  Path zarr;

  @Option(
      names = "--episodes",
      paramLabel = "N",
      description = "Only the first N demonstrations (default: all).",
      defaultValue = "0")
  int episodes;

  @Option(
      names = "--split",
      paramLabel = "all|validation|test",
      description =
          "Which demonstrations: all, the even-numbered (validation: tune anything meant to fool the judge on these) or the "
              + "odd-numbered (test: report once) (default: ${DEFAULT-VALUE}).",
      defaultValue = "all")
  String split;

  @Option(
      names = "--motion",
      paramLabel = "none|RESPONSE_S,MAX_SPEED",
      description =
          "How the robot's targets are followed: 'none' passes them through; '0.3,150' moves a hand towards each like a "
              + "person's mouse (critically damped spring of 0.3 s response, at most 150 px/s) (default: ${DEFAULT-VALUE}).",
      defaultValue = "none")
  String motion;

  @Option(
      names = "--folds",
      description =
          "Folds of the judge's cross-validation; a start state's human and robot episodes share a fold (default: ${DEFAULT-VALUE}).",
      defaultValue = "5")
  int folds;

  @Option(
      names = "--seed",
      description = "Seed of the fold split (default: ${DEFAULT-VALUE}).",
      defaultValue = "0")
  long seed;

  @Option(
      names = "--plots",
      paramLabel = "FILE.png",
      description =
          "Draw the four most separating features (people's and the robot's distributions) into this PNG.")
  Path plots;

  @Option(names = "--json", description = "Print the result as JSON.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    if (expert == (checkpoint != null))
      throw new IllegalArgumentException("choose the robot: --expert or --checkpoint DIR");
    if (checkpoint != null && !java.nio.file.Files.exists(checkpoint))
      throw new IllegalArgumentException(
          "--checkpoint " + checkpoint + ": no such file or directory");
    if (episodes < 0)
      throw new IllegalArgumentException("--episodes must be >= 0, got " + episodes);
    if (folds < 2) throw new IllegalArgumentException("--folds must be >= 2, got " + folds);
    PrintWriter out = spec.commandLine().getOut();
    Path path = zarr != null ? zarr : Paths.defaultPushTZarr(spec.commandLine().getErr());
    Progress progress = new Progress(spec.commandLine().getErr(), "turing", "episode pairs");
    TuringTest.Result r =
        TuringTest.run(
            new TuringTest.Config(path, episodes, folds, seed, checkpoint)
                .withSplit(TuringTest.Split.parse(split))
                .withMotion(MotionStyle.parse(motion))
                .withPlots(plots),
            progress::update);
    progress.done();
    if (json) {
      out.println(Json.result(r, spec));
    } else {
      out.printf(
          "judge_roc_auc   %.3f (0.5 = indistinguishable), %d-fold cross-validated%n",
          r.judgeRocAuc(), r.folds());
      out.printf(
          "  motion only   %.3f (without %s, which a robot takes from the human's episode length)%n",
          r.judgeRocAucMotionOnly(), String.join(" and ", TuringTest.BUDGET_FEATURES));
      out.printf("split           %s, motion %s%n", r.split().label(), r.motion());
      out.printf(
          "episodes        %d human, %d robot (%s; %d reached the goal); mean steps %.1f human, %.1f robot%n",
          r.episodesHuman(),
          r.episodesRobot(),
          r.robot(),
          r.robotSuccesses(),
          r.humanStepsMean(),
          r.robotStepsMean());
      if (r.plots() != null) out.printf("plots           %s%n", r.plots());
      out.println("features that separate them most (single-feature AUC for robot; means):");
      for (TuringJudge.Feature f : r.features().subList(0, Math.min(TOP, r.features().size())))
        out.printf(
            "  %-26s auc %.3f   human %10.3f   robot %10.3f%n",
            f.name(), f.auc(), f.humanMean(), f.robotMean());
    }
    out.flush();
    return 0;
  }
}
