package dev.wam4j.fleet.server;

/**
 * What one robot may cost the server, and how long the server keeps what it is sent. Every limit is per
 * robot token; operators are not limited. A robot over its rate gets 429 with {@code Retry-After}.
 *
 * @param robotRequestsPerSecond sustained requests per second per robot
 * @param robotRequestBurst requests a robot may send at once after a quiet spell
 * @param robotBytesPerSecond sustained request-body bytes per second per robot (episode chunks excepted: uploads have their own quota)
 * @param robotByteBurst body bytes a robot may send at once after a quiet spell
 * @param telemetryRetentionHours telemetry messages older than this are deleted (the robot's latest state stays)
 * @param headerTimeoutMs a connection that has begun a request but not finished its headers within this time is closed
 */
public record Limits(double robotRequestsPerSecond, int robotRequestBurst, long robotBytesPerSecond, long robotByteBurst,
    double telemetryRetentionHours, long headerTimeoutMs) {
  public Limits {
    if (!(robotRequestsPerSecond > 0) || Double.isInfinite(robotRequestsPerSecond)) throw new IllegalArgumentException("robotRequestsPerSecond must be > 0, got " + robotRequestsPerSecond);
    if (robotRequestBurst < 1) throw new IllegalArgumentException("robotRequestBurst must be >= 1, got " + robotRequestBurst);
    if (robotBytesPerSecond < 1) throw new IllegalArgumentException("robotBytesPerSecond must be >= 1, got " + robotBytesPerSecond);
    if (robotByteBurst < 1024) throw new IllegalArgumentException("robotByteBurst must be >= 1024 (one request), got " + robotByteBurst);
    if (!(telemetryRetentionHours > 0) || Double.isInfinite(telemetryRetentionHours)) throw new IllegalArgumentException("telemetryRetentionHours must be > 0, got " + telemetryRetentionHours);
    if (headerTimeoutMs < 100) throw new IllegalArgumentException("headerTimeoutMs must be >= 100, got " + headerTimeoutMs);
  }

  /**
   * Defaults: 50 requests/s (burst 100) and 256 KiB/s of bodies (burst 2 MiB) per robot, telemetry kept 7 days, 10 s to send a request's
   * headers. A robot at 10 Hz sends ~20 requests/s; at 256 KiB/s one robot adds at most ~21 GB/day before retention, which the
   * operator lowers with {@link #withTelemetryRetentionHours}.
   */
  public static Limits defaults() {
    return new Limits(50, 100, 256 << 10, 2 << 20, 7 * 24, 10_000);
  }

  public Limits withRobotRate(double requestsPerSecond, int burst) {
    return new Limits(requestsPerSecond, burst, robotBytesPerSecond, robotByteBurst, telemetryRetentionHours, headerTimeoutMs);
  }

  public Limits withRobotBytes(long bytesPerSecond, long burst) {
    return new Limits(robotRequestsPerSecond, robotRequestBurst, bytesPerSecond, burst, telemetryRetentionHours, headerTimeoutMs);
  }

  public Limits withTelemetryRetentionHours(double hours) {
    return new Limits(robotRequestsPerSecond, robotRequestBurst, robotBytesPerSecond, robotByteBurst, hours, headerTimeoutMs);
  }

  public Limits withHeaderTimeoutMs(long ms) {
    return new Limits(robotRequestsPerSecond, robotRequestBurst, robotBytesPerSecond, robotByteBurst, telemetryRetentionHours, ms);
  }
}
