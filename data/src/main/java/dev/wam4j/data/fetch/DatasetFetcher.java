package dev.wam4j.data.fetch;

import dev.wam4j.data.FileTrees;
import dev.wam4j.data.zarr.ZarrFormatException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;

/**
 * Fetches a data set: download (resumable), verify, unpack, verify the content, move into place.
 *
 * <p>Layout under the target folder (default {@code <cache>/<name>/}): the data set at {@code
 * <folder>} (the last segment of the source's entry), {@code SOURCE.json} beside it, {@code
 * .download/<name>.zip.part} while downloading and {@code .unpack-*} while unpacking. The data set
 * reaches its final path only by an atomic rename after its content was verified, and {@code
 * SOURCE.json} is written after that, so a killed run never leaves a folder that looks fetched. A
 * complete archive that fails verification is deleted; an interrupted download is kept to resume.
 */
public final class DatasetFetcher {
  /** The steps of a fetch, in order. */
  public enum Phase {
    DOWNLOADING,
    VERIFYING,
    UNPACKING,
    VERIFYING_CONTENT,
    DONE
  }

  /** Hears what a fetch is doing; both methods are called on the fetching thread. */
  public interface Listener {
    /** A listener that ignores everything. */
    Listener NONE = new Listener() {};

    /**
     * A new phase begins; {@code detail} says what it works on (a URL, a path, "already present").
     */
    default void phase(Phase phase, String detail) {}

    /** Download progress, at most about every 100 ms; {@code bytesTotal} is -1 when unknown. */
    default void progress(long bytesDone, long bytesTotal) {}
  }

  /**
   * What a fetch produced.
   *
   * @param path the data set folder
   * @param archiveSha256 SHA-256 of the archive it came from
   * @param bytesDownloaded bytes received from the network by this run (0 when already present)
   * @param alreadyPresent true when a verified copy was there and nothing was downloaded
   * @param contentSha256 {@link ZarrContentDigest} of the folder
   */
  public record Result(
      Path path,
      String archiveSha256,
      long bytesDownloaded,
      boolean alreadyPresent,
      String contentSha256) {}

  private final ResumableDownload download;
  private final ZipUnpacker unpacker;

  /** A fetcher with a 20 s connect timeout and a 60 s stall timeout. */
  public DatasetFetcher() {
    this(
        Duration.ofSeconds(20),
        Duration.ofSeconds(60),
        new ZipUnpacker(ZipUnpacker.MAX_TOTAL_BYTES, ZipUnpacker.MAX_ENTRIES));
  }

  DatasetFetcher(Duration connectTimeout, Duration stallTimeout, ZipUnpacker unpacker) {
    this.download = new ResumableDownload(connectTimeout, stallTimeout);
    this.unpacker = unpacker;
  }

  /**
   * {@link #fetch(DatasetSource, Path, Listener)} into the cache, {@code
   * DataCache.datasetDir(source.name())}.
   */
  public Result fetch(DatasetSource source, Listener listener) throws IOException {
    return fetch(source, DataCache.datasetDir(source.name()), listener);
  }

  /**
   * Makes {@code targetDir/<folder>} a verified copy of {@code source}, downloading only what is
   * missing.
   *
   * @throws FetchException with a message for the user (the URL, what differed, what to do next)
   */
  public Result fetch(DatasetSource source, Path targetDir, Listener listener) throws IOException {
    Path dir = targetDir.toAbsolutePath().normalize();
    Path finalPath = dir.resolve(source.folderName());
    Path sourceFile = dir.resolve(SourceRecord.FILE_NAME);
    Result present = alreadyPresent(source, finalPath, sourceFile);
    if (present != null) {
      listener.phase(Phase.DONE, "already present: " + finalPath);
      return present;
    }
    Path downloads = dir.resolve(".download");
    Files.createDirectories(downloads);
    // One fetch per data set folder at a time; closing the channel releases the lock.
    try (FileChannel lockFile =
        FileChannel.open(
            downloads.resolve(source.name() + ".lock"),
            StandardOpenOption.CREATE,
            StandardOpenOption.WRITE)) {
      lock(lockFile, source, dir);
      Result installedMeanwhile =
          alreadyPresent(source, finalPath, sourceFile); // by a fetch that held the lock before us
      if (installedMeanwhile != null) {
        listener.phase(Phase.DONE, "already present: " + finalPath);
        return installedMeanwhile;
      }
      removeLeftovers(dir);
      Path part = downloads.resolve(source.name() + ".zip.part");
      listener.phase(Phase.DOWNLOADING, source.url());
      ResumableDownload.Outcome got = download.download(source, part, listener);

      listener.phase(Phase.VERIFYING, part.toString());
      String archiveSha = sha256(part);
      if (source.archiveSha256() != null && !source.archiveSha256().equals(archiveSha)) {
        Files.deleteIfExists(part);
        throw new FetchException(
            "the archive downloaded from "
                + source.url()
                + " has SHA-256 "
                + archiveSha
                + ", expected "
                + source.archiveSha256()
                + "; deleted it (rerun to download again, or pass --url with another mirror)");
      }
      String contentSha =
          unpackVerifyAndInstall(
              source, part, got.size(), archiveSha, dir, finalPath, sourceFile, listener);
      Files.deleteIfExists(part);
      listener.phase(Phase.DONE, finalPath.toString());
      return new Result(finalPath, archiveSha, got.bytesThisRun(), false, contentSha);
    }
  }

  /** The verified copy described by SOURCE.json, if it matches what is pinned now; else null. */
  private static Result alreadyPresent(DatasetSource source, Path finalPath, Path sourceFile) {
    if (!Files.isDirectory(finalPath) || !Files.isRegularFile(sourceFile)) return null;
    SourceRecord r = SourceRecord.readOrNull(sourceFile);
    if (r == null || !source.name().equals(r.name()) || r.contentSha256() == null) return null;
    if (source.contentSha256() != null && !source.contentSha256().equals(r.contentSha256()))
      return null;
    if (source.archiveSha256() != null && !source.archiveSha256().equals(r.archiveSha256()))
      return null;
    return new Result(finalPath, r.archiveSha256(), 0, true, r.contentSha256());
  }

  private String unpackVerifyAndInstall(
      DatasetSource source,
      Path part,
      long archiveBytes,
      String archiveSha,
      Path dir,
      Path finalPath,
      Path sourceFile,
      Listener listener)
      throws IOException {
    listener.phase(Phase.UNPACKING, part.toString());
    Path tmp = Files.createTempDirectory(dir, ".unpack-");
    try {
      try {
        unpacker.unpack(part, source.url(), tmp);
      } catch (FetchException e) {
        Files.deleteIfExists(part); // complete but unusable: resuming it would only fail again
        throw e;
      }
      Path unpacked = tmp.resolve(source.entry()).normalize();
      if (!Files.isDirectory(unpacked)) {
        Files.deleteIfExists(part);
        throw new FetchException(
            "the archive downloaded from "
                + source.url()
                + " has no folder '"
                + source.entry()
                + "'; deleted it (is the URL right?)");
      }
      listener.phase(Phase.VERIFYING_CONTENT, unpacked.toString());
      String contentSha = contentDigest(source, unpacked, part);
      if (source.contentSha256() != null && !source.contentSha256().equals(contentSha)) {
        Files.deleteIfExists(part);
        throw new FetchException(
            "the data downloaded from "
                + source.url()
                + " has content digest "
                + contentSha
                + ", expected "
                + source.contentSha256()
                + "; deleted it (not the expected version of "
                + source.name()
                + ", or damaged on the way)");
      }
      install(
          unpacked,
          finalPath,
          sourceFile,
          new SourceRecord(
              source.name(), source.url(), archiveSha, archiveBytes, contentSha, Instant.now()));
      return contentSha;
    } finally {
      FileTrees.deleteQuietly(tmp, null);
    }
  }

  private static String contentDigest(DatasetSource source, Path unpacked, Path part)
      throws IOException {
    try {
      return ZarrContentDigest.sha256(unpacked);
    } catch (ZarrFormatException | IllegalArgumentException e) {
      Files.deleteIfExists(part);
      throw new FetchException(
          "the data downloaded from "
              + source.url()
              + " cannot be read as a zarr store ("
              + e.getMessage()
              + "); deleted it",
          e);
    }
  }

  /**
   * Puts the verified folder at its final path. The old SOURCE.json goes first so that an old copy
   * stops looking valid before anything moves; an old folder is swapped out by rename and deleted
   * last.
   */
  private static void install(Path unpacked, Path finalPath, Path sourceFile, SourceRecord record)
      throws IOException {
    Files.deleteIfExists(sourceFile);
    Path old = null;
    if (Files.exists(finalPath, LinkOption.NOFOLLOW_LINKS)) {
      old =
          finalPath.resolveSibling(
              ".old-" + finalPath.getFileName() + "-" + Long.toHexString(System.nanoTime()));
      Files.move(finalPath, old, StandardCopyOption.ATOMIC_MOVE);
    }
    Files.move(unpacked, finalPath, StandardCopyOption.ATOMIC_MOVE);
    record.write(sourceFile);
    if (old != null) FileTrees.delete(old);
  }

  /** Deletes the temp folders a killed run may have left (the part file is kept: it resumes). */
  private static void removeLeftovers(Path dir) throws IOException {
    try (DirectoryStream<Path> s =
        Files.newDirectoryStream(
            dir,
            p -> {
              String n = p.getFileName().toString();
              return n.startsWith(".unpack-") || n.startsWith(".old-");
            })) {
      for (Path p : s) FileTrees.delete(p);
    }
  }

  private static void lock(FileChannel channel, DatasetSource source, Path dir) throws IOException {
    FileLock lock;
    try {
      lock = channel.tryLock();
    } catch (OverlappingFileLockException e) {
      lock = null;
    }
    if (lock == null) {
      throw new FetchException(
          "another fetch of "
              + source.name()
              + " into "
              + dir
              + " is running; wait for it to finish");
    }
  }

  /** SHA-256 of a file, lower-case hex. */
  static String sha256(Path file) throws IOException {
    MessageDigest sha;
    try {
      sha = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
    byte[] buffer = new byte[1 << 20];
    try (InputStream in = Files.newInputStream(file)) {
      for (int n; (n = in.read(buffer)) > 0; ) sha.update(buffer, 0, n);
    }
    return HexFormat.of().formatHex(sha.digest());
  }
}
