package dev.wam4j.eval.turing;

import dev.wam4j.sim.Embodiment;
import dev.wam4j.sim.scene.ConvexPart;
import dev.wam4j.sim.scene.Scene;
import java.util.Arrays;
import java.util.List;

/**
 * What may give a pusher away, per episode: a fixed vector of named features of the agent's motion
 * ({@link #NAMES}, in this order). Speeds come from successive positions at {@link PusherTrace#HZ};
 * world units are workspace pixels, times seconds.
 *
 * <ul>
 *   <li>{@code speed_mean}, {@code speed_std}, {@code speed_p90} (px/s): the agent's speed between
 *       successive steps, its mean, standard deviation and 90th percentile.
 *   <li>{@code accel_mean}, {@code accel_p90} (px/s^2): the magnitude of the change of the velocity
 *       vector between successive steps.
 *   <li>{@code jerk_mean} (px/s^3): the magnitude of the change of the acceleration vector.
 *   <li>{@code pause_fraction} (share of steps, 0..1): steps slower than {@link #PAUSE_SPEED}.
 *   <li>{@code pause_count}: runs of at least {@link #PAUSE_MIN_STEPS} such steps (a person stops
 *       to look; one slow step is noise).
 *   <li>{@code curvature} (rad/px): the total absolute turning angle between successive moving
 *       displacements divided by the path length; 0 on a straight line.
 *   <li>{@code time_to_contact} (s): time until the agent's disc first comes within {@link
 *       #CONTACT_GAP} of the block's outline (the episode's duration if it never does).
 *   <li>{@code near_contact_speed_ratio}: mean speed while the disc is within {@link #NEAR_GAP} of
 *       the block over the mean speed farther away; below 1 means slowing down near the block
 *       (hesitation); 1 when either part is empty.
 *   <li>{@code duration} (s): the episode's length.
 * </ul>
 */
public final class MotionFeatures {
  /** Feature names, in the order of {@link #of}. */
  public static final List<String> NAMES =
      List.of(
          "speed_mean",
          "speed_std",
          "speed_p90",
          "accel_mean",
          "accel_p90",
          "jerk_mean",
          "pause_fraction",
          "pause_count",
          "curvature",
          "time_to_contact",
          "near_contact_speed_ratio",
          "duration");

  /** Below this speed (px/s, one pixel per step) the agent counts as pausing. */
  public static final double PAUSE_SPEED = 10.0;

  /** Consecutive slow steps that make a pause. */
  public static final int PAUSE_MIN_STEPS = 2;

  /**
   * Gap (px) between the agent's disc and the block's outline counted as contact: a little slack,
   * since recorded states are sampled before the contact resolves.
   */
  public static final double CONTACT_GAP = 2.0;

  /** Gap (px) within which the agent counts as near the block, about one agent radius. */
  public static final double NEAR_GAP = 15.0;

  private final double[][] partXY;
  private final double agentRadius;

  /**
   * Features for pushers of a disc of {@code agentRadius} around {@code scene}'s goal object.
   *
   * @throws IllegalArgumentException when the radius is not positive
   */
  public MotionFeatures(Scene scene, double agentRadius) {
    if (!(agentRadius > 0))
      throw new IllegalArgumentException("agent radius must be > 0, got " + agentRadius);
    List<ConvexPart> parts = scene.goalObject().parts();
    partXY = new double[parts.size()][];
    for (int i = 0; i < parts.size(); i++) partXY[i] = parts.get(i).xy();
    this.agentRadius = agentRadius;
  }

  /** PushT's T and the reference robot's disc (radius 15). */
  public static MotionFeatures pushT() {
    return new MotionFeatures(Scene.pushT(), Embodiment.RobotPusher.reference().radius());
  }

  /** The features of {@code trace}, in the order of {@link #NAMES}. */
  public double[] of(PusherTrace trace) {
    int n = trace.length();
    double dt = 1.0 / PusherTrace.HZ;
    double[] x = trace.agentX(), y = trace.agentY();
    int m = Math.max(0, n - 1); // velocities
    double[] vx = new double[m], vy = new double[m], speed = new double[m];
    for (int t = 0; t < m; t++) {
      vx[t] = (x[t + 1] - x[t]) / dt;
      vy[t] = (y[t + 1] - y[t]) / dt;
      speed[t] = Math.hypot(vx[t], vy[t]);
    }
    int ma = Math.max(0, m - 1); // accelerations
    double[] ax = new double[ma], ay = new double[ma], accel = new double[ma];
    for (int t = 0; t < ma; t++) {
      ax[t] = (vx[t + 1] - vx[t]) / dt;
      ay[t] = (vy[t + 1] - vy[t]) / dt;
      accel[t] = Math.hypot(ax[t], ay[t]);
    }
    double jerkSum = 0;
    for (int t = 0; t + 1 < ma; t++)
      jerkSum += Math.hypot(ax[t + 1] - ax[t], ay[t + 1] - ay[t]) / dt;
    double jerkMean = ma > 1 ? jerkSum / (ma - 1) : 0;

    int slow = 0, pauses = 0, run = 0;
    for (int t = 0; t < m; t++) {
      if (speed[t] < PAUSE_SPEED) {
        slow++;
        run++;
        if (run == PAUSE_MIN_STEPS) pauses++;
      } else {
        run = 0;
      }
    }

    // Turning between successive displacements that move; pauses would make angles of noise.
    double turn = 0, path = 0;
    int prev = -1;
    for (int t = 0; t < m; t++) {
      path += speed[t] * dt;
      if (speed[t] < PAUSE_SPEED) continue;
      if (prev >= 0) {
        double cross = vx[prev] * vy[t] - vy[prev] * vx[t];
        double dot = vx[prev] * vx[t] + vy[prev] * vy[t];
        turn += Math.abs(Math.atan2(cross, dot));
      }
      prev = t;
    }

    double contactTime = n * dt;
    double nearSum = 0, farSum = 0;
    int near = 0, far = 0;
    for (int t = 0; t < n; t++) {
      double gap = gap(trace, t);
      if (gap <= CONTACT_GAP && contactTime == n * dt) contactTime = t * dt;
      if (t < m) {
        if (gap <= NEAR_GAP) {
          nearSum += speed[t];
          near++;
        } else {
          farSum += speed[t];
          far++;
        }
      }
    }
    double farMean = far > 0 ? farSum / far : 0;
    double ratio = near > 0 && far > 0 && farMean > 0 ? (nearSum / near) / farMean : 1.0;

    return new double[] {
      mean(speed),
      std(speed),
      percentile(speed, 0.9),
      mean(accel),
      percentile(accel, 0.9),
      jerkMean,
      m > 0 ? slow / (double) m : 0,
      pauses,
      path > 0 ? turn / path : 0,
      contactTime,
      ratio,
      n * dt
    };
  }

  /**
   * Gap (px) between the agent's disc and the block's outline at step {@code t}: distance from the
   * agent's centre to the nearest part of the block minus the agent's radius (negative when they
   * overlap).
   */
  double gap(PusherTrace trace, int t) {
    double c = Math.cos(trace.blockAngle()[t]), s = Math.sin(trace.blockAngle()[t]);
    // The agent in the block's frame.
    double dx = trace.agentX()[t] - trace.blockX()[t], dy = trace.agentY()[t] - trace.blockY()[t];
    double px = c * dx + s * dy, py = -s * dx + c * dy;
    double best = Double.POSITIVE_INFINITY;
    for (double[] part : partXY) best = Math.min(best, distanceToConvex(part, px, py));
    return best - agentRadius;
  }

  /** Distance from (px, py) to a convex polygon (0 inside). */
  static double distanceToConvex(double[] xy, double px, double py) {
    int k = xy.length / 2;
    boolean inside = true;
    double best = Double.POSITIVE_INFINITY;
    double sign = 0;
    for (int i = 0; i < k; i++) {
      double ax = xy[2 * i], ay = xy[2 * i + 1];
      double bx = xy[2 * ((i + 1) % k)], by = xy[2 * ((i + 1) % k) + 1];
      double ex = bx - ax, ey = by - ay;
      double cross = ex * (py - ay) - ey * (px - ax);
      // Inside a convex polygon the point lies on one side of every edge, whatever the winding.
      if (cross != 0) {
        if (sign == 0) sign = Math.signum(cross);
        else if (Math.signum(cross) != sign) inside = false;
      }
      double len2 = ex * ex + ey * ey;
      double u = len2 > 0 ? ((px - ax) * ex + (py - ay) * ey) / len2 : 0;
      u = Math.max(0, Math.min(1, u));
      best = Math.min(best, Math.hypot(ax + u * ex - px, ay + u * ey - py));
    }
    return inside ? 0 : best;
  }

  static double mean(double[] v) {
    if (v.length == 0) return 0;
    double s = 0;
    for (double d : v) s += d;
    return s / v.length;
  }

  static double std(double[] v) {
    if (v.length == 0) return 0;
    double mu = mean(v), s = 0;
    for (double d : v) s += (d - mu) * (d - mu);
    return Math.sqrt(s / v.length);
  }

  /** Linear-interpolated percentile, q in [0, 1]; 0 for an empty array. */
  static double percentile(double[] v, double q) {
    if (v.length == 0) return 0;
    double[] c = v.clone();
    Arrays.sort(c);
    double pos = q * (c.length - 1);
    int lo = (int) Math.floor(pos), hi = Math.min(c.length - 1, lo + 1);
    return c[lo] + (pos - lo) * (c[hi] - c[lo]);
  }
}
