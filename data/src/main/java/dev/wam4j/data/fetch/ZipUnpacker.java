package dev.wam4j.data.fetch;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * Unpacks a downloaded zip into an empty folder, trusting nothing in it: every entry name must stay
 * inside the folder once normalised (zip slip), the entry count and the bytes written are capped
 * (zip bombs), and every file's CRC-32 and size are checked, because {@link ZipFile} itself checks
 * neither for stored entries and not the CRC for deflated ones.
 */
final class ZipUnpacker {
  /** Default cap on the bytes written: 16 GiB (PushT unpacks to well under 1 GiB). */
  static final long MAX_TOTAL_BYTES = 16L << 30;

  /** Default cap on the number of entries (PushT has a few thousand chunk files). */
  static final int MAX_ENTRIES = 100_000;

  private final long maxTotalBytes;
  private final int maxEntries;

  ZipUnpacker(long maxTotalBytes, int maxEntries) {
    this.maxTotalBytes = maxTotalBytes;
    this.maxEntries = maxEntries;
  }

  /**
   * Unpacks {@code zip} (downloaded from {@code url}) into {@code dir}, which must exist and be
   * empty.
   *
   * @throws FetchException naming the archive if it is not a valid zip, is corrupt, escapes {@code
   *     dir} or exceeds a cap; what was unpacked so far stays in {@code dir} for the caller to
   *     delete
   */
  void unpack(Path zip, String url, Path dir) throws IOException {
    Path root = dir.toAbsolutePath().normalize();
    String what = "archive " + zip + " (from " + url + ")";
    try (ZipFile zf = new ZipFile(zip.toFile())) {
      List<ZipEntry> entries = new ArrayList<>();
      Enumeration<? extends ZipEntry> e = zf.entries();
      while (e.hasMoreElements()) {
        ZipEntry entry = e.nextElement();
        if (entries.size() == maxEntries)
          throw new FetchException(
              what + " has more than " + maxEntries + " entries; refusing to unpack");
        target(root, entry, what); // every name is checked before a single file is written
        entries.add(entry);
      }
      long written = 0;
      for (ZipEntry entry : entries) {
        Path target = target(root, entry, what);
        if (entry.isDirectory()) {
          Files.createDirectories(target);
        } else {
          Files.createDirectories(target.getParent());
          written = copy(zf, entry, target, written, what);
        }
      }
    } catch (FetchException e) {
      throw e;
    } catch (IOException e) { // a bad zip, a truncated one, or entries that clash ("a" then "a/b")
      throw corrupt(what, e);
    }
  }

  private static Path target(Path root, ZipEntry entry, String what) throws FetchException {
    String name = entry.getName();
    Path target = root.resolve(name).normalize();
    if (name.isEmpty() || name.indexOf('\0') >= 0 || !target.startsWith(root)) {
      throw new FetchException(
          what
              + " has an entry '"
              + name
              + "' that would land outside the folder it unpacks into; refusing to unpack");
    }
    return target;
  }

  /**
   * Copies one file, checking its CRC-32, its declared size and the running total; returns the new
   * total.
   */
  private long copy(ZipFile zf, ZipEntry entry, Path target, long written, String what)
      throws IOException {
    CRC32 crc = new CRC32();
    long size = 0;
    byte[] buffer = new byte[1 << 16];
    try (InputStream in = zf.getInputStream(entry);
        OutputStream out =
            Files.newOutputStream(
                target, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      while (true) {
        int n;
        try {
          n = in.read(buffer);
        } catch (IOException e) {
          throw corrupt(
              what, e); // an inflater error or a truncated entry, not a local disk problem
        }
        if (n < 0) break;
        size += n;
        written += n;
        if (written > maxTotalBytes) {
          throw new FetchException(
              what
                  + " unpacks to more than "
                  + maxTotalBytes
                  + " bytes; refusing to unpack further");
        }
        crc.update(buffer, 0, n);
        out.write(buffer, 0, n);
      }
    } catch (FileAlreadyExistsException e) {
      throw new FetchException(
          what + " holds '" + entry.getName() + "' twice; refusing to unpack", e);
    }
    if ((entry.getSize() >= 0 && size != entry.getSize())
        || (entry.getCrc() >= 0 && crc.getValue() != entry.getCrc())) {
      throw corrupt(
          what,
          new ZipException(
              "entry '"
                  + entry.getName()
                  + "': "
                  + size
                  + " bytes with CRC-32 "
                  + Long.toHexString(crc.getValue())
                  + ", the archive lists "
                  + entry.getSize()
                  + " bytes with "
                  + Long.toHexString(entry.getCrc())));
    }
    return written;
  }

  private static FetchException corrupt(String what, IOException e) {
    String detail = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    if (e instanceof FetchException f) return f;
    return new FetchException(
        what
            + " is not a valid zip or is corrupt ("
            + detail
            + "); deleted it, rerun to download again",
        e);
  }
}
