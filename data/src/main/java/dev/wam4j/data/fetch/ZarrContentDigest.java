package dev.wam4j.data.fetch;

import dev.wam4j.data.zarr.ZarrArray;
import dev.wam4j.data.zarr.ZarrFormatException;
import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A SHA-256 of the <em>decoded</em> content of a zarr v2 group: the same numbers give the same
 * digest however the chunks are compressed or cut, so a store re-packed by another zarr version
 * still verifies, while any changed value, dtype, shape or array name changes it.
 *
 * <p>Definition: for every array (a folder holding {@code .zarray}) under the root, in sorted order
 * of its relative path with '/' separators, the UTF-8 bytes of {@code relativePath + "|" + dtype +
 * "|" + shape joined with "x" + "\n"} (dtype as the reader spells it, e.g. {@code <f4}, {@code
 * |u1}), then every element in C order as little-endian bytes of its dtype (floats by their raw
 * IEEE bits, so NaN payloads count). Missing chunks count as their {@code fill_value}, as every
 * reader sees them.
 */
public final class ZarrContentDigest {
  // Elements decoded per read: big enough to amortise a read call, small enough that memory stays
  // at a few tens of MB even for the 2.8 GB (decoded) PushT image array.
  private static final int TARGET_ELEMENTS = 4 << 20;
  // A read aligned to whole chunks along the first axis decodes each chunk once; allowed up to this
  // many elements (PushT's image chunks are 161x96x96x3 = 4.5 M).
  private static final int MAX_ALIGNED_ELEMENTS = 8 << 20;
  private static final VarHandle LE_INT =
      MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
  private static final VarHandle LE_LONG =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  private ZarrContentDigest() {}

  /**
   * The content digest of the zarr group (or single array) at {@code zarrRoot}, lower-case hex.
   *
   * @throws IllegalArgumentException naming the array if one has a dtype, compressor or layout the
   *     reader does not support
   * @throws ZarrFormatException if there is no array under {@code zarrRoot} or a chunk is corrupt
   */
  public static String sha256(Path zarrRoot) throws IOException {
    MessageDigest sha = newSha256();
    List<String> arrays = arrays(zarrRoot);
    if (arrays.isEmpty())
      throw new ZarrFormatException(zarrRoot, "no zarr array (no .zarray) under this folder");
    byte[] buffer = new byte[0];
    for (String rel : arrays) {
      ZarrArray array = open(zarrRoot, rel);
      String shape =
          Arrays.stream(array.shape()).mapToObj(Integer::toString).collect(Collectors.joining("x"));
      sha.update(
          (rel + "|" + array.dtype().code() + "|" + shape + "\n").getBytes(StandardCharsets.UTF_8));
      buffer = digestElements(array, sha, buffer);
    }
    return HexFormat.of().formatHex(sha.digest());
  }

  /** Relative paths ('/'-separated, sorted) of the folders holding a {@code .zarray}. */
  private static List<String> arrays(Path root) throws IOException {
    List<String> out = new ArrayList<>();
    try (Stream<Path> files = Files.walk(root)) {
      for (Path p : (Iterable<Path>) files::iterator) {
        if (!p.getFileName().toString().equals(".zarray") || !Files.isRegularFile(p)) continue;
        Path rel = root.relativize(p.getParent());
        List<String> parts = new ArrayList<>();
        rel.forEach(part -> parts.add(part.toString()));
        out.add(String.join("/", parts));
      }
    }
    out.sort(null);
    return out;
  }

  private static ZarrArray open(Path root, String rel) throws IOException {
    try {
      return ZarrArray.open(rel.isEmpty() ? root : root.resolve(rel));
    } catch (ZarrFormatException e) {
      // The reader names the .zarray and what it cannot handle (dtype, compressor, order, filters).
      throw new IllegalArgumentException(
          "zarr array '" + rel + "' cannot be digested: " + e.getMessage(), e);
    }
  }

  /** Feeds every element of {@code array}; returns the (possibly grown) byte buffer for reuse. */
  private static byte[] digestElements(ZarrArray array, MessageDigest sha, byte[] buffer)
      throws IOException {
    int rowSize = array.rowSize();
    if (rowSize == 0 || array.rows() == 0) return buffer;
    int item = array.dtype().itemSize();
    int blockRows = blockRows(array.chunks()[0], rowSize);
    long maxBytes = (long) blockRows * rowSize * item;
    if (maxBytes > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException(
          "zarr array '"
              + array.path()
              + "': one row of "
              + rowSize
              + " elements is too large to digest");
    }
    if (buffer.length < maxBytes) buffer = new byte[(int) maxBytes];
    float[] floats = null;
    for (int start = 0; start < array.rows(); start += blockRows) {
      int count = Math.min(blockRows, array.rows() - start);
      int n = count * rowSize;
      switch (array.dtype()) {
        case FLOAT32 -> {
          if (floats == null) floats = new float[blockRows * rowSize];
          array.readFloats(start, count, floats, 0);
          for (int i = 0; i < n; i++) LE_INT.set(buffer, i * 4, Float.floatToRawIntBits(floats[i]));
        }
        case FLOAT64 -> {
          double[] d = array.readDoubles(start, count);
          for (int i = 0; i < n; i++) LE_LONG.set(buffer, i * 8, Double.doubleToRawLongBits(d[i]));
        }
        case INT64 -> {
          long[] v = array.readLongs(start, count);
          for (int i = 0; i < n; i++) LE_LONG.set(buffer, i * 8, v[i]);
        }
        case INT32 -> {
          long[] v = array.readLongs(start, count);
          for (int i = 0; i < n; i++) LE_INT.set(buffer, i * 4, (int) v[i]);
        }
        case UINT8, BOOL -> {
          long[] v = array.readLongs(start, count);
          for (int i = 0; i < n; i++) buffer[i] = (byte) v[i];
        }
        // A dtype added to the reader later must be given its byte layout here before it counts.
        default ->
            throw new IllegalArgumentException(
                "zarr array '"
                    + array.path()
                    + "': dtype "
                    + array.dtype().code()
                    + " has no byte layout in the content digest");
      }
      sha.update(buffer, 0, n * item);
    }
    return buffer;
  }

  /** Rows per read: whole first-axis chunks when they fit, so no chunk is decoded twice. */
  static int blockRows(int chunkRows, int rowSize) {
    long perChunk = (long) chunkRows * rowSize;
    if (perChunk <= MAX_ALIGNED_ELEMENTS) {
      return (int) (chunkRows * Math.max(1, TARGET_ELEMENTS / perChunk));
    }
    return Math.max(1, TARGET_ELEMENTS / rowSize);
  }

  private static MessageDigest newSha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }
}
