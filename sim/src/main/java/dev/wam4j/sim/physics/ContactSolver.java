package dev.wam4j.sim.physics;

import static dev.wam4j.sim.physics.BroadPhase.max;
import static dev.wam4j.sim.physics.BroadPhase.min;

/**
 * Contact solver: the arbiters (one per touching shape pair, at most two contact points each) and
 * Catto's sequential impulses with bias velocities and warm starting, as Chipmunk 7's cpArbiter
 * does it, in the same order, so results are bit-exact.
 *
 * <p>An arbiter holds the pair's normal, restitution and friction; each contact point its offsets
 * from the two bodies' centres of gravity (world units), effective masses, bias velocity (units/s)
 * and the accumulated normal, tangent and bias impulses (mass x units/s). Impulses of a point found
 * again next step (same contact hash) warm-start the solve; an arbiter untouched for {@link
 * World#COLLISION_PERSISTENCE} steps is forgotten.
 *
 * <p>One step is {@link #beginStep}, {@link #update} per touching pair, {@link #preStep}, then
 * (after the velocities are integrated) {@link #solve}. The body columns the impulses change are
 * the {@link Bodies} arrays themselves, held in final fields, so the inner loop is array arithmetic
 * only. Arbiters live in flat arrays indexed by shape pair; nothing is allocated after
 * construction.
 */
final class ContactSolver {
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

  ContactSolver(Bodies bodies, Shapes shapes) {
    maxShapes = shapes.capacity();
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
  }

  /** Forgets every arbiter and the step history. */
  void clear() {
    stamp = 0;
    prevDt = 0;
    currDt = 0;
    contactPointsLastStep = 0;
    for (int i = 0; i < cacheCount; i++) {
      arbInCache[cacheList[i]] = false;
    }
    cacheCount = 0;
    activeCount = 0;
  }

  /** Contact points solved in the last step. */
  int contactPointsLastStep() {
    return contactPointsLastStep;
  }

  /**
   * Starts a step of {@code dt} seconds: last step's touching arbiters become merely remembered.
   */
  void beginStep(double dt) {
    stamp++;
    prevDt = currDt;
    currDt = dt;
    for (int k = 0; k < activeCount; k++) arbState[active[k]] = NORMAL;
    activeCount = 0;
  }

  /**
   * Records the contacts the narrow phase found between {@code s1} and {@code s2} (sorted by type):
   * the pair's arbiter is created or refreshed, points found again keep their impulses.
   */
  void update(int s1, int s2, NarrowPhase np) {
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
   * Ages the remembered arbiters (dropping those past the persistence), then computes each touching
   * point's effective masses, bias and bounce from the velocities before integration.
   */
  void preStep() {
    filterArbiters();
    double dt = currDt;
    double slop = World.COLLISION_SLOP;
    double biasCoef = 1.0 - Math.pow(World.COLLISION_BIAS, dt);
    for (int k = 0; k < activeCount; k++) preStep(active[k], dt, slop, biasCoef);
  }

  /** Warm-starts with last step's impulses (scaled by the dt ratio), then iterates the impulses. */
  void solve() {
    double dtCoef = prevDt == 0.0 ? 0.0 : currDt / prevDt;
    for (int k = 0; k < activeCount; k++) applyCachedImpulse(active[k], dtCoef);
    for (int it = 0; it < World.SOLVER_ITERATIONS; it++) {
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
      if (ticks >= World.COLLISION_PERSISTENCE) {
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

  private double kScalar(
      int a, int b, double r1X, double r1Y, double r2X, double r2Y, double nX, double nY) {
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

  private void applyImpulses(
      int a, int b, double r1X, double r1Y, double r2X, double r2Y, double jx, double jy) {
    double njx = -jx, njy = -jy;
    vx[a] = vx[a] + njx * mInv[a];
    vy[a] = vy[a] + njy * mInv[a];
    w[a] += iInv[a] * (r1X * njy - r1Y * njx);
    vx[b] = vx[b] + jx * mInv[b];
    vy[b] = vy[b] + jy * mInv[b];
    w[b] += iInv[b] * (r2X * jy - r2Y * jx);
  }

  private void applyBiasImpulses(
      int a, int b, double r1X, double r1Y, double r2X, double r2Y, double jx, double jy) {
    double njx = -jx, njy = -jy;
    vbx[a] = vbx[a] + njx * mInv[a];
    vby[a] = vby[a] + njy * mInv[a];
    wb[a] += iInv[a] * (r1X * njy - r1Y * njx);
    vbx[b] = vbx[b] + jx * mInv[b];
    vby[b] = vby[b] + jy * mInv[b];
    wb[b] += iInv[b] * (r2X * jy - r2Y * jx);
  }
}
