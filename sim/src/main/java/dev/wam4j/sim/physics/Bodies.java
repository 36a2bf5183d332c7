package dev.wam4j.sim.physics;

/**
 * The body table of a {@link World}: one row per rigid body, each column a primitive array
 * (structure of arrays), so the solver's inner loop reads doubles and nothing else.
 *
 * <p>A row holds the body's kind, inverse mass (1/mass units) and inverse moment, its centre of
 * gravity in body coordinates, its pose (centre of gravity in world units, angle in radians), its
 * velocities (units/s, rad/s), the bias velocities of position correction, and the body-to-world
 * transform derived from the pose. Row 0 is the static body. Integration of poses and velocities is
 * Chipmunk's cpBodyUpdatePosition and cpBodyUpdateVelocity, in the same arithmetic order.
 *
 * <p>Rows are reused after {@link #clear()}; nothing is allocated after construction.
 */
final class Bodies {
  static final int STATIC = 0;
  static final int KINEMATIC = 1;
  static final int DYNAMIC = 2;

  int count;
  final int[] type;
  final double[] mInv;
  final double[] iInv;
  final double[] cogX;
  final double[] cogY;

  /** Centre of gravity in world coordinates. */
  final double[] px;

  final double[] py;
  final double[] angle;
  final double[] vx;
  final double[] vy;
  final double[] w;
  final double[] vbx;
  final double[] vby;
  final double[] wb;
  // Transform: x' = tA*x + tC*y + tX, y' = tB*x + tD*y + tY.
  final double[] tA;
  final double[] tB;
  final double[] tC;
  final double[] tD;
  final double[] tX;
  final double[] tY;

  Bodies(int capacity) {
    type = new int[capacity];
    mInv = new double[capacity];
    iInv = new double[capacity];
    cogX = new double[capacity];
    cogY = new double[capacity];
    px = new double[capacity];
    py = new double[capacity];
    angle = new double[capacity];
    vx = new double[capacity];
    vy = new double[capacity];
    w = new double[capacity];
    vbx = new double[capacity];
    vby = new double[capacity];
    wb = new double[capacity];
    tA = new double[capacity];
    tB = new double[capacity];
    tC = new double[capacity];
    tD = new double[capacity];
    tX = new double[capacity];
    tY = new double[capacity];
  }

  void clear() {
    count = 0;
  }

  /** Appends a body at rest at the origin with its centre of gravity there; returns its row. */
  int add(int kind, double mInverse, double iInverse) {
    if (count == type.length)
      throw new IllegalStateException("world is full: " + type.length + " bodies");
    int i = count++;
    type[i] = kind;
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

  /** Moves body {@code i} so that its origin is at (x, y), keeping its angle. */
  void setPosition(int i, double x, double y) {
    double p0 = (tA[i] * cogX[i] + tC[i] * cogY[i]) + x;
    double p1 = (tB[i] * cogX[i] + tD[i] * cogY[i]) + y;
    px[i] = p0;
    py[i] = p1;
    setTransform(i, p0, p1, angle[i]);
  }

  /** Sets the angle in radians, rotating about the centre of gravity (the origin moves). */
  void setAngle(int i, double angleRadians) {
    angle[i] = angleRadians;
    setTransform(i, px[i], py[i], angleRadians);
  }

  /** Gives body {@code i} the pose and velocities of body {@code j} in {@code from}. */
  void copyMotion(int i, Bodies from, int j) {
    px[i] = from.px[j];
    py[i] = from.py[j];
    angle[i] = from.angle[j];
    vx[i] = from.vx[j];
    vy[i] = from.vy[j];
    w[i] = from.w[j];
    setTransform(i, px[i], py[i], angle[i]);
  }

  /** Origin x of body {@code i}: the transform applied to (0, 0), as the reference computes it. */
  double originX(int i) {
    return tA[i] * 0.0 + tC[i] * 0.0 + tX[i];
  }

  double originY(int i) {
    return tB[i] * 0.0 + tD[i] * 0.0 + tY[i];
  }

  /** Moves every non-static body by its velocity plus the bias velocity of the last solve. */
  void integratePositions(double dt) {
    for (int i = 1; i < count; i++) {
      double p0 = px[i] + (vx[i] + vbx[i]) * dt;
      double p1 = py[i] + (vy[i] + vby[i]) * dt;
      double a = angle[i] + (w[i] + wb[i]) * dt;
      px[i] = p0;
      py[i] = p1;
      angle[i] = a;
      setTransform(i, p0, p1, a);
      vbx[i] = 0;
      vby[i] = 0;
      wb[i] = 0;
    }
  }

  /**
   * Multiplies dynamic bodies' velocities by {@code damp}; the scenes have no gravity or forces,
   * but the reference's zero terms stay because they decide signed zeros.
   */
  void integrateVelocities(double damp, double dt) {
    for (int i = 1; i < count; i++) {
      if (type[i] == KINEMATIC) continue;
      vx[i] = vx[i] * damp + (0.0 + 0.0 * mInv[i]) * dt;
      vy[i] = vy[i] * damp + (0.0 + 0.0 * mInv[i]) * dt;
      w[i] = w[i] * damp + 0.0 * iInv[i] * dt;
    }
  }

  /** Fails loudly instead of letting a blown-up solve propagate NaN into observations. */
  void requireFinitePoses() {
    for (int i = 1; i < count; i++) {
      if (!(Double.isFinite(px[i]) && Double.isFinite(py[i]) && Double.isFinite(angle[i]))) {
        throw new IllegalStateException(
            "physics produced a non-finite state for body "
                + i
                + " (position "
                + px[i]
                + ", "
                + py[i]
                + ", angle "
                + angle[i]
                + ")");
      }
    }
  }
}
