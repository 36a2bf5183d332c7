package dev.wam4j.sim.physics;

import static dev.wam4j.sim.physics.BroadPhase.max;
import static dev.wam4j.sim.physics.BroadPhase.min;

/**
 * The shape table of a {@link World}: one row per collision shape (a circle, a segment or a convex
 * polygon), each column a primitive array (structure of arrays), plus one pool of polygon vertices.
 *
 * <p>A row holds the shape's kind, its body (a row of {@link Bodies}), its hash id, radius,
 * friction and elasticity, its local geometry and the world geometry and bounding box cached from
 * its body's transform by {@link #updateMoving()} (Chipmunk's cpShapeCacheBB), which the broad and
 * narrow phases read. Lengths are world units. Segments belong to the static body, so their world
 * geometry is written once when they are added.
 *
 * <p>Rows are reused after {@link #clear()}; nothing is allocated after construction.
 */
final class Shapes {
  static final int CIRCLE = 0;
  static final int SEGMENT = 1;
  static final int POLY = 2;

  private final Bodies bodies;

  int count;
  final int[] type;
  final int[] body;
  final long[] hashId;
  final double[] radius;
  final double[] friction;
  final double[] elasticity;
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

  Shapes(int capacity, int maxPolygonVertices, Bodies bodies) {
    this.bodies = bodies;
    type = new int[capacity];
    body = new int[capacity];
    hashId = new long[capacity];
    radius = new double[capacity];
    friction = new double[capacity];
    elasticity = new double[capacity];
    bbL = new double[capacity];
    bbB = new double[capacity];
    bbR = new double[capacity];
    bbT = new double[capacity];
    ccx = new double[capacity];
    ccy = new double[capacity];
    tcx = new double[capacity];
    tcy = new double[capacity];
    tax = new double[capacity];
    tay = new double[capacity];
    tbx = new double[capacity];
    tby = new double[capacity];
    tnx = new double[capacity];
    tny = new double[capacity];
    polyStart = new int[capacity];
    polyCount = new int[capacity];
    lvx = new double[maxPolygonVertices];
    lvy = new double[maxPolygonVertices];
    lnx = new double[maxPolygonVertices];
    lny = new double[maxPolygonVertices];
    wvx = new double[maxPolygonVertices];
    wvy = new double[maxPolygonVertices];
    wnx = new double[maxPolygonVertices];
    wny = new double[maxPolygonVertices];
  }

  int capacity() {
    return type.length;
  }

  void clear() {
    count = 0;
    verts = 0;
  }

  private int add(int kind, int bodyRow, double r, double frictionCoef, double elasticityCoef) {
    if (count == type.length)
      throw new IllegalStateException("world is full: " + type.length + " shapes");
    if (!(frictionCoef >= 0 && Double.isFinite(frictionCoef))) {
      throw new IllegalArgumentException("friction must be finite and >= 0, got " + frictionCoef);
    }
    if (!(elasticityCoef >= 0 && elasticityCoef <= 1)) {
      throw new IllegalArgumentException("elasticity must be in [0, 1], got " + elasticityCoef);
    }
    int s = count++;
    type[s] = kind;
    body[s] = bodyRow;
    hashId[s] = s;
    radius[s] = r;
    friction[s] = frictionCoef;
    elasticity[s] = elasticityCoef;
    return s;
  }

  /** Adds a segment of the static body from a to b; returns its row. */
  int addStaticSegment(
      double ax, double ay, double bx, double by, double radiusUnits, double frictionCoef) {
    int s = add(SEGMENT, 0, radiusUnits, frictionCoef, 0.0);
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
    return s;
  }

  /** Adds a circle centred on the origin of {@code bodyRow}; returns its row. */
  int addCircle(int bodyRow, double radiusUnits, double frictionCoef) {
    int s = add(CIRCLE, bodyRow, radiusUnits, frictionCoef, 0.0);
    ccx[s] = 0;
    ccy[s] = 0;
    cache(s);
    return s;
  }

  /**
   * Adds a convex polygon to {@code bodyRow}, vertices as {@link World#addConvexPart} takes them.
   */
  int addPolygon(int bodyRow, double[] localXY, double frictionCoef, double elasticityCoef) {
    int n = localXY.length / 2;
    if (verts + n > lvx.length)
      throw new IllegalStateException("world is full: " + lvx.length + " polygon vertices");
    int s = add(POLY, bodyRow, 0.0, frictionCoef, elasticityCoef);
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
    cache(s);
    return s;
  }

  /** Recomputes the world geometry and box of every shape on a moving body. */
  void updateMoving() {
    for (int s = 0; s < count; s++) {
      if (body[s] != 0) cache(s);
    }
  }

  private void cache(int s) {
    Bodies bs = bodies;
    int i = body[s];
    double a = bs.tA[i], b = bs.tB[i], c = bs.tC[i], d = bs.tD[i], x = bs.tX[i], y = bs.tY[i];
    switch (type[s]) {
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
}
