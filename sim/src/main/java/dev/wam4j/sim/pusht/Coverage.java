package dev.wam4j.sim.pusht;

import dev.wam4j.sim.scene.ConvexClip;
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
    bufA = new double[ConvexClip.scratchSize(maxVerts)];
    bufB = new double[ConvexClip.scratchSize(maxVerts)];
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

  private double clipArea(double[] subject, double[] clipper) {
    return ConvexClip.area(subject, clipper, bufA, bufB);
  }
}
