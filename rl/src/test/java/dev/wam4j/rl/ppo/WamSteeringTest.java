package dev.wam4j.rl.ppo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wam4j.eval.ClosedLoopEvaluation;
import dev.wam4j.model.load.ChunkPolicies;
import dev.wam4j.model.policy.ChunkPolicy;
import dev.wam4j.model.steer.SteeredPolicy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WamSteeringTest {
  /** The shipped world action model (the tests run in the module's folder). */
  private static final Path MODEL =
      Path.of("..", "models", "pusht-wam").toAbsolutePath().normalize();

  private static final Ppo.Listener QUIET = (s, total) -> {};

  @TempDir Path tmp;

  /**
   * 4 updates of 2 environments x 2 plans in PushT with 24-step episodes, a checkpoint every 2
   * updates.
   */
  private SteerConfig tiny(String mode) throws Exception {
    ObjectNode o = PpoConfig.JSON.createObjectNode();
    o.put("model", MODEL.toString())
        .put("mode", mode)
        .put("scene", ShortScene.write(tmp, 24).toString())
        .put("envs", 2)
        .put("rolloutPlans", 2)
        .put("totalPlans", 16)
        .put("minibatches", 2)
        .put("hidden", 8)
        .put("checkpointEveryUpdates", 2);
    return PpoConfig.parse(o, SteerConfig.defaults(), SteerConfig.class, "tiny");
  }

  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(strings = {"noise", "residual"})
  void aSteeringRunKilledAfterACheckpointResumesToExactlyTheUninterruptedResult(String mode)
      throws Exception {
    SteerConfig c = tiny(mode);
    WamSteering.Result whole = WamSteering.train(c, tmp.resolve("whole"), QUIET);
    assertThat(whole.updates()).isEqualTo(4);
    assertThat(whole.envSteps()).isPositive().isLessThanOrEqualTo(16 * 6);
    assertThat(Files.readAllLines(tmp.resolve("whole/log.csv"))).hasSize(5);
    assertThat(tmp.resolve("whole/steer.json")).isRegularFile();
    Path broken = tmp.resolve("broken");
    assertThatThrownBy(
            () ->
                WamSteering.train(
                    c,
                    broken,
                    (s, total) -> {
                      if (s.update() == 3) throw new IllegalStateException("killed");
                    }))
        .hasMessage("killed");
    WamSteering.train(c, broken, QUIET);
    assertThat(Files.readAllBytes(broken.resolve("checkpoints/update-000004/state.bin")))
        .isEqualTo(Files.readAllBytes(tmp.resolve("whole/checkpoints/update-000004/state.bin")));
    List<String> a = Files.readAllLines(tmp.resolve("whole/log.csv")),
        b = Files.readAllLines(broken.resolve("log.csv"));
    for (int i = 1; i < a.size(); i++) { // every figure but the timings
      String[] x = a.get(i).split(","), y = b.get(i).split(",");
      assertThat(List.of(x[0], x[1], x[4], x[5], x[6], x[9], x[10]))
          .isEqualTo(List.of(y[0], y[1], y[4], y[5], y[6], y[9], y[10]));
    }
  }

  @Test
  void anExportedActorIsTheCheckpointsAndRunsAsAPolicyInClosedLoop() throws Exception {
    SteerConfig c = tiny("residual");
    WamSteering.train(c, tmp.resolve("run"), QUIET);
    Path out = tmp.resolve("steered");
    SteeredExport.Result r = SteeredExport.export(tmp.resolve("run"), out);
    assertThat(r.update()).isEqualTo(4);
    assertThat(out.resolve("base/checkpoint.json")).isRegularFile();
    assertThat(out.resolve("MODEL_CARD.md"))
        .content()
        .contains("residual")
        .contains("lineage_train_seconds");
    assertThat(r.lineageTrainSeconds()).isGreaterThan(r.runSeconds());
    float[] params = PpoRun.read(tmp.resolve("run"), paramsOf(tmp.resolve("run"))).params();
    try (ChunkPolicy p = ChunkPolicies.load(out)) {
      assertThat(p).isInstanceOf(SteeredPolicy.class);
      float[] actor = ((SteeredPolicy) p).steering().actor();
      assertThat(actor)
          .isEqualTo(Arrays.copyOf(params, actor.length)); // bit for bit through the JSON
      var result =
          ClosedLoopEvaluation.run(
              p,
              ClosedLoopEvaluation.Config.seeds(200000, 200000).withMaxSteps(12).withDream(false),
              null);
      assertThat(result.perSeed().get(0).steps()).isEqualTo(12);
    }
    assertThatThrownBy(() -> SteeredExport.export(tmp.resolve("run"), out))
        .hasMessageContaining("exists");
    var shipped = PpoConfig.JSON.readTree(out.resolve(SteeredPolicy.FILE).toFile());
    assertThat(shipped.get("base_policy_sha256").asText()).hasSize(64);
    // nothing of this machine: the run outside the project by its name, the model inside it
    // relative
    assertThat(shipped.get("run").asText()).isEqualTo("run");
    assertThat(shipped.get("config").get("model").asText()).isEqualTo("models/pusht-wam");
    // one folder, one kind of run
    assertThatThrownBy(() -> Ppo.train(PpoConfig.defaults(), tmp.resolve("run"), QUIET))
        .hasMessageContaining("another kind of run (steer.json)");
    assertThatThrownBy(() -> SteeredExport.export(tmp, tmp.resolve("x")))
        .hasMessageContaining("not a steering run folder");
  }

  /** The weights per checkpoint of a run: what its state file holds. */
  private static int paramsOf(Path run) throws Exception {
    try (var in =
        new java.io.DataInputStream(
            Files.newInputStream(run.resolve("checkpoints/update-000004/state.bin")))) {
      in.readInt();
      return in.readInt();
    }
  }

  @Test
  void anExportedNoiseActorPlansWhatTheRunsWeightsPlan() throws Exception {
    WamSteering.train(tiny("noise"), tmp.resolve("run"), QUIET);
    SteeredExport.export(tmp.resolve("run"), tmp.resolve("steered"));
    float[] params = PpoRun.read(tmp.resolve("run"), paramsOf(tmp.resolve("run"))).params();
    var env = dev.wam4j.sim.pusht.PushTEnv.reference();
    env.reset(200000);
    try (SteeredPolicy p =
        SteeredPolicy.load(
            tmp.resolve("steered"), dev.wam4j.model.policy.PlanSettings.CHECKPOINT)) {
      var seen =
          new dev.wam4j.eval.ObservationHistory(env.scene(), p.imageSize(), p.historyFrames());
      seen.start(env);
      p.reset(0);
      float[] planned = p.plan(seen.images(), seen.positions(), false).actions();
      // the same decision from the run's own weights, as the rollout makes it with the actor's mean
      var actor = p.steering().network(p.model().actionValues());
      var ws = actor.workspace(1);
      var perception = p.model().perceive(seen.images(), seen.positions());
      dev.wam4j.model.steer.Steering.features(perception, new double[5], true, ws.input(), 0);
      actor.forward(params, 0, ws, 1);
      assertThat(planned).isEqualTo(p.steering().chunk(p.model(), perception, ws.output(), 0));
      assertThatThrownBy(
              () ->
                  SteeredPolicy.load(
                      tmp.resolve("steered"),
                      dev.wam4j.model.policy.PlanSettings.CHECKPOINT.withImagineCandidates(4)))
          .hasMessageContaining("without imagination");
    }
  }

  @Test
  void cousinsThatChangeMoreThanThePhysicsAreRefusedForTheSteeredModel() throws Exception {
    Path cousins = tmp.resolve("look.json");
    Files.writeString(cousins, "{\"colours\": {\"block\": [10, 10, 10]}}");
    ObjectNode o = PpoConfig.JSON.valueToTree(tiny("noise"));
    o.put("scene", "pusht").put("cousins", cousins.toString()).put("checkpointEveryUpdates", 13);
    SteerConfig c = PpoConfig.parse(o, SteerConfig.defaults(), SteerConfig.class, "look");
    assertThatThrownBy(() -> WamSteering.train(c, tmp.resolve("look"), QUIET))
        .hasMessageContaining("physics only");
  }

  @Test
  void steeringConfigMistakesNameTheFieldAndTheFile() throws Exception {
    Path f = tmp.resolve("steer.json");
    Files.writeString(f, "{\"mode\": \"noize\"}");
    assertThatThrownBy(() -> SteerConfig.load(f))
        .hasMessageContaining("steer.json")
        .hasMessageContaining("got 'noize'");
    Files.writeString(f, "{\"cousinsShare\": 2}");
    assertThatThrownBy(() -> SteerConfig.load(f))
        .hasMessageContaining("cousinsShare must lie in [0, 1]");
    Files.writeString(f, "{\"plans\": 2}");
    assertThatThrownBy(() -> SteerConfig.load(f)).hasMessageContaining("unknown field 'plans'");
    Files.writeString(f, "{\"model\": \"m\", \"cousins\": \"c.json\"}");
    SteerConfig c = SteerConfig.load(f);
    assertThat(Path.of(c.model())).isEqualTo(tmp.resolve("m"));
    assertThat(Path.of(c.cousins())).isEqualTo(tmp.resolve("c.json"));
  }

  @Test
  void checkpointsThatWouldCutEveryEpisodeShortAreRefusedBeforeTheFolderIsWritten()
      throws Exception {
    ObjectNode o = PpoConfig.JSON.valueToTree(tiny("noise"));
    o.put("scene", "pusht");
    SteerConfig c = PpoConfig.parse(o, SteerConfig.defaults(), SteerConfig.class, "cut");
    assertThatThrownBy(() -> WamSteering.train(c, tmp.resolve("cut"), QUIET))
        .hasMessageContaining("300-step episodes");
    assertThat(tmp.resolve("cut/steer.json")).doesNotExist();
  }
}
