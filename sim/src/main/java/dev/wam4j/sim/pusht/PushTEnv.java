package dev.wam4j.sim.pusht;

import dev.wam4j.sim.Embodiment;
import dev.wam4j.sim.Environment;
import dev.wam4j.sim.physics.World;
import dev.wam4j.sim.scene.ConvexPart;
import dev.wam4j.sim.scene.Scene;
import dev.wam4j.sim.scene.SceneObject;
import dev.wam4j.sim.scene.Wall;
import java.util.List;

/**
 * PushT (specs/pusht.md): push the object onto the goal pose. With {@link Scene#pushT()} and the
 * robot embodiment this reproduces the reference (pymunk / Chipmunk 7) environment: the legacy
 * seeded reset, legacy set-state, 10 physics substeps of 0.01 s per action, coverage, reward and
 * success, the 300-step limit.
 *
 * <p>State: {@code [agent_x, agent_y, block_x, block_y, block_angle mod 2pi]} (world units,
 * radians; the block position is its origin, not its centre of gravity). Action: the agent's
 * absolute target position, 2 values, not clipped. Each reset rebuilds the world in place: no
 * allocation per step or per reset. Not thread-safe.
 */
public final class PushTEnv implements Environment {
  private static final double TWO_PI = 2.0 * Math.PI;

  /**
   * Largest accepted |target| and |state value| in world units: far beyond any sensible target in a
   * 512-unit world, small enough that the PD law's velocities stay finite.
   */
  public static final double MAX_TARGET = 1e6;

  private final Scene scene;
  private final Embodiment embodiment;
  private final World world;
  private final double[][] partXY;
  private final Coverage coverage;
  private final double successCoverage;
  private final int maxSteps;
  private final double dt;
  private final int substeps;

  private final NumpyLegacyRandom resetRandom = new NumpyLegacyRandom(0);
  private final double[] resetDraw = new double[5];
  private int agent;
  private int block;
  private int steps;
  private double lastCoverage;
  private int contactPoints;

  public PushTEnv(Scene scene, Embodiment embodiment) {
    this.scene = scene;
    this.embodiment = embodiment;
    SceneObject obj = scene.goalObject();
    int vertexCount = 0;
    int shapeCount = scene.walls().size() + 1;
    for (SceneObject o : scene.objects()) {
      shapeCount += o.parts().size();
      for (ConvexPart p : o.parts()) vertexCount += p.size();
    }
    this.world = new World(shapeCount, Math.max(3, vertexCount));
    List<ConvexPart> parts = obj.parts();
    partXY = new double[parts.size()][];
    for (int i = 0; i < parts.size(); i++) partXY[i] = parts.get(i).xy();
    coverage = new Coverage(parts, scene.goal().pose());
    successCoverage = scene.goal().successCoverage();
    maxSteps = scene.physics().maxSteps();
    dt = scene.physics().dtSeconds();
    substeps = scene.physics().substeps();
    build();
  }

  /** The reference environment: the PushT scene pushed by the robot. */
  public static PushTEnv reference() {
    return new PushTEnv(Scene.pushT(), Embodiment.RobotPusher.reference());
  }

  public Scene scene() {
    return scene;
  }

  public Embodiment embodiment() {
    return embodiment;
  }

  /** Rebuilds the world as the reference constructs it: walls, agent, then the objects. */
  private void build() {
    world.clear();
    world.setDamping(scene.physics().damping());
    // The engine multiplies the two surfaces' friction coefficients; walls and agent carry 1 so
    // that an object's own coefficient is the effective one (the reference's 0 stays exactly 0).
    for (Wall w : scene.walls())
      world.addStaticSegment(w.ax(), w.ay(), w.bx(), w.by(), w.radius(), 1.0);
    agent =
        world.addAgent(embodiment.radius(), scene.agentStart().x(), scene.agentStart().y(), 1.0);
    int goalIndex = scene.goal().object();
    for (int i = 0; i < scene.objects().size(); i++) {
      SceneObject o = scene.objects().get(i);
      int body =
          world.addDynamicBody(
              o.mass(),
              o.moment(),
              o.cogX(),
              o.cogY(),
              o.start().x(),
              o.start().y(),
              o.start().angle());
      for (int p = 0; p < o.parts().size(); p++) {
        double[] xy = i == goalIndex ? partXY[p] : o.parts().get(p).xy();
        world.addConvexPart(body, xy, o.friction(), o.elasticity());
      }
      if (i == goalIndex) block = body;
    }
    steps = 0;
    contactPoints = 0;
  }

  @Override
  public int stateSize() {
    return 5;
  }

  @Override
  public int actionSize() {
    return 2;
  }

  /**
   * Legacy reset (Diffusion Policy, gym-pusht 0.1.5): numpy {@code RandomState(seed)} draws agent
   * x, y in [50, 450), block x, y in [100, 400), angle = randn * 2pi - pi; then legacy set-state.
   */
  @Override
  public void reset(long seed) {
    legacyResetDraw(resetRandom, seed, resetDraw);
    setState(resetDraw[0], resetDraw[1], resetDraw[2], resetDraw[3], resetDraw[4]);
  }

  /** The five legacy reset draws of {@code seed}: agent x, y, block x, y, angle. */
  public static double[] legacyResetDraw(long seed) {
    double[] out = new double[5];
    legacyResetDraw(new NumpyLegacyRandom(seed), seed, out);
    return out;
  }

  private static void legacyResetDraw(NumpyLegacyRandom rs, long seed, double[] out) {
    rs.seed(seed);
    out[0] = rs.randint(50, 450);
    out[1] = rs.randint(50, 450);
    out[2] = rs.randint(100, 400);
    out[3] = rs.randint(100, 400);
    out[4] = rs.randn() * 2 * Math.PI - Math.PI;
  }

  /**
   * Legacy set-state on a freshly built world: agent position, block position, then block angle
   * (rotating about the centre of gravity, so the origin moves), then one physics step.
   */
  public void setState(
      double agentX, double agentY, double blockX, double blockY, double blockAngle) {
    checkState(agentX, agentY, blockX, blockY, blockAngle);
    build();
    world.setPosition(agent, agentX, agentY);
    world.setPosition(block, blockX, blockY);
    world.setAngle(block, blockAngle);
    world.step(dt);
    lastCoverage = coverage.of(world.positionX(block), world.positionY(block), world.angle(block));
  }

  private static void checkState(
      double agentX, double agentY, double blockX, double blockY, double blockAngle) {
    if (!(Double.isFinite(agentX)
            && Double.isFinite(agentY)
            && Double.isFinite(blockX)
            && Double.isFinite(blockY)
            && Double.isFinite(blockAngle))
        || Math.abs(agentX) > MAX_TARGET
        || Math.abs(agentY) > MAX_TARGET
        || Math.abs(blockX) > MAX_TARGET
        || Math.abs(blockY) > MAX_TARGET
        || Math.abs(blockAngle) > MAX_TARGET) {
      throw new IllegalArgumentException(
          "state values must be finite and within +-"
              + MAX_TARGET
              + ", got ["
              + agentX
              + ", "
              + agentY
              + ", "
              + blockX
              + ", "
              + blockY
              + ", "
              + blockAngle
              + "]");
    }
  }

  /**
   * Places the agent at ({@code agentX}, {@code agentY}) and the block's origin at ({@code blockX},
   * {@code blockY}) turned by {@code blockAngle}, exactly as {@link #blockX()}, {@link #blockY()}
   * and {@link #blockAngle()} then report, everything at rest and no physics step taken (an overlap
   * is resolved by the next step): a state as a perception reports it. Unlike {@link #setState},
   * which reproduces the reference's legacy set-state.
   *
   * @throws IllegalArgumentException as {@link #setState} does, naming the values
   */
  public void setPose(
      double agentX, double agentY, double blockX, double blockY, double blockAngle) {
    checkState(agentX, agentY, blockX, blockY, blockAngle);
    build();
    world.setPosition(agent, agentX, agentY);
    world.setAngle(block, blockAngle); // turns about the centre of gravity, moving the origin
    world.setPosition(block, blockX, blockY); // so the origin is placed after the turn
    lastCoverage = coverage.of(world.positionX(block), world.positionY(block), world.angle(block));
  }

  /**
   * Puts this environment into {@code other}'s state: the agent's and the block's poses and
   * velocities, the step count and coverage (the solver's contact history starts afresh). Both must
   * run the same scene with the same embodiment. A teacher labels a state this way, by acting from
   * a copy.
   */
  public void copyStateFrom(PushTEnv other) {
    if ((other.scene != scene && !other.scene.equals(scene))
        || !other.embodiment.equals(embodiment)) {
      throw new IllegalArgumentException(
          "copyStateFrom: environments differ in scene or embodiment");
    }
    build();
    world.copyMotion(agent, other.world, other.agent);
    world.copyMotion(block, other.world, other.block);
    steps = other.steps;
    contactPoints = other.contactPoints;
    lastCoverage = other.lastCoverage;
  }

  /**
   * Moves the block by ({@code dx}, {@code dy}) workspace units and turns it by {@code dAngle}
   * radians about its centre of gravity, keeping every velocity: a state as a perception error
   * would show it (studies of how precise a visuomotor policy must see). Coverage is not
   * recomputed.
   */
  public void perturbBlock(double dx, double dy, double dAngle) {
    if (!(Double.isFinite(dx) && Double.isFinite(dy) && Double.isFinite(dAngle))) {
      throw new IllegalArgumentException(
          "perturbBlock: offsets must be finite, got [" + dx + ", " + dy + ", " + dAngle + "]");
    }
    world.setAngle(block, world.angle(block) + dAngle);
    world.setPosition(block, world.positionX(block) + dx, world.positionY(block) + dy);
  }

  @Override
  public void step(double[] action, int offset) {
    step(action[offset], action[offset + 1]);
  }

  /** One control step towards the absolute target (x, y). */
  public void step(double targetX, double targetY) {
    if (!Double.isFinite(targetX)
        || !Double.isFinite(targetY)
        || Math.abs(targetX) > MAX_TARGET
        || Math.abs(targetY) > MAX_TARGET) {
      throw new IllegalArgumentException(
          "action must be finite and within +-"
              + MAX_TARGET
              + ", got ("
              + targetX
              + ", "
              + targetY
              + ")");
    }
    int points = 0;
    switch (embodiment) {
      case Embodiment.RobotPusher r -> {
        double kp = scene.physics().kp(), kv = scene.physics().kv();
        for (int k = 0; k < substeps; k++) {
          double px = world.positionX(agent), py = world.positionY(agent);
          double vx = world.velocityX(agent), vy = world.velocityY(agent);
          double accX = kp * (targetX - px) + kv * (0.0 - vx);
          double accY = kp * (targetY - py) + kv * (0.0 - vy);
          world.setVelocity(agent, vx + accX * dt, vy + accY * dt);
          world.step(dt);
          points += world.contactPointsLastStep();
        }
      }
      case Embodiment.HumanHand h -> {
        // Direct position control: a straight line to the target over this control step.
        double span = substeps * dt;
        double vx = (targetX - world.positionX(agent)) / span,
            vy = (targetY - world.positionY(agent)) / span;
        for (int k = 0; k < substeps; k++) {
          world.setVelocity(agent, vx, vy);
          world.step(dt);
          points += world.contactPointsLastStep();
        }
        world.setVelocity(agent, 0, 0);
      }
    }
    contactPoints = points;
    steps++;
    lastCoverage = coverage.of(world.positionX(block), world.positionY(block), world.angle(block));
  }

  @Override
  public void state(double[] out, int offset) {
    out[offset] = world.positionX(agent);
    out[offset + 1] = world.positionY(agent);
    out[offset + 2] = world.positionX(block);
    out[offset + 3] = world.positionY(block);
    out[offset + 4] = pythonMod(world.angle(block), TWO_PI);
  }

  /** The state as a new array (convenience; the hot path is {@link #state(double[], int)}). */
  public double[] state() {
    double[] s = new double[5];
    state(s, 0);
    return s;
  }

  /** Python's float modulo: the result has the sign of the divisor. */
  static double pythonMod(double a, double b) {
    double m = a % b;
    if (m != 0.0) {
      if ((b < 0) != (m < 0)) m += b;
    } else {
      m = Math.copySign(0.0, b);
    }
    return m;
  }

  /**
   * Keypoints: the goal object's part vertices, in part order, placed by the current pose (x0, y0,
   * x1, y1, ...; PushT: 8 vertices, 16 values).
   */
  public void keypoints(double[] out, int offset) {
    double x = world.positionX(block), y = world.positionY(block), a = world.angle(block);
    double c = Math.cos(a), s = Math.sin(a);
    int k = offset;
    for (double[] part : partXY) {
      for (int i = 0; i < part.length; i += 2) {
        out[k++] = x + c * part[i] - s * part[i + 1];
        out[k++] = y + s * part[i] + c * part[i + 1];
      }
    }
  }

  /** Number of keypoint values ({@link #keypoints}). */
  public int keypointSize() {
    int n = 0;
    for (double[] p : partXY) n += p.length;
    return n;
  }

  /** Coverage of the goal by the block after the last step, in [0, 1]. */
  public double coverage() {
    return lastCoverage;
  }

  @Override
  public double reward() {
    return Math.min(Math.max(lastCoverage / successCoverage, 0.0), 1.0);
  }

  @Override
  public boolean terminated() {
    return lastCoverage > successCoverage;
  }

  @Override
  public boolean truncated() {
    return steps >= maxSteps;
  }

  @Override
  public int stepCount() {
    return steps;
  }

  /** Contact points handled by the solver during the last control step. */
  public int contactPoints() {
    return contactPoints;
  }

  public double agentX() {
    return world.positionX(agent);
  }

  public double agentY() {
    return world.positionY(agent);
  }

  public double blockX() {
    return world.positionX(block);
  }

  public double blockY() {
    return world.positionY(block);
  }

  /** Block angle in radians, unwrapped. */
  public double blockAngle() {
    return world.angle(block);
  }
}
