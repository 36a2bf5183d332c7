package dev.wam4j.data;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * Folders as zip archives, both ways, the one way wam4j packs a dataset or a checkpoint for the
 * fleet and unpacks it: entries named relative to the folder with {@code /}, in sorted order (the
 * same folder gives the same archive); and unpacking that refuses entries outside the target folder
 * and archives past a size or entry limit (zip bombs).
 */
public final class Zips {
  private Zips() {}

  /**
   * An archive refused while unpacking: an entry outside the folder, too many entries or too many
   * bytes.
   */
  public static final class RefusedArchiveException extends IOException {
    RefusedArchiveException(String message) {
      super(message);
    }
  }

  /**
   * Writes every regular file under {@code dir} into a zip on {@code out} (which it finishes, not
   * closes), in path order with fixed entry times: the same tree always gives the same bytes.
   */
  public static void zipTree(Path dir, OutputStream out) throws IOException {
    ZipOutputStream zip = new ZipOutputStream(out);
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.filter(Files::isRegularFile).sorted().toList()) {
        ZipEntry e = new ZipEntry(dir.relativize(p).toString().replace('\\', '/'));
        e.setTime(DOS_EPOCH_MS); // fixed times: the same tree zips to the same bytes (and digest)
        zip.putNextEntry(e);
        Files.copy(p, zip);
        zip.closeEntry();
      }
    }
    zip.finish();
  }

  /** 1980-01-02 00:00 UTC: a day after the earliest time a zip entry holds, in every time zone. */
  private static final long DOS_EPOCH_MS = 315_619_200_000L;

  /** {@link #zipTree(Path, OutputStream)} into memory. */
  public static byte[] zipTree(Path dir) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    zipTree(dir, bytes);
    return bytes.toByteArray();
  }

  /**
   * Unpacks a zip stream into {@code dir} (created files must not exist yet).
   *
   * @throws RefusedArchiveException naming the entry or the limit, before writing past it
   * @throws java.util.zip.ZipException when the stream is not a zip archive
   */
  public static void unzip(InputStream archive, Path dir, long maxBytes, int maxEntries)
      throws IOException {
    Path root = dir.toAbsolutePath().normalize();
    long total = 0;
    int entries = 0;
    byte[] buf = new byte[1 << 16];
    try (ZipInputStream in = new ZipInputStream(archive)) {
      for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
        Path out = root.resolve(e.getName()).normalize();
        if (!out.startsWith(root) || out.equals(root))
          throw new RefusedArchiveException(
              "archive entry '" + e.getName() + "' points outside its folder");
        if (++entries > maxEntries)
          throw new RefusedArchiveException("archive holds more than " + maxEntries + " entries");
        if (e.isDirectory()) {
          Files.createDirectories(out);
          continue;
        }
        Files.createDirectories(out.getParent());
        try (OutputStream os = Files.newOutputStream(out, StandardOpenOption.CREATE_NEW)) {
          for (int n = in.read(buf); n > 0; n = in.read(buf)) {
            total += n;
            if (total > maxBytes)
              throw new RefusedArchiveException(
                  "archive unpacks to more than " + maxBytes + " bytes");
            os.write(buf, 0, n);
          }
        }
      }
    }
  }
}
