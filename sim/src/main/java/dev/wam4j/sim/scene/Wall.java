package dev.wam4j.sim.scene;

/** A static wall: the segment (ax, ay)-(bx, by) thickened by {@code radius} (world units). */
public record Wall(double ax, double ay, double bx, double by, double radius) {
  public Wall {
    for (double v : new double[] {ax, ay, bx, by, radius}) {
      if (!Double.isFinite(v))
        throw new IllegalArgumentException("wall: value " + v + " is not finite");
    }
    if (ax == bx && ay == by)
      throw new IllegalArgumentException("wall: degenerate segment at (" + ax + ", " + ay + ")");
    if (radius < 0) throw new IllegalArgumentException("wall: radius must be >= 0, got " + radius);
  }
}
