package dev.wam4j.fleet.server;

import dev.wam4j.data.Digests;
import dev.wam4j.data.FileTrees;
import dev.wam4j.data.Zips;
import dev.wam4j.data.lerobot.LeRobotDataset;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * The bytes of uploads and kept episodes in the data folder: {@code uploads/<id>.part} grows chunk
 * by chunk (each forced to disk before it is acknowledged, so its length is the resume offset after
 * any crash); a complete upload is checked against its SHA-256, unpacked aside and renamed to
 * {@code episodes/<sha256>/}, and opened as a LeRobot dataset before it counts. One that fails
 * those checks goes to {@code quarantine/<id>.zip}.
 */
final class EpisodeFiles {
  private final Path uploads;
  private final Path episodes;
  private final Path quarantine;

  EpisodeFiles(Path dataDir) throws IOException {
    this.uploads = Files.createDirectories(dataDir.toAbsolutePath().normalize().resolve("uploads"));
    this.episodes =
        Files.createDirectories(dataDir.toAbsolutePath().normalize().resolve("episodes"));
    this.quarantine =
        Files.createDirectories(dataDir.toAbsolutePath().normalize().resolve("quarantine"));
  }

  /**
   * An upload whose bytes arrived as declared (its SHA-256 matches) but do not hold a usable
   * episode. Its archive has been moved to {@code quarantine/<upload id>.zip}; sending it again
   * would not help.
   */
  static final class Rejected extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Rejected(String reason) {
      super(reason);
    }
  }

  /** Where a quarantined upload's archive lies. */
  Path quarantined(String uploadId) {
    if (!uploadId.matches("u-[0-9a-f]{16}"))
      throw new ApiException(400, "bad upload id " + uploadId);
    return quarantine.resolve(uploadId + ".zip");
  }

  /** Deletes a kept episode's folder (its row is gone already). */
  void deleteEpisode(Path dir) throws IOException {
    Path d = dir.toAbsolutePath().normalize();
    if (!d.startsWith(episodes))
      throw new IllegalStateException("episode folder " + d + " lies outside " + episodes);
    FileTrees.delete(d);
  }

  private Rejected reject(String uploadId, Path part, String reason) throws IOException {
    Files.move(part, quarantined(uploadId), StandardCopyOption.REPLACE_EXISTING);
    return new Rejected(reason);
  }

  /** Bytes received so far. */
  long received(String uploadId) throws IOException {
    Path p = part(uploadId);
    return Files.exists(p) ? Files.size(p) : 0;
  }

  /**
   * Appends a chunk at {@code offset}, which must equal the bytes received (else 409 with the right
   * offset).
   *
   * @return bytes received after the chunk
   */
  synchronized long append(String uploadId, long offset, byte[] chunk, long sizeBytes)
      throws IOException {
    long have = received(uploadId);
    if (offset != have)
      throw new ApiException(
          409, "offset " + offset + " but " + have + " bytes received; resume at " + have);
    if (have + chunk.length > sizeBytes)
      throw new ApiException(
          400,
          "chunk ends at " + (have + chunk.length) + ", past the declared " + sizeBytes + " bytes");
    try (FileChannel ch =
        FileChannel.open(
            part(uploadId),
            StandardOpenOption.CREATE,
            StandardOpenOption.WRITE,
            StandardOpenOption.APPEND)) {
      ByteBuffer b = ByteBuffer.wrap(chunk);
      while (b.hasRemaining()) ch.write(b);
      ch.force(true);
    }
    return have + chunk.length;
  }

  /**
   * A complete, checked upload unpacked as {@code episodes/<sha256>/}; returns that directory and
   * its frame count.
   */
  synchronized Kept keep(String uploadId, String sha256, long sizeBytes) throws IOException {
    Path p = part(uploadId);
    long have = received(uploadId);
    if (have != sizeBytes)
      throw new ApiException(
          409, "upload has " + have + " of " + sizeBytes + " bytes; send the rest first");
    String digest = Digests.sha256Hex(p);
    if (!digest.equals(sha256)) {
      Files.deleteIfExists(p); // corrupted in transit: start again
      throw new ApiException(
          400,
          "SHA-256 mismatch: declared "
              + sha256
              + ", received "
              + digest
              + "; the upload was discarded, send it again");
    }
    Path target = episodes.resolve(sha256);
    if (!Files.isDirectory(target)) {
      Path tmp = Files.createTempDirectory(episodes, "." + sha256);
      try {
        unzip(p, tmp);
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
      } catch (ApiException | IllegalArgumentException e) { // the archive's content: set aside
        FileTrees.deleteQuietly(tmp, e);
        throw reject(
            uploadId,
            p,
            e instanceof ApiException a
                ? a.getMessage()
                : "cannot unpack the episode archive: " + e.getMessage());
      } catch (IOException
          | RuntimeException
              e) { // the server's trouble (a full disk): the bytes stay for a retry, nothing is
        // quarantined
        FileTrees.deleteQuietly(tmp, e);
        throw e;
      }
    }
    int frames;
    boolean success;
    try (LeRobotDataset ds = LeRobotDataset.open(target)) {
      if (ds.episodes().size() != 1)
        throw new ApiException(
            400, "an episode upload holds one episode, this one " + ds.episodes().size());
      for (String key : REQUIRED) {
        if (!ds.features().containsKey(key))
          throw new ApiException(
              400, "the episode lacks the feature '" + key + "' (needs " + REQUIRED + ")");
      }
      frames = ds.episodes().get(0).length();
      success = lastSuccess(ds);
      // kept episodes are rebuilt into the task's dataset: one that cannot be read in full would
      // break it for good
      var problems = dev.wam4j.data.lerobot.DatasetValidation.validate(target, true);
      if (!problems.isEmpty()) {
        throw new ApiException(
            400,
            "the episode does not hold together: "
                + problems.subList(0, Math.min(3, problems.size())));
      }
    } catch (IOException | RuntimeException e) {
      FileTrees.deleteQuietly(target, e);
      throw reject(
          uploadId,
          p,
          e instanceof ApiException a
              ? a.getMessage()
              : "not a LeRobot dataset: " + e.getMessage());
    }
    return new Kept(target, frames, success);
  }

  /** Drops an upload's bytes once its episode is kept. */
  void discard(String uploadId) throws IOException {
    Files.deleteIfExists(part(uploadId));
  }

  /** What every kept episode carries, so the task datasets can be rebuilt from any of them. */
  static final java.util.List<String> REQUIRED =
      java.util.List.of(
          "observation.image",
          "observation.state",
          "action",
          "next.reward",
          "next.done",
          "next.success");

  record Kept(Path dir, int frames, boolean success) {}

  static boolean lastSuccess(LeRobotDataset ds) throws IOException {
    if (!ds.features().containsKey("next.success")) return false;
    var it = ds.batches(java.util.List.of("next.success"), 4096);
    boolean last = false;
    for (var b = it.nextBatch(); b != null; b = it.nextBatch()) {
      long[] v =
          b.longs(
              "next.success"); // a buffer of the batch's capacity: only the first rows() values are
      // this batch's
      if (b.rows() > 0) last = v[b.rows() - 1] != 0;
    }
    return last;
  }

  private Path part(String uploadId) {
    if (!uploadId.matches("u-[0-9a-f]{16}"))
      throw new ApiException(400, "bad upload id " + uploadId);
    return uploads.resolve(uploadId + ".part");
  }

  /**
   * Unzips, refusing entries outside {@code dir} and archives that unpack to more than 1 GiB or
   * 10,000 files.
   */
  static void unzip(Path zip, Path dir) throws IOException {
    try (InputStream in = Files.newInputStream(zip)) {
      Zips.unzip(in, dir, 1L << 30, 10_000);
    } catch (Zips.RefusedArchiveException e) {
      throw new ApiException(400, e.getMessage());
    } catch (java.util.zip.ZipException e) {
      throw new ApiException(400, "not a zip archive: " + e.getMessage());
    }
  }
}
