package dev.wam4j.fleet.server;

import dev.wam4j.data.Digests;
import dev.wam4j.data.FileTrees;
import dev.wam4j.data.Zips;
import dev.wam4j.data.lerobot.DatasetValidation;
import dev.wam4j.data.lerobot.LeRobotDataset;
import dev.wam4j.data.pusht.PushTEpisodes;
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
    // the file lock keeps out another server sharing the data folder (a robot that failed over
    // while its chunk to the first server was still being written); the lock of this object keeps
    // out this server's other threads, which a file lock held by the same process would not
    try (FileChannel ch =
        FileChannel.open(
            part(uploadId),
            StandardOpenOption.CREATE,
            StandardOpenOption.WRITE,
            StandardOpenOption.APPEND)) {
      ch.lock(); // released when the channel closes
      long have = ch.size();
      if (offset != have)
        throw new ApiException(
            409, "offset " + offset + " but " + have + " bytes received; resume at " + have);
      if (have + chunk.length > sizeBytes)
        throw new ApiException(
            400,
            "chunk ends at "
                + (have + chunk.length)
                + ", past the declared "
                + sizeBytes
                + " bytes");
      ByteBuffer b = ByteBuffer.wrap(chunk);
      while (b.hasRemaining()) ch.write(b);
      ch.force(true);
      return have + chunk.length;
    }
  }

  /**
   * A complete, checked upload kept as {@code episodes/<sha256>/} in wam4j's PushT form (re-encoded
   * once, under the task's name, so that the task's dataset grows by copying files; see {@link
   * PushTEpisodes}); returns that folder, its frame count and whether it ended in success. Bytes
   * that hold no usable episode are quarantined.
   */
  synchronized Kept keep(String uploadId, String sha256, long sizeBytes, String taskName)
      throws IOException {
    Path p = part(uploadId);
    long have = received(uploadId);
    if (have != sizeBytes) {
      throw new ApiException(
          409, "upload has " + have + " of " + sizeBytes + " bytes; send the rest first");
    }
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
      Path raw = Files.createTempDirectory(episodes, "." + sha256);
      Path form = raw.resolveSibling(raw.getFileName() + ".pusht");
      // what the bytes hold is set aside (quarantined, never retried, never in a dataset); a
      // failure of
      // the server's own (a full disk) propagates and keeps the bytes for a retry
      try {
        try {
          unzip(p, raw);
        } catch (ApiException | IllegalArgumentException e) {
          throw reject(
              uploadId,
              p,
              e instanceof ApiException a
                  ? a.getMessage()
                  : "cannot unpack the episode archive: " + e.getMessage());
        }
        try {
          check(raw);
        } catch (ApiException e) {
          throw reject(uploadId, p, e.getMessage());
        } catch (IOException | RuntimeException e) {
          throw reject(uploadId, p, "not a LeRobot dataset: " + e.getMessage());
        }
        try {
          PushTEpisodes.rewrite(raw, form, taskName, ROBOT_TYPE);
        } catch (IllegalArgumentException e) {
          throw reject(uploadId, p, e.getMessage());
        }
        Files.move(form, target, StandardCopyOption.ATOMIC_MOVE);
      } finally {
        FileTrees.deleteQuietly(raw, null);
        FileTrees.deleteQuietly(form, null);
      }
    }
    try (LeRobotDataset ds = LeRobotDataset.open(target)) {
      return new Kept(target, ds.episodes().get(0).length(), lastSuccess(ds));
    }
  }

  /** Refuses (400) an upload that is not one whole, readable episode with PushT's columns. */
  private static void check(Path dataset) throws IOException {
    try (LeRobotDataset ds = LeRobotDataset.open(dataset)) {
      if (ds.episodes().size() != 1) {
        throw new ApiException(
            400, "an episode upload holds one episode, this one " + ds.episodes().size());
      }
      for (String key : REQUIRED) {
        if (!ds.features().containsKey(key)) {
          throw new ApiException(
              400, "the episode lacks the feature '" + key + "' (needs " + REQUIRED + ")");
        }
      }
    }
    // every frame is read: one that cannot be would break the task's dataset for good
    var problems = DatasetValidation.validate(dataset, true);
    if (!problems.isEmpty()) {
      throw new ApiException(
          400,
          "the episode does not hold together: "
              + problems.subList(0, Math.min(3, problems.size())));
    }
  }

  /** Drops an upload's bytes once its episode is kept. */
  void discard(String uploadId) throws IOException {
    Files.deleteIfExists(part(uploadId));
  }

  /**
   * The robot type of kept episodes (and so of the tasks' datasets): what made them is the fleet.
   */
  static final String ROBOT_TYPE = "fleet";

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
