package dev.wam4j.sim.physics;

/**
 * A 2D physics world with Chipmunk 7's semantics: static segments, one kinematic circular agent,
 * dynamic bodies made of convex polygons, frictional or frictionless inelastic contacts solved by
 * sequential impulses with bias velocities and warm starting.
 *
 * <p>Lifecycle: {@link #clear()} then build in the reference's order ({@link #addStaticSegment},
 * {@link #addAgent}, {@link #addDynamicBody} + {@link #addConvexPart}); then {@link #step} at a
 * fixed {@code dtSeconds}. Building again after {@code clear()} reuses every array, so resets
 * allocate nothing. A body's <em>position</em> is its origin; its centre of gravity is at the local
 * offset given when it was added; setting an angle rotates the body about its centre of gravity.
 *
 * <p>Body 0 is the static body that owns the segments. Units: world units, seconds, radians. Not
 * thread-safe.
 *
 * <p>The world checks its inputs and runs one step in the reference's order; the work is done by
 * its parts: the body and shape tables ({@code Bodies}, {@code Shapes}), collision detection
 * ({@code BroadPhase}, {@code NarrowPhase}) and the {@code ContactSolver}.
 */
public final class World {
  /** Reference solver defaults (Chipmunk's cpSpaceInit). */
  public static final int SOLVER_ITERATIONS = 10;

  /** The float literal 0.1f, widened: the allowed overlap before position correction starts. */
  public static final double COLLISION_SLOP = 0.1f;

  /** Fraction of overlap left uncorrected after one second, (1 - 0.1f)^60 in the reference. */
  public static final double COLLISION_BIAS = Math.pow(1.0f - 0.1f, 60.0);

  /** Steps an arbiter (contact pair) is remembered after separation. */
  public static final int COLLISION_PERSISTENCE = 3;

  private double damping = 1.0;

  private final Bodies bodies;
  private final Shapes shapes;
  private final BroadPhase broadPhase;
  private final NarrowPhase narrowPhase;
  private final ContactSolver contacts;

  /**
   * @param maxShapes capacity for shapes (segments, the agent, polygon parts)
   * @param maxPolygonVertices capacity for all polygon vertices together
   */
  public World(int maxShapes, int maxPolygonVertices) {
    if (maxShapes < 1 || maxPolygonVertices < 3) {
      throw new IllegalArgumentException("maxShapes >= 1 and maxPolygonVertices >= 3 required");
    }
    bodies = new Bodies(maxShapes + 1);
    shapes = new Shapes(maxShapes, maxPolygonVertices, bodies);
    broadPhase = new BroadPhase(this, shapes, bodies);
    narrowPhase = new NarrowPhase(shapes);
    contacts = new ContactSolver(bodies, shapes);
    clear();
  }

  /** Empties the world: only the static body remains. Allocates nothing. */
  public void clear() {
    bodies.clear();
    shapes.clear();
    damping = 1.0;
    contacts.clear();
    broadPhase.clear();
    int s = bodies.add(Bodies.STATIC, 0.0, 0.0);
    assert s == 0;
  }

  /**
   * Space damping: each step, velocities are multiplied by {@code damping^dtSeconds} before
   * contacts are solved. 0 makes pushing quasi-static (PushT); 1 (the default) keeps momentum.
   */
  public void setDamping(double damping) {
    if (!(damping >= 0.0 && damping <= 1.0)) {
      throw new IllegalArgumentException("damping must be in [0, 1], got " + damping);
    }
    this.damping = damping;
  }

  // ---------------------------------------------------------------------------------------------
  // Building

  /** Adds a static segment (a wall) of the given radius; returns its shape index. */
  public int addStaticSegment(
      double ax, double ay, double bx, double by, double radiusUnits, double frictionCoef) {
    requireFinite("segment", ax, ay, bx, by, radiusUnits, 0, 0);
    if (ax == bx && ay == by)
      throw new IllegalArgumentException(
          "degenerate segment: both ends at (" + ax + ", " + ay + ")");
    int s = shapes.addStaticSegment(ax, ay, bx, by, radiusUnits, frictionCoef);
    broadPhase.insertStatic(s);
    return s;
  }

  /**
   * Adds the kinematic circular agent at (x, y): infinite mass, driven only by the velocity set
   * with {@link #setVelocity}; walls do not stop it. Returns its body index.
   */
  public int addAgent(double radiusUnits, double x, double y, double frictionCoef) {
    requireFinite("agent", radiusUnits, x, y, 0, 0, 0, 0);
    if (!(radiusUnits > 0))
      throw new IllegalArgumentException("agent radius must be > 0, got " + radiusUnits);
    int body = bodies.add(Bodies.KINEMATIC, 0.0, 0.0);
    bodies.setPosition(body, x, y);
    int s = shapes.addCircle(body, radiusUnits, frictionCoef);
    broadPhase.insertDynamic(s, shapes.hashId[s]);
    return body;
  }

  /**
   * Adds a dynamic body; its parts follow with {@link #addConvexPart}. The body is placed at origin
   * (x, y) first and then rotated to {@code angleRadians} about its centre of gravity.
   */
  public int addDynamicBody(
      double mass,
      double moment,
      double cogLocalX,
      double cogLocalY,
      double x,
      double y,
      double angleRadians) {
    requireFinite("body", mass, moment, cogLocalX, cogLocalY, x, y, angleRadians);
    if (!(mass > 0)) throw new IllegalArgumentException("mass must be > 0, got " + mass);
    if (!(moment > 0))
      throw new IllegalArgumentException("moment of inertia must be > 0, got " + moment);
    int body = bodies.add(Bodies.DYNAMIC, 1.0 / mass, 1.0 / moment);
    bodies.cogX[body] = cogLocalX;
    bodies.cogY[body] = cogLocalY;
    bodies.setPosition(body, x, y);
    bodies.setAngle(body, angleRadians);
    return body;
  }

  /**
   * Adds a convex polygon part to a dynamic body. {@code localXY} holds x0, y0, x1, y1, ... in body
   * coordinates, counter-clockwise in a y-up frame, starting at the vertex with the smallest x
   * (then smallest y) — the order the reference's convex hull produces; {@link
   * dev.wam4j.sim.scene.ConvexPart} brings any convex input into it.
   */
  public int addConvexPart(int body, double[] localXY, double frictionCoef, double elasticityCoef) {
    if (body <= 0 || body >= bodies.count || bodies.type[body] != Bodies.DYNAMIC) {
      throw new IllegalArgumentException("body " + body + " is not a dynamic body");
    }
    int s = shapes.addPolygon(body, localXY, frictionCoef, elasticityCoef);
    broadPhase.insertDynamic(s, shapes.hashId[s]);
    return s;
  }

  /** Checks up to seven values without allocating (resets rebuild the world). */
  private static void requireFinite(
      String what, double a, double b, double c, double d, double e, double f, double g) {
    if (!(Double.isFinite(a)
        && Double.isFinite(b)
        && Double.isFinite(c)
        && Double.isFinite(d)
        && Double.isFinite(e)
        && Double.isFinite(f)
        && Double.isFinite(g))) {
      throw new IllegalArgumentException(
          what
              + ": values must be finite, got "
              + a
              + ", "
              + b
              + ", "
              + c
              + ", "
              + d
              + ", "
              + e
              + ", "
              + f
              + ", "
              + g);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Body state

  /** Moves the body so that its origin is at (x, y), keeping its angle. */
  public void setPosition(int body, double x, double y) {
    bodies.setPosition(body, x, y);
  }

  /**
   * Gives {@code body} the pose and velocities of {@code fromBody} in {@code from} (a world built
   * the same way): a clone of its motion, without the contact history the solver warm-starts from.
   */
  public void copyMotion(int body, World from, int fromBody) {
    bodies.copyMotion(body, from.bodies, fromBody);
  }

  /** Sets the angle in radians, rotating about the centre of gravity (the origin moves). */
  public void setAngle(int body, double angleRadians) {
    bodies.setAngle(body, angleRadians);
  }

  /** Sets a body's linear velocity in units/s (the agent's only control input). */
  public void setVelocity(int body, double velX, double velY) {
    bodies.vx[body] = velX;
    bodies.vy[body] = velY;
  }

  /** Origin x of the body (world units). */
  public double positionX(int body) {
    return bodies.originX(body);
  }

  /** Origin y of the body (world units). */
  public double positionY(int body) {
    return bodies.originY(body);
  }

  /** Angle in radians, unwrapped. */
  public double angle(int body) {
    return bodies.angle[body];
  }

  public double velocityX(int body) {
    return bodies.vx[body];
  }

  public double velocityY(int body) {
    return bodies.vy[body];
  }

  /** Contact points the solver handled in the last step (for statistics such as n_contacts). */
  public int contactPointsLastStep() {
    return contacts.contactPointsLastStep();
  }

  // ---------------------------------------------------------------------------------------------
  // Stepping

  /** Advances the world by {@code dtSeconds}. Allocates nothing. */
  public void step(double dtSeconds) {
    if (dtSeconds == 0.0) return;
    contacts.beginStep(dtSeconds);
    // Integrate positions with the velocities (and bias velocities) of the last solve.
    bodies.integratePositions(dtSeconds);
    // Collision detection: refresh moving shapes, then the broad phase calls collide().
    shapes.updateMoving();
    broadPhase.reindexQuery();
    contacts.preStep();
    // Velocities are integrated after preStep, which reads them for the bounce.
    bodies.integrateVelocities(Math.pow(damping, dtSeconds), dtSeconds);
    contacts.solve();
    bodies.requireFinitePoses();
  }

  /**
   * The broad phase's callback for one overlapping pair: skips pairs that cannot exchange impulses,
   * runs the narrow phase and hands its contacts to the solver; returns the id to cache.
   */
  int collide(int a, int b, int id) {
    Shapes sh = shapes;
    if (!(sh.bbL[a] <= sh.bbR[b]
        && sh.bbL[b] <= sh.bbR[a]
        && sh.bbB[a] <= sh.bbT[b]
        && sh.bbB[b] <= sh.bbT[a])) return id;
    int bodyA = sh.body[a], bodyB = sh.body[b];
    if (bodyA == bodyB) return id;
    // Two infinite masses (agent vs wall) never exchange impulses; skipping them changes nothing.
    if (bodies.type[bodyA] != Bodies.DYNAMIC && bodies.type[bodyB] != Bodies.DYNAMIC) return id;
    int s1 = a, s2 = b;
    if (sh.type[a] > sh.type[b]) {
      s1 = b;
      s2 = a;
    }
    int newId = narrowPhase.collide(s1, s2, id);
    if (narrowPhase.count > 0) contacts.update(s1, s2, narrowPhase);
    return newId;
  }
}
