package dev.wam4j.fleet.server;

import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.server.internal.HttpConnection;

/**
 * Closes connections that take longer than a deadline to send a request's headers (slowloris).
 * Jetty's idle timeout restarts on every byte, so a client sending one byte every few seconds would
 * hold a connection for ever; this guard looks at each HTTP/1 connection's parser a few times a
 * second and closes any that has been mid-headers for longer than {@code timeoutMs}. A body whose
 * bytes stop for the idle timeout is cut off by it; a slow TLS handshake is not watched here
 * (FLEET.md, Known gaps). (HttpConnection is Jetty-internal; its parser state is the only place
 * that says "headers begun, not finished".)
 */
final class SlowHeaderGuard implements Connection.Listener, AutoCloseable {
  private static final long NOT_IN_HEADERS = Long.MIN_VALUE;
  private final long timeoutNanos;
  private final ConcurrentHashMap<HttpConnection, Long> headersSince = new ConcurrentHashMap<>();
  private final Thread sweeper;
  private volatile long closed;

  SlowHeaderGuard(long timeoutMs) {
    this.timeoutNanos = timeoutMs * 1_000_000L;
    this.sweeper = Thread.ofVirtual().name("fleet-header-guard").start(this::run);
  }

  @Override
  public void onOpened(Connection connection) {
    if (connection instanceof HttpConnection h) headersSince.put(h, NOT_IN_HEADERS);
  }

  @Override
  public void onClosed(Connection connection) {
    if (connection instanceof HttpConnection h) headersSince.remove(h);
  }

  /** Connections closed for slow headers so far. */
  long closed() {
    return closed;
  }

  private void run() {
    long period = Math.max(50, timeoutNanos / 1_000_000 / 4);
    while (!Thread.currentThread().isInterrupted()) {
      try {
        Thread.sleep(period);
      } catch (InterruptedException e) {
        return;
      }
      long now = System.nanoTime();
      for (var e : headersSince.entrySet()) {
        var parser = e.getKey().getParser();
        boolean midHeaders =
            parser.inHeaderState() && !parser.isStart(); // read racily: at worst one sweep late
        if (!midHeaders) {
          e.setValue(NOT_IN_HEADERS);
        } else if (e.getValue() == NOT_IN_HEADERS) {
          e.setValue(now);
        } else if (now - e.getValue() > timeoutNanos) {
          headersSince.remove(e.getKey());
          e.getKey().getEndPoint().close();
          closed++;
        }
      }
    }
  }

  @Override
  public void close() {
    sweeper.interrupt();
  }
}
