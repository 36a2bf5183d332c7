package dev.wam4j.cli;

import dev.wam4j.cluster.SparkCollect;
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

  @Option(
      names = "--spark",
      paramLabel = "MASTER",
      description =
          "Collect on Apache Spark: local[N] (N task threads here) or spark://host:port (a standalone cluster "
              + "whose nodes have wam4j at the same path, or get it shipped with -Dwam4j.spark.shipJars=true). Each partition of seeds is collected into a partial "
              + "dataset in a hidden folder beside --out, which must be on storage every executor writes at the "
              + "same path; the driver merges them into ONE LeRobot v3.0 dataset at --out, with the plain run's "
              + "episodes (one data and one video file per partition). docs/CLUSTER.md")
  String spark;

  @Option(
      names = "--partitions",
      description =
          "With --spark: seed partitions (partial datasets); default 4 per task slot, at most one per episode.",
      defaultValue = "0")
  int partitions;

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
      double seconds,
      SparkCollect.Run spark) {}

  @Override
  public Integer call() throws Exception {
    if (!policy.equals("expert"))
      throw new IllegalArgumentException(
          "--policy must be 'expert' (the only policy so far), got '" + policy + "'");
    Embodiment who = SimCollect.embodiment(embodiment);
    CousinConfig cfg = cousins == null ? null : SimCollect.cousins(cousins);
    SeedRange seeds = new SeedRange(seed, seed + Math.max(episodes, 1) - 1);
    SimCollect.Config config =
        new SimCollect.Config(
            who, cfg, episodes, seeds.first(), DatasetImportCommand.encoding(codec, null));
    if (spark == null && partitions != 0)
      throw new IllegalArgumentException(
          "--partitions " + partitions + " is for --spark: add --spark MASTER or drop it");
    Progress progress = new Progress(spec.commandLine().getErr(), "collect", episodes, "episodes");
    SimCollect.Result r;
    SparkCollect.Run sparkRun = null;
    if (spark != null) {
      int[] done = {0};
      SparkCollect.Outcome outcome =
          SparkCollect.run(
              spark,
              SparkCollect.Job.of(embodiment, cousins, episodes, seeds.first(), config.encoding()),
              out,
              partitions,
              n -> {
                synchronized (done) {
                  progress.update(done[0] += n);
                }
              });
      r = outcome.result();
      sparkRun = outcome.spark();
    } else {
      r = SimCollect.run(config, out, progress::update);
    }
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
            r.seconds(),
            sparkRun);
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
      if (sparkRun != null)
        o.printf(
            "  spark %s: %d partitions on %d executor JVMs, merged in %.1f s%n",
            sparkRun.master(),
            sparkRun.partitions(),
            sparkRun.executors(),
            sparkRun.mergeSeconds());
    }
    o.flush();
    return 0;
  }
}
