package dev.wam4j.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Folder trees: their size, and deleting the temporary and stale folders that atomic writers and
 * the fetcher leave behind.
 */
public final class FileTrees {
  private FileTrees() {}

  /** Deletes {@code root} and everything under it; nothing happens if it does not exist. */
  public static void delete(Path root) throws IOException {
    if (!Files.exists(root, java.nio.file.LinkOption.NOFOLLOW_LINKS)) return;
    List<Path> paths;
    try (Stream<Path> walk = Files.walk(root)) {
      paths = walk.sorted(Comparator.reverseOrder()).toList();
    } catch (
        java.io.UncheckedIOException
            e) { // a folder that could not be listed, reported as what it is
      throw e.getCause();
    }
    for (Path p : paths) Files.deleteIfExists(p);
  }

  /** Bytes in the regular files under {@code root} (or of {@code root} itself, a file). */
  public static long sizeBytes(Path root) throws IOException {
    try (Stream<Path> walk = Files.walk(root)) {
      return walk.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
    }
  }

  /** {@link #delete}, for cleanup after an error: a failure here must not hide the first one. */
  public static void deleteQuietly(Path root, Throwable primary) {
    try {
      delete(root);
    } catch (IOException e) {
      if (primary != null) primary.addSuppressed(e);
    }
  }
}
