package dev.wam4j.sim.pusht;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wam4j.sim.Embodiment;
import dev.wam4j.sim.expert.PushExpert;
import dev.wam4j.sim.scene.Scene;
import org.junit.jupiter.api.Test;

/**
 * A copied state evolves like the original: what a teacher needs to label a state by acting from a
 * copy.
 */
class CopyStateTest {
  @Test
  void aCopyMidEpisodeFollowsTheOriginalUnderTheSameActions() {
    PushTEnv env = new PushTEnv(Scene.pushT(), Embodiment.RobotPusher.reference());
    env.reset(123);
    PushExpert expert = PushExpert.of(env);
    double[] a = new double[2];
    for (int i = 0;
        i < 60;
        i++) { // the robot is moving (PD lag) and has likely touched the block by now
      expert.act(env, a);
      env.step(a[0], a[1]);
    }
    PushTEnv copy = new PushTEnv(Scene.pushT(), Embodiment.RobotPusher.reference());
    copy.copyStateFrom(env);
    assertThat(copy.state()).containsExactly(env.state());
    assertThat(copy.stepCount()).isEqualTo(env.stepCount());
    assertThat(copy.coverage()).isEqualTo(env.coverage());
    double maxBlock = 0, maxAngle = 0;
    for (int i = 0; i < 30; i++) {
      expert.act(env, a);
      env.step(a[0], a[1]);
      copy.step(a[0], a[1]);
      maxBlock =
          Math.max(
              maxBlock, Math.hypot(env.blockX() - copy.blockX(), env.blockY() - copy.blockY()));
      maxAngle = Math.max(maxAngle, Math.abs(env.blockAngle() - copy.blockAngle()));
      assertThat(Math.hypot(env.agentX() - copy.agentX(), env.agentY() - copy.agentY()))
          .as("agent at step " + i)
          .isLessThan(0.5);
    }
    // only the solver's warm start differs (the contact history is not copied)
    assertThat(maxBlock).as("block position error, units").isLessThan(0.5);
    assertThat(maxAngle).as("block angle error, rad").isLessThan(0.01);
  }

  @Test
  void aCopyNeedsTheSameSceneAndEmbodiment() {
    PushTEnv robot = new PushTEnv(Scene.pushT(), Embodiment.RobotPusher.reference());
    PushTEnv hand = new PushTEnv(Scene.pushT(), Embodiment.HumanHand.standard());
    assertThatThrownBy(() -> hand.copyStateFrom(robot))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("embodiment");
  }

  @Test
  void aPerceivedPoseIsPlacedExactlyAndAtRestWithNoStepTaken() {
    PushTEnv env = new PushTEnv(Scene.pushT(), Embodiment.RobotPusher.reference());
    env.setPose(120.5, 333.25, 300.75, 210.5, 2.5);
    assertThat(env.agentX()).isEqualTo(120.5);
    assertThat(env.agentY()).isEqualTo(333.25);
    // the block's origin where it was put, though the turn is about the centre of gravity
    assertThat(env.blockX()).isCloseTo(300.75, org.assertj.core.data.Offset.offset(1e-9));
    assertThat(env.blockY()).isCloseTo(210.5, org.assertj.core.data.Offset.offset(1e-9));
    assertThat(env.blockAngle()).isEqualTo(2.5);
    assertThat(env.stepCount()).isZero();
    double[] s = env.state();
    env.step(120.5, 333.25); // nothing moves a block at rest with the agent holding still, apart
    assertThat(env.blockX()).isCloseTo(300.75, org.assertj.core.data.Offset.offset(1e-6));
    assertThat(s).hasSize(5);
    assertThatThrownBy(() -> env.setPose(0, 0, Double.NaN, 0, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("finite");
  }
}
