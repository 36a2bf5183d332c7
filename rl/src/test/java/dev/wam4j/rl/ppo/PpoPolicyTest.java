package dev.wam4j.rl.ppo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wam4j.sim.expert.ExpertEvaluation;
import dev.wam4j.sim.pusht.PushTEnv;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PpoPolicyTest {
  @TempDir Path tmp;

  @Test
  void aRunsNewestCheckpointActsDeterministicallyWithinReachAndEvaluates() throws Exception {
    ObjectNode o = PpoConfig.JSON.createObjectNode();
    o.put("scene", ShortScene.write(tmp, 16).toString())
        .put("envs", 2)
        .put("totalSteps", 2 * 2 * 16)
        .put("rolloutSteps", 16)
        .put("minibatches", 2)
        .put("hidden", 8)
        .put("checkpointEveryUpdates", 1);
    Ppo.train(PpoConfig.parse(o, "tiny"), tmp.resolve("run"), (s, total) -> {});
    PpoPolicy policy = PpoPolicy.load(tmp.resolve("run"));
    assertThat(policy.update()).isEqualTo(2);
    PushTEnv env = PushTEnv.reference();
    env.reset(200_000);
    double[] a = new double[2], b = new double[2];
    policy.reset();
    policy.act(env, a);
    PpoPolicy again = policy.copy();
    again.reset();
    again.act(env, b);
    assertThat(b).containsExactly(a);
    assertThat(Math.hypot(a[0] - env.agentX(), a[1] - env.agentY()))
        .isLessThanOrEqualTo(60 * Math.sqrt(2) + 1e-9);
    List<ExpertEvaluation.Episode> episodes = policy.evaluate(null, 200_000, 2);
    assertThat(episodes).hasSize(2);
    assertThat(episodes.get(0).seed()).isEqualTo(200_000);
  }

  @Test
  void aFolderWithoutARunSaysSo() {
    assertThatThrownBy(() -> PpoPolicy.load(tmp)).hasMessageContaining("not a PPO run folder");
  }
}
