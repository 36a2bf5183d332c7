package dev.wam4j.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wam4j.model.wam.WamConfig;
import dev.wam4j.model.wam.WamRun;
import dev.wam4j.model.wam.WamTrainer;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code wam4j train pretrain|finetune|bench}: trains the world action model from a config file.
 */
@Command(
    name = "train",
    mixinStandardHelpOptions = true,
    description =
        "Train the world action model: 'pretrain' (stage 1, video such as simulated human-hand episodes, no robot actions) or 'finetune' "
            + "(stage 2, robot demonstrations; set 'init' to a stage-1 checkpoint). Writes log.csv, loss.png, "
            + "checkpoints step-NNNNNNN/ with model cards, and 'latest'; rerun the same command to resume after a crash. "
            + "'bench' times training steps on the real data path.",
    subcommands = {
      TrainCommand.Pretrain.class,
      TrainCommand.Finetune.class,
      TrainBenchCommand.class,
      TrainExportCommand.class
    })
final class TrainCommand {
  /** {@code wam4j train pretrain}. */
  @Command(
      name = "pretrain",
      mixinStandardHelpOptions = true,
      description =
          "Stage 1: train on video (e.g. hand video across digital cousins) from fresh weights.")
  static final class Pretrain extends Stage {
    Pretrain() {
      super(WamRun.Stage.PRETRAIN);
    }
  }

  /** {@code wam4j train finetune}. */
  @Command(
      name = "finetune",
      mixinStandardHelpOptions = true,
      description =
          "Stage 2: train on robot demonstrations, from the config's 'init' checkpoint or fresh weights.")
  static final class Finetune extends Stage {
    Finetune() {
      super(WamRun.Stage.FINETUNE);
    }
  }
}

/** One training stage; resumes when the run directory has a checkpoint. */
abstract class Stage implements Callable<Integer> {
  @Spec CommandSpec spec;

  private final WamRun.Stage stage;

  Stage(WamRun.Stage stage) {
    this.stage = stage;
  }

  @Option(
      names = "--config",
      required = true,
      description = "JSON config; fields override the defaults (see docs/TRAINING.md).")
  Path config;

  @Option(
      names = "--out",
      description = "Run directory (default: runs/<config file name without .json>).")
  Path out;

  @Option(names = "--json", description = "Print the result as JSON.")
  boolean json;

  /**
   * The stage's run: its newest checkpoint, the training it took, the checkpoint's metrics and the
   * config spelled as in config files.
   */
  record Training(
      String stage,
      String run,
      String checkpoint,
      long steps,
      double trainSeconds,
      Map<String, Object> metrics,
      JsonNode config) {}

  @Override
  public Integer call() throws Exception {
    WamRun.Stage s = stage;
    WamConfig c = WamRun.loadConfig(config);
    if (s == WamRun.Stage.PRETRAIN && c.init() != null) {
      throw new IllegalArgumentException(
          config + ": a pretrain run starts from fresh weights; remove 'init' or use finetune");
    }
    Path dir =
        out != null
            ? out
            : Path.of("runs", config.getFileName().toString().replaceFirst("\\.json$", ""));
    PrintWriter err = spec.commandLine().getErr();
    Progress[] bar = {null};
    WamRun.Result r =
        WamRun.train(
            c,
            s,
            dir,
            new WamRun.Listener() {
              Progress loading;
              String phase;

              @Override
              public synchronized void loading(
                  String p, long frames) { // called from the decoding threads
                if (!p.equals(phase)) {
                  if (loading != null) loading.done();
                  phase = p;
                  loading = new Progress(err, "decode " + p, 0, "frames");
                }
                loading.update(frames);
              }

              @Override
              public void resumed(Path checkpoint, long step) {
                err.printf("resuming from %s (step %d)%n", checkpoint, step);
                err.flush();
              }

              @Override
              public void step(long step, long total, WamTrainer.Losses l) {
                if (bar[0] == null) {
                  if (loading != null) loading.done();
                  bar[0] = new Progress(err, s.id(), total, "steps");
                }
                bar[0].update(
                    step,
                    String.format(
                        "loss %.4f (action %.4f video %.4f recon %.4f) ",
                        l.total(), l.action(), l.video(), l.recon()));
              }

              @Override
              public void checkpoint(Path dir, Map<String, Object> metrics) {
                if (!Boolean.getBoolean("wam4j.progress") && System.console() == null) {
                  err.printf("checkpoint %s %s%n", dir, metrics);
                  err.flush();
                }
              }
            });
    if (bar[0] != null) bar[0].done();
    Training result =
        new Training(
            s.id(),
            dir.toString(),
            r.checkpoint().toString(),
            r.steps(),
            r.trainSeconds(),
            r.metrics(),
            WamRun.toJson(c));
    PrintWriter o = spec.commandLine().getOut();
    if (json) {
      o.println(Json.result(result, spec));
    } else {
      o.printf(
          "%s: %d steps in %.1f min; checkpoint %s; %s%n",
          s.id(), r.steps(), r.trainSeconds() / 60, r.checkpoint(), r.metrics());
    }
    o.flush();
    return 0;
  }
}
