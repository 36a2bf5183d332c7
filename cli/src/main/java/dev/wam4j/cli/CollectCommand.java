package dev.wam4j.cli;

import dev.wam4j.data.collect.SimCollect;
import dev.wam4j.eval.SeedRange;
import dev.wam4j.sim.Embodiment;
import dev.wam4j.sim.cousins.CousinConfig;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code wam4j sim collect}: expert episodes from the simulator, written as a LeRobot v3.0 dataset.
 */
@Command(
    name = "collect",
    mixinStandardHelpOptions = true,
    description =
        "Collect scripted-expert episodes in the simulator (robot or hand, optionally on digital cousins) "
            + "straight into a LeRobot v3.0 dataset; hand episodes carry observation.hand_pose.")
final class CollectCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--policy",
      description = "Policy to run; only 'expert' (default: ${DEFAULT-VALUE}).",
      defaultValue = "expert")
  String policy;

  @Option(
      names = "--embodiment",
      description = "robot or hand (default: ${DEFAULT-VALUE}).",
      defaultValue = "robot")
  String embodiment;

  @Option(
      names = "--cousins",
      description =
          "Cousin config: a JSON file or a built-in name ('wide', 'reference'); default: PushT itself.")
  String cousins;

  @Option(names = "--episodes", required = true, description = "Number of episodes.")
  int episodes;

  @Option(
      names = "--seed",
      description =
          "Seed of the first episode; episode i uses seed S + i (default: ${DEFAULT-VALUE}).",
      defaultValue = "0")
  long seed;

  @Option(
      names = "--codec",
      description = "av1 or h264 (default: ${DEFAULT-VALUE}).",
      defaultValue = "av1")
  String codec;

  @Option(
      names = "--out",
      required = true,
      description = "Dataset directory to create (must not exist).")
  Path out;

  @Option(names = "--json", description = "Print the result as JSON.")
  boolean json;

  /** The dataset collected: who acted, on which seeds, and how often the expert succeeded. */
  record Result(
      String dataset,
      String codebaseVersion,
      String policy,
      String embodiment,
      String cousins,
      String seeds,
      int totalEpisodes,
      long totalFrames,
      double successRate,
      List<Long> successSeeds,
      double seconds) {}

  @Override
  public Integer call() throws Exception {
    if (!policy.equals("expert"))
      throw new IllegalArgumentException(
          "--policy must be 'expert' (the only policy so far), got '" + policy + "'");
    Embodiment who =
        switch (embodiment) {
          case "robot" -> Embodiment.RobotPusher.reference();
          case "hand" -> Embodiment.HumanHand.standard();
          default ->
              throw new IllegalArgumentException(
                  "--embodiment must be robot or hand, got '" + embodiment + "'");
        };
    CousinConfig cfg =
        cousins == null
            ? null
            : switch (cousins) {
              case "reference" -> CousinConfig.reference();
              case "wide" -> CousinConfig.builtin("wide");
              default -> CousinConfig.load(Path.of(cousins));
            };
    SeedRange seeds = new SeedRange(seed, seed + Math.max(episodes, 1) - 1);
    SimCollect.Config config =
        new SimCollect.Config(
            who, cfg, episodes, seeds.first(), DatasetImportCommand.encoding(codec, null));
    Progress progress = new Progress(spec.commandLine().getErr(), "collect", episodes, "episodes");
    SimCollect.Result r = SimCollect.run(config, out, progress::update);
    progress.done();
    Result result =
        new Result(
            r.dataset().toString(),
            "v3.0",
            policy,
            who.id(),
            cousins,
            seeds.first() + ".." + seeds.last(),
            r.episodes(),
            r.frames(),
            r.successRate(),
            r.successSeeds(),
            r.seconds());
    PrintWriter o = spec.commandLine().getOut();
    if (json) {
      o.println(Json.result(result, spec));
    } else {
      o.printf(
          "collected %d %s episodes (%d frames, seeds %s) into %s in %.1f s; expert success %d/%d%n",
          r.episodes(),
          who.id(),
          r.frames(),
          result.seeds(),
          r.dataset(),
          r.seconds(),
          r.successSeeds().size(),
          r.episodes());
    }
    o.flush();
    return 0;
  }
}
