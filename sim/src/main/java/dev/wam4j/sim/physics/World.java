package dev.wam4j.sim.physics;

import static dev.wam4j.sim.physics.BroadPhase.max;
import static dev.wam4j.sim.physics.BroadPhase.min;

/**
 * A 2D physics world with Chipmunk 7's semantics: static segments, one kinematic circular agent,
 * dynamic bodies made of convex polygons, frictional or frictionless inelastic contacts solved by
 * sequential impulses with bias velocities and warm starting.
 *
 * <p>Lifecycle: {@link #clear()} then build in the reference's order ({@link #addStaticSegment},
 * {@link #addAgent}, {@link #addDynamicBody} + {@link #addConvexPart}); then {@link #step} at a fixed
 * {@code dtSeconds}. Building again after {@code clear()} reuses every array, so resets allocate
 * nothing. A body's <em>position</em> is its origin; its centre of gravity is at the local offset
 * given when it was added; setting an angle rotates the body about its centre of gravity.
 *
 * <p>Body 0 is the static body that owns the segments. Units: world units, seconds, radians.
 * Not thread-safe.
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

  // Contact solver state.
  private static final int FIRST_COLLISION = 0;
  private static final int NORMAL = 1;
  private static final int CACHED = 3;

  private final int maxShapes;

  // Columns of the body and shape tables (the same arrays, not copies).
  private final double[] px;
  private final double[] py;
  private final double[] vx;
  private final double[] vy;
  private final double[] w;
  private final double[] vbx;
  private final double[] vby;
  private final double[] wb;
  private final double[] mInv;
  private final double[] iInv;
  private final int[] shapeBody;
  private final double[] friction;
  private final double[] elasticity;

  // Arbiters: one slot per unordered shape pair.
  private final boolean[] arbInCache;
  private final int[] arbState;
  private final long[] arbStamp;
  private final int[] arbCount;
  private final int[] arbShapeA;
  private final int[] arbShapeB;
  private final double[] arbNx;
  private final double[] arbNy;
  private final double[] arbE;
  private final double[] arbU;
  private final double[] arbSvrX;
  private final double[] arbSvrY;
  // Contact points: slots 2 * arbiter and 2 * arbiter + 1.
  private final double[] r1x;
  private final double[] r1y;
  private final double[] r2x;
  private final double[] r2y;
  private final double[] nMass;
  private final double[] tMass;
  private final double[] bias;
  private final double[] jBias;
  private final double[] jnAcc;
  private final double[] jtAcc;
  private final double[] bounce;
  private final long[] conHash;
  private final int[] cacheList;
  private int cacheCount;
  private final int[] active;
  private int activeCount;

  private long stamp;
  private double prevDt;
  private double currDt;
  private int contactPointsLastStep;

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
    this.maxShapes = maxShapes;
    px = bodies.px;
    py = bodies.py;
    vx = bodies.vx;
    vy = bodies.vy;
    w = bodies.w;
    vbx = bodies.vbx;
    vby = bodies.vby;
    wb = bodies.wb;
    mInv = bodies.mInv;
    iInv = bodies.iInv;
    shapeBody = shapes.body;
    friction = shapes.friction;
    elasticity = shapes.elasticity;
    int arbs = maxShapes * maxShapes;
    arbInCache = new boolean[arbs];
    arbState = new int[arbs];
    arbStamp = new long[arbs];
    arbCount = new int[arbs];
    arbShapeA = new int[arbs];
    arbShapeB = new int[arbs];
    arbNx = new double[arbs];
    arbNy = new double[arbs];
    arbE = new double[arbs];
    arbU = new double[arbs];
    arbSvrX = new double[arbs];
    arbSvrY = new double[arbs];
    r1x = new double[2 * arbs];
    r1y = new double[2 * arbs];
    r2x = new double[2 * arbs];
    r2y = new double[2 * arbs];
    nMass = new double[2 * arbs];
    tMass = new double[2 * arbs];
    bias = new double[2 * arbs];
    jBias = new double[2 * arbs];
    jnAcc = new double[2 * arbs];
    jtAcc = new double[2 * arbs];
    bounce = new double[2 * arbs];
    conHash = new long[2 * arbs];
    cacheList = new int[arbs];
    active = new int[arbs];
    clear();
  }

  /** Empties the world: only the static body remains. Allocates nothing. */
  public void clear() {
    bodies.clear();
    shapes.clear();
    damping = 1.0;
    stamp = 0;
    prevDt = 0;
    currDt = 0;
    contactPointsLastStep = 0;
    for (int i = 0; i < cacheCount; i++) {
      arbInCache[cacheList[i]] = false;
    }
    cacheCount = 0;
    activeCount = 0;
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
  public int addStaticSegment(double ax, double ay, double bx, double by, double radiusUnits, double frictionCoef) {
    requireFinite("segment", ax, ay, bx, by, radiusUnits, 0, 0);
    if (ax == bx && ay == by) throw new IllegalArgumentException("degenerate segment: both ends at (" + ax + ", " + ay + ")");
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
    if (!(radiusUnits > 0)) throw new IllegalArgumentException("agent radius must be > 0, got " + radiusUnits);
    int body = bodies.add(Bodies.KINEMATIC, 0.0, 0.0);
    bodies.setPosition(body, x, y);
    int s = shapes.addCircle(body, radiusUnits, frictionCoef);
    broadPhase.insertDynamic(s, shapes.hashId[s]);
    return body;
  }

  /**
   * Adds a dynamic body; its parts follow with {@link #addConvexPart}. The body is placed at
   * origin (x, y) first and then rotated to {@code angleRadians} about its centre of gravity.
   */
  public int addDynamicBody(double mass, double moment, double cogLocalX, double cogLocalY, double x, double y, double angleRadians) {
    requireFinite("body", mass, moment, cogLocalX, cogLocalY, x, y, angleRadians);
    if (!(mass > 0)) throw new IllegalArgumentException("mass must be > 0, got " + mass);
    if (!(moment > 0)) throw new IllegalArgumentException("moment of inertia must be > 0, got " + moment);
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
  private static void requireFinite(String what, double a, double b, double c, double d, double e, double f, double g) {
    if (!(Double.isFinite(a) && Double.isFinite(b) && Double.isFinite(c) && Double.isFinite(d)
        && Double.isFinite(e) && Double.isFinite(f) && Double.isFinite(g))) {
      throw new IllegalArgumentException(what + ": values must be finite, got " + a + ", " + b + ", " + c + ", " + d + ", " + e + ", " + f + ", " + g);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Body state

  /** Moves the body so that its origin is at (x, y), keeping its angle. */
  public void setPosition(int body, double x, double y) {
    bodies.setPosition(body, x, y);
  }

  /**
   * Gives {@code body} the pose and velocities of {@code fromBody} in {@code from} (a world built the
   * same way): a clone of its motion, without the contact history the solver warm-starts from.
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
    return contactPointsLastStep;
  }

  // ---------------------------------------------------------------------------------------------
  // Stepping

  /** Advances the world by {@code dtSeconds}. Allocates nothing. */
  public void step(double dtSeconds) {
    if (dtSeconds == 0.0) return;
    beginStep(dtSeconds);
    // Integrate positions with the velocities (and bias velocities) of the last solve.
    bodies.integratePositions(dtSeconds);
    // Collision detection: refresh moving shapes, then the broad phase calls collide().
    shapes.updateMoving();
    broadPhase.reindexQuery();
    preStep();
    // Velocities are integrated after preStep, which reads them for the bounce.
    bodies.integrateVelocities(Math.pow(damping, dtSeconds), dtSeconds);
    solve();
    bodies.requireFinitePoses();
  }

  /**
   * The broad phase's callback for one overlapping pair: skips pairs that cannot exchange impulses,
   * runs the narrow phase and hands its contacts to the solver; returns the id to cache.
   */
  int collide(int a, int b, int id) {
    Shapes sh = shapes;
    if (!(sh.bbL[a] <= sh.bbR[b] && sh.bbL[b] <= sh.bbR[a] && sh.bbB[a] <= sh.bbT[b] && sh.bbB[b] <= sh.bbT[a])) return id;
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
    if (narrowPhase.count > 0) update(s1, s2, narrowPhase);
    return newId;
  }

  /** Starts a step of {@code dt} seconds: last step's touching arbiters become merely remembered. */
  private void beginStep(double dt) {
    stamp++;
    prevDt = currDt;
    currDt = dt;
    for (int k = 0; k < activeCount; k++) arbState[active[k]] = NORMAL;
    activeCount = 0;
  }

  /**
   * Records the contacts the narrow phase found between {@code s1} and {@code s2} (sorted by
   * type): the pair's arbiter is created or refreshed, points found again keep their impulses.
   */
  private void update(int s1, int s2, NarrowPhase np) {
    int n = np.count;
    int arb = Math.min(s1, s2) * maxShapes + Math.max(s1, s2);
    if (!arbInCache[arb]) {
      arbInCache[arb] = true;
      cacheList[cacheCount++] = arb;
      arbState[arb] = FIRST_COLLISION;
      arbStamp[arb] = 0;
      arbCount[arb] = 0;
    }
    int ba = shapeBody[s1], bb = shapeBody[s2];
    double jn0 = 0, jt0 = 0, jn1 = 0, jt1 = 0;
    int old = arbCount[arb];
    for (int i = 0; i < n; i++) {
      double jn = 0, jt = 0;
      for (int j = 0; j < old; j++) {
        if (np.cHash[i] == conHash[2 * arb + j]) {
          jn = jnAcc[2 * arb + j];
          jt = jtAcc[2 * arb + j];
        }
      }
      if (i == 0) {
        jn0 = jn;
        jt0 = jt;
      } else {
        jn1 = jn;
        jt1 = jt;
      }
    }
    for (int i = 0; i < n; i++) {
      int c = 2 * arb + i;
      r1x[c] = np.c1x[i] - px[ba];
      r1y[c] = np.c1y[i] - py[ba];
      r2x[c] = np.c2x[i] - px[bb];
      r2y[c] = np.c2y[i] - py[bb];
      conHash[c] = np.cHash[i];
      jnAcc[c] = i == 0 ? jn0 : jn1;
      jtAcc[c] = i == 0 ? jt0 : jt1;
    }
    arbCount[arb] = n;
    arbShapeA[arb] = s1;
    arbShapeB[arb] = s2;
    double nX = np.infoNx, nY = np.infoNy;
    arbNx[arb] = nX;
    arbNy[arb] = nY;
    arbE[arb] = elasticity[s1] * elasticity[s2];
    arbU[arb] = friction[s1] * friction[s2];
    // Surface velocities are zero; keep the reference's arithmetic (and its signed zeros).
    double svx = 0.0 - 0.0, svy = 0.0 - 0.0;
    double svn = svx * nX + svy * nY;
    arbSvrX[arb] = svx - nX * svn;
    arbSvrY[arb] = svy - nY * svn;
    if (arbState[arb] == CACHED) arbState[arb] = FIRST_COLLISION;
    active[activeCount++] = arb;
    arbStamp[arb] = stamp;
  }

  /**
   * Ages the remembered arbiters (dropping those past the persistence), then computes each
   * touching point's effective masses, bias and bounce from the velocities before integration.
   */
  private void preStep() {
    filterArbiters();
    double dt = currDt;
    double slop = COLLISION_SLOP;
    double biasCoef = 1.0 - Math.pow(COLLISION_BIAS, dt);
    for (int k = 0; k < activeCount; k++) preStep(active[k], dt, slop, biasCoef);
  }

  /** Warm-starts with last step's impulses (scaled by the dt ratio), then iterates the impulses. */
  private void solve() {
    double dtCoef = prevDt == 0.0 ? 0.0 : currDt / prevDt;
    for (int k = 0; k < activeCount; k++) applyCachedImpulse(active[k], dtCoef);
    for (int it = 0; it < SOLVER_ITERATIONS; it++) {
      for (int k = 0; k < activeCount; k++) applyImpulse(active[k]);
    }
    int points = 0;
    for (int k = 0; k < activeCount; k++) points += arbCount[active[k]];
    contactPointsLastStep = points;
  }

  private void filterArbiters() {
    int k = 0;
    while (k < cacheCount) {
      int arb = cacheList[k];
      long ticks = stamp - arbStamp[arb];
      if (ticks >= 1 && arbState[arb] != CACHED) arbState[arb] = CACHED;
      if (ticks >= COLLISION_PERSISTENCE) {
        arbInCache[arb] = false;
        arbCount[arb] = 0;
        cacheList[k] = cacheList[--cacheCount];
      } else {
        k++;
      }
    }
  }

  private void preStep(int arb, double dt, double slop, double biasCoef) {
    int a = shapeBody[arbShapeA[arb]], b = shapeBody[arbShapeB[arb]];
    double nX = arbNx[arb], nY = arbNy[arb];
    double dX = px[b] - px[a], dY = py[b] - py[a];
    for (int i = 0; i < arbCount[arb]; i++) {
      int c = 2 * arb + i;
      nMass[c] = 1.0 / kScalar(a, b, r1x[c], r1y[c], r2x[c], r2y[c], nX, nY);
      tMass[c] = 1.0 / kScalar(a, b, r1x[c], r1y[c], r2x[c], r2y[c], -nY, nX);
      double dist = ((r2x[c] - r1x[c]) + dX) * nX + ((r2y[c] - r1y[c]) + dY) * nY;
      bias[c] = -biasCoef * min(0.0, dist + slop) / dt;
      jBias[c] = 0.0;
      // Relative normal velocity times elasticity.
      double v1x = vx[a] + (-r1y[c]) * w[a], v1y = vy[a] + r1x[c] * w[a];
      double v2x = vx[b] + (-r2y[c]) * w[b], v2y = vy[b] + r2x[c] * w[b];
      bounce[c] = ((v2x - v1x) * nX + (v2y - v1y) * nY) * arbE[arb];
    }
  }

  private double kScalar(int a, int b, double r1X, double r1Y, double r2X, double r2Y, double nX, double nY) {
    double rcn1 = r1X * nY - r1Y * nX;
    double rcn2 = r2X * nY - r2Y * nX;
    return (mInv[a] + iInv[a] * rcn1 * rcn1) + (mInv[b] + iInv[b] * rcn2 * rcn2);
  }

  private void applyCachedImpulse(int arb, double dtCoef) {
    if (arbState[arb] == FIRST_COLLISION) return;
    int a = shapeBody[arbShapeA[arb]], b = shapeBody[arbShapeB[arb]];
    double nX = arbNx[arb], nY = arbNy[arb];
    for (int i = 0; i < arbCount[arb]; i++) {
      int c = 2 * arb + i;
      double jx = nX * jnAcc[c] - nY * jtAcc[c];
      double jy = nX * jtAcc[c] + nY * jnAcc[c];
      applyImpulses(a, b, r1x[c], r1y[c], r2x[c], r2y[c], jx * dtCoef, jy * dtCoef);
    }
  }

  private void applyImpulse(int arb) {
    int a = shapeBody[arbShapeA[arb]], b = shapeBody[arbShapeB[arb]];
    double nX = arbNx[arb], nY = arbNy[arb];
    double svX = arbSvrX[arb], svY = arbSvrY[arb];
    double fr = arbU[arb];
    for (int i = 0; i < arbCount[arb]; i++) {
      int c = 2 * arb + i;
      double nm = nMass[c];
      double ax1 = r1x[c], ay1 = r1y[c], bx2 = r2x[c], by2 = r2y[c];
      double vb1x = vbx[a] + (-ay1) * wb[a], vb1y = vby[a] + ax1 * wb[a];
      double vb2x = vbx[b] + (-by2) * wb[b], vb2y = vby[b] + bx2 * wb[b];
      double v1x = vx[a] + (-ay1) * w[a], v1y = vy[a] + ax1 * w[a];
      double v2x = vx[b] + (-by2) * w[b], v2y = vy[b] + bx2 * w[b];
      double vrx = (v2x - v1x) + svX, vry = (v2y - v1y) + svY;
      double vbn = (vb2x - vb1x) * nX + (vb2y - vb1y) * nY;
      double vrn = vrx * nX + vry * nY;
      double vrt = vrx * (-nY) + vry * nX;

      double jbn = (bias[c] - vbn) * nm;
      double jbnOld = jBias[c];
      jBias[c] = max(jbnOld + jbn, 0.0);

      double jn = -(bounce[c] + vrn) * nm;
      double jnOld = jnAcc[c];
      jnAcc[c] = max(jnOld + jn, 0.0);

      double jtMax = fr * jnAcc[c];
      double jt = -vrt * tMass[c];
      double jtOld = jtAcc[c];
      jtAcc[c] = min(max(jtOld + jt, -jtMax), jtMax);

      double db = jBias[c] - jbnOld;
      applyBiasImpulses(a, b, ax1, ay1, bx2, by2, nX * db, nY * db);
      double djn = jnAcc[c] - jnOld, djt = jtAcc[c] - jtOld;
      applyImpulses(a, b, ax1, ay1, bx2, by2, nX * djn - nY * djt, nX * djt + nY * djn);
    }
  }

  private void applyImpulses(int a, int b, double r1X, double r1Y, double r2X, double r2Y, double jx, double jy) {
    double njx = -jx, njy = -jy;
    vx[a] = vx[a] + njx * mInv[a];
    vy[a] = vy[a] + njy * mInv[a];
    w[a] += iInv[a] * (r1X * njy - r1Y * njx);
    vx[b] = vx[b] + jx * mInv[b];
    vy[b] = vy[b] + jy * mInv[b];
    w[b] += iInv[b] * (r2X * jy - r2Y * jx);
  }

  private void applyBiasImpulses(int a, int b, double r1X, double r1Y, double r2X, double r2Y, double jx, double jy) {
    double njx = -jx, njy = -jy;
    vbx[a] = vbx[a] + njx * mInv[a];
    vby[a] = vby[a] + njy * mInv[a];
    wb[a] += iInv[a] * (r1X * njy - r1Y * njx);
    vbx[b] = vbx[b] + jx * mInv[b];
    vby[b] = vby[b] + jy * mInv[b];
    wb[b] += iInv[b] * (r2X * jy - r2Y * jx);
  }
}
