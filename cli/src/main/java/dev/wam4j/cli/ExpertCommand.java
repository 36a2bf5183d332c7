package dev.wam4j.cli;

import dev.wam4j.eval.SeedRange;
import dev.wam4j.sim.Embodiment;
import dev.wam4j.sim.expert.ExpertEvaluation;
import dev.wam4j.sim.scene.Scene;
import dev.wam4j.sim.scene.SceneFile;
import dev.wam4j.sim.scene.Scenes;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code wam4j sim expert}: success rate of the scripted expert from legacy resets. */
@Command(
    name = "expert",
    mixinStandardHelpOptions = true,
    description = "Run the scripted PushT expert from legacy resets and report its success rate.")
final class ExpertCommand implements Callable<Integer> {
  /** Actions per plan with --pose-noise: the world action model's chunk. */
  private static final int HORIZON = 16;

  @Spec CommandSpec spec;

  @Option(
      names = "--embodiment",
      description =
          "robot, hand or both (default: the scene file's embodiment; both for built-in scenes).")
  String embodiment;

  @Option(
      names = "--seeds",
      description = "Seeds A..B, inclusive (default: ${DEFAULT-VALUE}).",
      defaultValue = "0..99")
  String seeds;

  @Option(
      names = "--scene",
      description =
          "Scene file (JSON) or built-in name: pusht, cousin_l, cousin_i, cousin_plus (default: ${DEFAULT-VALUE}).",
      defaultValue = "pusht")
  String scene;

  @Option(
      names = "--pose-noise",
      paramLabel = "PX,DEG",
      split = ",",
      description =
          "Plan 16-action chunks from a perceived block pose with this Gaussian noise (workspace px per axis, degrees), "
              + "executing --execute-steps of each: the best a student that imitates the expert but sees this precisely can do.")
  double[] poseNoise;

  @Option(
      names = "--execute-steps",
      paramLabel = "N",
      description = "With --pose-noise: actions executed per plan, 1..16 (default: 8).")
  Integer executeSteps;

  @Option(names = "--json", description = "Print JSON with the per-seed list.")
  boolean json;

  /** Every embodiment's run (--json). */
  record Experts(List<ExpertEvaluation.Summary> experts) {}

  @Override
  public Integer call() throws java.io.IOException {
    SeedRange range = SeedRange.parse(seeds, "--seeds");
    boolean builtin = Scenes.names().contains(scene);
    SceneFile file =
        builtin ? Scenes.builtinFile(scene) : SceneFile.load(java.nio.file.Path.of(scene));
    Scene sceneToRun = file.scene();
    String which0 = embodiment != null ? embodiment : builtin ? "both" : file.embodiment().id();
    List<Embodiment> which =
        switch (which0) {
          case "both" ->
              List.of(Embodiment.RobotPusher.reference(), Embodiment.HumanHand.standard());
          default -> List.of(Embodiment.parse(which0));
        };
    ExpertEvaluation.Perception perception = null;
    if (poseNoise == null && executeSteps != null)
      throw new IllegalArgumentException(
          "--execute-steps needs --pose-noise (the expert otherwise acts every step)");
    if (poseNoise != null) {
      if (poseNoise.length != 2)
        throw new IllegalArgumentException(
            "--pose-noise takes PX,DEG (two numbers), got " + poseNoise.length);
      int execute = executeSteps == null ? 8 : executeSteps;
      if (execute < 1 || execute > HORIZON)
        throw new IllegalArgumentException(
            "--execute-steps must lie in 1.." + HORIZON + ", got " + execute);
      if (!(poseNoise[0] >= 0) || !(poseNoise[1] >= 0))
        throw new IllegalArgumentException(
            "--pose-noise values must be >= 0, got " + poseNoise[0] + "," + poseNoise[1]);
      perception = new ExpertEvaluation.Perception(poseNoise[0], poseNoise[1], HORIZON, execute, 0);
    }
    PrintWriter out = spec.commandLine().getOut();
    List<ExpertEvaluation.Summary> results =
        ExpertEvaluation.summarize(
            sceneToRun,
            which,
            range.first(),
            range.count(),
            perception,
            r -> {
              if (json) return;
              ExpertEvaluation.Perception p = r.perception();
              if (p != null) {
                out.printf(
                    "chunks of %d planned from a block pose perceived with noise %.1f px, %.1f deg; %d executed per plan%n",
                    p.horizon(), p.blockNoisePixels(), p.blockNoiseDegrees(), p.executeSteps());
              }
              out.printf(
                  "%s %-5s seeds %s: success %.1f%% (%d/%d), mean max coverage %.3f, failed %s%n",
                  r.scene(),
                  r.embodiment(),
                  r.seeds(),
                  100 * r.successRate(),
                  r.successes(),
                  r.episodes(),
                  r.meanMaxCoverage(),
                  r.failedSeeds());
              out.flush();
            });
    if (json) out.println(Json.result(new Experts(results), spec));
    out.flush();
    return 0;
  }
}
