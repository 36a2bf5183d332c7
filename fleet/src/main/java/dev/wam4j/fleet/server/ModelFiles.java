package dev.wam4j.fleet.server;

import dev.wam4j.data.AtomicFiles;
import dev.wam4j.data.Digests;
import dev.wam4j.data.FileTrees;
import dev.wam4j.fleet.store.FleetStore;
import dev.wam4j.fleet.store.Records;
import dev.wam4j.model.wam.WamCheckpoint;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.SQLException;

/**
 * The model registry's files: {@code models/<name>/<sha256>.zip} (what robots download) and the
 * checkpoint unpacked beside it, checked to be a world action model checkpoint before it is
 * registered.
 */
final class ModelFiles {
  private final FleetStore store;
  private final Path root;

  ModelFiles(FleetStore store, Path dataDir) throws IOException {
    this.store = store;
    this.root = Files.createDirectories(dataDir.toAbsolutePath().normalize().resolve("models"));
  }

  synchronized Records.Model add(String name, byte[] zip) throws IOException, SQLException {
    if (zip.length == 0)
      throw new ApiException(400, "empty body; send the checkpoint directory as a zip");
    String sha = Digests.sha256Hex(zip);
    Path dir = Files.createDirectories(root.resolve(name)),
        unpacked = dir.resolve(sha),
        archive = dir.resolve(sha + ".zip");
    if (!Files.isDirectory(unpacked)) {
      Path tmp = Files.createTempDirectory(dir, "." + sha);
      try {
        // a name of its own: another server sharing the data folder may be adding the same model
        Path archiveTmp = Files.createTempFile(dir, "." + sha, ".upload");
        Files.write(archiveTmp, zip);
        try {
          EpisodeFiles.unzip(archiveTmp, tmp);
        } catch (IOException | RuntimeException e) {
          if (e instanceof ApiException a) throw a;
          throw new ApiException(400, "cannot unpack the model archive: " + e);
        } finally {
          Files.deleteIfExists(archiveTmp);
        }
        try {
          WamCheckpoint.readMeta(WamCheckpoint.resolve(tmp));
        } catch (IOException | RuntimeException e) {
          throw new ApiException(400, "not a world action model checkpoint: " + e.getMessage());
        }
        Files.move(tmp, unpacked, StandardCopyOption.ATOMIC_MOVE);
      } catch (IOException | RuntimeException e) {
        FileTrees.deleteQuietly(
            tmp, e); // a failing clean-up must not hide why the model was refused
        throw e;
      }
    }
    if (!Files.exists(archive)) {
      AtomicFiles.write(archive, zip);
    }
    Path card = WamCheckpoint.resolve(unpacked).resolve("MODEL_CARD.md");
    return store
        .models()
        .add(
            name,
            sha,
            unpacked.toAbsolutePath().toString(),
            Files.isRegularFile(card) ? Files.readString(card) : null);
  }

  Path archive(Records.Model m) {
    return root.resolve(m.name()).resolve(m.sha256() + ".zip");
  }
}
