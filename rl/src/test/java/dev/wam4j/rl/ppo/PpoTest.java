package dev.wam4j.rl.ppo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PpoTest {
  @TempDir Path tmp;

  /**
   * 4 updates of 4 environments x 64 steps, a checkpoint every 2, in PushT with 100-step episodes;
   * minibatches of 128 rows: two gradient chunks each.
   */
  private PpoConfig tiny(int threads) throws Exception {
    ObjectNode o = PpoConfig.JSON.createObjectNode();
    o.put("scene", ShortScene.write(tmp, 100).toString())
        .put("envs", 4)
        .put("threads", threads)
        .put("totalSteps", 4 * 4 * 64)
        .put("rolloutSteps", 64)
        .put("minibatches", 2)
        .put("hidden", 16)
        .put("checkpointEveryUpdates", 2);
    return PpoConfig.parse(o, "tiny");
  }

  private static final Ppo.Listener QUIET = (s, total) -> {};

  private static byte[] finalState(Path run) throws Exception {
    return Files.readAllBytes(run.resolve("checkpoints/update-000004/state.bin"));
  }

  @Test
  void aRunLogsEveryUpdateAndCheckpointsAtomically() throws Exception {
    Ppo.Result r = Ppo.train(tiny(1), tmp.resolve("run"), QUIET);
    assertThat(r.updates()).isEqualTo(4);
    assertThat(r.envSteps()).isEqualTo(1024);
    List<String> log = Files.readAllLines(tmp.resolve("run/log.csv"));
    assertThat(log).hasSize(5);
    assertThat(log.get(0)).startsWith("update,env_steps,");
    assertThat(log.get(4)).startsWith("4,1024,");
    assertThat(tmp.resolve("run/checkpoints/update-000002/checkpoint.json")).isRegularFile();
    assertThat(tmp.resolve("run/checkpoints/update-000004/state.bin")).isRegularFile();
    assertThat(tmp.resolve("run/curves.png")).isRegularFile();
    assertThat(tmp.resolve("run/ppo.json")).isRegularFile();
    try (var s = Files.list(tmp.resolve("run/checkpoints"))) {
      assertThat(s.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith(".tmp"));
    }
    assertThat(Double.isFinite(r.last().valueLoss())).isTrue();
  }

  @Test
  void aRunKilledAfterACheckpointResumesToExactlyTheUninterruptedResult() throws Exception {
    Ppo.train(tiny(1), tmp.resolve("whole"), QUIET);
    Path broken = tmp.resolve("broken");
    // dies in update 3, after checkpoint 2 and with update 3's log row written
    assertThatThrownBy(
            () ->
                Ppo.train(
                    tiny(1),
                    broken,
                    (s, total) -> {
                      if (s.update() == 3) throw new IllegalStateException("killed");
                    }))
        .hasMessage("killed");
    assertThat(Files.readAllLines(broken.resolve("log.csv"))).hasSize(4);
    long[] resumedAt = {-1};
    Ppo.train(
        tiny(1),
        broken,
        new Ppo.Listener() {
          @Override
          public void update(Ppo.UpdateStats s, long total) {}

          @Override
          public void resumed(long update) {
            resumedAt[0] = update;
          }
        });
    assertThat(resumedAt[0]).isEqualTo(2);
    assertThat(finalState(broken)).isEqualTo(finalState(tmp.resolve("whole")));
    List<String> a = Files.readAllLines(tmp.resolve("whole/log.csv")),
        b = Files.readAllLines(broken.resolve("log.csv"));
    assertThat(b).hasSize(5);
    for (int i = 1; i < 5; i++) {
      // every column but the wall-clock ones (seconds, steps/s, rollout and learn seconds)
      String[] x = a.get(i).split(","), y = b.get(i).split(",");
      for (int k : new int[] {0, 1, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15})
        assertThat(y[k]).as("row %d column %d", i, k).isEqualTo(x[k]);
    }
  }

  @Test
  void theResultDoesNotDependOnTheThreads() throws Exception {
    Ppo.train(tiny(1), tmp.resolve("one"), QUIET);
    Ppo.train(tiny(2), tmp.resolve("two"), QUIET);
    assertThat(finalState(tmp.resolve("two"))).isEqualTo(finalState(tmp.resolve("one")));
  }

  @Test
  void aFolderHoldsOneConfigButMayBeExtended() throws Exception {
    Path run = tmp.resolve("run");
    Ppo.train(tiny(1), run, QUIET);
    ObjectNode changed = PpoConfig.JSON.valueToTree(tiny(1));
    changed.put("seed", 9);
    PpoConfig other = PpoConfig.parse(changed, "other");
    assertThatThrownBy(() -> Ppo.train(other, run, QUIET)).hasMessageContaining("another config");
    Ppo.Result longer = Ppo.train(tiny(1).withTotalSteps(6 * 4 * 64), run, QUIET);
    assertThat(longer.updates()).isEqualTo(6);
    assertThat(Files.readAllLines(run.resolve("log.csv"))).hasSize(7);
  }

  @Test
  void checkpointsThatWouldCutEveryEpisodeShortAreRefused() throws Exception {
    ObjectNode o = PpoConfig.JSON.createObjectNode();
    o.put("envs", 2)
        .put("totalSteps", 64)
        .put("rolloutSteps", 16)
        .put("minibatches", 2)
        .put("checkpointEveryUpdates", 1);
    assertThatThrownBy(() -> Ppo.train(PpoConfig.parse(o, "short"), tmp.resolve("cut"), QUIET))
        .hasMessageContaining("fewer than the scene's 300-step episodes");
    assertThat(tmp.resolve("cut/ppo.json")).doesNotExist();
  }

  @Test
  void aDamagedNewestCheckpointFallsBackToTheOneBefore() throws Exception {
    Path run = tmp.resolve("run");
    Ppo.train(tiny(1), run, QUIET);
    Files.write(run.resolve("checkpoints/update-000004/state.bin"), new byte[0]);
    assertThat(PpoPolicy.load(run).update()).isEqualTo(2);
  }

  @Test
  void domainRandomisationDrawsEveryEpisodesPhysicsWhateverTheThreads() throws Exception {
    Path cousins = tmp.resolve("slippery.json");
    Files.writeString(cousins, "{\"physics\": {\"damping\": [0.02, 0.05], \"kp\": [80, 120]}}");
    ObjectNode o = PpoConfig.JSON.createObjectNode();
    // cousin episodes run PushT's 300 steps: 5 updates x 64 steps per checkpoint let them end
    o.put("cousins", cousins.toString())
        .put("envs", 2)
        .put("totalSteps", 2 * 64 * 5)
        .put("rolloutSteps", 64)
        .put("minibatches", 2)
        .put("hidden", 8)
        .put("checkpointEveryUpdates", 5);
    PpoConfig c = PpoConfig.parse(o, "dr");
    Ppo.train(c, tmp.resolve("one"), QUIET);
    Ppo.train(c.withThreads(2), tmp.resolve("two"), QUIET);
    Path last = Path.of("checkpoints/update-000005/state.bin");
    assertThat(Files.readAllBytes(tmp.resolve("two").resolve(last)))
        .isEqualTo(Files.readAllBytes(tmp.resolve("one").resolve(last)));
    // the same run on the reference physics learns from other episodes
    o.put("cousins", "");
    Ppo.train(PpoConfig.parse(o, "reference"), tmp.resolve("reference"), QUIET);
    assertThat(Files.readAllBytes(tmp.resolve("reference").resolve(last)))
        .isNotEqualTo(Files.readAllBytes(tmp.resolve("one").resolve(last)));
    // a share of the episodes from the scene itself: another mix of episodes
    o.put("cousins", cousins.toString()).put("cousinsShare", 0.5);
    Ppo.train(PpoConfig.parse(o, "half"), tmp.resolve("half"), QUIET);
    assertThat(Files.readAllBytes(tmp.resolve("half").resolve(last)))
        .isNotEqualTo(Files.readAllBytes(tmp.resolve("one").resolve(last)));
    o.put("cousinsShare", 1.0).put("scene", "cousin_l");
    assertThatThrownBy(() -> Ppo.train(PpoConfig.parse(o, "both"), tmp.resolve("both"), QUIET))
        .hasMessageContaining("cousins are drawn around pusht");
  }

  @Test
  void aPixelPolicyLearnsFromFramesAndIsEvaluatedOnThem() throws Exception {
    ObjectNode o = PpoConfig.JSON.createObjectNode();
    o.put("scene", ShortScene.write(tmp, 50).toString())
        .put("observation", "pixels")
        .put("envs", 2)
        .put("totalSteps", 2 * 32 * 2)
        .put("rolloutSteps", 32)
        .put("minibatches", 2)
        .put("hidden", 8)
        .put("checkpointEveryUpdates", 2);
    PpoConfig c = PpoConfig.parse(o, "pixels");
    assertThat(c.networks().observations).isEqualTo(2 * 32 * 32 + 4);
    Ppo.train(c, tmp.resolve("px"), QUIET);
    PpoPolicy policy = PpoPolicy.load(tmp.resolve("px"));
    assertThat(policy.evaluate(null, 200000, 2)).hasSize(2);
    assertThat(policy.config().observation()).isEqualTo("pixels");
    assertThat(policy.weights()).hasSize(c.networks().parameters);
    o.put("observation", "depth");
    assertThatThrownBy(() -> PpoConfig.parse(o, "depth"))
        .hasMessageContaining("observation must be 'state' or 'pixels', got 'depth'");
  }

  @Test
  void initStartsFromAnotherRunsActorAndCriticWithExplorationReset() throws Exception {
    Ppo.train(tiny(1), tmp.resolve("teacher"), QUIET);
    float[] teacher = PpoPolicy.load(tmp.resolve("teacher")).weights();
    ObjectNode o = PpoConfig.JSON.valueToTree(tiny(1));
    o.put("init", tmp.resolve("teacher").toString()).put("initialLogStd", -2.0);
    PpoConfig c = PpoConfig.parse(o, "init");
    PpoNetworks nets = c.networks();
    float[] start = PpoRun.initialWeights(c, nets);
    assertThat(Arrays.copyOf(start, nets.logStdOffset))
        .isEqualTo(Arrays.copyOf(teacher, nets.logStdOffset));
    assertThat(Arrays.copyOfRange(start, nets.logStdOffset, nets.parameters)).containsOnly(-2f);
    o.put("hidden", 32);
    PpoConfig wider = PpoConfig.parse(o, "wider");
    assertThatThrownBy(() -> PpoRun.initialWeights(wider, wider.networks()))
        .hasMessageContaining("2 hidden layers of 16");
  }

  @Test
  void configMistakesNameTheFieldAndTheFile() throws Exception {
    Path f = tmp.resolve("ppo.json");
    Files.writeString(f, "{\"envz\": 4}");
    assertThatThrownBy(() -> PpoConfig.load(f))
        .hasMessageContaining("ppo.json")
        .hasMessageContaining("unknown field 'envz'");
    Files.writeString(f, "{\"reward\": {\"sucess\": 1}}");
    assertThatThrownBy(() -> PpoConfig.load(f))
        .hasMessageContaining("unknown field 'reward.sucess'");
    Files.writeString(f, "{\"gamma\": 1.5}");
    assertThatThrownBy(() -> PpoConfig.load(f)).hasMessageContaining("gamma must lie in (0, 1]");
    Files.writeString(f, "{\"firstResetSeed\": 100000}");
    assertThatThrownBy(() -> PpoConfig.load(f))
        .hasMessageContaining("clear of the evaluation blocks");
    Files.writeString(f, "{\"reward\": {\"success\": 3}, \"envs\": 8}");
    PpoConfig c = PpoConfig.load(f);
    assertThat(c.reward().success()).isEqualTo(3);
    assertThat(c.reward().coverage()).isEqualTo(PpoConfig.defaults().reward().coverage());
    assertThat(c.envs()).isEqualTo(8);
  }
}
