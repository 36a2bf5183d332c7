package dev.wam4j.fleet.server;

import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Token buckets per key (a robot id): one for requests, one for body bytes. A request is admitted
 * only if both buckets hold enough; otherwise nothing is taken and the caller learns how long to
 * wait.
 */
final class RateLimiter {
  private final Limits limits;
  private final LongSupplier nanoClock;
  private final ConcurrentHashMap<String, Bucket> buckets = new ConcurrentHashMap<>();

  RateLimiter(Limits limits, LongSupplier nanoClock) {
    this.limits = limits;
    this.nanoClock = nanoClock;
  }

  /**
   * Takes one request and {@code bytes} body bytes from {@code key}'s buckets.
   *
   * @return 0 when admitted, else the whole seconds (>= 1) after which the same request would be
   */
  long admit(String key, long bytes) {
    Bucket b =
        buckets.computeIfAbsent(
            key,
            k ->
                new Bucket(
                    limits.robotRequestBurst(), limits.robotByteBurst(), nanoClock.getAsLong()));
    synchronized (b) {
      long now = nanoClock.getAsLong();
      double seconds = (now - b.lastNanos) / 1e9;
      b.lastNanos = now;
      b.requests =
          Math.min(
              limits.robotRequestBurst(), b.requests + seconds * limits.robotRequestsPerSecond());
      b.bytes = Math.min(limits.robotByteBurst(), b.bytes + seconds * limits.robotBytesPerSecond());
      long take =
          Math.min(
              bytes,
              limits
                  .robotByteBurst()); // a body larger than the burst waits for a full bucket, it is
      // not refused forever
      if (b.requests >= 1 && b.bytes >= take) {
        b.requests -= 1;
        b.bytes -= take;
        return 0;
      }
      double wait =
          Math.max(
              (1 - b.requests) / limits.robotRequestsPerSecond(),
              (take - b.bytes) / limits.robotBytesPerSecond());
      return Math.max(1, (long) Math.ceil(wait));
    }
  }

  private static final class Bucket {
    double requests;
    double bytes;
    long lastNanos;

    Bucket(double requests, double bytes, long nanos) {
      this.requests = requests;
      this.bytes = bytes;
      this.lastNanos = nanos;
    }
  }
}
