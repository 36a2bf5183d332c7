package dev.wam4j.sim.motion;

/**
 * How a hand follows targets: a critically damped spring pulling its pointer towards the latest
 * target, its speed capped.
 *
 * <p>{@link #NONE} passes targets through unchanged (what every policy did before: the pointer
 * jumps to each target, the simulator's PD controller does the rest).
 *
 * @param responseSeconds the spring's time constant {@code 1/omega}, seconds (critically damped,
 *     from rest: a sudden jump of the target is 26 % covered after one time constant, 59 % after
 *     two, 80 % after three); 0 passes targets through
 * @param maxSpeedPxPerS the pointer's top speed, workspace pixels per second (positive; infinite
 *     for no cap)
 */
public record MotionStyle(double responseSeconds, double maxSpeedPxPerS) {
  /** Targets passed through unchanged. */
  public static final MotionStyle NONE = new MotionStyle(0, Double.POSITIVE_INFINITY);

  /**
   * @throws IllegalArgumentException naming the field and value that is out of range
   */
  public MotionStyle {
    if (!(responseSeconds >= 0) || Double.isInfinite(responseSeconds))
      throw new IllegalArgumentException(
          "responseSeconds must be finite and >= 0, got " + responseSeconds);
    if (!(maxSpeedPxPerS > 0))
      throw new IllegalArgumentException("maxSpeedPxPerS must be > 0, got " + maxSpeedPxPerS);
  }

  /** True when targets pass through unchanged. */
  public boolean isNone() {
    return responseSeconds == 0 && maxSpeedPxPerS == Double.POSITIVE_INFINITY;
  }

  /**
   * Parses {@code none} or {@code RESPONSE_S,MAX_SPEED} (e.g. {@code 0.25,150}), as command lines
   * give it.
   *
   * @throws IllegalArgumentException naming the text when it is neither
   */
  public static MotionStyle parse(String text) {
    String t = text.strip();
    if (t.equalsIgnoreCase("none")) return NONE;
    String[] parts = t.split(",");
    if (parts.length != 2)
      throw new IllegalArgumentException(
          "motion '" + text + "': expected 'none' or RESPONSE_SECONDS,MAX_SPEED_PX_PER_S");
    try {
      return new MotionStyle(
          Double.parseDouble(parts[0].strip()), Double.parseDouble(parts[1].strip()));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "motion '" + text + "': expected 'none' or RESPONSE_SECONDS,MAX_SPEED_PX_PER_S", e);
    }
  }

  @Override
  public String toString() {
    return isNone() ? "none" : number(responseSeconds) + "," + number(maxSpeedPxPerS);
  }

  /** As written on a command line: 150, not 150.0. */
  private static String number(double d) {
    return d == Math.rint(d) && Math.abs(d) < 0x1p53 ? Long.toString((long) d) : Double.toString(d);
  }
}
