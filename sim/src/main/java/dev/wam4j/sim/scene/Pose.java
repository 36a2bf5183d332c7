package dev.wam4j.sim.scene;

/** A planar pose: origin (x, y) in world units and angle in radians. */
public record Pose(double x, double y, double angle) {
  public Pose {
    if (!Double.isFinite(x) || !Double.isFinite(y) || !Double.isFinite(angle)) {
      throw new IllegalArgumentException(
          "pose must be finite, got (" + x + ", " + y + ", " + angle + ")");
    }
  }
}
