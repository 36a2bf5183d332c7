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
  static final int CIRCLE = 0;
  static final int SEGMENT = 1;
  static final int POLY = 2;

  private static final int STATIC = 0;
  private static final int KINEMATIC = 1;
  private static final int DYNAMIC = 2;

  /** Reference solver defaults (Chipmunk's cpSpaceInit). */
  public static final int SOLVER_ITERATIONS = 10;
  /** The float literal 0.1f, widened: the allowed overlap before position correction starts. */
  public static final double COLLISION_SLOP = 0.1f;
  /** Fraction of overlap left uncorrected after one second, (1 - 0.1f)^60 in the reference. */
  public static final double COLLISION_BIAS = Math.pow(1.0f - 0.1f, 60.0);
  /** Steps an arbiter (contact pair) is remembered after separation. */
  public static final int COLLISION_PERSISTENCE = 3;

  private final int maxShapes;
  private final int maxBodies;
  private double damping = 1.0;
  private int iterations = SOLVER_ITERATIONS;

  // Bodies (structure of arrays).
  private int bodies;
  private final int[] bodyType;
  private final double[] mInv;
  private final double[] iInv;
  private final double[] cogX;
  private final double[] cogY;
  /** Centre of gravity in world coordinates. */
  private final double[] px;
  private final double[] py;
  private final double[] angle;
  final double[] vx;
  final double[] vy;
  private final double[] w;
  private final double[] vbx;
  private final double[] vby;
  private final double[] wb;
  // Transform: x' = tA*x + tC*y + tX, y' = tB*x + tD*y + tY.
  private final double[] tA;
  private final double[] tB;
  private final double[] tC;
  private final double[] tD;
  private final double[] tX;
  private final double[] tY;

  // Shapes.
  private int shapes;
  final int[] shapeType;
  final int[] shapeBody;
  final long[] hashId;
  final double[] radius;
  private final double[] friction;
  private final double[] elasticity;
  final double[] bbL;
  final double[] bbB;
  final double[] bbR;
  final double[] bbT;
  private final double[] ccx; // circle centre (local)
  private final double[] ccy;
  final double[] tcx; // circle centre (world)
  final double[] tcy;
  final double[] tax; // segment (world; static so fixed)
  final double[] tay;
  final double[] tbx;
  final double[] tby;
  final double[] tnx;
  final double[] tny;
  final int[] polyStart;
  final int[] polyCount;
  private int verts;
  private final double[] lvx; // polygon vertices and edge normals, local
  private final double[] lvy;
  private final double[] lnx;
  private final double[] lny;
  final double[] wvx; // polygon vertices and edge normals, world
  final double[] wvy;
  final double[] wnx;
  final double[] wny;

  // Arbiters: one slot per unordered shape pair; at most two contacts each.
  private static final int FIRST_COLLISION = 0;
  private static final int NORMAL = 1;
  private static final int CACHED = 3;
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
  private double currDt;
  private int contactPointsLastStep;

  private final BroadPhase broadPhase;
  private final NarrowPhase narrowPhase;

  /**
   * @param maxShapes capacity for shapes (segments, the agent, polygon parts)
   * @param maxPolygonVertices capacity for all polygon vertices together
   */
  public World(int maxShapes, int maxPolygonVertices) {
    if (maxShapes < 1 || maxPolygonVertices < 3) {
      throw new IllegalArgumentException("maxShapes >= 1 and maxPolygonVertices >= 3 required");
    }
    this.maxShapes = maxShapes;
    this.maxBodies = maxShapes + 1;
    bodyType = new int[maxBodies];
    mInv = new double[maxBodies];
    iInv = new double[maxBodies];
    cogX = new double[maxBodies];
    cogY = new double[maxBodies];
    px = new double[maxBodies];
    py = new double[maxBodies];
    angle = new double[maxBodies];
    vx = new double[maxBodies];
    vy = new double[maxBodies];
    w = new double[maxBodies];
    vbx = new double[maxBodies];
    vby = new double[maxBodies];
    wb = new double[maxBodies];
    tA = new double[maxBodies];
    tB = new double[maxBodies];
    tC = new double[maxBodies];
    tD = new double[maxBodies];
    tX = new double[maxBodies];
    tY = new double[maxBodies];
    shapeType = new int[maxShapes];
    shapeBody = new int[maxShapes];
    hashId = new long[maxShapes];
    radius = new double[maxShapes];
    friction = new double[maxShapes];
    elasticity = new double[maxShapes];
    bbL = new double[maxShapes];
    bbB = new double[maxShapes];
    bbR = new double[maxShapes];
    bbT = new double[maxShapes];
    ccx = new double[maxShapes];
    ccy = new double[maxShapes];
    tcx = new double[maxShapes];
    tcy = new double[maxShapes];
    tax = new double[maxShapes];
    tay = new double[maxShapes];
    tbx = new double[maxShapes];
    tby = new double[maxShapes];
    tnx = new double[maxShapes];
    tny = new double[maxShapes];
    polyStart = new int[maxShapes];
    polyCount = new int[maxShapes];
    lvx = new double[maxPolygonVertices];
    lvy = new double[maxPolygonVertices];
    lnx = new double[maxPolygonVertices];
    lny = new double[maxPolygonVertices];
    wvx = new double[maxPolygonVertices];
    wvy = new double[maxPolygonVertices];
    wnx = new double[maxPolygonVertices];
    wny = new double[maxPolygonVertices];
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
    broadPhase = new BroadPhase(this, maxShapes);
    narrowPhase = new NarrowPhase(this);
    clear();
  }

  /** Empties the world: only the static body remains. Allocates nothing. */
  public void clear() {
    bodies = 0;
    shapes = 0;
    verts = 0;
    stamp = 0;
    currDt = 0;
    damping = 1.0;
    iterations = SOLVER_ITERATIONS;
    contactPointsLastStep = 0;
    for (int i = 0; i < cacheCount; i++) {
      arbInCache[cacheList[i]] = false;
    }
    cacheCount = 0;
    activeCount = 0;
    broadPhase.clear();
    int s = newBody(STATIC, 0.0, 0.0);
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

  private int newBody(int type, double mInverse, double iInverse) {
    if (bodies == maxBodies) throw new IllegalStateException("world is full: " + maxBodies + " bodies");
    int i = bodies++;
    bodyType[i] = type;
    mInv[i] = mInverse;
    iInv[i] = iInverse;
    cogX[i] = 0;
    cogY[i] = 0;
    px[i] = 0;
    py[i] = 0;
    vx[i] = 0;
    vy[i] = 0;
    w[i] = 0;
    vbx[i] = 0;
    vby[i] = 0;
    wb[i] = 0;
    angle[i] = 0;
    setTransform(i, 0, 0, 0);
    return i;
  }

  private int newShape(int type, int body, double r, double frictionCoef, double elasticityCoef) {
    if (shapes == maxShapes) throw new IllegalStateException("world is full: " + maxShapes + " shapes");
    if (!(frictionCoef >= 0 && Double.isFinite(frictionCoef))) {
      throw new IllegalArgumentException("friction must be finite and >= 0, got " + frictionCoef);
    }
    if (!(elasticityCoef >= 0 && elasticityCoef <= 1)) {
      throw new IllegalArgumentException("elasticity must be in [0, 1], got " + elasticityCoef);
    }
    int s = shapes++;
    shapeType[s] = type;
    shapeBody[s] = body;
    hashId[s] = s;
    radius[s] = r;
    friction[s] = frictionCoef;
    elasticity[s] = elasticityCoef;
    return s;
  }

  /** Adds a static segment (a wall) of the given radius; returns its shape index. */
  public int addStaticSegment(double ax, double ay, double bx, double by, double radiusUnits, double frictionCoef) {
    requireFinite("segment", ax, ay, bx, by, radiusUnits, 0, 0);
    if (ax == bx && ay == by) throw new IllegalArgumentException("degenerate segment: both ends at (" + ax + ", " + ay + ")");
    int s = newShape(SEGMENT, 0, radiusUnits, frictionCoef, 0.0);
    double dx = bx - ax, dy = by - ay;
    double inv = 1.0 / (Math.sqrt(dx * dx + dy * dy) + Double.MIN_NORMAL);
    double ux = dx * inv, uy = dy * inv;
    // Static body: identity transform, so local and world coordinates agree.
    tax[s] = ax;
    tay[s] = ay;
    tbx[s] = bx;
    tby[s] = by;
    tnx[s] = uy; // rperp of the unit direction
    tny[s] = -ux;
    bbL[s] = (ax < bx ? ax : bx) - radiusUnits;
    bbR[s] = (ax < bx ? bx : ax) + radiusUnits;
    bbB[s] = (ay < by ? ay : by) - radiusUnits;
    bbT[s] = (ay < by ? by : ay) + radiusUnits;
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
    int body = newBody(KINEMATIC, 0.0, 0.0);
    setPosition(body, x, y);
    int s = newShape(CIRCLE, body, radiusUnits, frictionCoef, 0.0);
    ccx[s] = 0;
    ccy[s] = 0;
    cacheShape(s);
    broadPhase.insertDynamic(s, hashId[s]);
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
    int body = newBody(DYNAMIC, 1.0 / mass, 1.0 / moment);
    cogX[body] = cogLocalX;
    cogY[body] = cogLocalY;
    setPosition(body, x, y);
    setAngle(body, angleRadians);
    return body;
  }

  /**
   * Adds a convex polygon part to a dynamic body. {@code localXY} holds x0, y0, x1, y1, ... in body
   * coordinates, counter-clockwise in a y-up frame, starting at the vertex with the smallest x
   * (then smallest y) — the order the reference's convex hull produces; {@link
   * dev.wam4j.sim.scene.ConvexPart} brings any convex input into it.
   */
  public int addConvexPart(int body, double[] localXY, double frictionCoef, double elasticityCoef) {
    if (body <= 0 || body >= bodies || bodyType[body] != DYNAMIC) {
      throw new IllegalArgumentException("body " + body + " is not a dynamic body");
    }
    int n = localXY.length / 2;
    if (verts + n > lvx.length) throw new IllegalStateException("world is full: " + lvx.length + " polygon vertices");
    int s = newShape(POLY, body, 0.0, frictionCoef, elasticityCoef);
    polyStart[s] = verts;
    polyCount[s] = n;
    for (int i = 0; i < n; i++) {
      double ax = localXY[2 * ((i - 1 + n) % n)], ay = localXY[2 * ((i - 1 + n) % n) + 1];
      double bx = localXY[2 * i], by = localXY[2 * i + 1];
      double rx = by - ay, ry = -(bx - ax); // rperp(b - a)
      double inv = 1.0 / (Math.sqrt(rx * rx + ry * ry) + Double.MIN_NORMAL);
      lvx[verts + i] = bx;
      lvy[verts + i] = by;
      lnx[verts + i] = rx * inv;
      lny[verts + i] = ry * inv;
    }
    verts += n;
    cacheShape(s);
    broadPhase.insertDynamic(s, hashId[s]);
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

  private void setTransform(int i, double p0, double p1, double a) {
    double rx = Math.cos(a), ry = Math.sin(a);
    double cx = cogX[i], cy = cogY[i];
    tA[i] = rx;
    tB[i] = ry;
    tC[i] = -ry;
    tD[i] = rx;
    tX[i] = p0 - (cx * rx - cy * ry);
    tY[i] = p1 - (cx * ry + cy * rx);
  }

  /** Moves the body so that its origin is at (x, y), keeping its angle. */
  public void setPosition(int body, double x, double y) {
    double p0 = (tA[body] * cogX[body] + tC[body] * cogY[body]) + x;
    double p1 = (tB[body] * cogX[body] + tD[body] * cogY[body]) + y;
    px[body] = p0;
    py[body] = p1;
    setTransform(body, p0, p1, angle[body]);
  }

  /**
   * Gives {@code body} the pose and velocities of {@code fromBody} in {@code from} (a world built the
   * same way): a clone of its motion, without the contact history the solver warm-starts from.
   */
  public void copyMotion(int body, World from, int fromBody) {
    px[body] = from.px[fromBody];
    py[body] = from.py[fromBody];
    angle[body] = from.angle[fromBody];
    vx[body] = from.vx[fromBody];
    vy[body] = from.vy[fromBody];
    w[body] = from.w[fromBody];
    setTransform(body, px[body], py[body], angle[body]);
  }

  /** Sets the angle in radians, rotating about the centre of gravity (the origin moves). */
  public void setAngle(int body, double angleRadians) {
    angle[body] = angleRadians;
    setTransform(body, px[body], py[body], angleRadians);
  }

  /** Sets a body's linear velocity in units/s (the agent's only control input). */
  public void setVelocity(int body, double velX, double velY) {
    vx[body] = velX;
    vy[body] = velY;
  }

  /** Origin x of the body (world units). */
  public double positionX(int body) {
    return tA[body] * 0.0 + tC[body] * 0.0 + tX[body];
  }

  /** Origin y of the body (world units). */
  public double positionY(int body) {
    return tB[body] * 0.0 + tD[body] * 0.0 + tY[body];
  }

  /** Angle in radians, unwrapped. */
  public double angle(int body) {
    return angle[body];
  }

  public double velocityX(int body) {
    return vx[body];
  }

  public double velocityY(int body) {
    return vy[body];
  }

  /** Contact points the solver handled in the last step (for statistics such as n_contacts). */
  public int contactPointsLastStep() {
    return contactPointsLastStep;
  }

  // ---------------------------------------------------------------------------------------------
  // Shape caches

  private void cacheShape(int s) {
    int i = shapeBody[s];
    double a = tA[i], b = tB[i], c = tC[i], d = tD[i], x = tX[i], y = tY[i];
    switch (shapeType[s]) {
      case CIRCLE -> {
        double cx = a * ccx[s] + c * ccy[s] + x;
        double cy = b * ccx[s] + d * ccy[s] + y;
        tcx[s] = cx;
        tcy[s] = cy;
        double r = radius[s];
        bbL[s] = cx - r;
        bbB[s] = cy - r;
        bbR[s] = cx + r;
        bbT[s] = cy + r;
      }
      case POLY -> {
        double l = Double.POSITIVE_INFINITY, r = Double.NEGATIVE_INFINITY;
        double bo = Double.POSITIVE_INFINITY, t = Double.NEGATIVE_INFINITY;
        int start = polyStart[s], end = start + polyCount[s];
        for (int k = start; k < end; k++) {
          double vx0 = a * lvx[k] + c * lvy[k] + x;
          double vy0 = b * lvx[k] + d * lvy[k] + y;
          wvx[k] = vx0;
          wvy[k] = vy0;
          wnx[k] = a * lnx[k] + c * lny[k];
          wny[k] = b * lnx[k] + d * lny[k];
          l = min(l, vx0);
          r = max(r, vx0);
          bo = min(bo, vy0);
          t = max(t, vy0);
        }
        double rad = radius[s];
        bbL[s] = l - rad;
        bbB[s] = bo - rad;
        bbR[s] = r + rad;
        bbT[s] = t + rad;
      }
      default -> {
        // Segments belong to the static body and never move.
      }
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Stepping

  /** Advances the world by {@code dtSeconds}. Allocates nothing. */
  public void step(double dtSeconds) {
    if (dtSeconds == 0.0) return;
    stamp++;
    double prevDt = currDt;
    currDt = dtSeconds;

    for (int k = 0; k < activeCount; k++) arbState[active[k]] = NORMAL;
    activeCount = 0;

    // Integrate positions with the velocities (and bias velocities) of the last solve.
    for (int i = 1; i < bodies; i++) {
      double p0 = px[i] + (vx[i] + vbx[i]) * dtSeconds;
      double p1 = py[i] + (vy[i] + vby[i]) * dtSeconds;
      double a = angle[i] + (w[i] + wb[i]) * dtSeconds;
      px[i] = p0;
      py[i] = p1;
      angle[i] = a;
      setTransform(i, p0, p1, a);
      vbx[i] = 0;
      vby[i] = 0;
      wb[i] = 0;
    }

    // Collision detection: refresh moving shapes, then the broad phase calls collide().
    for (int s = 0; s < shapes; s++) {
      if (shapeBody[s] != 0) cacheShape(s);
    }
    broadPhase.reindexQuery();

    filterArbiters();

    double slop = COLLISION_SLOP;
    double biasCoef = 1.0 - Math.pow(COLLISION_BIAS, dtSeconds);
    for (int k = 0; k < activeCount; k++) preStep(active[k], dtSeconds, slop, biasCoef);

    // Integrate velocities: damping^dt, no gravity or forces in these scenes.
    double damp = Math.pow(damping, dtSeconds);
    for (int i = 1; i < bodies; i++) {
      if (bodyType[i] == KINEMATIC) continue;
      vx[i] = vx[i] * damp + (0.0 + 0.0 * mInv[i]) * dtSeconds;
      vy[i] = vy[i] * damp + (0.0 + 0.0 * mInv[i]) * dtSeconds;
      w[i] = w[i] * damp + 0.0 * iInv[i] * dtSeconds;
    }

    double dtCoef = prevDt == 0.0 ? 0.0 : dtSeconds / prevDt;
    for (int k = 0; k < activeCount; k++) applyCachedImpulse(active[k], dtCoef);
    for (int it = 0; it < iterations; it++) {
      for (int k = 0; k < activeCount; k++) applyImpulse(active[k]);
    }

    int points = 0;
    for (int k = 0; k < activeCount; k++) points += arbCount[active[k]];
    contactPointsLastStep = points;

    for (int i = 1; i < bodies; i++) {
      if (!(Double.isFinite(px[i]) && Double.isFinite(py[i]) && Double.isFinite(angle[i]))) {
        throw new IllegalStateException("physics produced a non-finite state for body " + i
            + " (position " + px[i] + ", " + py[i] + ", angle " + angle[i] + ")");
      }
    }
  }

  /** Narrow phase and arbiter bookkeeping for one overlapping pair; returns the id to cache. */
  int collide(int a, int b, int id) {
    if (!(bbL[a] <= bbR[b] && bbL[b] <= bbR[a] && bbB[a] <= bbT[b] && bbB[b] <= bbT[a])) return id;
    int bodyA = shapeBody[a], bodyB = shapeBody[b];
    if (bodyA == bodyB) return id;
    // Two infinite masses (agent vs wall) never exchange impulses; skipping them changes nothing.
    if (bodyType[bodyA] != DYNAMIC && bodyType[bodyB] != DYNAMIC) return id;
    int s1 = a, s2 = b;
    if (shapeType[a] > shapeType[b]) {
      s1 = b;
      s2 = a;
    }
    NarrowPhase np = narrowPhase;
    int newId = np.collide(s1, s2, id);
    int n = np.count;
    if (n == 0) return newId;

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
    return newId;
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
