package dev.wam4j.data.fetch;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Downloads an archive into a {@code .part} file, resuming from what an earlier run kept. Only the
 * transfer: whether the bytes are the right ones is decided afterwards from digests.
 *
 * <p>Resuming asks for {@code Range: bytes=N-}. A 206 is appended only when its {@code
 * Content-Range} starts at N; a 200 (a server that ignores ranges) restarts from 0; a 416 means the
 * part may already be complete. A dropped or stalled connection keeps the part.
 */
final class ResumableDownload {
  private static final int BUFFER_BYTES = 1 << 16;
  private static final long PROGRESS_EVERY_NANOS = 100_000_000L;
  private static final Pattern CONTENT_RANGE =
      Pattern.compile("bytes\\s+(?:(\\d+)-(\\d+)|\\*)/(\\d+|\\*)");

  /** What one run did: bytes received from the network and the size of the complete part file. */
  record Outcome(long bytesThisRun, long size) {}

  private record ContentRange(long start, long total) {}

  private final HttpClient client;
  private final Duration stallTimeout;

  ResumableDownload(Duration connectTimeout, Duration stallTimeout) {
    this.client =
        HttpClient.newBuilder()
            .followRedirects(HttpClient.Redirect.NORMAL)
            .connectTimeout(connectTimeout)
            .build();
    this.stallTimeout = stallTimeout;
  }

  /** Brings {@code part} to the complete archive of {@code source}, resuming if it exists. */
  Outcome download(DatasetSource source, Path part, DatasetFetcher.Listener listener)
      throws IOException {
    return download(source, part, listener, true);
  }

  private Outcome download(
      DatasetSource source, Path part, DatasetFetcher.Listener listener, boolean mayRestart)
      throws IOException {
    String url = source.url();
    long have = Files.isRegularFile(part) ? Files.size(part) : 0;
    if (source.archiveBytes() >= 0 && have > source.archiveBytes()) {
      // Longer than the archive can be: not a prefix of it.
      Files.delete(part);
      have = 0;
    }
    HttpResponse<InputStream> response = send(source, part, have);
    try (InputStream body = response.body()) {
      int status = response.statusCode();
      long start;
      long total;
      if (have > 0 && status == 416) {
        ContentRange cr = contentRange(response);
        if (cr == null || cr.total() < 0 || cr.total() == have) return new Outcome(0, have);
        checkSize(source, cr.total());
        return restart(
            source,
            part,
            listener,
            mayRestart,
            "the server says the archive has " + cr.total() + " bytes");
      } else if (have > 0 && status == 206) {
        ContentRange cr = contentRange(response);
        if (cr == null || cr.start() != have) {
          return restart(
              source,
              part,
              listener,
              mayRestart,
              "asked for bytes "
                  + have
                  + "- and got Content-Range "
                  + response.headers().firstValue("content-range").orElse("(none)"));
        }
        start = have;
        total = cr.total();
      } else if (status == 200) {
        start = 0; // a fresh download, or a server that ignores Range: begin again from byte 0
        total = response.headers().firstValueAsLong("content-length").orElse(-1);
      } else {
        throw new FetchException(
            url
                + " answered HTTP "
                + status
                + (have > 0 ? " to a request for bytes " + have + "-" : "")
                + "; check the URL, or pass --url with a mirror"
                + kept(part, have));
      }
      checkSize(source, total);
      return transfer(source, body, part, start, total, listener);
    }
  }

  private Outcome restart(
      DatasetSource source,
      Path part,
      DatasetFetcher.Listener listener,
      boolean mayRestart,
      String why)
      throws IOException {
    if (!mayRestart)
      throw new FetchException(
          source.url() + ": cannot resume (" + why + ") even after starting over");
    Files.deleteIfExists(part);
    return download(source, part, listener, false);
  }

  private HttpResponse<InputStream> send(DatasetSource source, Path part, long from)
      throws IOException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(source.url()))
            .timeout(Duration.ofSeconds(60)) // until the response headers arrive
            .header("User-Agent", "wam4j");
    if (from > 0) request.header("Range", "bytes=" + from + "-");
    try {
      return client.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while connecting to " + source.url());
    } catch (IOException e) {
      throw new FetchException(
          "cannot reach "
              + source.url()
              + " ("
              + reason(e)
              + "). On a machine without internet, copy "
              + source.folderName()
              + " from a machine that has it and point WAM4J_DATA at the folder holding it, "
              + "or pass --zarr PATH to the command that needs it"
              + kept(part, from),
          e);
    }
  }

  /** Streams the body into the part file; a failed or stalled read keeps what was written. */
  private Outcome transfer(
      DatasetSource source,
      InputStream body,
      Path part,
      long start,
      long total,
      DatasetFetcher.Listener listener)
      throws IOException {
    Files.createDirectories(part.getParent());
    StandardOpenOption mode =
        start > 0 ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING;
    long done = start;
    long[] lastRead = {System.nanoTime()};
    boolean[] stalled = {false};
    ScheduledExecutorService watchdog =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "wam4j-download-watchdog");
              t.setDaemon(true);
              return t;
            });
    // The HTTP client has no read timeout once the body streams: close the body when it goes quiet.
    watchdog.scheduleAtFixedRate(
        () -> {
          synchronized (lastRead) {
            if (System.nanoTime() - lastRead[0] < stallTimeout.toNanos()) return;
            stalled[0] = true;
          }
          try {
            body.close();
          } catch (IOException ignored) {
            // closing is only a way to wake the blocked read
          }
        },
        250,
        250,
        TimeUnit.MILLISECONDS);
    try (OutputStream out =
        Files.newOutputStream(part, StandardOpenOption.CREATE, StandardOpenOption.WRITE, mode)) {
      byte[] buffer = new byte[BUFFER_BYTES];
      long lastReport = 0;
      listener.progress(done, total);
      while (true) {
        int n;
        try {
          n = body.read(buffer);
        } catch (IOException e) {
          out.flush();
          String why;
          synchronized (lastRead) {
            why = stalled[0] ? "no data for " + quiet() : "connection lost: " + reason(e);
          }
          throw interrupted(source, part, done, total, why, e);
        }
        synchronized (lastRead) {
          if (stalled[0]) {
            out.flush();
            throw interrupted(source, part, done, total, "no data for " + quiet(), null);
          }
          lastRead[0] = System.nanoTime();
        }
        if (n < 0) break;
        out.write(buffer, 0, n);
        done += n;
        long now = System.nanoTime();
        if (now - lastReport >= PROGRESS_EVERY_NANOS) {
          listener.progress(done, total);
          lastReport = now;
        }
      }
    } finally {
      watchdog.shutdownNow();
    }
    listener.progress(done, total);
    if (total >= 0 && done < total)
      throw interrupted(source, part, done, total, "the connection ended early", null);
    if (total >= 0 && done > total) {
      Files.deleteIfExists(part);
      throw new FetchException(
          source.url()
              + " sent "
              + done
              + " bytes after announcing "
              + total
              + "; deleted the download, rerun to start over");
    }
    return new Outcome(done - start, done);
  }

  private String quiet() {
    long ms = stallTimeout.toMillis();
    return ms % 1000 == 0 ? ms / 1000 + " s" : ms + " ms";
  }

  private static FetchException interrupted(
      DatasetSource source, Path part, long done, long total, String why, Throwable cause) {
    return new FetchException(
        "download of "
            + source.url()
            + " interrupted ("
            + why
            + ") after "
            + done
            + (total >= 0 ? " of " + total : "")
            + " bytes; kept "
            + done
            + " bytes in "
            + part
            + ", rerun the same command to resume",
        cause);
  }

  /** Refuses a served size that contradicts the pinned one, before any byte is written. */
  private static void checkSize(DatasetSource source, long served) throws FetchException {
    if (source.archiveBytes() >= 0 && served >= 0 && served != source.archiveBytes()) {
      throw new FetchException(
          source.url()
              + " serves "
              + served
              + " bytes, but "
              + source.name()
              + " is expected to be "
              + source.archiveBytes()
              + " bytes; refusing to download (a wrong URL or a changed archive)");
    }
  }

  private static ContentRange contentRange(HttpResponse<?> response) {
    String header = response.headers().firstValue("content-range").orElse(null);
    if (header == null) return null;
    Matcher m = CONTENT_RANGE.matcher(header.trim());
    if (!m.matches()) return null;
    long start = m.group(1) == null ? -1 : Long.parseLong(m.group(1));
    long total = m.group(3).equals("*") ? -1 : Long.parseLong(m.group(3));
    return new ContentRange(start, total);
  }

  private static String kept(Path part, long bytes) {
    return bytes > 0
        ? "; the " + bytes + " bytes already in " + part + " are kept and a rerun resumes"
        : "";
  }

  /**
   * A short cause: the HTTP client often wraps the useful message (e.g. "Connection refused") a
   * level down.
   */
  static String reason(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof java.nio.channels.UnresolvedAddressException
          || t instanceof java.net.UnknownHostException) {
        return "unknown host";
      }
      if (t instanceof java.net.http.HttpConnectTimeoutException) return "connect timed out";
      if (t.getMessage() != null && !t.getMessage().isBlank()) return t.getMessage();
    }
    Throwable last = e;
    while (last.getCause() != null) last = last.getCause();
    return last.getClass().getSimpleName();
  }
}
