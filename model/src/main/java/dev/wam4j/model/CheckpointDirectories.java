package dev.wam4j.model;

import dev.wam4j.data.FileTrees;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.ThreadLocalRandom;

/**
 * How checkpoints are published atomically: written into a hidden sibling directory, then renamed
 * into place. Shared by every kind of checkpoint. Stateless and thread-safe.
 */
public final class CheckpointDirectories {
  private CheckpointDirectories() {}

  /** A new, uniquely named directory {@code parent/prefix<random>}. */
  public static Path hiddenSibling(Path parent, String prefix) throws IOException {
    for (int attempt = 0; ; attempt++) {
      Path dir = parent.resolve(prefix + Long.toUnsignedString(ThreadLocalRandom.current().nextLong(), 36));
      try {
        return Files.createDirectory(dir);
      } catch (FileAlreadyExistsException e) {
        if (attempt >= 100) throw new IOException("cannot create a working directory " + prefix + "* under " + parent, e);
      }
    }
  }

  /** Moves {@code temp} to {@code target}; an existing {@code target} is moved aside first, then deleted. */
  public static void publish(Path temp, Path target) throws IOException {
    if (!Files.exists(target)) {
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
      return;
    }
    Path old = hiddenSibling(target.getParent(), "." + target.getFileName() + ".old-");
    Files.delete(old); // only reserved a unique name
    Files.move(target, old, StandardCopyOption.ATOMIC_MOVE);
    Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
    FileTrees.delete(old);
  }

}
