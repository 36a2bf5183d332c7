package dev.wam4j.cli;

import dev.wam4j.eval.SeedRange;
import dev.wam4j.model.wam.WamTrainer;
import dev.wam4j.rl.dagger.Dagger;
import dev.wam4j.rl.dagger.DaggerConfig;
import dev.wam4j.rl.ppo.Ppo;
import dev.wam4j.rl.ppo.PpoBench;
import dev.wam4j.rl.ppo.PpoConfig;
import dev.wam4j.rl.ppo.PpoPolicy;
import dev.wam4j.rl.ppo.SteerConfig;
import dev.wam4j.sim.expert.ExpertEvaluation;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code wam4j rl}: policy improvement in the simulator. */
@Command(
    name = "rl",
    mixinStandardHelpOptions = true,
    description =
        "Improve a policy in the simulator: 'train' runs PPO on the simulator's privileged state (a state-based teacher); "
            + "'steer' runs PPO on the world action model itself, steering its frozen flow head from what it sees; "
            + "'dagger' rolls the student out, labels every state it visits with the scripted expert's action chunk, aggregates and retrains, "
            + "round after round.",
    subcommands = {
      RlCommand.TrainCommand.class,
      RlCommand.EvalCommand.class,
      RlCommand.BenchCommand.class,
      RlCommand.DaggerCommand.class,
      RlSteerCommand.TrainCommand.class,
      RlSteerCommand.ExportCommand.class
    })
final class RlCommand {
  /** A progress bar over a PPO run's updates, and a line when it resumes. */
  static Ppo.Listener progress(PrintWriter err, String label) {
    return new Ppo.Listener() {
      Progress bar;

      @Override
      public void resumed(long update) {
        err.printf("resuming after update %d%n", update);
        err.flush();
      }

      @Override
      public void update(Ppo.UpdateStats s, long total) {
        if (bar == null) bar = new Progress(err, label, total, "updates");
        bar.update(
            s.update(),
            String.format(
                "%.2fM steps, %.0f steps/s, success %.2f, coverage %.2f ",
                s.envSteps() / 1e6, s.stepsPerSecond(), s.successRate(), s.meanFinalCoverage()));
        if (s.update() == total) bar.done();
      }
    };
  }

  @Command(
      name = "eval",
      mixinStandardHelpOptions = true,
      description =
          "Evaluates a PPO run's newest checkpoint (its mean action) on legacy-reset seeds, in its scene or another.")
  static final class EvalCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(
        names = "--checkpoint",
        required = true,
        description = "A PPO run folder (rl train --out).")
    Path checkpoint;

    @Option(
        names = "--seeds",
        description =
            "Seeds A..B (default: ${DEFAULT-VALUE}, validation; the protocol's are 100000..100049).",
        defaultValue = "200000..200099")
    String seeds;

    @Option(
        names = "--scene",
        description = "A built-in scene name or a scene file (default: the run's scene).")
    String scene;

    @Option(names = "--json", description = "Print the result as JSON.")
    boolean json;

    /** The run's newest checkpoint on the seeds: which update, in which scene, how it did. */
    record Evaluation(
        String checkpoint,
        long update,
        String scene,
        String seeds,
        int episodes,
        double successRate,
        double meanMaxCoverage,
        List<ExpertEvaluation.Episode> perSeed) {}

    @Override
    public Integer call() throws Exception {
      SeedRange range = SeedRange.parse(seeds, "--seeds");
      PpoPolicy.Evaluation e = PpoPolicy.evaluate(checkpoint, scene, range.first(), range.count());
      Evaluation result =
          new Evaluation(
              checkpoint.toString(),
              e.update(),
              e.scene(),
              range.toString(),
              e.perSeed().size(),
              e.successRate(),
              e.meanMaxCoverage(),
              e.perSeed());
      PrintWriter o = spec.commandLine().getOut();
      if (json) o.println(Json.result(result, spec));
      else
        o.printf(
            "%s (update %d) on %s, seeds %s: success %.1f%% (%d/%d), mean max coverage %.3f%n",
            checkpoint,
            e.update(),
            e.scene(),
            range,
            100 * e.successRate(),
            e.successes(),
            e.perSeed().size(),
            e.meanMaxCoverage());
      o.flush();
      return 0;
    }
  }

  @Command(
      name = "bench",
      mixinStandardHelpOptions = true,
      description =
          "Throughput of the PPO loop against the raw simulator, side by side, per thread count.")
  static final class BenchCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--config", description = "PPO config (JSON; default: the defaults).")
    Path config;

    @Option(
        names = "--threads",
        split = ",",
        description = "Thread counts (default: ${DEFAULT-VALUE}).",
        defaultValue = "1,2")
    int[] threads;

    @Option(
        names = "--steer",
        paramLabel = "FILE",
        description =
            "Time the steering loop of this rl steer config instead (the model "
                + "engine's threads are fixed per process: one --threads count).")
    Path steer;

    @Option(
        names = "--updates",
        description =
            "Timed updates per thread count, after one untimed (default: ${DEFAULT-VALUE}).",
        defaultValue = "5")
    int updates;

    @Option(names = "--json", description = "Print the result as JSON.")
    boolean json;

    /**
     * Throughput per thread count, of the timed updates, for the config timed (a PpoConfig, or a
     * SteerConfig with --steer).
     */
    record Bench(List<PpoBench.Row> rows, int updates, Record config) {}

    @Override
    public Integer call() throws Exception {
      Record c;
      List<PpoBench.Row> rows;
      if (steer != null) {
        if (config != null)
          throw new IllegalArgumentException("--steer times a steering config: drop --config");
        boolean given = spec.commandLine().getParseResult().hasMatchedOption("--threads");
        if (given && threads.length != 1) {
          throw new IllegalArgumentException(
              "--steer: one --threads count per process (the model engine's threads are fixed at start)");
        }
        SteerConfig sc = SteerConfig.load(steer);
        c = sc;
        rows = List.of(PpoBench.steer(sc, given ? threads[0] : 1, updates));
      } else {
        PpoConfig pc = config == null ? PpoConfig.defaults() : PpoConfig.load(config);
        c = pc;
        rows = PpoBench.run(pc, threads, updates);
      }
      Bench result = new Bench(rows, updates, c);
      PrintWriter o = spec.commandLine().getOut();
      if (json) {
        o.println(Json.result(result, spec));
      } else {
        o.printf(
            "%-8s %6s %14s %14s %16s %10s%n",
            "threads", "envs", "raw steps/s", "loop steps/s", "rollout steps/s", "loop/raw");
        for (PpoBench.Row r : rows) {
          o.printf(
              "%-8d %6d %14.0f %14.0f %16.0f %9.1f%%%n",
              r.threads(),
              r.envs(),
              r.rawStepsPerSecond(),
              r.loopStepsPerSecond(),
              r.rolloutStepsPerSecond(),
              100 * r.loopShareOfRaw());
        }
      }
      o.flush();
      return 0;
    }
  }

  @Command(
      name = "train",
      mixinStandardHelpOptions = true,
      description = {
        "PPO on PushT's privileged state (agent, block pose, goal), CleanRL-style (docs/RL.md).",
        "Writes <out>/ppo.json, log.csv, curves.png and checkpoints/; rerun the same command to resume."
      })
  static final class TrainCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(
        names = "--config",
        description =
            "PPO config (JSON); its fields override the defaults (default: the defaults alone).")
    Path config;

    @Option(
        names = "--out",
        description = "Run folder (default: runs/<config file name without .json>, or runs/ppo).")
    Path out;

    @Option(
        names = "--threads",
        description = "Worker threads (default: the config's; the result does not depend on it).")
    Integer threads;

    @Option(names = "--json", description = "Print the result as JSON.")
    boolean json;

    /**
     * The PPO run: its folder, how far it got, its last update's statistics and the config it ran.
     */
    record Training(
        String run,
        long updates,
        long envSteps,
        double seconds,
        Ppo.UpdateStats last,
        PpoConfig config) {}

    @Override
    public Integer call() throws Exception {
      PpoConfig c = config == null ? PpoConfig.defaults() : PpoConfig.load(config);
      if (threads != null) c = c.withThreads(threads);
      Path dir =
          out != null
              ? out
              : Path.of(
                  "runs",
                  config == null
                      ? "ppo"
                      : config.getFileName().toString().replaceFirst("\\.json$", ""));
      Ppo.Result r = Ppo.train(c, dir, progress(spec.commandLine().getErr(), "ppo"));
      Training result =
          new Training(r.dir().toString(), r.updates(), r.envSteps(), r.seconds(), r.last(), c);
      PrintWriter o = spec.commandLine().getOut();
      if (json) {
        o.println(Json.result(result, spec));
      } else {
        Ppo.UpdateStats s = r.last();
        o.printf(
            "%d updates, %.1fM env steps in %.1f min; last update: success %.3f, final coverage %.3f, %.0f steps/s%n",
            r.updates(),
            r.envSteps() / 1e6,
            r.seconds() / 60,
            s.successRate(),
            s.meanFinalCoverage(),
            s.stepsPerSecond());
        o.printf("run %s (log.csv, curves.png, checkpoints/)%n", r.dir());
      }
      o.flush();
      return 0;
    }
  }

  @Command(
      name = "dagger",
      mixinStandardHelpOptions = true,
      description = {
        "DAgger with the simulator's expert as teacher, on the world action model (docs/TRAINING.md).",
        "Writes <out>/dagger.json and per round round-NN/{data,train,round.json}; rerun the same command to resume."
      })
  static final class DaggerCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(
        names = "--config",
        required = true,
        description =
            "DAgger config (JSON): 'train' names a train finetune config; see docs/TRAINING.md.")
    Path config;

    @Option(
        names = "--out",
        description = "Run folder (default: runs/<config file name without .json>).")
    Path out;

    @Option(names = "--json", description = "Print the result as JSON.")
    boolean json;

    /**
     * The DAgger run: its folder, the last round's checkpoint, the compute, every round and the
     * config it ran.
     */
    record Run(
        String run,
        String checkpoint,
        double seconds,
        List<Dagger.Round> rounds,
        DaggerConfig config) {}

    @Override
    public Integer call() throws Exception {
      DaggerConfig c = Dagger.loadConfig(config);
      Path dir =
          out != null
              ? out
              : Path.of("runs", config.getFileName().toString().replaceFirst("\\.json$", ""));
      PrintWriter err = spec.commandLine().getErr();
      Dagger.Result r =
          Dagger.run(
              c,
              dir,
              new Dagger.Listener() {
                Progress bar;

                @Override
                public void roundStarted(int round, double beta) {
                  err.printf(
                      "round %d: beta %.3f, rolling out %d episodes%n",
                      round, beta, c.episodesPerRound());
                  err.flush();
                  bar =
                      new Progress(
                          err, "round " + round + " rollouts", c.episodesPerRound(), "episodes");
                }

                @Override
                public void collected(int round, int episodes) {
                  bar.update(episodes);
                  if (episodes == c.episodesPerRound()) {
                    bar.done();
                    bar = null;
                  }
                }

                @Override
                public void step(long step, long total, WamTrainer.Losses l) {
                  if (bar == null) bar = new Progress(err, "train", total, "steps");
                  bar.update(
                      step, String.format("loss %.4f (action %.4f) ", l.total(), l.action()));
                }

                @Override
                public void roundDone(Dagger.Round round) {
                  if (bar != null) bar.done();
                  bar = null;
                  err.printf(
                      "round %d done: rollouts %d frames, %d/%d successes; validation mean max coverage %.3f, success %.0f%%; %.1f min%n",
                      round.round(),
                      round.collect().frames(),
                      round.collect().successes(),
                      round.collect().episodes(),
                      round.validationCoverage(),
                      100 * round.validationSuccess(),
                      round.seconds() / 60);
                  err.flush();
                }
              });
      Run result =
          new Run(dir.toString(), r.last().checkpoint().toString(), r.seconds(), r.rounds(), c);
      PrintWriter o = spec.commandLine().getOut();
      if (json) {
        o.println(Json.result(result, spec));
      } else {
        for (Dagger.Round x : r.rounds()) {
          o.printf(
              "round %d  beta %.3f  rollouts %6d frames %3d/%d ok  validation coverage %.3f success %5.1f%%  %.1f min%n",
              x.round(),
              x.beta(),
              x.collect().frames(),
              x.collect().successes(),
              x.collect().episodes(),
              x.validationCoverage(),
              100 * x.validationSuccess(),
              x.seconds() / 60);
        }
        o.printf("%.1f min in all; checkpoint %s%n", r.seconds() / 60, r.last().checkpoint());
      }
      o.flush();
      return 0;
    }
  }
}
