package dev.wam4j.model.steer;

/**
 * The features a small actor reads of PushT: the agent, the block pose and the goal, scaled to
 * about [-1, 1], with the change since a previous state standing in for velocities. The state
 * teacher reads them off the simulator; an actor steering a world action model reads them off its
 * pose head.
 */
public final class PoseFeatures {
  /** Features written per state. */
  public static final int COUNT = 18;

  private static final double WORKSPACE = 512;

  private PoseFeatures() {}

  /**
   * Writes the features into {@code out[offset .. offset + COUNT)}.
   *
   * @param now agent x, y, block x, y (workspace pixels), block angle (radians)
   * @param before the same at the previous step (or plan)
   * @param goalX goal x, workspace pixels
   * @param goalY goal y
   * @param goalAngle goal angle, radians
   * @param coverage the goal's coverage, or 0 where it is not known
   */
  public static void write(
      double[] now,
      double[] before,
      double goalX,
      double goalY,
      double goalAngle,
      double coverage,
      float[] out,
      int offset) {
    double ax = now[0], ay = now[1], bx = now[2], by = now[3], angle = now[4];
    double c = Math.cos(angle), s = Math.sin(angle), rel = wrap(angle - goalAngle);
    double dx = ax - bx, dy = ay - by;
    int o = offset;
    out[o++] = (float) (2 * ax / WORKSPACE - 1);
    out[o++] = (float) (2 * ay / WORKSPACE - 1);
    out[o++] = (float) (2 * bx / WORKSPACE - 1);
    out[o++] = (float) (2 * by / WORKSPACE - 1);
    out[o++] = (float) c;
    out[o++] = (float) s;
    out[o++] = (float) (4 * (bx - goalX) / WORKSPACE);
    out[o++] = (float) (4 * (by - goalY) / WORKSPACE);
    out[o++] = (float) Math.cos(rel);
    out[o++] = (float) Math.sin(rel);
    // the pusher in the block's own frame: which face it is at
    out[o++] = (float) (4 * (c * dx + s * dy) / WORKSPACE);
    out[o++] = (float) (4 * (-s * dx + c * dy) / WORKSPACE);
    out[o++] = (float) (20 * (ax - before[0]) / WORKSPACE);
    out[o++] = (float) (20 * (ay - before[1]) / WORKSPACE);
    out[o++] = (float) (20 * (bx - before[2]) / WORKSPACE);
    out[o++] = (float) (20 * (by - before[3]) / WORKSPACE);
    out[o++] = (float) (10 * wrap(angle - before[4]));
    out[o] = (float) coverage;
  }

  /** The angle in (-pi, pi]. */
  public static double wrap(double a) {
    double w = a % (2 * Math.PI);
    if (w > Math.PI) w -= 2 * Math.PI;
    if (w <= -Math.PI) w += 2 * Math.PI;
    return w;
  }
}
