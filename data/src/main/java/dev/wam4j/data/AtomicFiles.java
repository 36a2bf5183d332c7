package dev.wam4j.data;

import java.awt.image.RenderedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import javax.imageio.ImageIO;

/**
 * Files and folders published whole or not at all: written under a hidden, uniquely named sibling,
 * then renamed into place, so a killed process leaves the old version or the new one, never half of
 * one (and a reader never sees a file being written). The one place wam4j does this; stateless and
 * thread-safe.
 */
public final class AtomicFiles {
  private AtomicFiles() {}

  /**
   * Writes the content of a file at the path it is given (a hidden temporary sibling of the
   * target).
   */
  @FunctionalInterface
  public interface Content {
    void writeTo(Path temp) throws IOException;
  }

  /** Writes {@code text} (UTF-8) and renames it over {@code file}. */
  public static void writeString(Path file, String text) throws IOException {
    write(file, text.getBytes(StandardCharsets.UTF_8));
  }

  /** Writes {@code bytes} and renames them over {@code file}. */
  public static void write(Path file, byte[] bytes) throws IOException {
    write(file, temp -> Files.write(temp, bytes));
  }

  /**
   * Writes {@code text} (UTF-8) readable by its owner only (a secret), then renames it over {@code
   * file}.
   */
  public static void writeSecret(Path file, String text) throws IOException {
    write(file, temp -> Files.writeString(temp, text, StandardCharsets.UTF_8), "rw-------");
  }

  /** Writes {@code image} as a PNG file. */
  public static void writePng(Path file, RenderedImage image) throws IOException {
    write(
        file,
        temp -> { // into the stream: ImageIO would recreate a File it is given, losing its mode
          try (OutputStream out = Files.newOutputStream(temp)) {
            if (!ImageIO.write(image, "png", out))
              throw new IOException("no PNG writer available for " + file);
          }
        });
  }

  /**
   * Lets {@code content} write a temporary sibling of {@code file} (parents created), forces it to
   * disk, then renames it over {@code file}. The file is readable by all ({@code rw-r--r--}), as
   * outputs are.
   */
  public static void write(Path file, Content content) throws IOException {
    write(file, content, "rw-r--r--");
  }

  private static void write(Path file, Content content, String mode) throws IOException {
    Path target = file.toAbsolutePath();
    Path dir = Files.createDirectories(target.getParent());
    // createTempFile alone makes the file owner-only, and the rename would keep that
    boolean posix = dir.getFileSystem().supportedFileAttributeViews().contains("posix");
    Path temp =
        posix
            ? Files.createTempFile(
                dir,
                "." + target.getFileName(),
                ".part",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(mode)))
            : Files.createTempFile(dir, "." + target.getFileName(), ".part");
    try {
      content.writeTo(temp);
      try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.WRITE)) {
        ch.force(true); // on disk before it replaces the old version
      }
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(
          temp); // gone already after the rename; a failed write leaves nothing behind
    }
  }

  /**
   * A new, uniquely named folder {@code parent/prefix<random>}, to be filled and then {@linkplain
   * #publishDirectory published}.
   */
  public static Path hiddenDirectory(Path parent, String prefix) throws IOException {
    Files.createDirectories(parent);
    for (int attempt = 0; ; attempt++) {
      Path dir =
          parent.resolve(
              prefix + Long.toUnsignedString(ThreadLocalRandom.current().nextLong(), 36));
      try {
        return Files.createDirectory(dir);
      } catch (FileAlreadyExistsException e) {
        if (attempt >= 100)
          throw new IOException(
              "cannot create a working folder " + prefix + "* under " + parent, e);
      }
    }
  }

  /**
   * Moves the filled folder {@code temp} to {@code target} (same file system); an existing {@code
   * target} is moved aside first, then deleted, so the target path always holds a complete version.
   */
  public static void publishDirectory(Path temp, Path target) throws IOException {
    if (!Files.exists(target)) {
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
      return;
    }
    Path old =
        hiddenDirectory(target.toAbsolutePath().getParent(), "." + target.getFileName() + ".old-");
    Files.delete(old); // only reserved a unique name
    Files.move(target, old, StandardCopyOption.ATOMIC_MOVE);
    Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
    FileTrees.delete(old);
  }

  /**
   * Finishes what a {@link #publishDirectory} killed half-way left behind, before {@code target} is
   * read or written again. Killed between its two renames, the target is missing and the complete
   * previous version waits under {@code .NAME.old-*}: it is moved back. Killed after them, the
   * target is complete and a leftover {@code .old-*} is deleted.
   *
   * @return true when a previous version was moved back
   */
  public static boolean recoverDirectory(Path target) throws IOException {
    Path abs = target.toAbsolutePath();
    Path parent = abs.getParent();
    if (parent == null || !Files.isDirectory(parent)) return false;
    String prefix = "." + abs.getFileName() + ".old-";
    List<Path> olds = new ArrayList<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(parent, prefix + "*")) {
      for (Path p : ds) if (Files.isDirectory(p)) olds.add(p);
    }
    if (olds.isEmpty()) return false;
    // newest first: only one can be left by a single kill, but choose deterministically
    olds.sort(
        Comparator.comparing(
                (Path p) -> {
                  try {
                    return Files.getLastModifiedTime(p);
                  } catch (IOException e) {
                    return FileTime.fromMillis(0);
                  }
                })
            .reversed());
    boolean restored = false;
    if (!Files.exists(abs)) {
      Files.move(olds.remove(0), abs, StandardCopyOption.ATOMIC_MOVE);
      restored = true;
    }
    for (Path p : olds) FileTrees.delete(p);
    return restored;
  }
}
