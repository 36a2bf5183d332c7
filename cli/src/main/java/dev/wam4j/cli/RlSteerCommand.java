package dev.wam4j.cli;

import dev.wam4j.rl.ppo.Ppo;
import dev.wam4j.rl.ppo.SteerConfig;
import dev.wam4j.rl.ppo.SteeredExport;
import dev.wam4j.rl.ppo.WamSteering;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code wam4j rl steer} and {@code rl steer-export}: RL on the world action model itself, steering
 * its frozen flow head.
 */
final class RlSteerCommand {
  private RlSteerCommand() {}

  @Command(
      name = "steer",
      mixinStandardHelpOptions = true,
      description = {
        "PPO on the vision policy: a small actor steers a frozen world action model in the rendered simulator, by the "
            + "initial noise of its flow head (mode noise, as DSRL) or a residual shift of its chunk (mode residual) (docs/RL.md).",
        "Writes <out>/steer.json, log.csv, curves.png and checkpoints/; rerun the same command to resume."
      })
  static final class TrainCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(
        names = "--config",
        required = true,
        description = "Steering config (JSON); its fields override the defaults.")
    Path config;

    @Option(
        names = "--out",
        description = "Run folder (default: runs/<config file name without .json>).")
    Path out;

    @Option(names = "--json", description = "Print the result as JSON.")
    boolean json;

    /**
     * The steering run: its folder, how far it got, its last update's statistics and the config it
     * ran.
     */
    record Steering(
        String run,
        long updates,
        long plans,
        long envSteps,
        double seconds,
        Ppo.UpdateStats last,
        SteerConfig config) {}

    @Override
    public Integer call() throws Exception {
      SteerConfig c = SteerConfig.load(config);
      Path dir =
          out != null
              ? out
              : Path.of("runs", config.getFileName().toString().replaceFirst("\\.json$", ""));
      WamSteering.Result r =
          WamSteering.train(c, dir, RlCommand.progress(spec.commandLine().getErr(), "steer"));
      Steering result =
          new Steering(
              r.dir().toString(), r.updates(), r.plans(), r.envSteps(), r.seconds(), r.last(), c);
      PrintWriter o = spec.commandLine().getOut();
      if (json) {
        o.println(Json.result(result, spec));
      } else {
        o.printf(
            "%d updates, %d plans, %d env steps in %.1f min; last update: success %.3f, final coverage %.3f%n",
            r.updates(),
            r.plans(),
            r.envSteps(),
            r.seconds() / 60,
            r.last().successRate(),
            r.last().meanFinalCoverage());
        o.printf(
            "run %s (log.csv, curves.png, checkpoints/); export with: wam4j rl steer-export --run %s --out DIR%n",
            r.dir(), r.dir());
      }
      o.flush();
      return 0;
    }
  }

  @Command(
      name = "steer-export",
      mixinStandardHelpOptions = true,
      description =
          "Writes a steering run's newest actor with its model as one checkpoint folder that eval, demos and robots load.")
  static final class ExportCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(
        names = "--run",
        required = true,
        description = "A steering run folder (rl steer --out).")
    Path run;

    @Option(
        names = "--out",
        required = true,
        description = "The checkpoint folder to write (must not exist).")
    Path out;

    @Override
    public Integer call() throws Exception {
      SteeredExport.Result r = SteeredExport.export(run, out);
      PrintWriter o = spec.commandLine().getOut();
      o.printf(
          "exported update %d (%d env steps, %.1f min of RL) to %s; lineage_train_seconds %.0f%n",
          r.update(), r.envSteps(), r.runSeconds() / 60, r.dir(), r.lineageTrainSeconds());
      o.flush();
      return 0;
    }
  }
}
