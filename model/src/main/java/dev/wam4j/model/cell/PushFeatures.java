package dev.wam4j.model.cell;

import dev.wam4j.sim.Embodiment;
import dev.wam4j.sim.cousins.ShapeFamily;
import dev.wam4j.sim.factory.DesignCheck;
import dev.wam4j.sim.scene.Pose;

/**
 * What the cell pusher's scorer reads about one contact of the part: one row per contact, the same
 * network scoring every row, so that what it learns about pushing at a place carries over to every
 * place and every shape (a classifier with one output per contact number had to learn each
 * contact's geometry apart and placed half as many parts: RESULTS 28). Everything is expressed in
 * the goal's frame, from the part as the camera sees it: the wanted motion (translation of the
 * centre of gravity and rotation as arc length at the radius of gyration, towards the nearest
 * symmetric copy of the goal; as a direction, and its size), the contact's place relative to the
 * centre and its outward normal, the turn a push there gives (lever arm), where the pusher stands
 * relative to the contact's approach point, how far that point is from a wall, and the shape.
 * Allocation-free.
 */
final class PushFeatures {
  /** Inputs per contact row. */
  static final int SIZE = 17;

  /** Pixels per unit of a position input. */
  static final double SCALE_PIXELS = 100;

  private static final double RADIUS = Embodiment.RobotPusher.reference().radius();
  private static final DesignCheck.Workspace FLOOR = DesignCheck.Workspace.pushT();

  private PushFeatures() {}

  /**
   * Writes one row per contact of {@code shape} (a pusher at (ax, ay), the part seen at {@code
   * seen}, going to {@code goal}) into {@code in[off ..]}, and returns the number of rows.
   */
  static int write(
      ShapeFamily shape, Pose seen, Pose goal, double ax, double ay, float[] in, int off) {
    double cogX = Contacts.cogX(shape), cogY = Contacts.cogY(shape), rho = Contacts.gyration(shape);
    double ca = Math.cos(seen.angle()), sa = Math.sin(seen.angle());
    double cg = Math.cos(goal.angle()), sg = Math.sin(goal.angle());
    double cx = seen.x() + ca * cogX - sa * cogY, cy = seen.y() + sa * cogX + ca * cogY;
    double gx = goal.x() + cg * cogX - sg * cogY, gy = goal.y() + sg * cogX + cg * cogY;
    double period = 2 * Math.PI / shape.symmetry();
    double ex = cg * (gx - cx) + sg * (gy - cy), ey = -sg * (gx - cx) + cg * (gy - cy);
    double er = rho * Math.IEEEremainder(goal.angle() - seen.angle(), period);
    double eNorm = Math.sqrt(ex * ex + ey * ey + er * er), inv = eNorm < 1e-9 ? 0 : 1 / eNorm;
    double[] geo = Contacts.geometry(shape);
    int n = geo.length / 4, f = shape.ordinal();
    for (int k = 0; k < n; k++) {
      double lx = geo[4 * k], ly = geo[4 * k + 1], lnx = geo[4 * k + 2], lny = geo[4 * k + 3];
      double px = seen.x() + ca * lx - sa * ly, py = seen.y() + sa * lx + ca * ly;
      double nx = ca * lnx - sa * lny, ny = sa * lnx + ca * lny;
      double qx = px + nx * (RADIUS + 3), qy = py + ny * (RADIUS + 3); // where a pusher stands
      int o = off + k * SIZE;
      in[o] = (float) (ex * inv);
      in[o + 1] = (float) (ey * inv);
      in[o + 2] = (float) (er * inv);
      in[o + 3] = (float) (eNorm / SCALE_PIXELS);
      in[o + 4] = (float) ((cg * (px - cx) + sg * (py - cy)) / SCALE_PIXELS);
      in[o + 5] = (float) ((-sg * (px - cx) + cg * (py - cy)) / SCALE_PIXELS);
      in[o + 6] = (float) (cg * nx + sg * ny);
      in[o + 7] = (float) (-sg * nx + cg * ny);
      // the turn a push along -n at p gives, per unit of push (lever arm over the gyration radius)
      in[o + 8] = (float) (((px - cx) * -ny - (py - cy) * -nx) / rho);
      in[o + 9] = (float) ((cg * (ax - qx) + sg * (ay - qy)) / SCALE_PIXELS);
      in[o + 10] = (float) ((-sg * (ax - qx) + cg * (ay - qy)) / SCALE_PIXELS);
      in[o + 11] = (float) (Math.hypot(ax - qx, ay - qy) / SCALE_PIXELS);
      double wall =
          Math.min(
              Math.min(qx - FLOOR.minX(), FLOOR.maxX() - qx),
              Math.min(qy - FLOOR.minY(), FLOOR.maxY() - qy));
      in[o + 12] = (float) (wall / SCALE_PIXELS);
      for (int s = 0; s < 4; s++) in[o + 13 + s] = s == f ? 1f : 0f;
    }
    return n;
  }

  /**
   * Of the poses that show a symmetric part the same (turned about its centre of gravity by a
   * multiple of 2 pi / its symmetry), the one whose angle is nearest {@code nearAngle}.
   */
  static Pose twinNearest(ShapeFamily shape, Pose p, double nearAngle) {
    double period = 2 * Math.PI / shape.symmetry();
    double a = nearAngle + Math.IEEEremainder(p.angle() - nearAngle, period);
    if (a == p.angle()) return p;
    double cogX = Contacts.cogX(shape), cogY = Contacts.cogY(shape);
    double c = Math.cos(p.angle()), s = Math.sin(p.angle());
    double gx = p.x() + c * cogX - s * cogY, gy = p.y() + s * cogX + c * cogY;
    double c2 = Math.cos(a), s2 = Math.sin(a);
    return new Pose(gx - (c2 * cogX - s2 * cogY), gy - (s2 * cogX + c2 * cogY), a);
  }
}
