package dev.wam4j.cli;

import java.io.PrintWriter;

/**
 * A progress bar with rate and ETA on stderr (so stdout stays clean for JSON). Draws at most a few
 * times per second; silent when stderr is not a terminal and {@code wam4j.progress} is unset.
 */
final class Progress {
  private final PrintWriter err;
  private final String label;
  private long total;
  private final String unit;
  private final long startNanos = System.nanoTime();
  private long lastDraw;
  private final boolean enabled;

  Progress(PrintWriter err, String label, long total, String unit) {
    this.err = err;
    this.label = label;
    this.total = total;
    this.unit = unit;
    this.enabled = System.console() != null || Boolean.getBoolean("wam4j.progress");
  }

  /** A bar whose total comes with each update (a {@link dev.wam4j.data.ProgressListener}). */
  Progress(PrintWriter err, String label, String unit) {
    this(err, label, 0, unit);
  }

  /** The same as {@link #update(long)}, with the total known so far. */
  synchronized void update(long done, long total) {
    this.total = total;
    update(done, "");
  }

  /** Thread-safe: loaders report from several decoding threads. */
  synchronized void update(long done) {
    update(done, "");
  }

  /** The same, with a short status (e.g. the current loss) after the ETA. */
  synchronized void update(long done, String detail) {
    if (!enabled) return;
    long now = System.nanoTime();
    if (done < total && now - lastDraw < 200_000_000L) return;
    lastDraw = now;
    double seconds = (now - startNanos) / 1e9;
    double rate = done / Math.max(seconds, 1e-9);
    double eta = rate > 0 ? (total - done) / rate : 0;
    int width = 30;
    int filled = total > 0 ? (int) (width * done / total) : width;
    err.printf(
        "\r%s [%s%s] %d/%d %s  %.1f/s  ETA %s %s",
        label,
        "#".repeat(filled),
        " ".repeat(width - filled),
        done,
        total,
        unit,
        rate,
        clock(eta),
        detail);
    err.flush();
  }

  synchronized void done() {
    if (!enabled) return;
    err.printf("%n");
    err.flush();
  }

  private static String clock(double seconds) {
    long s = Math.round(seconds);
    return String.format("%d:%02d", s / 60, s % 60);
  }
}
