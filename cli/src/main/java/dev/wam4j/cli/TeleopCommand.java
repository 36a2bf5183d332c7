package dev.wam4j.cli;

import dev.wam4j.data.video.VideoEncoding;
import dev.wam4j.eval.turing.TuringTest;
import dev.wam4j.fleet.server.TeleopServer;
import dev.wam4j.fleet.teleop.Teleop;
import dev.wam4j.fleet.teleop.TeleopDataset;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code wam4j teleop}: push the block from a browser page, no fleet needed. */
@Command(
    name = "teleop",
    mixinStandardHelpOptions = true,
    description = {
      "Teleoperate PushT (or a scene file) from a browser: open http://localhost:PORT/teleop, push the block with the "
          + "mouse or a finger; the simulator steps at 10 Hz from the pointer. Save appends the episode to a LeRobot "
          + "v3.0 dataset (the sim collect schema; the operator in teleop_episodes.json); Discard drops it.",
      "The same server serves the physical Turing test's human judge at /judge: two clips side by side,"
          + " which one is the robot? (docs/TURING.md).",
      "Listens on loopback only, no tokens, no fleet database (docs/TELEOP.md)."
    })
final class TeleopCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--port",
      description = "TCP port on 127.0.0.1 (default: ${DEFAULT-VALUE}; 0: any free port).",
      defaultValue = "7071")
  int port;

  @Option(
      names = "--out",
      paramLabel = "DATASET_DIR",
      description =
          "Dataset folder saved episodes are appended to; created by the first save "
              + "(default: ${DEFAULT-VALUE}).",
      defaultValue = "teleop-data")
  Path out;

  @Option(
      names = "--operator",
      paramLabel = "NAME",
      description = "Who teleoperates, recorded with each episode (default: the page asks).")
  String operator;

  @Option(
      names = "--scene",
      paramLabel = "NAME|FILE",
      description =
          "Built-in scene or scene file (its embodiment is the default one) (default: ${DEFAULT-VALUE}).",
      defaultValue = "pusht")
  String scene;

  @Option(
      names = "--judgements",
      paramLabel = "FILE",
      description =
          "Where the human judge's answers (page /judge, docs/TURING.md) are appended, one JSON line"
              + " each (default: judgements.jsonl next to the dataset folder).")
  Path judgements;

  @Option(
      names = "--judge-checkpoint",
      paramLabel = "DIR",
      description =
          "The human judge's robot: this checkpoint's policy, run from each pair's start as"
              + " `wam4j turing --checkpoint` runs it (its clips are computed in the background from"
              + " the start, seconds each: about 7 s for models/pusht-wam). Default: the scripted expert. Give each robot its own"
              + " --judgements file.")
  Path judgeCheckpoint;

  @Option(
      names = "--codec",
      description = "av1 or h264 (default: ${DEFAULT-VALUE}).",
      defaultValue = "av1")
  String codec;

  @Override
  public Integer call() throws Exception {
    VideoEncoding encoding = DatasetImportCommand.encoding(codec, null);
    if (operator != null && operator.isBlank())
      throw new IllegalArgumentException("--operator must not be blank");
    checkJudgeCheckpoint(judgeCheckpoint);
    PrintWriter err = spec.commandLine().getErr();
    Path answers =
        judgements != null
            ? judgements
            : out.toAbsolutePath().resolveSibling(TeleopServer.JUDGEMENTS_FILE);
    Teleop teleop = new Teleop(new TeleopDataset(out, encoding), scene, operator);
    TeleopServer server;
    try {
      server =
          TeleopServer.start(
              teleop, TeleopServer.judge(answers, judgeCheckpoint, judgeProgress(err)), port);
    } catch (RuntimeException e) {
      teleop.close();
      throw e;
    }
    err.printf(
        "wam4j teleop on http://localhost:%d/teleop, scene %s, episodes to %s; the human judge on"
            + " http://localhost:%d/judge%n",
        server.port(), scene, out.toAbsolutePath(), server.port());
    if (judgeCheckpoint != null)
      err.printf("the human judge's robot: %s (answers to %s)%n", judgeCheckpoint, answers);
    err.flush();
    CountDownLatch done = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  server.close();
                  done.countDown();
                },
                "teleop-shutdown"));
    done.await();
    return 0;
  }

  /** Refuses a judge checkpoint that is not there before the server starts. */
  static void checkJudgeCheckpoint(Path checkpoint) {
    if (checkpoint != null && !java.nio.file.Files.exists(checkpoint))
      throw new IllegalArgumentException(
          "--judge-checkpoint " + checkpoint + ": no such file or directory");
  }

  /** Says on stderr how far the robot's clips for the human judge are, and when they are ready. */
  static TuringTest.ProgressListener judgeProgress(PrintWriter err) {
    return (done, total) -> {
      if (done == total || done % 5 == 0) {
        err.printf(
            "wam4j judge: robot clips %d/%d%s%n", done, total, done == total ? ", ready" : "");
        err.flush();
      }
    };
  }
}
