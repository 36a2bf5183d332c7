package dev.wam4j.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wam4j.data.Zips;
import dev.wam4j.fleet.agent.FleetClient;
import dev.wam4j.fleet.api.ApiPaths;
import dev.wam4j.fleet.build.FleetBuild;
import dev.wam4j.sim.factory.FactoryRun;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code wam4j fleet}: operate the fleet through the server's API. */
@Command(
    name = "fleet",
    mixinStandardHelpOptions = true,
    description =
        "Operate a fleet: enrol robots, list them, submit a markdown job, watch it, list alerts. The operator token comes from "
            + "--token, else $WAM4J_TOKEN, else fleet-data/operator.token.",
    subcommands = {
      CrashTestCommand.class,
      FleetCommand.Cancel.class,
      FleetCommand.Revoke.class,
      FleetCommand.Enroll.class,
      FleetCommand.Robots.class,
      FleetCommand.Submit.class,
      FleetCommand.Build.class,
      FleetCommand.Jobs.class,
      FleetCommand.Watch.class,
      FleetCommand.Alerts.class,
      FleetCommand.Datasets.class,
      FleetCommand.Episodes.class,
      FleetCommand.Quarantine.class,
      FleetCommand.PushModel.class,
      FleetCommand.Models.class,
      FleetCommand.Deploy.class,
      FleetCommand.Promote.class,
      FleetCommand.Rollback.class,
      FleetCommand.Deployments.class,
      LoadTestCommand.class,
      AutopilotSimCommand.class
    })
final class FleetCommand {
  /** Server and token options shared by the operator commands. */
  abstract static class Operator implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(
        names = "--server",
        description =
            "Fleet server; several on one database separated by commas, tried in turn when one does"
                + " not answer (default: ${DEFAULT-VALUE}).",
        defaultValue = "http://localhost:7070")
    String server;

    @Option(
        names = "--token",
        description =
            "Operator token (default: $WAM4J_TOKEN, else the file fleet-data/operator.token).")
    String token;

    @Option(names = "--json", description = "Print JSON.")
    boolean json;

    FleetClient client() throws java.io.IOException {
      return new FleetClient(server, token());
    }

    /** The operator token: --token, else $WAM4J_TOKEN, else fleet-data/operator.token. */
    String token() throws java.io.IOException {
      String t = token != null ? token : System.getenv("WAM4J_TOKEN");
      if (t == null) {
        Path file = Path.of("fleet-data", "operator.token");
        if (!Files.isRegularFile(file))
          throw new IllegalArgumentException(
              "no operator token: pass --token, set WAM4J_TOKEN, or run where fleet-data/operator.token is");
        t = Files.readString(file).strip();
      }
      return t;
    }

    PrintWriter out() {
      return spec.commandLine().getOut();
    }

    /**
     * GETs a listing and prints it as JSON ({@code --json}) or as lines under an optional header.
     */
    int listing(String path, String header, java.util.function.Function<JsonNode, String> line)
        throws Exception {
      JsonNode r = client().get(path);
      if (json) {
        print(r);
        return 0;
      }
      if (header != null) out().println(header);
      for (JsonNode x : r) out().println(printable(line.apply(x)));
      out().flush();
      return 0;
    }

    /**
     * Control characters (NUL, terminal escapes) from stored text shown as \\uXXXX, never sent to
     * the terminal.
     */
    static String printable(String s) {
      StringBuilder b = new StringBuilder(s.length());
      s.codePoints()
          .forEach(
              c -> {
                if (Character.isISOControl(c) || Character.getType(c) == Character.FORMAT)
                  b.append(String.format("\\u%04x", c));
                else b.appendCodePoint(c);
              });
      return b.toString();
    }

    void print(JsonNode n) {
      out().println(n == null ? "null" : n.toPrettyString());
      out().flush();
    }
  }

  @Command(
      name = "enroll",
      mixinStandardHelpOptions = true,
      description = "Enrol a robot; prints its id and token (shown once).")
  static final class Enroll extends Operator {
    @Parameters(paramLabel = "NAME", description = "Robot name.")
    String name;

    @Option(
        names = "--group",
        description = "Robot group (default: ${DEFAULT-VALUE}).",
        defaultValue = "default")
    String group;

    @Override
    public Integer call() throws Exception {
      JsonNode r = client().post(ApiPaths.robots(), Map.of("name", name, "group", group));
      if (json) print(r);
      else
        out()
            .printf(
                "robot %s enrolled; token (shown once): %s%n",
                r.get("robot_id").asText(), r.get("token").asText());
      out().flush();
      return 0;
    }
  }

  @Command(
      name = "robots",
      mixinStandardHelpOptions = true,
      description = "List robots and their state.")
  static final class Robots extends Operator {
    @Override
    public Integer call() throws Exception {
      return listing(
          ApiPaths.robots(),
          String.format(
              "%-16s %-12s %-10s %-10s %-9s %s",
              "id", "name", "group", "embodiment", "state", "last seen"),
          x ->
              String.format(
                  "%-16s %-12s %-10s %-10s %-9s %s",
                  x.get("id").asText(),
                  x.get("name").asText(),
                  x.get("group").asText(),
                  x.path("embodiment").asText("-"),
                  x.get("state").asText(),
                  x.get("last_seen_ms").isNull()
                      ? "never"
                      : java.time.Instant.ofEpochMilli(x.get("last_seen_ms").asLong()).toString()));
    }
  }

  @Command(
      name = "submit",
      mixinStandardHelpOptions = true,
      description = "Submit a job from a markdown file (format: README, 'Jobs as documents').")
  static final class Submit extends Operator {
    @Parameters(paramLabel = "FILE.md", description = "The job document.")
    Path file;

    @Override
    public Integer call() throws Exception {
      if (!Files.isRegularFile(file))
        throw new IllegalArgumentException("job file " + file + " does not exist");
      JsonNode r;
      try {
        r = client().postMarkdown(ApiPaths.jobs(), Files.readString(file));
      } catch (FleetClient.ApiError e) {
        throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
      }
      if (json) print(r);
      else
        out()
            .printf(
                "job %d '%s': %d tasks queued%n",
                r.get("id").asLong(), r.get("title").asText(), r.get("tasks").asInt());
      out().flush();
      return 0;
    }
  }

  @Command(
      name = "build",
      mixinStandardHelpOptions = true,
      description =
          "Build a product design (docs/FACTORY.md) through the Physical API: submitted as a build whose"
              + " placements robot agents push in the server's shared simulated cell; waits for it and prints"
              + " the result as 'factory run' does. Exit code 0 when the product is complete.")
  static final class Build extends Operator {
    @Parameters(paramLabel = "DESIGN.md", description = "The design file.")
    Path design;

    @Option(
        names = "--seed",
        description = "The feeder's seed, unless the design sets one (default: ${DEFAULT-VALUE}).",
        defaultValue = "0")
    long seed;

    @Option(
        names = "--robots-local",
        paramLabel = "N",
        description =
            "Enrol N robots and run their agents in this process (default: none, the fleet's robots"
                + " work; with --local, one per pusher of the design).",
        defaultValue = "0")
    int robotsLocal;

    @Option(
        names = "--executor",
        description =
            "How the in-process robots push: vision (the cell pusher) or expert (the scripted pusher on"
                + " the located pose). Default: ${DEFAULT-VALUE}.",
        defaultValue = "vision")
    String executor;

    @Option(
        names = "--checkpoint",
        paramLabel = "DIR",
        description = "The vision executor's checkpoint (default: the shipped models/cell-pusher).")
    Path checkpoint;

    @Option(
        names = "--local",
        description =
            "Start an embedded server on loopback (temporary data, no rate limit) for this build;"
                + " --server and --token are then unused.")
    boolean local;

    @Override
    public Integer call() throws Exception {
      String markdown = FleetBuild.read(design);
      PrintWriter err = spec.commandLine().getErr();
      FleetBuild.Options options =
          local
              ? new FleetBuild.Options(
                  null,
                  null,
                  seed,
                  robotsLocal,
                  true,
                  200,
                  FactoryCommand.steering(executor, checkpoint))
              : new FleetBuild.Options(
                  server,
                  token(),
                  seed,
                  robotsLocal,
                  false,
                  200,
                  FactoryCommand.steering(executor, checkpoint));
      FleetBuild.Outcome o;
      try {
        o =
            FleetBuild.run(
                markdown,
                options,
                line -> {
                  err.println(line);
                  err.flush();
                });
      } catch (IllegalArgumentException e) { // the server's refusal of the design: name the file
        throw new IllegalArgumentException(design + ": " + e.getMessage(), e);
      }
      FactoryRun.Result r = o.result();
      if (json) {
        out().println(Json.result(r, spec));
        out().flush();
        return r.productComplete() ? 0 : 1;
      }
      out()
          .printf(
              "%s (build %d, seed %d, %d robot%s): %s, %d/%d parts placed, %d pushes, %d interventions, %.1f simulated minutes, %.1f s (%.0f steps/s)%n",
              r.design(),
              o.build().id(),
              r.seed(),
              r.robots(),
              r.robots() == 1 ? "" : "s",
              r.productComplete() ? "complete" : "NOT complete",
              r.partsPlaced(),
              r.partsTotal(),
              r.pushes(),
              r.interventions(),
              r.simMinutes(),
              r.wallSeconds(),
              o.stepsPerSecond());
      out().println("  order: " + String.join(", ", r.order()));
      for (FactoryRun.PartResult p : r.parts())
        out()
            .printf(
                "  %-16s %-4s %s coverage %.2f, %d push%s%s%n",
                printable(p.name()),
                p.shape(),
                p.placed() ? "placed" : "FAILED",
                p.coverage(),
                p.pushes(),
                p.pushes() == 1 ? "" : "es",
                p.reason() == null ? "" : ": " + p.reason());
      out().flush();
      return r.productComplete() ? 0 : 1;
    }
  }

  @Command(
      name = "cancel",
      mixinStandardHelpOptions = true,
      description = "Cancel a running job: its queued and assigned tasks are cancelled.")
  static final class Cancel extends Operator {
    @Parameters(paramLabel = "JOB", description = "The job's id.")
    long job;

    @Override
    public Integer call() throws Exception {
      JsonNode r = client().post(ApiPaths.job(job, "cancel"), Map.of());
      if (json) print(r);
      else
        out()
            .printf(
                "job %d '%s': %s%n",
                r.get("id").asLong(), printable(r.get("title").asText()), r.get("status").asText());
      out().flush();
      return 0;
    }
  }

  @Command(
      name = "revoke",
      mixinStandardHelpOptions = true,
      description =
          "Revoke a robot's token: its agent is refused from now on, its task goes back to the queue (enrol it again for a new token).")
  static final class Revoke extends Operator {
    @Parameters(paramLabel = "ROBOT", description = "The robot's id (see 'fleet robots').")
    String robot;

    @Override
    public Integer call() throws Exception {
      JsonNode r = client().post(ApiPaths.robot(robot, "revoke"), Map.of());
      if (json) print(r);
      else out().printf("robot %s: %d token(s) revoked%n", robot, r.get("tokens_revoked").asInt());
      out().flush();
      return 0;
    }
  }

  @Command(
      name = "episodes",
      mixinStandardHelpOptions = true,
      description =
          "List the episodes robots uploaded and the server kept, or delete one (it leaves its task's dataset, which is rebuilt).")
  static final class Episodes extends Operator {
    @Option(names = "--task", description = "Only this task's episodes.")
    String task;

    @Option(
        names = "--delete",
        paramLabel = "EPISODE",
        description = "Delete this episode instead of listing.")
    Long delete;

    @Override
    public Integer call() throws Exception {
      if (delete != null) {
        JsonNode r = client().delete(ApiPaths.episode(delete));
        if (json) print(r);
        else out().printf("episode %d deleted; its task's dataset is rebuilt without it%n", delete);
        out().flush();
        return 0;
      }
      String path =
          ApiPaths.episodes()
              + (task == null
                  ? ""
                  : "?task="
                      + java.net.URLEncoder.encode(task, java.nio.charset.StandardCharsets.UTF_8));
      return listing(
          path,
          String.format(
              "%-6s %-16s %-24s %6s %-7s %s",
              "id", "robot", "task", "frames", "success", "received"),
          e ->
              String.format(
                  "%-6d %-16s %-24s %6d %-7s %s",
                  e.get("id").asLong(),
                  e.get("robot_id").asText(),
                  e.get("task_name").asText(),
                  e.get("frames").asInt(),
                  e.get("success").asBoolean(),
                  java.time.Instant.ofEpochMilli(e.get("created_ms").asLong())));
    }
  }

  @Command(
      name = "quarantine",
      mixinStandardHelpOptions = true,
      description =
          "List uploads the server set aside (their bytes arrived intact but hold no usable episode), or delete one.")
  static final class Quarantine extends Operator {
    @Option(
        names = "--delete",
        paramLabel = "UPLOAD",
        description = "Delete this quarantined upload (its robot may then send it again).")
    String delete;

    @Override
    public Integer call() throws Exception {
      if (delete != null) {
        JsonNode r = client().delete(ApiPaths.quarantined(delete));
        if (json) print(r);
        else out().printf("quarantined upload %s deleted%n", printable(delete));
        out().flush();
        return 0;
      }
      return listing(
          ApiPaths.quarantine(),
          null,
          q ->
              String.format(
                  "%s robot %s task %s (%d bytes): %s",
                  q.get("id").asText(),
                  q.get("robot_id").asText(),
                  q.get("task_name").asText(),
                  q.get("size_bytes").asLong(),
                  q.get("reason").asText()));
    }
  }

  @Command(
      name = "jobs",
      mixinStandardHelpOptions = true,
      description = "List jobs and their progress.")
  static final class Jobs extends Operator {
    @Override
    public Integer call() throws Exception {
      return listing(
          ApiPaths.jobs(),
          String.format(
              "%-5s %-30s %-8s %s",
              "id", "title", "status", "tasks done/failed/running/queued of total"),
          j ->
              String.format(
                  "%-5d %-30s %-8s %d/%d/%d/%d of %d",
                  j.get("id").asLong(),
                  j.get("title").asText(),
                  j.get("status").asText(),
                  j.get("done").asInt(),
                  j.get("failed").asInt(),
                  j.get("assigned").asInt(),
                  j.get("queued").asInt(),
                  j.get("tasks").asInt()));
    }
  }

  @Command(
      name = "watch",
      mixinStandardHelpOptions = true,
      description = "Follow a job until it is done or failed.")
  static final class Watch extends Operator {
    @Parameters(paramLabel = "JOB", description = "Job id.")
    long job;

    @Option(
        names = "--timeout-s",
        description = "Give up after this many seconds (default: ${DEFAULT-VALUE}).",
        defaultValue = "3600")
    long timeoutS;

    @Override
    public Integer call() throws Exception {
      FleetClient c = client();
      long end = System.currentTimeMillis() + timeoutS * 1000;
      String last = "";
      while (true) {
        JsonNode j = c.get(ApiPaths.job(job)).get("job");
        String line =
            String.format(
                "job %d '%s': %s, %d done, %d failed, %d running, %d queued of %d",
                j.get("id").asLong(),
                j.get("title").asText(),
                j.get("status").asText(),
                j.get("done").asInt(),
                j.get("failed").asInt(),
                j.get("assigned").asInt(),
                j.get("queued").asInt(),
                j.get("tasks").asInt());
        if (!line.equals(last) && !json) {
          out().println(line);
          out().flush();
          last = line;
        }
        if (!"running".equals(j.get("status").asText())) {
          if (json) print(c.get(ApiPaths.job(job)));
          return "done".equals(j.get("status").asText()) ? 0 : 1;
        }
        if (System.currentTimeMillis() > end)
          throw new IllegalStateException("job " + job + " still running after " + timeoutS + " s");
        Thread.sleep(500);
      }
    }
  }

  @Command(
      name = "alerts",
      mixinStandardHelpOptions = true,
      description = "List alerts (e.g. the dream monitor firing).")
  static final class Alerts extends Operator {
    @Override
    public Integer call() throws Exception {
      return listing(
          ApiPaths.alerts(),
          null,
          a ->
              String.format(
                  "%d %s robot %s task %s: %s",
                  a.get("id").asLong(),
                  java.time.Instant.ofEpochMilli(a.get("created_ms").asLong()),
                  a.get("robot_id").asText(),
                  a.get("task_id").asText(),
                  a.get("message").asText()));
    }
  }

  @Command(
      name = "datasets",
      mixinStandardHelpOptions = true,
      description = "Data collected per task: episodes, frames, hours, the LeRobot dataset.")
  static final class Datasets extends Operator {
    @Override
    public Integer call() throws Exception {
      return listing(
          ApiPaths.datasets(),
          null,
          d ->
              String.format(
                  "%-30s %4d episodes (%d successful), %6d frames, %.4f h  %s",
                  d.get("task").asText(),
                  d.get("episodes").asInt(),
                  d.get("successes").asInt(),
                  d.get("frames").asLong(),
                  d.get("hours").asDouble(),
                  d.get("dataset").asText()));
    }
  }

  @Command(
      name = "push-model",
      mixinStandardHelpOptions = true,
      description = "Register a world action model checkpoint as the next version of NAME.")
  static final class PushModel extends Operator {
    @Parameters(
        paramLabel = "DIR",
        description =
            "Checkpoint directory (e.g. models/pusht-wam or a run directory's step-NNNNNNN).")
    Path dir;

    @Option(names = "--name", required = true, description = "Model name.")
    String name;

    @Override
    public Integer call() throws Exception {
      if (!Files.isDirectory(dir))
        throw new IllegalArgumentException("checkpoint directory " + dir + " does not exist");
      byte[] bytes = Zips.zipTree(dir);
      JsonNode r = client().postBytes(ApiPaths.model(name), bytes, "application/zip");
      if (json) print(r);
      else
        out()
            .printf(
                "model %s version %d registered (%d bytes, sha256 %s)%n",
                r.get("name").asText(),
                r.get("version").asInt(),
                bytes.length,
                r.get("sha256").asText());
      out().flush();
      return 0;
    }
  }

  @Command(
      name = "models",
      mixinStandardHelpOptions = true,
      description = "List registered model versions.")
  static final class Models extends Operator {
    @Override
    public Integer call() throws Exception {
      return listing(
          ApiPaths.models(),
          null,
          m ->
              String.format(
                  "%-20s v%-3d %s",
                  m.get("name").asText(), m.get("version").asInt(), m.get("sha256").asText()));
    }
  }

  @Command(
      name = "deploy",
      mixinStandardHelpOptions = true,
      description =
          "Deploy a model version to a robot group, optionally to one canary robot first.")
  static final class Deploy extends Operator {
    @Option(names = "--model", required = true, description = "Model name.")
    String model;

    @Option(names = "--version", required = true, description = "Model version.")
    int version;

    @Option(
        names = "--group",
        description = "Robot group (default: ${DEFAULT-VALUE}).",
        defaultValue = "default")
    String group;

    @Option(
        names = "--canary",
        description = "Deploy to one robot of the group first; 'promote' or 'rollback' it after.")
    boolean canary;

    @Override
    public Integer call() throws Exception {
      JsonNode r =
          client()
              .post(
                  ApiPaths.deployments(),
                  java.util.Map.of(
                      "model", model, "version", version, "group", group, "canary", canary));
      if (json) print(r);
      else
        out()
            .printf(
                "deployment %d: %s v%d to group %s, %s%n",
                r.get("id").asLong(),
                model,
                version,
                group,
                canary ? "canary on " + r.get("canary_robot_id").asText() : "active");
      out().flush();
      return 0;
    }
  }

  @Command(
      name = "promote",
      mixinStandardHelpOptions = true,
      description = "Promote a canary deployment to its whole group.")
  static final class Promote extends Operator {
    @Parameters(paramLabel = "ID", description = "Deployment id.")
    long id;

    @Override
    public Integer call() throws Exception {
      print(client().post(ApiPaths.deployment(id, "promote"), null));
      return 0;
    }
  }

  @Command(
      name = "rollback",
      mixinStandardHelpOptions = true,
      description = "Roll a deployment back: its group returns to the deployment before it.")
  static final class Rollback extends Operator {
    @Parameters(paramLabel = "ID", description = "Deployment id.")
    long id;

    @Override
    public Integer call() throws Exception {
      print(client().post(ApiPaths.deployment(id, "rollback"), null));
      return 0;
    }
  }

  @Command(name = "deployments", mixinStandardHelpOptions = true, description = "List deployments.")
  static final class Deployments extends Operator {
    @Override
    public Integer call() throws Exception {
      return listing(
          ApiPaths.deployments(),
          null,
          d ->
              String.format(
                  "%-4d %s v%d -> group %s: %s%s",
                  d.get("id").asLong(),
                  d.get("model_name").asText(),
                  d.get("model_version").asInt(),
                  d.get("group").asText(),
                  d.get("status").asText(),
                  d.get("canary_robot_id").isNull()
                      ? ""
                      : " (canary " + d.get("canary_robot_id").asText() + ")"));
    }
  }
}
