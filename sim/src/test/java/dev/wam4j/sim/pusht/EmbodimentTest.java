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
  void theHandIsLargerThanTheRobot() {
    assertThat(Embodiment.HumanHand.standard().radius()).isGreaterThan(Embodiment.RobotPusher.reference().radius());
  }

  @Test
  void embodimentsParseByName() {
    assertThat(Embodiment.parse("robot")).isInstanceOf(Embodiment.RobotPusher.class);
    assertThat(Embodiment.parse("hand")).isInstanceOf(Embodiment.HumanHand.class);
    assertThatThrownBy(() -> Embodiment.parse("tentacle")).hasMessageContaining("tentacle");
  }
}
