package dev.wam4j.cli;

import dev.wam4j.eval.monitor.Signal;
import dev.wam4j.fleet.agent.BuildAgent;
import dev.wam4j.fleet.agent.FleetClient;
import dev.wam4j.fleet.agent.RobotAgent;
import dev.wam4j.model.Engines;
import dev.wam4j.model.load.ChunkPolicies;
import dev.wam4j.model.policy.ChunkPolicy;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code wam4j robot}: a simulated robot agent on the fleet. */
@Command(
    name = "robot",
    mixinStandardHelpOptions = true,
    description = {
      "Run a robot agent: register with the server, pull tasks, execute them in the simulator with a world action model "
          + "under the dream monitor, stream state at every control step (with the dream-divergence score), raise an alert and hand over when "
          + "the monitor fires, report each task."
    })
final class RobotCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--server",
      required = true,
      paramLabel = "URL",
      description =
          "Fleet server, e.g. http://localhost:7070; several on one database separated by commas"
              + " (tried in turn when one does not answer).")
  String server;

  @Option(
      names = "--token",
      required = true,
      description = "This robot's token (from 'wam4j fleet enroll').")
  String token;

  @Option(
      names = "--embodiment",
      description = "robot or hand (default: ${DEFAULT-VALUE}).",
      defaultValue = "robot")
  String embodiment;

  @Option(
      names = "--checkpoint",
      description =
          "World action model used while the fleet deploys none to this robot (default: ${DEFAULT-VALUE}).",
      defaultValue = "models/pusht-wam")
  Path checkpoint;

  @Option(
      names = "--alarm-threshold",
      description =
          "Relative latent divergence (running mean of 3) that fires the alarm and hands over "
              + "(default: none: the score is streamed, no hand-over); from monitor.json, take the relative signal's threshold, "
              + "which is the headline only when alarm_signal is relative_latent_divergence.")
  Double alarmThreshold;

  @Option(
      names = "--max-tasks",
      description =
          "Stop after this many tasks, or placements with --builds (default: ${DEFAULT-VALUE}: run until stopped).",
      defaultValue = "0")
  int maxTasks;

  @Option(
      names = "--idle-exit-ms",
      description = "Stop after this long without work (default: ${DEFAULT-VALUE}: never).",
      defaultValue = "0")
  long idleExitMs;

  @Option(
      names = "--outbox",
      description = "Folder where recorded episodes wait for upload (default: ${DEFAULT-VALUE}).",
      defaultValue = "robot-outbox")
  Path outbox;

  @Option(
      names = "--model-cache",
      description =
          "Folder for models the fleet deploys to this robot (default: ${DEFAULT-VALUE}).",
      defaultValue = "robot-models")
  Path modelCache;

  @Option(names = "--no-record", description = "Do not record and upload episodes.")
  boolean noRecord;

  @Option(
      names = "--threads",
      description = "Intra-op threads of the policy's engine (default: ${DEFAULT-VALUE}).",
      defaultValue = "1")
  int threads;

  @Option(
      names = "--builds",
      description =
          "Push placements of builds in the server's shared cell ('wam4j fleet build') with the"
              + " --build-executor, instead of running tasks with a model.")
  boolean builds;

  @Option(
      names = "--build-executor",
      description =
          "With --builds: vision (the shipped cell pusher, models/cell-pusher) or expert (the scripted"
              + " pusher on the located pose). Default: ${DEFAULT-VALUE}.",
      defaultValue = "vision")
  String buildExecutor;

  @Option(
      names = "--build-checkpoint",
      paramLabel = "DIR",
      description =
          "With --builds: the vision executor's checkpoint (default: models/cell-pusher).")
  Path buildCheckpoint;

  @Override
  public Integer call() throws Exception {
    if (builds) return builds();
    if (threads < 1) throw new IllegalArgumentException("--threads must be >= 1, got " + threads);
    Engines.useThreads(threads);
    RobotAgent.Config config =
        new RobotAgent.Config(
            embodiment,
            Signal.LATENT_RELATIVE,
            3,
            alarmThreshold == null ? Double.NaN : alarmThreshold,
            200,
            maxTasks,
            idleExitMs,
            noRecord ? null : outbox,
            modelCache,
            null);
    PrintWriter err = spec.commandLine().getErr();
    try (ChunkPolicy policy = ChunkPolicies.load(checkpoint)) {
      RobotAgent agent =
          new RobotAgent(
              new FleetClient(server, token),
              policy,
              config,
              line -> {
                err.println(line);
                err.flush();
              });
      Runtime.getRuntime().addShutdownHook(new Thread(agent::stop, "robot-stop"));
      RobotAgent.Summary s = agent.run();
      PrintWriter o = spec.commandLine().getOut();
      o.println(Json.result(s, spec));
      o.flush();
    }
    return 0;
  }

  private int builds() throws Exception {
    PrintWriter err = spec.commandLine().getErr();
    BuildAgent agent =
        new BuildAgent(
            new FleetClient(server, token),
            new BuildAgent.Config(200, idleExitMs, maxTasks),
            FactoryCommand.steering(buildExecutor, buildCheckpoint),
            line -> {
              err.println(line);
              err.flush();
            });
    Runtime.getRuntime().addShutdownHook(new Thread(agent::stop, "robot-stop"));
    BuildAgent.Summary s = agent.run();
    PrintWriter o = spec.commandLine().getOut();
    o.println(Json.result(s, spec));
    o.flush();
    return 0;
  }
}
