package dev.wam4j.sim.expert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wam4j.sim.Embodiment;
import dev.wam4j.sim.pusht.PushTEnv;
import dev.wam4j.sim.scene.Scene;
import java.util.List;
import org.junit.jupiter.api.Test;

class PushExpertTest {

  @Test
  void robotExpertSolvesPushTFromFixedLegacySeeds() {
    List<ExpertEvaluation.Episode> eps =
        ExpertEvaluation.run(Scene.pushT(), Embodiment.RobotPusher.reference(), 0, 8);
    assertThat(eps)
        .allSatisfy(
            e ->
                assertThat(e.success())
                    .as("seed %d (max coverage %.3f)", e.seed(), e.maxCoverage())
                    .isTrue());
  }

  @Test
  void handExpertSolvesPushTFromFixedLegacySeeds() {
    List<ExpertEvaluation.Episode> eps =
        ExpertEvaluation.run(Scene.pushT(), Embodiment.HumanHand.standard(), 100000, 8);
    assertThat(eps)
        .allSatisfy(
            e ->
                assertThat(e.success())
                    .as("seed %d (max coverage %.3f)", e.seed(), e.maxCoverage())
                    .isTrue());
  }

  @Test
  void expertAlsoSolvesTheLAndICousinScenes() {
    for (String name : List.of("cousin_l", "cousin_i")) {
      List<ExpertEvaluation.Episode> eps =
          ExpertEvaluation.run(
              dev.wam4j.sim.scene.Scenes.builtin(name), Embodiment.RobotPusher.reference(), 0, 4);
      assertThat(eps)
          .allSatisfy(
              e ->
                  assertThat(e.success())
                      .as("%s seed %d (max coverage %.3f)", name, e.seed(), e.maxCoverage())
                      .isTrue());
    }
  }

  @Test
  void expertIsDeterministicGivenTheSeed() {
    List<ExpertEvaluation.Episode> a =
        ExpertEvaluation.run(Scene.pushT(), Embodiment.RobotPusher.reference(), 42, 2);
    List<ExpertEvaluation.Episode> b =
        ExpertEvaluation.run(Scene.pushT(), Embodiment.RobotPusher.reference(), 42, 2);
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

  @Test
  void chunkedPlansFromAPerfectPerceptionStillSolveAndNoisyOnesDegrade() {
    Embodiment robot = Embodiment.RobotPusher.reference();
    List<ExpertEvaluation.Episode> exact =
        ExpertEvaluation.run(
            Scene.pushT(), robot, 200000, 8, new ExpertEvaluation.Perception(0, 0, 16, 8, 0));
    assertThat(exact).allSatisfy(e -> assertThat(e.success()).as("seed %d", e.seed()).isTrue());
    List<ExpertEvaluation.Episode> blurred =
        ExpertEvaluation.run(
            Scene.pushT(), robot, 200000, 8, new ExpertEvaluation.Perception(30, 6, 16, 8, 0));
    assertThat(blurred.stream().filter(ExpertEvaluation.Episode::success).count())
        .as("a block seen 30 px / 6 degrees off is rarely aligned")
        .isLessThan(4);
    assertThatThrownBy(() -> new ExpertEvaluation.Perception(1, 1, 16, 17, 0))
        .hasMessageContaining("executeSteps must lie in 1..horizon");
  }

  @Test
  void perturbingTheBlockMovesItAndKeepsTheAgent() {
    dev.wam4j.sim.pusht.PushTEnv env = dev.wam4j.sim.pusht.PushTEnv.reference();
    env.reset(200000);
    double ax = env.agentX(), bx = env.blockX(), by = env.blockY(), ba = env.blockAngle();
    env.perturbBlock(5, -3, 0);
    assertThat(env.blockX()).isCloseTo(bx + 5, org.assertj.core.data.Offset.offset(1e-9));
    assertThat(env.blockY()).isCloseTo(by - 3, org.assertj.core.data.Offset.offset(1e-9));
    env.perturbBlock(0, 0, 0.1);
    assertThat(env.blockAngle()).isCloseTo(ba + 0.1, org.assertj.core.data.Offset.offset(1e-12));
    assertThat(env.agentX()).isEqualTo(ax);
    assertThatThrownBy(() -> env.perturbBlock(Double.NaN, 0, 0)).hasMessageContaining("finite");
  }
}
