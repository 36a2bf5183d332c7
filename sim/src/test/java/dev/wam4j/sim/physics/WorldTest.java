package dev.wam4j.sim.physics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** Simulation outcomes of the engine on small scenes. */
class WorldTest {
  private static final double DT = 0.01;
  private static final double[] BOX = {-20, -20, 20, -20, 20, 20, -20, 20};

  private World boxWorld(double boxX, double boxY, double damping) {
    World w = new World(8, 16);
    w.setDamping(damping);
    w.addStaticSegment(5, 5, 5, 506, 2, 0);
    int agent = w.addAgent(15, 100, 200, 0);
    assertThat(agent).isEqualTo(1);
    int box = w.addDynamicBody(1, 800, 0, 0, boxX, boxY, 0);
    w.addConvexPart(box, BOX, 0, 0);
    return w;
  }

  @Test
  void theAgentPushesTheBoxAlongItsPath() {
    World w = boxWorld(200, 200, 0);
    for (int i = 0; i < 100; i++) {
      w.setVelocity(1, 100, 0);
      w.step(DT);
    }
    // Agent moved 100 units to x = 200; the box front is pushed ahead of it.
    assertThat(w.positionX(1)).isCloseTo(200, within(1e-9));
    assertThat(w.positionX(2)).isGreaterThan(200 + 20 + 15 - 1);
    assertThat(w.positionY(2)).isCloseTo(200, within(1e-6));
    assertThat(w.angle(2)).isCloseTo(0, within(1e-9));
  }

  @Test
  void withZeroDampingTheBoxStopsWhenThePushStops() {
    World w = boxWorld(200, 200, 0);
    for (int i = 0; i < 60; i++) {
      w.setVelocity(1, 200, 0);
      w.step(DT);
    }
    w.setVelocity(1, -200, 0); // pull back: the box keeps no momentum
    w.step(DT);
    w.step(DT);
    double x = w.positionX(2);
    for (int i = 0; i < 50; i++) w.step(DT);
    assertThat(w.positionX(2)).isEqualTo(x);
  }

  @Test
  void withDampingOneTheBoxKeepsItsMomentum() {
    World w = boxWorld(200, 200, 1);
    for (int i = 0; i < 60; i++) {
      w.setVelocity(1, 200, 0);
      w.step(DT);
    }
    w.setVelocity(1, -200, 0);
    for (int i = 0; i < 5; i++) w.step(DT);
    double x = w.positionX(2);
    for (int i = 0; i < 10; i++) w.step(DT);
    assertThat(w.positionX(2)).isGreaterThan(x + 1);
  }

  @Test
  void wallsStopTheBoxButNotTheAgent() {
    World w = boxWorld(100, 200, 0);
    w.setPosition(1, 160, 200);
    for (int i = 0; i < 200; i++) {
      w.setVelocity(1, -100, 0);
      w.step(DT);
    }
    // The agent passed the wall at x = 5; the box rests against it (half width 20 + wall radius 2).
    assertThat(w.positionX(1)).isLessThan(5);
    assertThat(w.positionX(2)).isGreaterThan(5 + 2 + 20 - 0.5);
  }

  @Test
  void offCentrePushesRotateTheBox() {
    World w = boxWorld(200, 200, 0);
    w.setPosition(1, 150, 215);
    for (int i = 0; i < 60; i++) {
      w.setVelocity(1, 100, 0);
      w.step(DT);
    }
    assertThat(Math.abs(w.angle(2))).isGreaterThan(0.05);
  }

  @Test
  void badBuildInputsAreNamed() {
    World w = new World(4, 8);
    assertThatThrownBy(() -> w.addStaticSegment(1, 1, 1, 1, 2, 0))
        .hasMessageContaining("degenerate segment");
    assertThatThrownBy(() -> w.addAgent(-1, 0, 0, 0)).hasMessageContaining("radius");
    assertThatThrownBy(() -> w.addDynamicBody(0, 1, 0, 0, 0, 0, 0)).hasMessageContaining("mass");
    assertThatThrownBy(() -> w.addDynamicBody(1, 1, 0, 0, Double.NaN, 0, 0))
        .hasMessageContaining("finite");
    assertThatThrownBy(() -> w.setDamping(2)).hasMessageContaining("damping");
  }

  @Test
  void frictionDragsTheBoxAlongATangentialPush() {
    double[] drift = new double[2];
    for (int k = 0; k < 2; k++) {
      World w = new World(4, 8);
      w.setDamping(0);
      w.addAgent(15, 166, 190, 1.0);
      int box = w.addDynamicBody(1, 800, 0, 0, 200, 200, 0);
      w.addConvexPart(box, BOX, k == 0 ? 0.0 : 0.8, 0);
      // Press into the left face while sliding down along it.
      for (int i = 0; i < 20; i++) {
        w.setVelocity(1, 20, 60);
        w.step(DT);
      }
      drift[k] = w.positionY(box) - 200;
    }
    // Without friction only the slight tilt of the pushed face moves the box along it.
    assertThat(Math.abs(drift[0])).isLessThan(0.5);
    assertThat(drift[1]).isGreaterThan(Math.abs(drift[0]) + 2.0);
  }
}
