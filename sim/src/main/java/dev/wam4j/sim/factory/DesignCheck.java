package dev.wam4j.sim.factory;

import dev.wam4j.sim.Embodiment;
import dev.wam4j.sim.scene.ConvexClip;
import dev.wam4j.sim.scene.ConvexPart;
import dev.wam4j.sim.scene.Pose;
import dev.wam4j.sim.scene.Scene;
import dev.wam4j.sim.scene.Wall;
import java.util.ArrayList;
import java.util.List;

/**
 * Refuses, before anything runs, a design whose layout cannot be built in the cell: a part whose
 * target (or start) reaches outside the workspace, two targets that overlap, two starts that
 * overlap, a layout no order of straight pushes can build (see Reachability). The cell is PushT's:
 * 512 x 512 pixels inside its four walls.
 */
public final class DesignCheck {
  /** Overlap, in square pixels, below which two footprints count as touching, not overlapping. */
  static final double TOUCH_SQUARE_PIXELS = 1.0;

  private DesignCheck() {}

  /** The free floor inside the walls: the walls' inner faces. */
  public record Workspace(double minX, double minY, double maxX, double maxY) {
    /** PushT's cell, from its walls. */
    public static Workspace pushT() {
      Scene s = Scene.pushT();
      double minX = Double.POSITIVE_INFINITY,
          minY = minX,
          maxX = Double.NEGATIVE_INFINITY,
          maxY = maxX,
          r = 0;
      for (Wall w : s.walls()) {
        minX = Math.min(minX, Math.min(w.ax(), w.bx()));
        maxX = Math.max(maxX, Math.max(w.ax(), w.bx()));
        minY = Math.min(minY, Math.min(w.ay(), w.by()));
        maxY = Math.max(maxY, Math.max(w.ay(), w.by()));
        r = Math.max(r, w.radius());
      }
      return new Workspace(minX + r, minY + r, maxX - r, maxY - r);
    }

    boolean contains(double x, double y) {
      return x >= minX && x <= maxX && y >= minY && y <= maxY;
    }
  }

  /**
   * Checks {@code design} in PushT's cell.
   *
   * @throws DesignException naming the part's line and what is wrong
   */
  public static void check(Design design) {
    check(design, Workspace.pushT());
  }

  static void check(Design design, Workspace space) {
    List<Design.Part> parts = design.parts();
    for (Design.Part p : parts) {
      inside(p, p.target(), "target", space);
      if (p.from() != null) inside(p, p.from(), "start", space);
    }
    for (int i = 0; i < parts.size(); i++) {
      for (int j = 0; j < i; j++) {
        Design.Part a = parts.get(j), b = parts.get(i);
        double overlap = overlap(a, a.target(), b, b.target());
        if (overlap > TOUCH_SQUARE_PIXELS) {
          throw new DesignException(
              b.line(),
              String.format(
                  "the targets of '%s' (line %d) and '%s' overlap by %.0f square pixels",
                  a.name(), a.line(), b.name(), overlap));
        }
        if (a.from() != null
            && b.from() != null
            && overlap(a, a.from(), b, b.from()) > TOUCH_SQUARE_PIXELS) {
          throw new DesignException(
              b.line(),
              "the starts of '"
                  + a.name()
                  + "' (line "
                  + a.line()
                  + ") and '"
                  + b.name()
                  + "' overlap");
        }
      }
    }
    Reachability.check(design, space, Embodiment.RobotPusher.reference().radius());
  }

  private static void inside(Design.Part p, Pose pose, String what, Workspace space) {
    for (double[] xy : footprint(p, pose)) {
      for (int k = 0; k < xy.length; k += 2) {
        if (!space.contains(xy[k], xy[k + 1])) {
          throw new DesignException(
              p.line(),
              String.format(
                  "the %s of '%s' reaches outside the workspace (x and y in %.0f..%.0f): a corner"
                      + " at (%.1f, %.1f)",
                  what, p.name(), space.minX(), space.maxX(), xy[k], xy[k + 1]));
        }
      }
    }
  }

  /** Area, in square pixels, shared by part a at pose pa and part b at pose pb. */
  static double overlap(Design.Part a, Pose pa, Design.Part b, Pose pb) {
    double area = 0;
    double[] s1 = new double[ConvexClip.scratchSize(16)],
        s2 = new double[ConvexClip.scratchSize(16)];
    for (double[] x : footprint(a, pa)) {
      for (double[] y : footprint(b, pb)) area += ConvexClip.area(x, y, s1, s2);
    }
    return area;
  }

  /** The part's convex pieces placed at {@code pose}, as the simulator places a body's parts. */
  static List<double[]> footprint(Design.Part p, Pose pose) {
    double c = Math.cos(pose.angle()), s = Math.sin(pose.angle());
    List<double[]> out = new ArrayList<>();
    for (ConvexPart part : p.shape().parts(1)) {
      double[] local = part.xy(), world = new double[local.length];
      for (int k = 0; k < local.length; k += 2) {
        world[k] = pose.x() + c * local[k] - s * local[k + 1];
        world[k + 1] = pose.y() + s * local[k] + c * local[k + 1];
      }
      out.add(world);
    }
    return out;
  }
}
