package dev.wam4j.sim.scene;

/**
 * Simulation settings of a scene.
 *
 * @param dtSeconds physics step (reference 0.01 s)
 * @param substeps physics steps per control step (reference 10, i.e. 10 Hz control)
 * @param damping space damping; 0 makes pushing quasi-static (reference)
 * @param kp proportional gain of the robot's PD controller (reference 100)
 * @param kv derivative gain of the robot's PD controller (reference 20)
 * @param maxSteps control steps before an episode is cut (reference 300)
 */
public record Physics(
    double dtSeconds, int substeps, double damping, double kp, double kv, int maxSteps) {
  public Physics {
    if (!(dtSeconds > 0 && dtSeconds < 1))
      throw new IllegalArgumentException("physics.dt_seconds must be in (0, 1), got " + dtSeconds);
    if (substeps < 1)
      throw new IllegalArgumentException("physics.substeps must be >= 1, got " + substeps);
    if (!(damping >= 0 && damping <= 1))
      throw new IllegalArgumentException("physics.damping must be in [0, 1], got " + damping);
    if (!(kp >= 0 && Double.isFinite(kp)))
      throw new IllegalArgumentException("physics.kp must be finite and >= 0, got " + kp);
    if (!(kv >= 0 && Double.isFinite(kv)))
      throw new IllegalArgumentException("physics.kv must be finite and >= 0, got " + kv);
    if (maxSteps < 1)
      throw new IllegalArgumentException("physics.max_steps must be >= 1, got " + maxSteps);
  }

  /** The reference PushT settings. */
  public static Physics pushT() {
    return new Physics(0.01, 10, 0.0, 100.0, 20.0, 300);
  }
}
