package dev.wam4j.model.cell;

import dev.wam4j.sim.cousins.ShapeFamily;
import dev.wam4j.sim.scene.ConvexPart;
import dev.wam4j.sim.scene.Pose;

/**
 * What the cell pusher's network reads. Everything is expressed relative to the goal and to the
 * part as the camera sees it, so that one network pushes any part to any pose: the part's centre in
 * the goal's frame, its angle off the goal's (of a symmetric shape, modulo its symmetry), the
 * pusher in the part's frame and in the goal's, where part and pusher are in the cell (the walls),
 * and the shape. Not the pusher's last target: a student that reads it learns to carry on with
 * whatever it did (the copycat problem), and when it drove itself it only dithered (first run,
 * RESULTS 28). Positions go in raw and as Fourier features (sines and cosines at {@link #OCTAVES}
 * octaves, periods 800 down to 25 pixels), which let a small network draw sharp lines.
 * Allocation-free.
 */
public final class PushFeatures {
  /** Octaves of the Fourier features. */
  public static final int OCTAVES = 6;

  /** Pixels per unit of a position input. */
  public static final double POSITION_SCALE_PIXELS = 100;

  /** Inputs per row. */
  public static final int SIZE = 4 + 2 + 4 * OCTAVES + 5 + 2 + 4 * OCTAVES + 2 + 4;

  private static final double[] COG_X = new double[ShapeFamily.values().length];
  private static final double[] COG_Y = new double[ShapeFamily.values().length];

  static {
    for (ShapeFamily f : ShapeFamily.values()) {
      double area = 0, x = 0, y = 0;
      for (ConvexPart p : f.parts(1)) {
        area += p.area();
        x += p.area() * p.centroidX();
        y += p.area() * p.centroidY();
      }
      COG_X[f.ordinal()] = x / area;
      COG_Y[f.ordinal()] = y / area;
    }
  }

  private PushFeatures() {}

  /** Rotations by 2 pi / this leave {@code shape} unchanged. */
  static int symmetry(ShapeFamily shape) {
    return switch (shape) {
      case T, L -> 1;
      case I -> 2;
      case PLUS -> 4;
    };
  }

  /**
   * Writes the inputs for a pusher at (ax, ay) pushing a part of {@code shape} seen at {@code seen}
   * towards {@code goal}, into {@code in[off..off + SIZE)}.
   */
  public static void write(
      ShapeFamily shape, Pose seen, Pose goal, double ax, double ay, float[] in, int off) {
    int f = shape.ordinal(), k = off;
    for (int s = 0; s < 4; s++) in[k++] = s == f ? 1f : 0f;
    double ca = Math.cos(seen.angle()), sa = Math.sin(seen.angle());
    double cg = Math.cos(goal.angle()), sg = Math.sin(goal.angle());
    double px = seen.x() + ca * COG_X[f] - sa * COG_Y[f],
        py = seen.y() + sa * COG_X[f] + ca * COG_Y[f];
    double gx = goal.x() + cg * COG_X[f] - sg * COG_Y[f],
        gy = goal.y() + sg * COG_X[f] + cg * COG_Y[f];
    // the part in the goal's frame
    double ex = (cg * (px - gx) + sg * (py - gy)) / POSITION_SCALE_PIXELS;
    double ey = (-sg * (px - gx) + cg * (py - gy)) / POSITION_SCALE_PIXELS;
    k = fourier(ex, ey, in, k);
    int sym = symmetry(shape);
    double period = 2 * Math.PI / sym;
    double dTheta = Math.IEEEremainder(seen.angle() - goal.angle(), period) * sym; // in [-pi, pi]
    in[k++] = (float) (dTheta / Math.PI);
    in[k++] = (float) Math.sin(dTheta);
    in[k++] = (float) Math.cos(dTheta);
    in[k++] = (float) Math.sin(2 * dTheta);
    in[k++] = (float) Math.cos(2 * dTheta);
    // the pusher in the part's frame, and in the goal's
    double rx = (ca * (ax - px) + sa * (ay - py)) / POSITION_SCALE_PIXELS;
    double ry = (-sa * (ax - px) + ca * (ay - py)) / POSITION_SCALE_PIXELS;
    k = fourier(rx, ry, in, k);
    in[k++] = (float) ((cg * (ax - gx) + sg * (ay - gy)) / POSITION_SCALE_PIXELS);
    in[k++] = (float) ((-sg * (ax - gx) + cg * (ay - gy)) / POSITION_SCALE_PIXELS);
    // where in the cell (the walls are at 0 and 512)
    in[k++] = (float) ((px - 256) / 256);
    in[k++] = (float) ((py - 256) / 256);
    in[k++] = (float) ((ax - 256) / 256);
    in[k++] = (float) ((ay - 256) / 256);
    assert k == off + SIZE;
  }

  private static int fourier(double x, double y, float[] in, int k) {
    in[k++] = (float) x;
    in[k++] = (float) y;
    for (int o = 0; o < OCTAVES; o++) {
      double w = Math.PI / 4 * (1 << o); // period 8 units (800 px) at octave 0
      in[k++] = (float) Math.sin(w * x);
      in[k++] = (float) Math.cos(w * x);
      in[k++] = (float) Math.sin(w * y);
      in[k++] = (float) Math.cos(w * y);
    }
    return k;
  }

  /**
   * Of the poses that show a symmetric part the same (turned about its centre of gravity by a
   * multiple of 2 pi / its symmetry), the one whose angle is nearest {@code nearAngle}.
   */
  public static Pose twinNearest(ShapeFamily shape, Pose p, double nearAngle) {
    double period = 2 * Math.PI / symmetry(shape);
    double a = nearAngle + Math.IEEEremainder(p.angle() - nearAngle, period);
    if (a == p.angle()) return p;
    int f = shape.ordinal();
    double c = Math.cos(p.angle()), s = Math.sin(p.angle());
    double gx = p.x() + c * COG_X[f] - s * COG_Y[f], gy = p.y() + s * COG_X[f] + c * COG_Y[f];
    double c2 = Math.cos(a), s2 = Math.sin(a);
    return new Pose(gx - (c2 * COG_X[f] - s2 * COG_Y[f]), gy - (s2 * COG_X[f] + c2 * COG_Y[f]), a);
  }
}
