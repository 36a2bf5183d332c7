package dev.wam4j.sim.physics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** One solve of the contact solver on hand-built tables, without the broad phase or a world. */
class ContactSolverTest {
  private static final double DT = 0.01;
  private static final double[] BOX = {-20, -20, 20, -20, 20, 20, -20, 20};

  private final Bodies bodies = new Bodies(3);
  private final Shapes shapes = new Shapes(2, 8, bodies);
  private final NarrowPhase narrowPhase = new NarrowPhase(shapes);
  private final ContactSolver solver = new ContactSolver(bodies, shapes);

  /** One step's solve for the single pair (s1, s2), sorted by type; returns its contact points. */
  private int solveOnce(int s1, int s2) {
    solver.beginStep(DT);
    narrowPhase.collide(s1, s2, 0);
    if (narrowPhase.count > 0) solver.update(s1, s2, narrowPhase);
    solver.preStep();
    solver.solve();
    return solver.contactPointsLastStep();
  }

  /**
   * The kinematic agent (radius 15) at (100, 200) overlapping a 40 x 40 box at x = 134 by one unit.
   */
  private int agentAndBox(double agentVx) {
    bodies.add(Bodies.STATIC, 0, 0);
    int agent = bodies.add(Bodies.KINEMATIC, 0, 0);
    bodies.setPosition(agent, 100, 200);
    bodies.vx[agent] = agentVx;
    int box = bodies.add(Bodies.DYNAMIC, 1.0, 1.0 / 800);
    bodies.setPosition(box, 134, 200);
    shapes.addCircle(agent, 15, 0);
    shapes.addPolygon(box, BOX, 0, 0);
    return box;
  }

  @Test
  void anApproachingAgentGivesTheBoxItsNormalVelocityAndPushesItOutOfTheOverlap() {
    int box = agentAndBox(100);
    assertThat(solveOnce(0, 1)).isEqualTo(1);
    assertThat(bodies.vx[box]).isCloseTo(100, within(1e-9));
    assertThat(bodies.vy[box]).isCloseTo(0, within(1e-9));
    assertThat(bodies.w[box]).isCloseTo(0, within(1e-12));
    assertThat(bodies.vx[1]).isEqualTo(100); // infinite mass: the agent is not pushed back
    assertThat(bodies.vbx[box]).isGreaterThan(0); // position correction, separate from the velocity
  }

  @Test
  void aSeparatingContactPullsNothingButStillCorrectsTheOverlap() {
    int box = agentAndBox(-100);
    assertThat(solveOnce(0, 1)).isEqualTo(1);
    assertThat(bodies.vx[box]).isEqualTo(0);
    assertThat(bodies.vbx[box]).isGreaterThan(0);
  }

  /** A box sliding at (50, -10) onto a floor; the moment is huge so that it does not tip. */
  private int boxOnFloor(double frictionCoef) {
    bodies.add(Bodies.STATIC, 0, 0);
    int box = bodies.add(Bodies.DYNAMIC, 1.0, 1e-12);
    bodies.setPosition(box, 0, 19.5);
    bodies.vx[box] = 50;
    bodies.vy[box] = -10;
    shapes.addStaticSegment(-100, 0, 100, 0, 0, frictionCoef);
    shapes.addPolygon(box, BOX, frictionCoef, 0);
    return box;
  }

  @Test
  void withoutFrictionOnlyTheNormalVelocityIsRemoved() {
    int box = boxOnFloor(0);
    assertThat(solveOnce(0, 1)).isEqualTo(2);
    assertThat(bodies.vy[box]).isCloseTo(0, within(1e-6));
    assertThat(bodies.vx[box]).isEqualTo(50);
  }

  @Test
  void slidingFrictionTakesMuTimesTheNormalImpulse() {
    int box = boxOnFloor(1); // mu = 1 * 1; normal impulse 10 (mass 1 stopped from 10 units/s)
    solveOnce(0, 1);
    assertThat(bodies.vy[box]).isCloseTo(0, within(1e-6));
    assertThat(bodies.vx[box]).isCloseTo(40, within(1e-6));
  }

  @Test
  void enoughFrictionStopsTheSlide() {
    int box = boxOnFloor(3); // mu = 9: up to 90 of tangential impulse, 50 needed
    solveOnce(0, 1);
    assertThat(bodies.vy[box]).isCloseTo(0, within(1e-6));
    assertThat(bodies.vx[box]).isCloseTo(0, within(1e-6));
  }
}
