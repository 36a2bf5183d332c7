package dev.wam4j.sim.motion;

/**
 * A hand that follows a pusher's targets in a {@link MotionStyle}: call {@link #reset} at the start
 * of an episode with the agent's position, then {@link #follow} once per control step with the
 * policy's target; {@link #x()} and {@link #y()} are the pointer to command instead.
 * Allocation-free; one per episode runner (not thread-safe).
 *
 * <p>The pointer obeys {@code a = omega^2 (target - p) - 2 omega v}, integrated over {@link
 * #SUBSTEPS} semi-implicit Euler steps per control step, its speed capped after each.
 */
public final class MotionShaper {
  /** Integration steps per control step. */
  public static final int SUBSTEPS = 20;

  private final MotionStyle style;
  private final double dt;
  private double x, y, vx, vy;

  /**
   * A hand of {@code style} stepped every {@code controlSeconds}.
   *
   * @throws IllegalArgumentException when the control period is not positive, or the response is
   *     too quick to integrate stably at it (under a tenth of the control period)
   */
  public MotionShaper(MotionStyle style, double controlSeconds) {
    if (!(controlSeconds > 0))
      throw new IllegalArgumentException("controlSeconds must be > 0, got " + controlSeconds);
    double r = style.responseSeconds();
    if (r > 0 && r < controlSeconds / 10)
      throw new IllegalArgumentException(
          "responseSeconds "
              + r
              + " is under a tenth of the control period ("
              + controlSeconds
              + " s): use 0 to pass targets through");
    this.style = style;
    this.dt = controlSeconds / SUBSTEPS;
  }

  /** A hand of {@code style} at PushT's 10 Hz control. */
  public static MotionShaper tenHz(MotionStyle style) {
    return new MotionShaper(style, 0.1);
  }

  /** The hand's style. */
  public MotionStyle style() {
    return style;
  }

  /** Puts the pointer at rest on ({@code x}, {@code y}), e.g. where the agent starts. */
  public void reset(double x, double y) {
    this.x = x;
    this.y = y;
    vx = 0;
    vy = 0;
  }

  /**
   * Moves the pointer one control step towards the target ({@code tx}, {@code ty}).
   *
   * @throws IllegalArgumentException when the target is not finite (no NaN reaches the simulator)
   */
  public void follow(double tx, double ty) {
    if (!Double.isFinite(tx) || !Double.isFinite(ty))
      throw new IllegalArgumentException("target (" + tx + ", " + ty + ") is not finite");
    if (style.responseSeconds() == 0) {
      // no spring: the pointer jumps, at most at top speed
      double dx = tx - x, dy = ty - y, d = Math.hypot(dx, dy);
      double reach = style.maxSpeedPxPerS() * dt * SUBSTEPS;
      if (d <= reach) { // exactly the target: x + (tx - x) need not round to tx
        x = tx;
        y = ty;
      } else {
        x += reach / d * dx;
        y += reach / d * dy;
      }
      return;
    }
    double omega = 1 / style.responseSeconds(), k = omega * omega, c = 2 * omega;
    double vmax = style.maxSpeedPxPerS();
    for (int i = 0; i < SUBSTEPS; i++) {
      vx += (k * (tx - x) - c * vx) * dt;
      vy += (k * (ty - y) - c * vy) * dt;
      double v = Math.hypot(vx, vy);
      if (v > vmax) {
        vx *= vmax / v;
        vy *= vmax / v;
      }
      x += vx * dt;
      y += vy * dt;
    }
  }

  /** The pointer's x, pixels. */
  public double x() {
    return x;
  }

  /** The pointer's y, pixels. */
  public double y() {
    return y;
  }
}
