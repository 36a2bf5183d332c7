package dev.wam4j.sim.expert;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wam4j.sim.Embodiment;
import dev.wam4j.sim.pusht.PushTEnv;
import dev.wam4j.sim.scene.Scene;
import java.util.List;
import org.junit.jupiter.api.Test;

class PushExpertTest {

  @Test
  void robotExpertSolvesPushTFromFixedLegacySeeds() {
    List<ExpertEvaluation.Episode> eps = ExpertEvaluation.run(Scene.pushT(), Embodiment.RobotPusher.reference(), 0, 8);
    assertThat(eps).allSatisfy(e -> assertThat(e.success()).as("seed %d (max coverage %.3f)", e.seed(), e.maxCoverage()).isTrue());
  }

  @Test
  void handExpertSolvesPushTFromFixedLegacySeeds() {
    List<ExpertEvaluation.Episode> eps = ExpertEvaluation.run(Scene.pushT(), Embodiment.HumanHand.standard(), 100000, 8);
    assertThat(eps).allSatisfy(e -> assertThat(e.success()).as("seed %d (max coverage %.3f)", e.seed(), e.maxCoverage()).isTrue());
  }

  @Test
  void expertAlsoSolvesTheLAndICousinScenes() {
    for (String name : List.of("cousin_l", "cousin_i")) {
      List<ExpertEvaluation.Episode> eps = ExpertEvaluation.run(dev.wam4j.sim.scene.Scenes.builtin(name), Embodiment.RobotPusher.reference(), 0, 4);
      assertThat(eps).allSatisfy(e -> assertThat(e.success()).as("%s seed %d (max coverage %.3f)", name, e.seed(), e.maxCoverage()).isTrue());
    }
  }

  @Test
  void expertIsDeterministicGivenTheSeed() {
    List<ExpertEvaluation.Episode> a = ExpertEvaluation.run(Scene.pushT(), Embodiment.RobotPusher.reference(), 42, 2);
    List<ExpertEvaluation.Episode> b = ExpertEvaluation.run(Scene.pushT(), Embodiment.RobotPusher.reference(), 42, 2);
    assertThat(a).isEqualTo(b);
  }

  @Test
  void actionStaysFiniteAndMovesTowardsTheBlockFromAFarStart() {
    PushTEnv env = PushTEnv.reference();
    env.setState(60, 60, 300, 300, 0);
    PushExpert expert = PushExpert.of(env);
    double[] action = new double[2];
    expert.act(env, action);
    assertThat(Double.isFinite(action[0]) && Double.isFinite(action[1])).isTrue();
    double before = Math.hypot(300 - env.agentX(), 300 - env.agentY());
    assertThat(Math.hypot(300 - action[0], 300 - action[1])).isLessThan(before);
  }
}
