package dev.wam4j.sim.pusht;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wam4j.sim.Embodiment;
import dev.wam4j.sim.scene.Scene;
import dev.wam4j.sim.scene.SceneObject;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The physical parameters a cousin randomises change the motion (or, for mass alone, provably not).
 */
class PhysicalParametersTest {

  private static double[] rollout(double friction, double massFactor, double momentFactor) {
    Scene ref = Scene.pushT();
    SceneObject t = ref.goalObject();
    SceneObject changed =
        new SceneObject(
            t.name(),
            t.parts(),
            t.mass() * massFactor,
            t.moment() * momentFactor,
            t.cogX(),
            t.cogY(),
            friction,
            t.elasticity(),
            t.start());
    Scene scene =
        new Scene(
            ref.name(),
            ref.width(),
            ref.height(),
            ref.walls(),
            ref.agentStart(),
            List.of(changed),
            ref.goal(),
            ref.physics());
    PushTEnv env = new PushTEnv(scene, Embodiment.RobotPusher.reference());
    env.reset(100000);
    for (int i = 0; i < 40; i++) env.step(300 + 2 * i, 200 + 3 * i); // the spec's push, continued
    return env.state();
  }

  @Test
  void frictionChangesThePush() {
    assertThat(blockShift(rollout(0.3, 1, 1), rollout(0, 1, 1)))
        .as("block pose change, px + 100 x rad")
        .isGreaterThan(1.0);
  }

  @Test
  void inertiaChangesThePush() {
    assertThat(blockShift(rollout(0, 1, 1.5), rollout(0, 1, 1)))
        .as("block pose change, px + 100 x rad")
        .isGreaterThan(1.0);
  }

  /**
   * How far apart two rollouts left the block: its distance in px plus its turn in hundredths of a
   * radian (a 1-ulp change is ~0).
   */
  private static double blockShift(double[] a, double[] b) {
    return Math.hypot(a[2] - b[2], a[3] - b[3]) + 100 * Math.abs(a[4] - b[4]);
  }

  @Test
  void massWithProportionalInertiaLeavesQuasiStaticPushingUnchanged() {
    double[] a = rollout(0, 1, 1), b = rollout(0, 2, 2);
    for (int k = 0; k < 5; k++)
      assertThat(b[k]).isCloseTo(a[k], org.assertj.core.api.Assertions.within(1e-6));
  }
}
