package dev.wam4j.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/**
 * A content hash of a data set folder, so a model card can say exactly which data trained it
 * without naming a machine's paths: SHA-256 over every regular file, in sorted relative-path order
 * ('/' separators), of its relative path, its size and its bytes. Metadata files such as zarr's
 * {@code .zarray} count; only the leftovers of writers and downloaders do not (hidden names with
 * {@code .partial-}, {@code .part}, {@code .tmp} or {@code .lock}, and {@code .download/}).
 */
public final class DatasetDigest {
  private DatasetDigest() {}

  /** The digest as lower-case hex; throws naming the folder if it is not one. */
  public static String sha256(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) throw new IOException("not a data set folder: " + dir);
    MessageDigest sha;
    try {
      sha = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    List<Path> files;
    try (Stream<Path> s = Files.walk(dir)) {
      files =
          s.filter(Files::isRegularFile)
              .filter(p -> !hidden(dir.relativize(p)))
              .sorted((a, b) -> relative(dir, a).compareTo(relative(dir, b)))
              .toList();
    }
    byte[] buffer = new byte[1 << 16];
    for (Path f : files) {
      sha.update((relative(dir, f) + "\n" + Files.size(f) + "\n").getBytes(StandardCharsets.UTF_8));
      try (InputStream in = Files.newInputStream(f)) {
        for (int n; (n = in.read(buffer)) > 0; ) sha.update(buffer, 0, n);
      }
    }
    return HexFormat.of().formatHex(sha.digest());
  }

  private static String relative(Path dir, Path file) {
    return dir.relativize(file).toString().replace(java.io.File.separatorChar, '/');
  }

  private static boolean hidden(Path relative) {
    for (Path part : relative) {
      String n = part.toString();
      if (n.startsWith(".")
          && (n.contains(".partial-")
              || n.endsWith(".part")
              || n.endsWith(".tmp")
              || n.endsWith(".lock")
              || n.equals(".download"))) {
        return true;
      }
    }
    return false;
  }
}
