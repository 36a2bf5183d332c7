package dev.wam4j.fleet.server;

/**
 * What one robot may cost the server, and how long the server keeps what it is sent. Every limit is
 * per robot token; operators are not limited. A robot over its rate gets 429 with {@code
 * Retry-After}.
 *
 * @param robotRequestsPerSecond sustained requests per second per robot
 * @param robotRequestBurst requests a robot may send at once after a quiet spell
 * @param robotBytesPerSecond sustained request-body bytes per second per robot (episode chunks
 *     excepted: uploads have their own quota)
 * @param robotByteBurst body bytes a robot may send at once after a quiet spell
 * @param telemetryRetentionHours telemetry messages older than this are deleted (the robot's latest
 *     state stays)
 * @param headerTimeoutMs a connection that has begun a request but not finished its headers within
 *     this time is closed
 * @param maxUploadBytes largest episode archive a robot may upload
 * @param maxOpenUploads uploads one robot may have open at once (resuming one of them stays
 *     possible)
 * @param uploadExpiryHours open uploads older than this are forgotten and their partial bytes
 *     deleted
 * @param maxQuarantined quarantined uploads one robot may have before it may open no more (until an
 *     operator reviews them)
 */
public record Limits(
    double robotRequestsPerSecond,
    int robotRequestBurst,
    long robotBytesPerSecond,
    long robotByteBurst,
    double telemetryRetentionHours,
    long headerTimeoutMs,
    long maxUploadBytes,
    int maxOpenUploads,
    double uploadExpiryHours,
    int maxQuarantined) {
  public Limits {
    if (!(robotRequestsPerSecond > 0) || Double.isInfinite(robotRequestsPerSecond)) {
      throw new IllegalArgumentException(
          "robotRequestsPerSecond must be finite and > 0, got " + robotRequestsPerSecond);
    }
    if (robotRequestBurst < 1)
      throw new IllegalArgumentException(
          "robotRequestBurst must be >= 1, got " + robotRequestBurst);
    if (robotBytesPerSecond < 1)
      throw new IllegalArgumentException(
          "robotBytesPerSecond must be >= 1, got " + robotBytesPerSecond);
    if (robotByteBurst < 1024)
      throw new IllegalArgumentException(
          "robotByteBurst must be >= 1024 (one request), got " + robotByteBurst);
    if (!(telemetryRetentionHours > 0) || Double.isInfinite(telemetryRetentionHours)) {
      throw new IllegalArgumentException(
          "telemetryRetentionHours must be finite and > 0, got " + telemetryRetentionHours);
    }
    if (headerTimeoutMs < 100)
      throw new IllegalArgumentException("headerTimeoutMs must be >= 100, got " + headerTimeoutMs);
    if (maxUploadBytes < 1)
      throw new IllegalArgumentException("maxUploadBytes must be >= 1, got " + maxUploadBytes);
    if (maxOpenUploads < 1)
      throw new IllegalArgumentException("maxOpenUploads must be >= 1, got " + maxOpenUploads);
    if (!(uploadExpiryHours > 0) || Double.isInfinite(uploadExpiryHours)) {
      throw new IllegalArgumentException(
          "uploadExpiryHours must be finite and > 0, got " + uploadExpiryHours);
    }
    if (maxQuarantined < 1)
      throw new IllegalArgumentException("maxQuarantined must be >= 1, got " + maxQuarantined);
  }

  /**
   * Defaults: 50 requests/s (burst 100) and 256 KiB/s of bodies (burst 2 MiB) per robot, telemetry
   * kept 7 days, 10 s to send a request's headers; uploads of at most 1 GiB, 8 open at once,
   * forgotten after 24 h, 8 in quarantine at most. A robot at 10 Hz sends ~20 requests/s; at 256
   * KiB/s one robot adds at most ~21 GB/day before retention, which the operator lowers with {@link
   * #withTelemetryRetentionHours}.
   */
  public static Limits defaults() {
    return new Limits(50, 100, 256 << 10, 2 << 20, 7 * 24, 10_000, 1L << 30, 8, 24, 8);
  }

  public Limits withRobotRate(double requestsPerSecond, int burst) {
    return new Limits(
        requestsPerSecond,
        burst,
        robotBytesPerSecond,
        robotByteBurst,
        telemetryRetentionHours,
        headerTimeoutMs,
        maxUploadBytes,
        maxOpenUploads,
        uploadExpiryHours,
        maxQuarantined);
  }

  public Limits withRobotBytes(long bytesPerSecond, long burst) {
    return new Limits(
        robotRequestsPerSecond,
        robotRequestBurst,
        bytesPerSecond,
        burst,
        telemetryRetentionHours,
        headerTimeoutMs,
        maxUploadBytes,
        maxOpenUploads,
        uploadExpiryHours,
        maxQuarantined);
  }

  public Limits withTelemetryRetentionHours(double hours) {
    return new Limits(
        robotRequestsPerSecond,
        robotRequestBurst,
        robotBytesPerSecond,
        robotByteBurst,
        hours,
        headerTimeoutMs,
        maxUploadBytes,
        maxOpenUploads,
        uploadExpiryHours,
        maxQuarantined);
  }

  public Limits withHeaderTimeoutMs(long ms) {
    return new Limits(
        robotRequestsPerSecond,
        robotRequestBurst,
        robotBytesPerSecond,
        robotByteBurst,
        telemetryRetentionHours,
        ms,
        maxUploadBytes,
        maxOpenUploads,
        uploadExpiryHours,
        maxQuarantined);
  }

  public Limits withUploads(long maxBytes, int maxOpen, double expiryHours, int quarantined) {
    return new Limits(
        robotRequestsPerSecond,
        robotRequestBurst,
        robotBytesPerSecond,
        robotByteBurst,
        telemetryRetentionHours,
        headerTimeoutMs,
        maxBytes,
        maxOpen,
        expiryHours,
        quarantined);
  }
}
