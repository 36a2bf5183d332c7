package dev.wam4j.fleet.server;

import dev.wam4j.fleet.store.FleetStore;
import dev.wam4j.fleet.store.Records;
import dev.wam4j.model.wam.WamCheckpoint;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.SQLException;
import java.util.HexFormat;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * The model registry's files: {@code models/<name>/<sha256>.zip} (what robots download) and the
 * checkpoint unpacked beside it, checked to be a world action model checkpoint before it is registered.
 */
final class ModelFiles {
  private final FleetStore store;
  private final Path root;

  ModelFiles(FleetStore store, Path dataDir) throws IOException {
    this.store = store;
    this.root = Files.createDirectories(dataDir.resolve("models"));
  }

  synchronized Records.Model add(String name, byte[] zip) throws IOException, SQLException {
    if (zip.length == 0) throw new ApiException(400, "empty body; send the checkpoint directory as a zip");
    String sha;
    try {
      sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(zip));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    Path dir = Files.createDirectories(root.resolve(name)), unpacked = dir.resolve(sha), archive = dir.resolve(sha + ".zip");
    if (!Files.isDirectory(unpacked)) {
      Path tmp = Files.createTempDirectory(dir, "." + sha);
      try {
        try (ZipInputStream in = new ZipInputStream(new java.io.ByteArrayInputStream(zip))) {
          for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
            Path out = tmp.resolve(e.getName()).normalize();
            if (!out.startsWith(tmp)) throw new ApiException(400, "archive entry '" + e.getName() + "' points outside the model");
            if (e.isDirectory()) Files.createDirectories(out);
            else {
              Files.createDirectories(out.getParent());
              Files.copy(in, out);
            }
          }
        }
        try {
          WamCheckpoint.readMeta(WamCheckpoint.resolve(tmp));
        } catch (IOException | RuntimeException e) {
          throw new ApiException(400, "not a world action model checkpoint: " + e.getMessage());
        }
        Files.move(tmp, unpacked, StandardCopyOption.ATOMIC_MOVE);
      } finally {
        EpisodeFiles.deleteTree(tmp);
      }
    }
    if (!Files.exists(archive)) {
      Path tmp = dir.resolve("." + sha + ".zip.part");
      Files.write(tmp, zip);
      Files.move(tmp, archive, StandardCopyOption.ATOMIC_MOVE);
    }
    Path card = WamCheckpoint.resolve(unpacked).resolve("MODEL_CARD.md");
    return store.addModel(name, sha, unpacked.toAbsolutePath().toString(), Files.isRegularFile(card) ? Files.readString(card) : null);
  }

  Path archive(Records.Model m) {
    return root.resolve(m.name()).resolve(m.sha256() + ".zip");
  }
}
