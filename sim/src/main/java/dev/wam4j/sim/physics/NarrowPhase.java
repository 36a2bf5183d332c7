package dev.wam4j.sim.physics;

import static dev.wam4j.sim.physics.BroadPhase.max;
import static dev.wam4j.sim.physics.BroadPhase.min;

/**
 * Narrow phase: closest points by GJK (EPA when the cores overlap) and contact points by clipping
 * the two support edges, with the reference's contact hashes so impulses persist across steps.
 *
 * <p>Minkowski points live in a scratch pool indexed by int; results land in public-to-package
 * fields. One instance per {@link World}; not thread-safe; allocates nothing.
 */
final class NarrowPhase {
  private static final int MAX_GJK_ITERATIONS = 30;
  private static final int MAX_EPA_ITERATIONS = 30;

  /** DBL_MIN: the reference adds it to denominators to avoid dividing by zero. */
  private static final double TINY = Double.MIN_NORMAL;

  static final long HASH_COEF = 3344921057L;

  private final Shapes shapes;

  // Minkowski point pool: a (on shape 1), b (on shape 2), ab = b - a, id = packed support indices.
  // GJK adds at most 2 + 31 points and EPA at most 30 more (both capped at 30 iterations).
  private static final int POOL = 80;
  private final double[] ax = new double[POOL];
  private final double[] ay = new double[POOL];
  private final double[] bx = new double[POOL];
  private final double[] by = new double[POOL];
  private final double[] abx = new double[POOL];
  private final double[] aby = new double[POOL];
  private final int[] mid = new int[POOL];
  private int used;
  private final int[] hullA = new int[POOL];
  private final int[] hullB = new int[POOL];

  private int shape1;
  private int shape2;

  // Closest points result.
  double pax;
  double pay;
  double pbx;
  double pby;
  double nx;
  double ny;
  double dist;
  int closestId;

  // Contacts result (absolute positions), at most two.
  int count;
  double infoNx;
  double infoNy;
  final double[] c1x = new double[2];
  final double[] c1y = new double[2];
  final double[] c2x = new double[2];
  final double[] c2y = new double[2];
  final long[] cHash = new long[2];

  NarrowPhase(Shapes shapes) {
    this.shapes = shapes;
  }

  static long hashPair(long a, long b) {
    return a * HASH_COEF ^ b * HASH_COEF;
  }

  /**
   * Collides shapes {@code s1}, {@code s2} (already sorted by type: circle < segment < polygon).
   * Fills {@link #count} and the contact arrays; returns the collision id to cache.
   */
  int collide(int s1, int s2, int id) {
    count = 0;
    infoNx = 0;
    infoNy = 0;
    int t1 = shapes.type[s1], t2 = shapes.type[s2];
    if (t2 != Shapes.POLY) return id; // circle/segment pairs never involve a moving body here
    shape1 = s1;
    shape2 = s2;
    int newId = gjk(id);
    switch (t1) {
      case Shapes.CIRCLE -> {
        if (dist <= shapes.radius[s1] + shapes.radius[s2]) {
          infoNx = nx;
          infoNy = ny;
          push(
              pax + nx * shapes.radius[s1],
              pay + ny * shapes.radius[s1],
              pbx + nx * shapes.radius[s2],
              pby + ny * shapes.radius[s2],
              0);
        }
      }
      case Shapes.SEGMENT -> {
        // Segment end-cap tangents are zero, so the end-cap rejection test always passes.
        if (dist - shapes.radius[s1] - shapes.radius[s2] <= 0.0) {
          contactPoints(segmentEdge(0, s1, nx, ny), polyEdge(1, s2, -nx, -ny));
        }
      }
      default -> {
        if (dist - shapes.radius[s1] - shapes.radius[s2] <= 0.0) {
          contactPoints(polyEdge(0, s1, nx, ny), polyEdge(1, s2, -nx, -ny));
        }
      }
    }
    return newId;
  }

  private void push(double p1x, double p1y, double p2x, double p2y, long hash) {
    c1x[count] = p1x;
    c1y[count] = p1y;
    c2x[count] = p2x;
    c2y[count] = p2y;
    cHash[count] = hash;
    count++;
  }

  // ---------------------------------------------------------------------------------------------
  // Support points

  private int newPoint(double pax, double pay, int ia, double pbx, double pby, int ib) {
    int k = used++;
    ax[k] = pax;
    ay[k] = pay;
    bx[k] = pbx;
    by[k] = pby;
    abx[k] = pbx - pax;
    aby[k] = pby - pay;
    mid[k] = (ia & 0xFF) << 8 | (ib & 0xFF);
    return k;
  }

  private int supportIndex(int s, double dx, double dy) {
    switch (shapes.type[s]) {
      case Shapes.CIRCLE:
        return 0;
      case Shapes.SEGMENT:
        return (shapes.tax[s] * dx + shapes.tay[s] * dy > shapes.tbx[s] * dx + shapes.tby[s] * dy)
            ? 0
            : 1;
      default:
        int start = shapes.polyStart[s], n = shapes.polyCount[s];
        double best = Double.NEGATIVE_INFINITY;
        int index = 0;
        for (int i = 0; i < n; i++) {
          double d = shapes.wvx[start + i] * dx + shapes.wvy[start + i] * dy;
          if (d > best) {
            best = d;
            index = i;
          }
        }
        return index;
    }
  }

  private double pointX(int s, int i) {
    return switch (shapes.type[s]) {
      case Shapes.CIRCLE -> shapes.tcx[s];
      case Shapes.SEGMENT -> i == 0 ? shapes.tax[s] : shapes.tbx[s];
      default -> shapes.wvx[shapes.polyStart[s] + i];
    };
  }

  private double pointY(int s, int i) {
    return switch (shapes.type[s]) {
      case Shapes.CIRCLE -> shapes.tcy[s];
      case Shapes.SEGMENT -> i == 0 ? shapes.tay[s] : shapes.tby[s];
      default -> shapes.wvy[shapes.polyStart[s] + i];
    };
  }

  /** Maximal point of the Minkowski difference (shape2 - shape1) along (dx, dy). */
  private int support(double dx, double dy) {
    int ia = supportIndex(shape1, -dx, -dy);
    int ib = supportIndex(shape2, dx, dy);
    return newPoint(
        pointX(shape1, ia), pointY(shape1, ia), ia, pointX(shape2, ib), pointY(shape2, ib), ib);
  }

  /**
   * The point with a cached index: circles and segments as is, polygons wrap to 0 if out of range.
   */
  private int cachedIndex(int s, int i) {
    return switch (shapes.type[s]) {
      case Shapes.CIRCLE -> 0;
      case Shapes.SEGMENT -> i;
      default -> i < shapes.polyCount[s] ? i : 0;
    };
  }

  // ---------------------------------------------------------------------------------------------
  // Geometry helpers on the segment p(t) = a(1-t)/2 + b(1+t)/2, t in [-1, 1]

  private static double closestT(double ax, double ay, double bx, double by) {
    double dx = bx - ax, dy = by - ay;
    double v = (dx * (ax + bx) + dy * (ay + by)) / (dx * dx + dy * dy);
    return -min(max(v, -1.0), 1.0);
  }

  private static double lerpT(double a, double b, double t) {
    double ht = 0.5 * t;
    return a * (0.5 - ht) + b * (0.5 + ht);
  }

  private static double closestDist(double ax, double ay, double bx, double by) {
    double t = closestT(ax, ay, bx, by);
    double px = lerpT(ax, bx, t), py = lerpT(ay, by, t);
    return px * px + py * py;
  }

  /** Robust side test: is c on the far side of the line a-b (the reference's predicate). */
  private static boolean pointGreater(
      double ax, double ay, double bx, double by, double cx, double cy) {
    return (by - ay) * (ax + bx - 2 * cx) > (bx - ax) * (ay + by - 2 * cy);
  }

  private void closestPoints(int v0, int v1) {
    double t = closestT(abx[v0], aby[v0], abx[v1], aby[v1]);
    double px = lerpT(abx[v0], abx[v1], t), py = lerpT(aby[v0], aby[v1], t);
    pax = lerpT(ax[v0], ax[v1], t);
    pay = lerpT(ay[v0], ay[v1], t);
    pbx = lerpT(bx[v0], bx[v1], t);
    pby = lerpT(by[v0], by[v1], t);
    closestId = (mid[v0] & 0xFFFF) << 16 | (mid[v1] & 0xFFFF);
    double dx = abx[v1] - abx[v0], dy = aby[v1] - aby[v0];
    // normalize(rperp(delta)), rperp(x, y) = (y, -x)
    double rx = dy, ry = -dx;
    double inv = 1.0 / (Math.sqrt(rx * rx + ry * ry) + TINY);
    double n0x = rx * inv, n0y = ry * inv;
    double d = n0x * px + n0y * py;
    if (d <= 0.0 || (-1.0 < t && t < 1.0)) {
      nx = n0x;
      ny = n0y;
      dist = d;
    } else {
      // Vertex-vertex: the separating axis is the direction to the closest point itself.
      double d2 = Math.sqrt(px * px + py * py);
      double inv2 = 1.0 / (d2 + TINY);
      nx = px * inv2;
      ny = py * inv2;
      dist = d2;
    }
  }

  // ---------------------------------------------------------------------------------------------
  // GJK and EPA

  private int gjk(int id) {
    used = 0;
    int v0, v1;
    if (id != 0) {
      int i0 = cachedIndex(shape1, (id >>> 24) & 0xFF),
          j0 = cachedIndex(shape2, (id >>> 16) & 0xFF);
      int i1 = cachedIndex(shape1, (id >>> 8) & 0xFF), j1 = cachedIndex(shape2, id & 0xFF);
      v0 =
          newPoint(
              pointX(shape1, i0),
              pointY(shape1, i0),
              i0,
              pointX(shape2, j0),
              pointY(shape2, j0),
              j0);
      v1 =
          newPoint(
              pointX(shape1, i1),
              pointY(shape1, i1),
              i1,
              pointX(shape2, j1),
              pointY(shape2, j1),
              j1);
    } else {
      // Start from the axis between the bounding-box centres.
      double c1x = shapes.bbL[shape1] * 0.5 + shapes.bbR[shape1] * 0.5,
          c1y = shapes.bbB[shape1] * 0.5 + shapes.bbT[shape1] * 0.5;
      double c2x = shapes.bbL[shape2] * 0.5 + shapes.bbR[shape2] * 0.5,
          c2y = shapes.bbB[shape2] * 0.5 + shapes.bbT[shape2] * 0.5;
      double dx = c1x - c2x, dy = c1y - c2y;
      double axX = -dy, axY = dx; // perp
      v0 = support(axX, axY);
      v1 = support(-axX, -axY);
    }
    gjkLoop(v0, v1);
    return closestId;
  }

  private void gjkLoop(int v0, int v1) {
    int iteration = 1;
    while (true) {
      if (iteration > MAX_GJK_ITERATIONS) {
        closestPoints(v0, v1);
        return;
      }
      if (pointGreater(abx[v1], aby[v1], abx[v0], aby[v0], 0.0, 0.0)) {
        int tmp = v0; // origin behind the axis: flip
        v0 = v1;
        v1 = tmp;
        continue;
      }
      double t = closestT(abx[v0], aby[v0], abx[v1], aby[v1]);
      double dx, dy;
      if (-1.0 < t && t < 1.0) {
        dx = -(aby[v1] - aby[v0]);
        dy = abx[v1] - abx[v0];
      } else {
        dx = -lerpT(abx[v0], abx[v1], t);
        dy = -lerpT(aby[v0], aby[v1], t);
      }
      int p = support(dx, dy);
      if (pointGreater(abx[p], aby[p], abx[v0], aby[v0], 0.0, 0.0)
          && pointGreater(abx[v1], aby[v1], abx[p], aby[p], 0.0, 0.0)) {
        epa(v0, p, v1);
        return;
      }
      double pn = abx[p] * dx + aby[p] * dy;
      if (pn <= max(abx[v0] * dx + aby[v0] * dy, abx[v1] * dx + aby[v1] * dy)) {
        closestPoints(v0, v1); // p is no closer than the current edge
        return;
      }
      if (closestDist(abx[v0], aby[v0], abx[p], aby[p])
          < closestDist(abx[p], aby[p], abx[v1], aby[v1])) {
        v1 = p;
      } else {
        v0 = p;
      }
      iteration++;
    }
  }

  private void epa(int v0, int v1, int v2) {
    int[] hull = hullA, next = hullB;
    hull[0] = v0;
    hull[1] = v1;
    hull[2] = v2;
    int count = 3;
    int iteration = 1;
    while (true) {
      int mini = 0;
      double minDist = Double.POSITIVE_INFINITY;
      for (int j = 0, i = count - 1; j < count; i = j, j++) {
        double d = closestDist(abx[hull[i]], aby[hull[i]], abx[hull[j]], aby[hull[j]]);
        if (d < minDist) {
          minDist = d;
          mini = i;
        }
      }
      int e0 = hull[mini], e1 = hull[(mini + 1) % count];
      int p = support(-(aby[e1] - aby[e0]), abx[e1] - abx[e0]);
      boolean duplicate = mid[p] == mid[e0] || mid[p] == mid[e1];
      if (!duplicate
          && pointGreater(abx[e0], aby[e0], abx[e1], aby[e1], abx[p], aby[p])
          && iteration < MAX_EPA_ITERATIONS
          && used + count + 2 < POOL) {
        int count2 = 1;
        next[0] = p;
        for (int i = 0; i < count; i++) {
          int index = (mini + 1 + i) % count;
          int h0 = next[count2 - 1];
          int h1 = hull[index];
          int h2 = i + 1 < count ? hull[(index + 1) % count] : p;
          if (pointGreater(abx[h0], aby[h0], abx[h2], aby[h2], abx[h1], aby[h1])) {
            next[count2++] = hull[index];
          }
        }
        int[] tmp = hull;
        hull = next;
        next = tmp;
        count = count2;
        iteration++;
      } else {
        closestPoints(e0, e1);
        return;
      }
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Support edges and contact clipping

  // Edge scratch: slot 0 holds the edge of shape 1, slot 1 the edge of shape 2.
  private final double[] eAx = new double[2];
  private final double[] eAy = new double[2];
  private final double[] eBx = new double[2];
  private final double[] eBy = new double[2];
  private final long[] eAh = new long[2];
  private final long[] eBh = new long[2];
  private final double[] eR = new double[2];

  private int segmentEdge(int k, int s, double dx, double dy) {
    long h = shapes.hashId[s];
    if (shapes.tnx[s] * dx + shapes.tny[s] * dy > 0.0) {
      setEdge(
          k,
          shapes.tax[s],
          shapes.tay[s],
          hashPair(h, 0),
          shapes.tbx[s],
          shapes.tby[s],
          hashPair(h, 1),
          shapes.radius[s]);
    } else {
      setEdge(
          k,
          shapes.tbx[s],
          shapes.tby[s],
          hashPair(h, 1),
          shapes.tax[s],
          shapes.tay[s],
          hashPair(h, 0),
          shapes.radius[s]);
    }
    return k;
  }

  private int polyEdge(int k, int s, double dx, double dy) {
    int start = shapes.polyStart[s], n = shapes.polyCount[s];
    int i1 = supportIndex(s, dx, dy);
    int i0 = (i1 - 1 + n) % n;
    int i2 = (i1 + 1) % n;
    long h = shapes.hashId[s];
    double d1 = dx * shapes.wnx[start + i1] + dy * shapes.wny[start + i1];
    double d2 = dx * shapes.wnx[start + i2] + dy * shapes.wny[start + i2];
    if (d1 > d2) {
      setEdge(
          k,
          shapes.wvx[start + i0],
          shapes.wvy[start + i0],
          hashPair(h, i0),
          shapes.wvx[start + i1],
          shapes.wvy[start + i1],
          hashPair(h, i1),
          shapes.radius[s]);
    } else {
      setEdge(
          k,
          shapes.wvx[start + i1],
          shapes.wvy[start + i1],
          hashPair(h, i1),
          shapes.wvx[start + i2],
          shapes.wvy[start + i2],
          hashPair(h, i2),
          shapes.radius[s]);
    }
    return k;
  }

  private void setEdge(
      int k, double pax, double pay, long ha, double pbx, double pby, long hb, double rad) {
    eAx[k] = pax;
    eAy[k] = pay;
    eAh[k] = ha;
    eBx[k] = pbx;
    eBy[k] = pby;
    eBh[k] = hb;
    eR[k] = rad;
  }

  private static double clamp01(double f) {
    return max(0.0, min(f, 1.0));
  }

  private void contactPoints(int e1, int e2) {
    double mindist = eR[e1] + eR[e2];
    if (!(dist <= mindist)) return;
    double n0x = nx, n0y = ny;
    infoNx = n0x;
    infoNy = n0y;
    double d1a = eAx[e1] * n0y - eAy[e1] * n0x;
    double d1b = eBx[e1] * n0y - eBy[e1] * n0x;
    double d2a = eAx[e2] * n0y - eAy[e2] * n0x;
    double d2b = eBx[e2] * n0y - eBy[e2] * n0x;
    double e1Denom = 1.0 / (d1b - d1a + TINY);
    double e2Denom = 1.0 / (d2b - d2a + TINY);
    double r1 = eR[e1], r2 = eR[e2];
    {
      double t1 = clamp01((d2b - d1a) * e1Denom);
      double t2 = clamp01((d1a - d2a) * e2Denom);
      double p1x = n0x * r1 + (eAx[e1] * (1.0 - t1) + eBx[e1] * t1);
      double p1y = n0y * r1 + (eAy[e1] * (1.0 - t1) + eBy[e1] * t1);
      double p2x = n0x * -r2 + (eAx[e2] * (1.0 - t2) + eBx[e2] * t2);
      double p2y = n0y * -r2 + (eAy[e2] * (1.0 - t2) + eBy[e2] * t2);
      if ((p2x - p1x) * n0x + (p2y - p1y) * n0y <= 0.0)
        push(p1x, p1y, p2x, p2y, hashPair(eAh[e1], eBh[e2]));
    }
    {
      double t1 = clamp01((d2a - d1a) * e1Denom);
      double t2 = clamp01((d1b - d2a) * e2Denom);
      double p1x = n0x * r1 + (eAx[e1] * (1.0 - t1) + eBx[e1] * t1);
      double p1y = n0y * r1 + (eAy[e1] * (1.0 - t1) + eBy[e1] * t1);
      double p2x = n0x * -r2 + (eAx[e2] * (1.0 - t2) + eBx[e2] * t2);
      double p2y = n0y * -r2 + (eAy[e2] * (1.0 - t2) + eBy[e2] * t2);
      if ((p2x - p1x) * n0x + (p2y - p1y) * n0y <= 0.0)
        push(p1x, p1y, p2x, p2y, hashPair(eBh[e1], eAh[e2]));
    }
  }
}
