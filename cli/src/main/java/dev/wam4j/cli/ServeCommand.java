package dev.wam4j.cli;

import dev.wam4j.eval.CheckpointEvaluator;
import dev.wam4j.fleet.autopilot.AutopilotConfig;
import dev.wam4j.fleet.server.FleetServer;
import dev.wam4j.fleet.server.Limits;
import dev.wam4j.fleet.server.TeleopServer;
import dev.wam4j.fleet.server.Tls;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code wam4j serve}: the Physical API server. */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    description = {
      "Run the fleet server (Physical API): HTTP + JSON under /api/v1, the OpenAPI document at /openapi.json, live events "
          + "(server-sent events) at /api/v1/events.",
      "Embedded database in the data folder by default; --db takes a PostgreSQL JDBC URL. On first start an operator token is "
          + "written to <data>/operator.token (owner-only)."
    })
final class ServeCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--host",
      paramLabel = "ADDRESS",
      description =
          "Address to listen on (default: ${DEFAULT-VALUE}, this machine only; "
              + "0.0.0.0 for every interface, then put a TLS reverse proxy in front: tokens are bearer secrets).",
      defaultValue = "127.0.0.1")
  String host;

  @Option(
      names = "--port",
      description = "TCP port (default: ${DEFAULT-VALUE}; 0: any free port).",
      defaultValue = "7070")
  int port;

  @Option(
      names = "--data",
      description = "Data folder: database, operator token, files (default: ${DEFAULT-VALUE}).",
      defaultValue = "fleet-data")
  Path data;

  @Option(
      names = "--db",
      paramLabel = "URL",
      description =
          "JDBC URL of the database, e.g. jdbc:postgresql://host/db?user=u&password=p "
              + "(default: the embedded SQLite database in --data).")
  String db;

  @Option(
      names = "--tls-keystore",
      paramLabel = "FILE.p12",
      description =
          "Serve HTTPS with this PKCS#12 key store (key and certificate "
              + "chain); needs --tls-password-file. Default: plain HTTP (loopback, or behind a TLS reverse proxy: FLEET.md).")
  Path tlsKeyStore;

  @Option(
      names = "--tls-password-file",
      paramLabel = "FILE",
      description = "File whose first line is the key store's password.")
  Path tlsPasswordFile;

  @Option(
      names = "--robot-rps",
      description =
          "Requests per second each robot may send, sustained (default: ${DEFAULT-VALUE}); 429 above.",
      defaultValue = "50")
  double robotRps;

  @Option(
      names = "--robot-burst",
      description =
          "Requests a robot may send at once after a quiet spell (default: ${DEFAULT-VALUE}).",
      defaultValue = "100")
  int robotBurst;

  @Option(
      names = "--robot-bytes-per-s",
      description =
          "Request-body bytes per second each robot may send, episode chunks excepted "
              + "(default: ${DEFAULT-VALUE}).",
      defaultValue = "262144")
  long robotBytesPerSecond;

  @Option(
      names = "--robot-byte-burst",
      description =
          "Body bytes a robot may send at once after a quiet spell (default: ${DEFAULT-VALUE}).",
      defaultValue = "2097152")
  long robotByteBurst;

  @Option(
      names = "--telemetry-retention-hours",
      description = "Telemetry older than this is deleted (default: ${DEFAULT-VALUE}, 7 days).",
      defaultValue = "168")
  double telemetryRetentionHours;

  @Option(
      names = "--max-request-bytes",
      description =
          "Largest request body other than model archives and episode chunks "
              + "(default: ${DEFAULT-VALUE}); 413 above.",
      defaultValue = "1048576")
  long maxRequestBytes;

  @Option(
      names = "--max-upload-bytes",
      description =
          "Largest episode archive a robot may upload (default: ${DEFAULT-VALUE}, 1 GiB).",
      defaultValue = "1073741824")
  long maxUploadBytes;

  @Option(
      names = "--max-open-uploads",
      description = "Uploads one robot may have open at once (default: ${DEFAULT-VALUE}).",
      defaultValue = "8")
  int maxOpenUploads;

  @Option(
      names = "--upload-expiry-hours",
      description =
          "Open uploads older than this are forgotten with their partial bytes "
              + "(default: ${DEFAULT-VALUE}).",
      defaultValue = "24")
  double uploadExpiryHours;

  @Option(
      names = "--max-quarantined",
      description =
          "Quarantined uploads one robot may have before it may open no more, until an operator "
              + "reviews them (default: ${DEFAULT-VALUE}).",
      defaultValue = "8")
  int maxQuarantined;

  @Option(
      names = "--header-timeout-ms",
      description =
          "A connection must send a request's headers within this time (default: ${DEFAULT-VALUE}).",
      defaultValue = "10000")
  long headerTimeoutMs;

  @Option(
      names = "--offline-after-ms",
      description =
          "A robot silent this long goes offline; its task is queued again (default: ${DEFAULT-VALUE}).",
      defaultValue = "10000")
  long offlineAfterMs;

  @Option(
      names = "--max-attempts",
      description = "Tries of each task before it and its job fail (default: ${DEFAULT-VALUE}).",
      defaultValue = "3")
  int maxAttempts;

  @Option(
      names = "--finetune-command",
      paramLabel = "CMD",
      description =
          "Data flywheel: shell command run when a task's dataset has grown by "
              + "--finetune-every-hours since the last run; it sees WAM4J_DATASET, WAM4J_TASK, WAM4J_HOURS (default: none).")
  String finetuneCommand;

  @Option(
      names = "--finetune-every-hours",
      description =
          "Hours of new data per task that trigger --finetune-command (default: ${DEFAULT-VALUE}).",
      defaultValue = "1.0")
  double finetuneEveryHours;

  @Option(
      names = "--judge-checkpoint",
      paramLabel = "DIR",
      description =
          "The human judge's robot (page /judge): this checkpoint's policy, its clips computed in"
              + " the background from the start (seconds each: about 7 s for models/pusht-wam). Default: the scripted expert."
              + " Give each robot its own --judgements file.")
  Path judgeCheckpoint;

  @Option(
      names = "--judgements",
      paramLabel = "FILE",
      description =
          "Where the human judge's answers are appended, one JSON line each (default:"
              + " judgements.jsonl in --data).")
  Path judgements;

  @Option(
      names = "--autopilot",
      paramLabel = "CONFIG",
      description =
          "Run the autopilot (docs/FLEET.md \"The autopilot\"): a JSON config naming the task and"
              + " robot group; candidates fine-tuned from the group's deployed model on the task's"
              + " episodes, gated in simulation, canaried, promoted or rolled back, every decision in"
              + " autopilot/<task>/decisions.jsonl under --data. Pause it with POST"
              + " /api/v1/autopilot/pause. Default: none.")
  Path autopilot;

  @Override
  public Integer call() throws Exception {
    TeleopCommand.checkJudgeCheckpoint(judgeCheckpoint);
    AutopilotConfig pilot = autopilot == null ? null : AutopilotConfig.load(autopilot);
    if ((tlsKeyStore == null) != (tlsPasswordFile == null))
      throw new IllegalArgumentException("--tls-keystore and --tls-password-file go together");
    Limits limits =
        new Limits(
            robotRps,
            robotBurst,
            robotBytesPerSecond,
            robotByteBurst,
            telemetryRetentionHours,
            headerTimeoutMs,
            maxUploadBytes,
            maxOpenUploads,
            uploadExpiryHours,
            maxQuarantined);
    FleetServer.Config config =
        new FleetServer.Config(
            host,
            port,
            data,
            db,
            maxRequestBytes,
            offlineAfterMs,
            maxAttempts,
            finetuneCommand,
            finetuneEveryHours,
            limits,
            tlsKeyStore == null ? null : Tls.of(tlsKeyStore, tlsPasswordFile));
    PrintWriter err = spec.commandLine().getErr();
    Path answers = judgements != null ? judgements : data.resolve(TeleopServer.JUDGEMENTS_FILE);
    FleetServer server =
        FleetServer.start(
            config, TeleopServer.judge(answers, judgeCheckpoint, TeleopCommand.judgeProgress(err)));
    err.printf(
        "wam4j fleet server on %s://%s:%d (OpenAPI: /openapi.json, events: /api/v1/events), data %s%n",
        config.tls() == null ? "http" : "https",
        host.equals(FleetServer.Config.LOOPBACK) ? "localhost" : host,
        server.port(),
        data.toAbsolutePath());
    if (server.bootstrapToken() != null)
      err.printf("first start: operator token written to %s%n", data.resolve("operator.token"));
    if (pilot != null) {
      server.startAutopilot(
          pilot,
          CheckpointEvaluator.local(),
          dev.wam4j.fleet.autopilot.CandidateTraining.process(SelfCommand.of("-Xmx3g")),
          hands -> hands,
          line -> {
            err.println(line);
            err.flush();
          });
      err.printf(
          "autopilot on task '%s', group '%s': state and decisions in %s%n",
          pilot.task(), pilot.group(), server.autopilotDir(pilot));
    }
    err.flush();
    CountDownLatch done = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  server.close();
                  done.countDown();
                },
                "fleet-shutdown"));
    done.await();
    return 0;
  }
}
