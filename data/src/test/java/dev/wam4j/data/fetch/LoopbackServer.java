package dev.wam4j.data.fetch;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A loopback HTTP server serving one archive at {@code /pusht.zip}, with switches for the faults a
 * download meets: honouring Range or not, dropping the connection part-way, stalling, a wrong size.
 */
final class LoopbackServer implements AutoCloseable {
  private final HttpServer server;
  private final ExecutorService pool = Executors.newCachedThreadPool();

  /** Range header of each request, "" when there was none. */
  final List<String> ranges = Collections.synchronizedList(new ArrayList<>());

  /** Body bytes written, per request. */
  final List<Long> served = Collections.synchronizedList(new ArrayList<>());

  volatile byte[] body;
  volatile boolean honourRange = true;

  /** When >= 0, the next response writes this many body bytes and then breaks the connection. */
  volatile long dropNextAfter = -1;

  /** When > 0, the next response writes half its body and then waits this long before the rest. */
  volatile long stallNextMillis;

  /** When >= 0, the size announced (and served) instead of the real one. */
  volatile int servedLength = -1;

  LoopbackServer(byte[] body) throws IOException {
    this.body = body;
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(pool);
    server.createContext("/pusht.zip", this::handle);
    server.start();
  }

  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/pusht.zip";
  }

  int requests() {
    return ranges.size();
  }

  private void handle(HttpExchange ex) throws IOException {
    String range = ex.getRequestHeaders().getFirst("Range");
    ranges.add(range == null ? "" : range);
    byte[] b = body;
    if (servedLength >= 0) b = java.util.Arrays.copyOf(b, servedLength);
    int from = 0;
    int status = 200;
    if (range != null && honourRange) {
      from = Integer.parseInt(range.replaceAll("bytes=(\\d+)-", "$1"));
      if (from >= b.length) {
        ex.getResponseHeaders().set("Content-Range", "bytes */" + b.length);
        ex.sendResponseHeaders(416, -1);
        served.add(0L);
        ex.close();
        return;
      }
      status = 206;
      ex.getResponseHeaders()
          .set("Content-Range", "bytes " + from + "-" + (b.length - 1) + "/" + b.length);
    }
    int length = b.length - from;
    ex.sendResponseHeaders(status, length);
    AtomicLong written = new AtomicLong();
    OutputStream os = ex.getResponseBody();
    long drop = dropNextAfter;
    long stall = stallNextMillis;
    dropNextAfter = -1;
    stallNextMillis = 0;
    if (drop >= 0) {
      os.write(b, from, (int) drop);
      os.flush();
      served.add(drop);
      // A handler that throws before its response is complete makes the JDK server close the TCP
      // connection at once: the abrupt drop a flaky network gives (closing the stream would not).
      throw new IOException("dropping the connection on purpose after " + drop + " bytes");
    }
    try {
      if (stall > 0) {
        os.write(b, from, length / 2);
        os.flush();
        written.addAndGet(length / 2);
        Thread.sleep(stall);
        os.write(b, from + length / 2, length - length / 2);
        written.addAndGet(length - length / 2);
      } else {
        os.write(b, from, length);
        written.addAndGet(length);
      }
      os.close();
    } catch (IOException | InterruptedException e) {
      // the client went away (or this was the planned drop)
    } finally {
      served.add(written.get());
      ex.close();
    }
  }

  @Override
  public void close() {
    server.stop(0);
    pool.shutdownNow();
  }
}
