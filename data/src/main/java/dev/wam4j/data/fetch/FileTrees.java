package dev.wam4j.data.fetch;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/** Deleting folder trees: temp and stale folders of a fetch. */
final class FileTrees {
  private FileTrees() {}

  /** Deletes {@code root} and everything under it; nothing happens if it does not exist. */
  static void delete(Path root) throws IOException {
    if (!Files.exists(root, java.nio.file.LinkOption.NOFOLLOW_LINKS)) return;
    List<Path> paths;
    try (Stream<Path> walk = Files.walk(root)) {
      paths = walk.sorted(Comparator.reverseOrder()).toList();
    }
    for (Path p : paths) Files.deleteIfExists(p);
  }

  /** {@link #delete}, for cleanup after an error: a failure here must not hide the first one. */
  static void deleteQuietly(Path root, Throwable primary) {
    try {
      delete(root);
    } catch (IOException e) {
      if (primary != null) primary.addSuppressed(e);
    }
  }
}
