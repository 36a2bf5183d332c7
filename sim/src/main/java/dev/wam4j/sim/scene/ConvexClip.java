package dev.wam4j.sim.scene;

/**
 * Area of the intersection of two convex polygons (Sutherland–Hodgman clipping), on flat {@code x0,
 * y0, x1, y1, ...} arrays in counter-clockwise (y-up) order, as {@link ConvexPart#xy()} gives them.
 * The caller provides two scratch buffers of at least {@code 2 * (ns + nc) + 4} doubles each, so
 * hot loops (coverage every step) allocate nothing. Stateless and thread-safe.
 */
public final class ConvexClip {
  private ConvexClip() {}

  /** Area of subject ∩ clipper, in square units. */
  public static double area(
      double[] subject, double[] clipper, double[] scratchA, double[] scratchB) {
    double[] in = scratchA, out = scratchB;
    int n = subject.length / 2;
    System.arraycopy(subject, 0, in, 0, subject.length);
    int nc = clipper.length / 2;
    for (int e = 0; e < nc && n > 0; e++) {
      double ax = clipper[2 * e], ay = clipper[2 * e + 1];
      double bx = clipper[2 * ((e + 1) % nc)], by = clipper[2 * ((e + 1) % nc) + 1];
      int m = 0;
      for (int j = 0; j < n; j++) {
        double px = in[2 * j], py = in[2 * j + 1];
        int k = (j + 1) % n;
        double qx = in[2 * k], qy = in[2 * k + 1];
        // Inside = left of the directed edge a->b (non-negative cross product).
        double sp = (bx - ax) * (py - ay) - (by - ay) * (px - ax);
        double sq = (bx - ax) * (qy - ay) - (by - ay) * (qx - ax);
        if (sq >= 0) {
          if (sp < 0) {
            double t = sp / (sp - sq);
            out[2 * m] = px + t * (qx - px);
            out[2 * m + 1] = py + t * (qy - py);
            m++;
          }
          out[2 * m] = qx;
          out[2 * m + 1] = qy;
          m++;
        } else if (sp >= 0) {
          double t = sp / (sp - sq);
          out[2 * m] = px + t * (qx - px);
          out[2 * m + 1] = py + t * (qy - py);
          m++;
        }
      }
      double[] tmp = in;
      in = out;
      out = tmp;
      n = m;
    }
    if (n < 3) return 0.0;
    double s = 0;
    for (int i = 0; i < n; i++) {
      int j = (i + 1) % n;
      s += in[2 * i] * in[2 * j + 1] - in[2 * j] * in[2 * i + 1];
    }
    return Math.abs(0.5 * s);
  }

  /** Scratch size for polygons of up to {@code maxVertices} vertices each. */
  public static int scratchSize(int maxVertices) {
    return 2 * (2 * maxVertices + 4);
  }
}
