package dev.wam4j.fleet.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wam4j.data.Zips;
import dev.wam4j.eval.CheckpointEvaluator;
import dev.wam4j.eval.ClosedLoopEvaluation;
import dev.wam4j.fleet.agent.FleetClient;
import dev.wam4j.fleet.api.ApiPaths;
import dev.wam4j.fleet.api.RobotApi;
import dev.wam4j.fleet.autopilot.Autopilot;
import dev.wam4j.fleet.autopilot.AutopilotConfig;
import dev.wam4j.fleet.store.Records;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The autopilot's hands on a real server: hours and live episodes from the store, the registry's
 * canary found again after a kill (no second deployment), promotion and rollback as robots see
 * them, deployed models evaluated once, and the autopilot's API (404 without one, pause/resume).
 */
class AutopilotFleetTest {
  @TempDir Path data;
  @TempDir Path models;
  private FleetServer server;
  private FleetClient operator;
  private final List<String> robots = new ArrayList<>();
  private final List<Path> evaluated = new ArrayList<>();

  @BeforeEach
  void start() throws Exception {
    server = FleetServer.start(FleetServer.Config.of(0, data, null));
    operator = new FleetClient("http://localhost:" + server.port(), server.bootstrapToken());
    operator.postBytes(
        ApiPaths.model("fleet"), Zips.zipTree(checkpoint("deployed-v1")), "application/zip");
    operator.post(
        ApiPaths.deployments(),
        Map.of("model", "fleet", "version", 1, "group", "lab", "canary", false));
    for (int i = 1; i <= 3; i++) {
      String id =
          operator
              .post(
                  ApiPaths.robots(),
                  new RobotApi.Enroll("arm-" + i, "lab"),
                  RobotApi.Enrolled.class)
              .robotId();
      server.store().robots().register(id, "robot", "{}"); // connected: it may claim tasks
      robots.add(id);
    }
  }

  @AfterEach
  void stop() {
    server.close();
  }

  /**
   * A folder the registry accepts as a checkpoint: the shipped model's metadata, unique per name
   * length.
   */
  private Path checkpoint(String name) throws Exception {
    Path dir = Files.createDirectories(models.resolve(name));
    Files.writeString(
        dir.resolve("checkpoint.json"),
        Files.readString(Path.of("../models/pusht-wam/checkpoint.json"))
            + "\n".repeat(name.length()));
    return dir;
  }

  private Autopilot.Fleet hands() throws Exception {
    CheckpointEvaluator fake =
        (checkpoint, config) -> {
          evaluated.add(checkpoint);
          return new ClosedLoopEvaluation.Result(
              config, 2, 0.5, 0.9, List.of(), null, null, 0, null);
        };
    return server.autopilotHands(
        AutopilotConfig.of("push", "lab"),
        fake,
        (config, run, log) -> {
          throw new AssertionError("no training here");
        },
        "candidates",
        line -> {});
  }

  /** A task of step "push" that {@code robot} ran with {@code model}, and its kept episode. */
  private void episode(String robot, String sha, int frames, boolean success, String model)
      throws Exception {
    operator.postMarkdown(ApiPaths.jobs(), "# j\n\n## push\n- count: 1\n");
    Records.Task t = server.store().tasks().claim(robot).orElseThrow();
    server
        .store()
        .tasks()
        .finish(
            robot, t.id(), true, "{\"success\": " + success + ", \"model\": \"" + model + "\"}");
    var u = server.store().uploads().open(robot, t.id(), "push", sha, 1);
    server.store().uploads().complete(u.id(), frames, success, "/nowhere/" + sha);
  }

  private String assigned(String robot) throws Exception {
    return server.store().models().assigned(robot).map(m -> "v" + m.version()).orElse("none");
  }

  @Test
  void aCanaryIsFoundAgainAfterAKillAndLiveEpisodesCountFromItsDeployment() throws Exception {
    Autopilot.Fleet f = hands();
    episode(robots.get(0), "a".repeat(64), 36_000, true, "fleet:1"); // before the canary
    int version =
        f.register(new Autopilot.Candidate("c1", checkpoint("c1").toString(), 1, 1, null));
    assertThat(version).isEqualTo(2);
    assertThat(f.canaryOf(version, "lab")).isEmpty();
    Autopilot.Canary c = f.deployCanary(version, "lab");
    // the autopilot killed before it saved the deployment asks again: the same one, not a second
    assertThat(f.canaryOf(version, "lab")).contains(c);
    assertThat(server.store().models().deployments()).hasSize(2);
    assertThat(assigned(c.robotId())).isEqualTo("v2");
    String other = robots.stream().filter(r -> !r.equals(c.robotId())).findFirst().orElseThrow();
    assertThat(assigned(other)).isEqualTo("v1");

    Thread.sleep(5); // the episodes below are kept after the deployment
    episode(c.robotId(), "b".repeat(64), 100, true, "fleet:2");
    episode(c.robotId(), "c".repeat(64), 300, false, "fleet:2");
    episode(c.robotId(), "9".repeat(64), 300, true, "fleet:1"); // begun before it had v2
    episode(other, "d".repeat(64), 300, false, "fleet:1");
    episode(other, "e".repeat(64), 120, true, "fleet:1");
    episode(other, "f".repeat(64), 110, true, "fleet:1");
    // each episode counted for the model that ran it: the canary's old-model one for neither
    assertThat(f.live(c)).isEqualTo(new Autopilot.Live(1, 2, 2, 3));
    assertThat(f.hours("push")).isEqualTo((36_000 + 1_230) / 36_000.0);
    assertThat(f.status(c)).isEqualTo(Autopilot.CanaryStatus.OUT);

    f.promote(c);
    f.promote(c); // again after a kill: nothing changes
    assertThat(assigned(other)).isEqualTo("v2");
    assertThat(f.status(c)).isEqualTo(Autopilot.CanaryStatus.PROMOTED);
    // registered again after a kill before the autopilot saved: the same version
    assertThat(f.register(new Autopilot.Candidate("c1", checkpoint("c1").toString(), 1, 1, null)))
        .isEqualTo(2);
  }

  @Test
  void aRolledBackCanaryReturnsItsRobotToTheGroupsModel() throws Exception {
    Autopilot.Fleet f = hands();
    Autopilot.Canary c =
        f.deployCanary(
            f.register(new Autopilot.Candidate("c1", checkpoint("c1").toString(), 1, 1, null)),
            "lab");
    f.rollBack(c);
    f.rollBack(c);
    assertThat(assigned(c.robotId())).isEqualTo("v1");
    assertThat(server.store().models().active("lab").map(Records.Deployment::modelVersion))
        .contains(1);
  }

  @Test
  void theDeployedModelIsEvaluatedOncePerVersionACandidateEachTime() throws Exception {
    Autopilot.Fleet f = hands();
    var seeds = new dev.wam4j.eval.SeedRange(200000, 200001);
    var cand = new Autopilot.Candidate("c1", checkpoint("c1").toString(), 1, 1, null);
    assertThat(f.simSuccess(Optional.empty(), "lab", seeds)).isEqualTo(0.5);
    f.simSuccess(Optional.empty(), "lab", seeds);
    f.simSuccess(Optional.of(cand), "lab", seeds);
    f.simSuccess(Optional.of(cand), "lab", seeds);
    assertThat(evaluated).hasSize(3);
    assertThat(evaluated.get(1)).isEqualTo(Path.of(cand.checkpoint()));
  }

  @Test
  void noSuccessfulEpisodeYetIsAFailedCandidateNotACrash() throws Exception {
    Autopilot.Fleet f = hands();
    episode(robots.get(0), "a".repeat(64), 300, false, "fleet:1");
    assertThatThrownBy(() -> f.train("c1", "push", "lab", true))
        .hasMessage("task 'push' has no successful episodes yet");
    assertThatThrownBy(() -> hands().train("c1", "push", "other-group", true))
        .hasMessageContaining("group 'other-group' has no active deployment");
  }

  @Test
  void aBadSceneOrFineTuningFieldIsRefusedAtStartNotAfterTheFirstCandidate() {
    var bogus = new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode().put("lr", 1);
    assertThatThrownBy(
            () ->
                server.startAutopilot(
                    AutopilotConfig.of("push", "lab").withFinetune(bogus),
                    (c, e) -> null,
                    (c, r, l) -> {},
                    h -> h,
                    l -> {}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("autopilot finetune: unknown field 'lr'");
    var wrongType =
        new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode().put("steps", "many");
    assertThatThrownBy(
            () ->
                server.startAutopilot(
                    AutopilotConfig.of("push", "lab").withFinetune(wrongType),
                    (c, e) -> null,
                    (c, r, l) -> {},
                    h -> h,
                    l -> {}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(
            "field 'steps': Cannot deserialize value of type `int` from String \"many\"");
    assertThatThrownBy(
            () ->
                server.startAutopilot(
                    AutopilotConfig.of("push", "lab").forFleet("push", "lab", "nowhere.json"),
                    (c, e) -> null,
                    (c, r, l) -> {},
                    h -> h,
                    l -> {}))
        .hasMessageContaining("autopilot scene 'nowhere.json'");
    var replay = new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode();
    replay.putArray("extraDatasets").add(models.resolve("no-such-data").toString());
    assertThatThrownBy(
            () ->
                server.startAutopilot(
                    AutopilotConfig.of("push", "lab").withFinetune(replay),
                    (c, e) -> null,
                    (c, r, l) -> {},
                    h -> h,
                    l -> {}))
        .hasMessageContaining("autopilot finetune.extraDatasets: ")
        .hasMessageContaining("no-such-data is not a dataset folder");
  }

  @Test
  void operatorsPauseAndResumeTheAutopilotThroughTheApi() throws Exception {
    assertThatThrownBy(() -> operator.get(ApiPaths.autopilot()))
        .hasMessageContaining("this server runs no autopilot");
    server.startAutopilot(
        AutopilotConfig.of("push", "lab"),
        (checkpoint, config) -> {
          throw new AssertionError("no data: nothing to evaluate");
        },
        (config, run, log) -> {
          throw new AssertionError("no data: nothing to train");
        },
        hands -> hands,
        line -> {});
    JsonNode paused = operator.post(ApiPaths.autopilot() + "/pause", null);
    assertThat(paused.get("paused").asBoolean()).isTrue();
    assertThat(paused.get("interventions").asInt()).isEqualTo(1);
    JsonNode resumed = operator.post(ApiPaths.autopilot() + "/resume", null);
    assertThat(resumed.get("paused").asBoolean()).isFalse();
    JsonNode all = operator.get(ApiPaths.autopilot());
    assertThat(all.get("state").get("interventions").asInt()).isEqualTo(2);
    assertThat(all.get("decisions").findValuesAsText("kind")).containsExactly("paused", "resumed");
    assertThat(all.get("config").get("task").asText()).isEqualTo("push");
    assertThat(
            Files.exists(
                server.autopilotDir(AutopilotConfig.of("push", "lab")).resolve("autopilot.json")))
        .isTrue();
  }

  @Test
  void aCandidateResumedUnderOtherDataIsLabelledAndTrainedAgainNotGivenTheOldData()
      throws Exception {
    Path cand = Files.createDirectories(data.resolve("cand"));
    List<String> log = new ArrayList<>();
    assertThat(AutopilotFleet.sameData(cand, "k-expert-all", log::add)).as("no data yet").isFalse();
    Files.createDirectories(cand.resolve("data/meta"));
    Files.createDirectories(cand.resolve("train/step-0000500"));
    Files.createDirectories(cand.resolve("model"));
    Files.writeString(cand.resolve(AutopilotFleet.DATA_LABELS), "k-expert-all\n");
    assertThat(AutopilotFleet.sameData(cand, "k-expert-all", log::add)).isTrue();
    assertThat(cand.resolve("train/step-0000500")).as("its training resumes").isDirectory();
    assertThat(log).isEmpty();

    assertThat(AutopilotFleet.sameData(cand, "k-successful", log::add))
        .as("labels and episodes switched")
        .isFalse();
    assertThat(cand.resolve("data")).doesNotExist();
    assertThat(cand.resolve("train")).as("trained on the old data").doesNotExist();
    assertThat(cand.resolve("model")).as("exported from the old data").doesNotExist();
    assertThat(cand.resolve(AutopilotFleet.DATA_LABELS)).doesNotExist();
    assertThat(log)
        .singleElement()
        .asString()
        .contains("data are k-expert-all, now wanted: k-successful");

    Files.createDirectories(cand.resolve("data/meta")); // from before the key was kept
    assertThat(AutopilotFleet.sameData(cand, "k-successful", log::add)).isFalse();
    assertThat(log.get(1)).contains("data are unknown");
  }

  @Test
  void aCandidateOfRecentHoursTakesTheNewestEpisodesThatAddUpToThem() {
    List<Records.Episode> all = new java.util.ArrayList<>();
    for (int i = 1; i <= 5; i++)
      all.add(new Records.Episode(i, "r", 1L, "push", "x", 1800, false, "p" + i, 0)); // 0.05 h each
    assertThat(AutopilotFleet.newest(all, 0.1))
        .extracting(Records.Episode::id)
        .containsExactly(4L, 5L);
    assertThat(AutopilotFleet.newest(all, 0.11))
        .extracting(Records.Episode::id)
        .containsExactly(3L, 4L, 5L);
    assertThat(AutopilotFleet.newest(all, 9)).hasSize(5);
  }
}
