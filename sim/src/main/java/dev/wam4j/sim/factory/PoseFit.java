package dev.wam4j.sim.factory;

import dev.wam4j.sim.cousins.ShapeFamily;
import dev.wam4j.sim.scene.ConvexPart;
import dev.wam4j.sim.scene.Pose;
import java.util.List;

/**
 * A part's pose read off the camera's picture: the centre of its pixels is its centre of gravity
 * (the parts are of uniform density), and its angle is the one at which the shape, placed there,
 * covers the most of those pixels (a coarse search over every angle, then two finer ones). Of the
 * angles a symmetric shape cannot tell apart (an I turned half a turn, a plus a quarter), the one
 * nearest a given angle is returned. Stateless; allocates only the pose it returns.
 */
final class PoseFit {
  private final double[] boxes; // x0, y0, x1, y1 per box, relative to the centre of gravity
  private final double cogX, cogY;
  private final int symmetry; // rotations by 2 pi / symmetry leave the shape unchanged

  PoseFit(ShapeFamily shape) {
    List<ConvexPart> parts = shape.parts(1);
    double area = 0, ax = 0, ay = 0;
    for (ConvexPart p : parts) {
      area += p.area();
      ax += p.area() * p.centroidX();
      ay += p.area() * p.centroidY();
    }
    cogX = ax / area;
    cogY = ay / area;
    boxes = new double[4 * parts.size()];
    for (int i = 0; i < parts.size(); i++) {
      double[] xy = parts.get(i).xy();
      double x0 = Double.POSITIVE_INFINITY, y0 = x0, x1 = -x0, y1 = -x0;
      for (int k = 0; k < xy.length; k += 2) {
        x0 = Math.min(x0, xy[k]);
        x1 = Math.max(x1, xy[k]);
        y0 = Math.min(y0, xy[k + 1]);
        y1 = Math.max(y1, xy[k + 1]);
      }
      if (xy.length != 8 || Math.abs((x1 - x0) * (y1 - y0) - parts.get(i).area()) > 1e-6)
        throw new IllegalArgumentException(shape.id() + ": a pose fit needs axis-aligned boxes");
      boxes[4 * i] = x0 - cogX;
      boxes[4 * i + 1] = y0 - cogY;
      boxes[4 * i + 2] = x1 - cogX;
      boxes[4 * i + 3] = y1 - cogY;
    }
    symmetry = shape.symmetry();
  }

  int symmetry() {
    return symmetry;
  }

  /**
   * The pose (body origin and angle, as the simulator gives it) of the shape whose pixels' centres
   * are {@code xs[0..n), ys[0..n)} (cell pixels); of symmetric twins the angle nearest {@code
   * nearAngle}. Null when there is no pixel.
   */
  Pose fit(double[] xs, double[] ys, int n, double nearAngle) {
    if (n == 0) return null;
    double cx = 0, cy = 0;
    for (int i = 0; i < n; i++) {
      cx += xs[i];
      cy += ys[i];
    }
    cx /= n;
    cy /= n;
    double period = 2 * Math.PI / symmetry;
    double best = search(xs, ys, n, cx, cy, 0, period, Math.toRadians(4), 4);
    best = search(xs, ys, n, cx, cy, best - Math.toRadians(4), best + Math.toRadians(4), 0.5e-2, 1);
    best = search(xs, ys, n, cx, cy, best - 0.6e-2, best + 0.6e-2, 0.1e-2, 1);
    // the symmetric twin nearest the wanted angle
    double angle = nearAngle + Math.IEEEremainder(best - nearAngle, period);
    double c = Math.cos(angle), s = Math.sin(angle);
    return new Pose(cx - (c * cogX - s * cogY), cy - (s * cogX + c * cogY), angle);
  }

  /** The angle in [from, to] (step {@code step}) whose shape covers most pixels (every k-th). */
  private double search(
      double[] xs,
      double[] ys,
      int n,
      double cx,
      double cy,
      double from,
      double to,
      double step,
      int every) {
    double bestAngle = from;
    int bestCount = -1;
    for (double a = from; a <= to + 1e-12; a += step) {
      double c = Math.cos(a), s = Math.sin(a);
      int count = 0;
      for (int i = 0; i < n; i += every) {
        double dx = xs[i] - cx, dy = ys[i] - cy;
        double lx = c * dx + s * dy, ly = -s * dx + c * dy; // into the body's frame
        for (int b = 0; b < boxes.length; b += 4) {
          if (lx >= boxes[b] && lx <= boxes[b + 2] && ly >= boxes[b + 1] && ly <= boxes[b + 3]) {
            count++;
            break;
          }
        }
      }
      if (count > bestCount) {
        bestCount = count;
        bestAngle = a;
      }
    }
    return bestAngle;
  }
}
