package dev.wam4j.fleet.agent;

import dev.wam4j.data.AtomicFiles;
import dev.wam4j.data.Digests;
import dev.wam4j.data.FileTrees;
import dev.wam4j.data.Zips;
import dev.wam4j.fleet.api.ApiPaths;
import dev.wam4j.fleet.api.UploadApi;
import dev.wam4j.fleet.store.UploadStatus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Episodes waiting to reach the server, kept on the robot's disk until the server has them: each a
 * zip of a one-episode LeRobot dataset plus a small JSON note (task, SHA-256, size), both written
 * atomically. Uploads go in chunks from the offset the server already holds, so an interrupted
 * upload resumes where it stopped — also after the agent restarts — and a duplicate is dropped.
 */
final class Outbox {
  static final int CHUNK_BYTES = 256 * 1024;
  private final Path dir;

  Outbox(Path dir) throws IOException {
    this.dir = Files.createDirectories(dir.toAbsolutePath().normalize());
    // what a crash left half-done: partial files and unfinished recordings go; a zip whose note was
    // never
    // written gets it now (the note holds nothing the zip and its name do not tell)
    try (Stream<Path> s = Files.list(this.dir)) {
      for (Path p : s.toList()) {
        String n = p.getFileName().toString();
        if (n.endsWith(".part") || n.startsWith(".recording-")) {
          FileTrees.delete(p);
        } else if (n.endsWith(".zip")
            && !Files.exists(p.resolveSibling(n.replaceFirst("\\.zip$", ".json")))) {
          writeNote(p, Long.parseLong(n.substring(4, n.indexOf('-'))), "");
        }
      }
    }
  }

  Path dir() {
    return dir;
  }

  /** Packs a recorded episode dataset and deletes the dataset folder; returns the zip. */
  Path add(Path dataset, long taskId, String taskName) throws IOException {
    String name = "task" + taskId + "-" + System.currentTimeMillis();
    Path zip = dir.resolve(name + ".zip");
    AtomicFiles.write(
        zip,
        temp -> {
          try (java.io.OutputStream out = Files.newOutputStream(temp)) {
            Zips.zipTree(dataset, out);
          }
        });
    writeNote(zip, taskId, taskName);
    FileTrees.delete(dataset);
    return zip;
  }

  private static void writeNote(Path zip, long taskId, String taskName) throws IOException {
    String name = zip.getFileName().toString().replaceFirst("\\.zip$", "");
    String note =
        FleetClient.JSON.writeValueAsString(
            new UploadApi.Open(taskId, taskName, Digests.sha256Hex(zip), Files.size(zip)));
    AtomicFiles.writeString(zip.resolveSibling(name + ".json"), note);
  }

  /** Pending episodes (a note with its zip), oldest first. */
  List<Path> pending() throws IOException {
    List<Path> out = new ArrayList<>();
    try (Stream<Path> s = Files.list(dir)) {
      for (Path note :
          s.filter(
                  p ->
                      p.getFileName().toString().endsWith(".json")
                          && !p.getFileName().toString().startsWith("."))
              .sorted()
              .toList()) {
        if (Files.exists(zipOf(note))) out.add(note);
      }
    }
    return out;
  }

  /**
   * Sends one pending episode; returns the server's episode id (of the earlier copy for a
   * duplicate).
   */
  long send(FleetClient client, String robotId, Path note)
      throws IOException, InterruptedException {
    UploadApi.Open n = FleetClient.JSON.readValue(note.toFile(), UploadApi.Open.class);
    Path zip = zipOf(note);
    UploadApi.Opened open =
        client.post(ApiPaths.robot(robotId, "uploads"), n, UploadApi.Opened.class);
    if (open.status() == UploadStatus.DUPLICATE) {
      forget(note);
      return open.episodeId();
    }
    if (open.status()
        == UploadStatus
            .QUARANTINED) { // the server holds these bytes aside already: nothing to resend
      forget(note);
      throw new FleetClient.ApiError(
          422,
          "upload "
              + open.uploadId()
              + " of "
              + note.getFileName()
              + " is quarantined on the server");
    }
    String uid = open.uploadId();
    long size = n.sizeBytes(), offset = open.receivedBytes();
    byte[] chunk = new byte[CHUNK_BYTES];
    try (var ch = java.nio.channels.FileChannel.open(zip)) {
      while (offset < size) {
        int len = (int) Math.min(CHUNK_BYTES, size - offset);
        var buf = java.nio.ByteBuffer.wrap(chunk, 0, len);
        ch.position(offset);
        while (buf.hasRemaining())
          if (ch.read(buf) < 0) throw new IOException(zip + " is shorter than its note says");
        byte[] piece = len == CHUNK_BYTES ? chunk : java.util.Arrays.copyOf(chunk, len);
        offset =
            client
                .putBytes(
                    ApiPaths.upload(uid) + "?offset=" + offset, piece, UploadApi.Progress.class)
                .receivedBytes();
      }
    }
    Long episode;
    try {
      episode =
          client
              .post(ApiPaths.upload(uid, "complete"), null, UploadApi.Completed.class)
              .episodeId();
    } catch (FleetClient.ApiError e) {
      if (e.status == 422)
        forget(note); // quarantined: the server keeps the bytes aside, resending would not help
      throw e;
    }
    if (episode == null)
      throw new IOException(
          "the server kept " + note.getFileName() + " but named no episode; kept for a retry");
    forget(note);
    return episode;
  }

  private void forget(Path note) throws IOException {
    Files.deleteIfExists(zipOf(note));
    Files.deleteIfExists(note);
  }

  private static Path zipOf(Path note) {
    return note.resolveSibling(note.getFileName().toString().replaceFirst("\\.json$", ".zip"));
  }
}
