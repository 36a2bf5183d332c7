package dev.wam4j.sim.pusht;

import dev.wam4j.sim.scene.ConvexPart;
import dev.wam4j.sim.scene.Pose;
import java.util.List;

/**
 * Coverage of a goal region by an object: area(goal ∩ object) / area(goal), where both are unions
 * of interior-disjoint convex parts placed by a pose (world = position + R(angle) * local). The
 * intersection area is the sum of the convex clip areas over all (goal part, object part) pairs
 * (Sutherland–Hodgman), which is exact for such unions.
 *
 * <p>Reusable scratch buffers: not thread-safe, allocation-free after construction.
 */
public final class Coverage {
  private final double[][] localParts;
  private final double goalArea;
  private final double[][] goalWorld;
  private final double[][] objectWorld;
  private final double[] bufA;
  private final double[] bufB;

  /** Goal and object share the parts (PushT: the goal is a T of the block's shape). */
  public Coverage(List<ConvexPart> parts, Pose goal) {
    localParts = new double[parts.size()][];
    goalWorld = new double[parts.size()][];
    objectWorld = new double[parts.size()][];
    int maxVerts = 0;
    double area = 0;
    for (int i = 0; i < parts.size(); i++) {
      localParts[i] = parts.get(i).xy();
      goalWorld[i] = new double[localParts[i].length];
      objectWorld[i] = new double[localParts[i].length];
      maxVerts = Math.max(maxVerts, parts.get(i).size());
      area += parts.get(i).area();
    }
    goalArea = area;
    int cap = 2 * (2 * maxVerts + 8);
    bufA = new double[cap * 2];
    bufB = new double[cap * 2];
    place(goal.x(), goal.y(), goal.angle(), goalWorld);
  }

  private void place(double x, double y, double angle, double[][] out) {
    double c = Math.cos(angle), s = Math.sin(angle);
    for (int p = 0; p < localParts.length; p++) {
      double[] src = localParts[p], dst = out[p];
      for (int i = 0; i < src.length; i += 2) {
        dst[i] = x + c * src[i] - s * src[i + 1];
        dst[i + 1] = y + s * src[i] + c * src[i + 1];
      }
    }
  }

  /** Coverage in [0, 1] of the goal by the object at origin (x, y) and angle (radians). */
  public double of(double x, double y, double angle) {
    place(x, y, angle, objectWorld);
    double inter = 0;
    for (double[] g : goalWorld) {
      for (double[] o : objectWorld) inter += clipArea(o, g);
    }
    return inter / goalArea;
  }

  /** Area of convex subject ∩ convex clipper, both counter-clockwise in y-up terms (positive area). */
  private double clipArea(double[] subject, double[] clipper) {
    double[] in = bufA, out = bufB;
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
}
