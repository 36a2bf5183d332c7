package dev.wam4j.sim.scene;

import java.util.Arrays;

/**
 * A convex polygon in body-local coordinates (world units). Construction validates the polygon (at
 * least 3 finite vertices, strictly convex, non-zero area) and stores it in the canonical order the
 * physics engine expects: counter-clockwise in a y-up frame, starting at the vertex with the
 * smallest x (then the smallest y) — the order a convex-hull pass produces in the reference.
 */
public final class ConvexPart {
  private final double[] xy;

  /**
   * @param vertices {@code [[x0, y0], [x1, y1], ...]} in either winding
   */
  public ConvexPart(double[][] vertices) {
    if (vertices == null || vertices.length < 3) {
      throw new IllegalArgumentException(
          "convex part needs at least 3 vertices, got " + (vertices == null ? 0 : vertices.length));
    }
    int n = vertices.length;
    double[] flat = new double[2 * n];
    for (int i = 0; i < n; i++) {
      if (vertices[i] == null || vertices[i].length != 2) {
        throw new IllegalArgumentException("convex part vertex " + i + " must be [x, y]");
      }
      if (!Double.isFinite(vertices[i][0]) || !Double.isFinite(vertices[i][1])) {
        throw new IllegalArgumentException(
            "convex part vertex " + i + " is not finite: " + Arrays.toString(vertices[i]));
      }
      flat[2 * i] = vertices[i][0];
      flat[2 * i + 1] = vertices[i][1];
    }
    double area = signedArea(flat);
    if (Math.abs(area) < 1e-9)
      throw new IllegalArgumentException("convex part is degenerate (zero area)");
    if (area < 0) flat = reversed(flat);
    // Strict convexity: every turn has the same (positive) sign.
    for (int i = 0; i < n; i++) {
      int j = (i + 1) % n, k = (i + 2) % n;
      double cross =
          (flat[2 * j] - flat[2 * i]) * (flat[2 * k + 1] - flat[2 * j + 1])
              - (flat[2 * j + 1] - flat[2 * i + 1]) * (flat[2 * k] - flat[2 * j]);
      if (!(cross > 0)) {
        throw new IllegalArgumentException(
            "convex part is not strictly convex at vertex "
                + j
                + " ("
                + flat[2 * j]
                + ", "
                + flat[2 * j + 1]
                + ")");
      }
    }
    // Left turns alone also admit stars (a pentagram turns through 4 pi): the edge directions of
    // a simple convex polygon turn through exactly 2 pi.
    double turning = 0;
    for (int i = 0; i < n; i++) {
      int j = (i + 1) % n, k = (i + 2) % n;
      double ux = flat[2 * j] - flat[2 * i], uy = flat[2 * j + 1] - flat[2 * i + 1];
      double vx = flat[2 * k] - flat[2 * j], vy = flat[2 * k + 1] - flat[2 * j + 1];
      turning += Math.atan2(ux * vy - uy * vx, ux * vx + uy * vy);
    }
    if (Math.abs(turning - 2 * Math.PI) > 1e-6) {
      throw new IllegalArgumentException(
          "convex part is self-intersecting (its edges turn through "
              + Math.round(turning / Math.PI)
              + " pi, a convex polygon's through 2 pi)");
    }
    int start = 0;
    for (int i = 1; i < n; i++) {
      if (flat[2 * i] < flat[2 * start]
          || (flat[2 * i] == flat[2 * start] && flat[2 * i + 1] < flat[2 * start + 1])) start = i;
    }
    xy = new double[2 * n];
    for (int i = 0; i < n; i++) {
      xy[2 * i] = flat[2 * ((start + i) % n)];
      xy[2 * i + 1] = flat[2 * ((start + i) % n) + 1];
    }
  }

  /** A rectangle [x0, x1] x [y0, y1]. */
  public static ConvexPart box(double x0, double y0, double x1, double y1) {
    return new ConvexPart(new double[][] {{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}});
  }

  /** Number of vertices. */
  public int size() {
    return xy.length / 2;
  }

  /** A copy of the vertices as x0, y0, x1, y1, ... in canonical order. */
  public double[] xy() {
    return xy.clone();
  }

  public double x(int i) {
    return xy[2 * i];
  }

  public double y(int i) {
    return xy[2 * i + 1];
  }

  /** Area in square world units. */
  public double area() {
    return signedArea(xy);
  }

  /** Area-weighted centroid x. */
  public double centroidX() {
    return centroid(0);
  }

  /** Area-weighted centroid y. */
  public double centroidY() {
    return centroid(1);
  }

  private double centroid(int axis) {
    int n = size();
    double sum = 0, a2 = 0;
    for (int i = 0; i < n; i++) {
      int j = (i + 1) % n;
      double cross = xy[2 * i] * xy[2 * j + 1] - xy[2 * j] * xy[2 * i + 1];
      a2 += cross;
      sum += (xy[2 * i + axis] + xy[2 * j + axis]) * cross;
    }
    return sum / (3.0 * a2);
  }

  /** Second moment of area about the point (cx, cy), per unit area density. */
  public double secondMoment(double cx, double cy) {
    int n = size();
    double sum = 0;
    for (int i = 0; i < n; i++) {
      int j = (i + 1) % n;
      double x0 = xy[2 * i] - cx,
          y0 = xy[2 * i + 1] - cy,
          x1 = xy[2 * j] - cx,
          y1 = xy[2 * j + 1] - cy;
      double cross = x0 * y1 - x1 * y0;
      sum += cross * (x0 * x0 + x0 * x1 + x1 * x1 + y0 * y0 + y0 * y1 + y1 * y1);
    }
    return sum / 12.0;
  }

  private static double signedArea(double[] p) {
    int n = p.length / 2;
    double s = 0;
    for (int i = 0; i < n; i++) {
      int j = (i + 1) % n;
      s += p[2 * i] * p[2 * j + 1] - p[2 * j] * p[2 * i + 1];
    }
    return 0.5 * s;
  }

  private static double[] reversed(double[] p) {
    int n = p.length / 2;
    double[] r = new double[p.length];
    for (int i = 0; i < n; i++) {
      r[2 * i] = p[2 * (n - 1 - i)];
      r[2 * i + 1] = p[2 * (n - 1 - i) + 1];
    }
    return r;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ConvexPart other && Arrays.equals(xy, other.xy);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(xy);
  }

  @Override
  public String toString() {
    return "ConvexPart" + Arrays.toString(xy);
  }
}
