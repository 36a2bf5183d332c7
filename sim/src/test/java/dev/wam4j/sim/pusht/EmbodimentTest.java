package dev.wam4j.sim.pusht;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.wam4j.sim.Embodiment;
import dev.wam4j.sim.scene.Scene;
import org.junit.jupiter.api.Test;

class EmbodimentTest {

  @Test
  void theHandReachesItsTargetWithinOneStepWhileTheRobotLags() {
    PushTEnv hand = new PushTEnv(Scene.pushT(), Embodiment.HumanHand.standard());
    PushTEnv robot = PushTEnv.reference();
    hand.setState(100, 100, 400, 400, 0);
    robot.setState(100, 100, 400, 400, 0);
    hand.step(160, 130);
    robot.step(160, 130);
    assertThat(hand.agentX()).isCloseTo(160, within(1e-9));
    assertThat(hand.agentY()).isCloseTo(130, within(1e-9));
    assertThat(Math.hypot(robot.agentX() - 160, robot.agentY() - 130)).isGreaterThan(10);
  }

  @Test
  void theLargerHandTouchesTheBlockWhereTheRobotDoesNot() {
    // 16.5 px above the T's top edge (y 300): inside the hand's 18 px radius, outside the robot's
    // 15
    PushTEnv hand = new PushTEnv(Scene.pushT(), Embodiment.HumanHand.standard());
    PushTEnv robot = PushTEnv.reference();
    for (PushTEnv env : new PushTEnv[] {hand, robot}) {
      env.setState(256, 283.5, 256, 300, 0);
      env.step(256, 283.5); // hold still
    }
    assertThat(Math.hypot(hand.blockX() - 256, hand.blockY() - 300))
        .as("the hand pushes the block off")
        .isGreaterThan(0.5);
    assertThat(robot.blockX()).isEqualTo(256.0);
    assertThat(robot.blockY()).isEqualTo(300.0);
  }

  @Test
  void embodimentsParseByName() {
    assertThat(Embodiment.parse("robot")).isInstanceOf(Embodiment.RobotPusher.class);
    assertThat(Embodiment.parse("hand")).isInstanceOf(Embodiment.HumanHand.class);
    assertThatThrownBy(() -> Embodiment.parse("tentacle")).hasMessageContaining("tentacle");
  }
}
