package dev.wam4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wam4j.fleet.server.FleetServer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Operator commands and a robot agent against a real server: enrol, submit a markdown job, execute
 * it, alerts.
 */
class FleetCommandTest {
  @TempDir Path tmp;

  @Test
  void aRobotAgentExecutesASubmittedJobStreamsStateAndRaisesTheDreamAlarm() throws Exception {
    Path data = tmp.resolve("robot-2"), run = tmp.resolve("run");
    assertThat(
            new CliRun()
                .run("sim", "collect", "--episodes", "2", "--seed", "7", "--out", data.toString()))
        .isZero();
    Path config = tmp.resolve("tiny.json");
    Files.writeString(
        config,
        """
        {"dataset": "robot-2", "steps": 4, "batchSize": 4, "latentChannels": 4, "encoderChannels": 8, "dynamicsChannels": 16,
         "dynamicsBlocks": 1, "featureSize": 32, "headWidth": 64, "headLayers": 2, "warmupSteps": 1, "logEverySteps": 2,
         "checkpointEverySteps": 4}
        """);
    assertThat(
            new CliRun()
                .run("train", "finetune", "--config", config.toString(), "--out", run.toString()))
        .isZero();

    try (FleetServer server =
        FleetServer.start(FleetServer.Config.of(0, tmp.resolve("fleet"), null))) {
      String url = "http://localhost:" + server.port(), op = server.bootstrapToken();
      CliRun enroll = new CliRun();
      assertThat(enroll.run("fleet", "enroll", "arm-1", "--server", url, "--token", op, "--json"))
          .isZero();
      String robotToken = new ObjectMapper().readTree(enroll.out.toString()).get("token").asText();
      Path job = tmp.resolve("job.md");
      Files.writeString(
          job,
          "# Two short pushes\n\n## Push\n- count: 2\n- max-steps: 24\n- success-score: 0.5\n");
      CliRun submit = new CliRun();
      assertThat(submit.run("fleet", "submit", job.toString(), "--server", url, "--token", op))
          .isZero();
      assertThat(submit.out.toString()).contains("job 1 'Two short pushes': 2 tasks queued");
      Path bad = tmp.resolve("bad.md");
      Files.writeString(bad, "# Job\n## Step\n- count: many\n");
      CliRun refused = new CliRun();
      assertThat(refused.run("fleet", "submit", bad.toString(), "--server", url, "--token", op))
          .isEqualTo(2);
      assertThat(refused.err.toString()).contains("line 3: count must be an integer, got 'many'");

      // threshold 0: the alarm fires at the first relative-divergence sample (step 8) and the agent
      // hands over
      CliRun robot = new CliRun();
      assertThat(
              robot.run(
                  "robot",
                  "--server",
                  url,
                  "--token",
                  robotToken,
                  "--checkpoint",
                  run.toString(),
                  "--max-tasks",
                  "2",
                  "--alarm-threshold",
                  "0",
                  "--outbox",
                  tmp.resolve("outbox").toString()))
          .isZero();
      JsonNode summary = new ObjectMapper().readTree(robot.out.toString());
      assertThat(summary.get("tasks").asInt()).isEqualTo(2);
      assertThat(summary.get("handed_over").asInt()).isEqualTo(2);
      assertThat(summary.get("telemetry_messages").asLong()).isGreaterThanOrEqualTo(16);
      assertThat(robot.out.toString()).doesNotContain(robotToken).contains("***");

      CliRun jobs = new CliRun();
      assertThat(jobs.run("fleet", "jobs", "--server", url, "--token", op, "--json")).isZero();
      JsonNode j = new ObjectMapper().readTree(jobs.out.toString()).get(0);
      assertThat(j.get("tasks").asInt()).isEqualTo(2);
      assertThat(j.get("assigned").asInt()).isZero();
      CliRun alerts = new CliRun();
      assertThat(alerts.run("fleet", "alerts", "--server", url, "--token", op, "--json")).isZero();
      JsonNode a = new ObjectMapper().readTree(alerts.out.toString());
      assertThat(a).hasSize(2);
      assertThat(a.get(0).get("kind").asText()).isEqualTo("dream_divergence");
      assertThat(a.get(0).get("message").asText()).contains("at step 8").contains("handed over");
      CliRun robots = new CliRun();
      assertThat(robots.run("fleet", "robots", "--server", url, "--token", op)).isZero();
      assertThat(robots.out.toString())
          .contains("arm-1")
          .contains("offline"); // the agent said goodbye
      assertThat(server.store().robots().telemetryCount(summary.get("robot_id").asText()))
          .isEqualTo(summary.get("telemetry_messages").asLong());

      // the flywheel: both episodes (8 steps each: handed over at the alarm) reached the task's
      // LeRobot dataset
      assertThat(summary.get("episodes_uploaded").asInt()).isEqualTo(2);
      assertThat(summary.get("uploads_pending").asInt()).isZero();
      server.awaitDatasets();
      CliRun datasets = new CliRun();
      assertThat(datasets.run("fleet", "datasets", "--server", url, "--token", op, "--json"))
          .isZero();
      JsonNode d = new ObjectMapper().readTree(datasets.out.toString()).get(0);
      assertThat(d.get("task").asText()).isEqualTo("Push");
      assertThat(d.get("episodes").asInt()).isEqualTo(2);
      assertThat(d.get("frames").asLong()).isEqualTo(16);
      try (var ds =
          dev.wam4j.data.lerobot.LeRobotDataset.open(Path.of(d.get("dataset").asText()))) {
        assertThat(ds.episodes()).hasSize(2);
        assertThat(ds.episodes().get(1).length()).isEqualTo(8);
      }
      CliRun episodes = new CliRun();
      assertThat(
              episodes.run("fleet", "episodes", "--task", "Push", "--server", url, "--token", op))
          .isZero();
      assertThat(episodes.out.toString())
          .contains("frames")
          .contains(summary.get("robot_id").asText());
      CliRun quarantine = new CliRun();
      assertThat(quarantine.run("fleet", "quarantine", "--server", url, "--token", op, "--json"))
          .isZero();
      assertThat(new ObjectMapper().readTree(quarantine.out.toString())).isEmpty();

      // a model pushed to the registry and deployed to a canary: the robot downloads and runs it
      CliRun push = new CliRun();
      assertThat(
              push.run(
                  "fleet",
                  "push-model",
                  run.resolve("step-0000004").toString(),
                  "--name",
                  "tiny",
                  "--server",
                  url,
                  "--token",
                  op))
          .isZero();
      assertThat(push.out.toString()).contains("model tiny version 1 registered");
      CliRun deploy = new CliRun();
      assertThat(
              deploy.run(
                  "fleet",
                  "deploy",
                  "--model",
                  "tiny",
                  "--version",
                  "1",
                  "--canary",
                  "--server",
                  url,
                  "--token",
                  op))
          .isZero();
      assertThat(deploy.out.toString()).contains("canary on " + summary.get("robot_id").asText());
      Files.writeString(job, "# One more\n\n## Push\n- max-steps: 8\n");
      assertThat(
              new CliRun().run("fleet", "submit", job.toString(), "--server", url, "--token", op))
          .isZero();
      CliRun again = new CliRun();
      assertThat(
              again.run(
                  "robot",
                  "--server",
                  url,
                  "--token",
                  robotToken,
                  "--checkpoint",
                  run.toString(),
                  "--max-tasks",
                  "1",
                  "--outbox",
                  tmp.resolve("outbox").toString(),
                  "--model-cache",
                  tmp.resolve("models").toString()))
          .isZero();
      assertThat(new ObjectMapper().readTree(again.out.toString()).get("model").asText())
          .isEqualTo("tiny:1");
      assertThat(again.err.toString()).contains("running model tiny:1");
      assertThat(tmp.resolve("models/tiny-v1")).isDirectory();
      CliRun rollback = new CliRun();
      assertThat(rollback.run("fleet", "rollback", "1", "--server", url, "--token", op)).isZero();
      assertThat(rollback.out.toString()).contains("rolled_back");
    }
  }

  @Test
  void fleetBuildLocalBuildsADesignThroughTheApiAndPrintsFactoryRunsResult() throws Exception {
    Path design = tmp.resolve("pair.md");
    Files.writeString(
        design,
        "# Pair\n## Parts\n- left: I at 200, 190, 0 from 190, 240, 0.2\n"
            + "- right: I at 312, 190, 0 from 322, 240, -0.2\n## Options\n- robots: 2\n");
    CliRun build = new CliRun();
    assertThat(build.run("fleet", "build", design.toString(), "--local", "--json"))
        .as(build.err.toString())
        .isZero();
    JsonNode r = new ObjectMapper().readTree(build.out.toString());
    for (String key :
        new String[] {
          "parts_total",
          "parts_placed",
          "product_complete",
          "pushes",
          "interventions",
          "sim_minutes",
          "wall_seconds",
          "parts"
        }) assertThat(r.has(key)).as(key).isTrue();
    assertThat(r.get("product_complete").asBoolean()).isTrue();
    assertThat(r.get("parts").get(0).get("placed").asBoolean()).isTrue();
    assertThat(build.err.toString()).contains("2/2 placed");
    Path bad = tmp.resolve("bad.md");
    Files.writeString(bad, "# X\n## Parts\n- a: Q at 100, 100, 0\n");
    CliRun refused = new CliRun();
    assertThat(refused.run("fleet", "build", bad.toString(), "--local")).isEqualTo(2);
    assertThat(refused.err.toString()).contains("bad.md").contains("line 3");
  }

  @Test
  void listingsShowControlCharactersOfStoredTextEscapedNeverRaw() {
    assertThat(FleetCommand.Operator.printable("job \u0000 \u001b[31mred\u001b[0m done"))
        .isEqualTo("job \\u0000 \\u001b[31mred\\u001b[0m done");
    assertThat(FleetCommand.Operator.printable("plain ünïcode")).isEqualTo("plain ünïcode");
  }
}
