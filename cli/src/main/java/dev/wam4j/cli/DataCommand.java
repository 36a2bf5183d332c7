package dev.wam4j.cli;

import dev.wam4j.data.fetch.DataCache;
import dev.wam4j.data.fetch.DatasetCatalog;
import dev.wam4j.data.fetch.DatasetFetcher;
import dev.wam4j.data.fetch.DatasetSource;
import dev.wam4j.data.zarr.ReplayBufferSubset;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code wam4j data}: the data sets wam4j reads, fetched into the cache. */
@Command(
    name = "data",
    mixinStandardHelpOptions = true,
    description =
        "Data sets: fetch a known data set into the cache ($WAM4J_CACHE, default ~/.cache/wam4j), verified.",
    subcommands = {DataCommand.Fetch.class, DataCommand.Sample.class})
final class DataCommand {

  /**
   * {@code wam4j data sample --zarr SRC --episodes N --out DIR}: how datasets/pusht-sample.zarr was
   * made.
   */
  @Command(
      name = "sample",
      mixinStandardHelpOptions = true,
      description =
          "Write the first N episodes of a zarr replay buffer as a store of their own (chunks copied byte for byte).")
  static final class Sample implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(
        names = "--zarr",
        required = true,
        paramLabel = "PATH",
        description = "Source replay buffer.")
    Path zarr;

    @Option(
        names = "--episodes",
        required = true,
        paramLabel = "N",
        description = "Episodes to keep, from the first.")
    int episodes;

    @Option(
        names = "--out",
        required = true,
        paramLabel = "DIR",
        description = "New store (must not exist).")
    Path out;

    @Override
    public Integer call() throws Exception {
      ReplayBufferSubset.Result r = ReplayBufferSubset.firstEpisodes(zarr, episodes, out);
      spec.commandLine()
          .getOut()
          .printf(
              "%d episodes, %d frames, %,d bytes -> %s%n",
              r.episodes(), r.frames(), r.bytes(), r.root());
      spec.commandLine().getOut().flush();
      return 0;
    }
  }

  /** {@code wam4j data fetch NAME [--to DIR] [--url URL] [--sha256 HEX] [--json]}. */
  @Command(
      name = "fetch",
      mixinStandardHelpOptions = true,
      description =
          "Download a data set (resuming an interrupted download), verify it, and unpack it atomically. "
              + "Known: pusht (Diffusion Policy's PushT demonstrations).")
  static final class Fetch implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "NAME", description = "Data set name, e.g. pusht.")
    String name;

    @Option(
        names = "--to",
        paramLabel = "DIR",
        description = "Folder to fetch into (default: <cache>/NAME).")
    Path to;

    @Option(
        names = "--url",
        paramLabel = "URL",
        description = "Download from this URL instead (a mirror); the pinned digests still apply.")
    String url;

    @Option(
        names = "--sha256",
        paramLabel = "HEX",
        description = "Pin the archive's SHA-256: refuse an archive with another one.")
    String sha256;

    @Option(names = "--json", description = "Print the result as JSON.")
    boolean json;

    /** The JSON shape of the result; snake_case keys come from the component names. */
    record Summary(
        String name,
        String path,
        String url,
        String archiveSha256,
        String contentSha256,
        boolean contentVerified,
        long bytesDownloaded,
        boolean alreadyPresent) {}

    @Override
    public Integer call() throws Exception {
      DatasetSource source = DatasetCatalog.get(name);
      if (url != null) source = source.withUrl(url);
      if (sha256 != null) source = source.withArchiveSha256(sha256);
      Path dir = to != null ? to : DataCache.datasetDir(source.name());
      DatasetFetcher.Result r =
          new DatasetFetcher().fetch(source, dir, new StderrListener(spec.commandLine().getErr()));
      Summary s =
          new Summary(
              source.name(),
              r.path().toString(),
              source.url(),
              r.archiveSha256(),
              r.contentSha256(),
              source.contentSha256() != null,
              r.bytesDownloaded(),
              r.alreadyPresent());
      PrintWriter out = spec.commandLine().getOut();
      if (json) {
        out.println(Json.result(s, spec));
      } else {
        out.printf("%-15s %s%n", s.name(), s.path());
        out.printf(
            "%-15s %s%n",
            "status",
            s.alreadyPresent()
                ? "already present (nothing downloaded)"
                : "fetched, " + s.bytesDownloaded() + " bytes downloaded");
        out.printf("%-15s %s%n", "url", s.url());
        out.printf(
            "%-15s %s%n", "archive sha256", s.archiveSha256() == null ? "-" : s.archiveSha256());
        out.printf(
            "%-15s %s%s%n",
            "content sha256",
            s.contentSha256(),
            s.contentVerified() ? " (matches the catalog)" : " (not pinned)");
      }
      out.flush();
      return 0;
    }
  }

  /**
   * Phases as lines on stderr and the download as a progress bar (stdout stays clean for --json).
   */
  private static final class StderrListener implements DatasetFetcher.Listener {
    private final PrintWriter err;
    private final boolean interactive =
        System.console() != null || Boolean.getBoolean("wam4j.progress");
    private Progress bar;
    private long start = -1;
    private long lastDraw;

    StderrListener(PrintWriter err) {
      this.err = err;
    }

    @Override
    public void phase(DatasetFetcher.Phase phase, String detail) {
      if (bar != null) {
        bar.done();
        bar = null;
      } else if (lastDraw != 0) {
        err.println(); // end the "size unknown" line
        lastDraw = 0;
      }
      String line =
          switch (phase) {
            case DOWNLOADING -> "downloading " + detail;
            case VERIFYING -> "verifying the archive (SHA-256)";
            case UNPACKING -> "unpacking";
            case VERIFYING_CONTENT ->
                "verifying the content (decodes every array; PushT takes about 10 s)";
            case DONE -> "done: " + detail;
          };
      err.println(line);
      err.flush();
    }

    @Override
    public void progress(long bytesDone, long bytesTotal) {
      if (!interactive) return;
      if (start < 0) {
        start = bytesDone;
        if (bytesDone > 0) err.printf("resuming after %d bytes already downloaded%n", bytesDone);
      }
      if (bytesTotal >= 0) {
        // the bar counts this run's megabytes, so its rate and ETA are those of the network
        if (bar == null)
          bar = new Progress(err, "download", Math.max(1, mb(bytesTotal - start)), "MB");
        bar.update(Math.min(mb(bytesDone - start), Math.max(1, mb(bytesTotal - start))));
      } else {
        long now = System.nanoTime();
        if (now - lastDraw < 200_000_000L) return;
        lastDraw = now;
        err.printf("\rdownload %d MB (size unknown)", bytesDone / 1_000_000);
        err.flush();
      }
    }

    private static long mb(long bytes) {
      return (bytes + 999_999) / 1_000_000;
    }
  }
}
