package dev.wam4j.data.zarr;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * One zarr v2 array on disk, read in row ranges along its first axis (the time axis of a replay
 * buffer) into flat C-order primitive arrays.
 *
 * <p>Reads convert from the stored dtype to the requested Java type ({@code float}, {@code double}
 * or {@code long}; booleans read as 0 or 1). Missing chunk files read as {@code fill_value}.
 *
 * <p>Not thread-safe: an instance reuses its chunk buffers between reads; open one per thread.
 */
public final class ZarrArray {
  private static final ObjectMapper JSON = new ObjectMapper();

  private enum Compressor {
    NONE,
    BLOSC,
    ZSTD
  }

  private enum Target {
    FLOAT,
    DOUBLE,
    LONG
  }

  private final Path dir;
  private final int[] shape;
  private final int[] chunks;
  private final ZarrDtype dtype;
  private final double fillValue;
  private final Compressor compressor;
  private final String separator;
  private final int rowSize;
  private final int chunkElements;
  private final BloscDecoder blosc = new BloscDecoder();
  private byte[] raw = new byte[0];
  private byte[] chunk = new byte[0];

  private ZarrArray(
      Path dir,
      int[] shape,
      int[] chunks,
      ZarrDtype dtype,
      double fillValue,
      Compressor compressor,
      String separator) {
    this.dir = dir;
    this.shape = shape;
    this.chunks = chunks;
    this.dtype = dtype;
    this.fillValue = fillValue;
    this.compressor = compressor;
    this.separator = separator;
    long row = 1;
    for (int i = 1; i < shape.length; i++) row *= shape[i];
    long ce = 1;
    for (int c : chunks) ce *= c;
    this.rowSize = (int) row;
    this.chunkElements = (int) ce;
  }

  /**
   * Opens the array stored in directory {@code dir} by reading its {@code .zarray}.
   *
   * @throws ZarrFormatException naming the {@code .zarray} if it is missing, not JSON, or asks for
   *     something this reader does not support
   */
  public static ZarrArray open(Path dir) throws IOException {
    Path meta = dir.resolve(".zarray");
    JsonNode root;
    try {
      root = JSON.readTree(Files.readAllBytes(meta));
    } catch (NoSuchFileException e) {
      throw new ZarrFormatException(meta, "missing: " + dir + " is not a zarr v2 array", e);
    } catch (JacksonException e) {
      throw new ZarrFormatException(meta, "not valid JSON: " + e.getOriginalMessage(), e);
    }
    if (root == null || !root.isObject()) throw new ZarrFormatException(meta, "not a JSON object");
    int format = root.path("zarr_format").asInt(-1);
    if (format != 2)
      throw new ZarrFormatException(
          meta, "zarr_format " + root.path("zarr_format") + ", expected 2");
    int[] shape = intList(meta, root, "shape");
    int[] chunks = intList(meta, root, "chunks");
    if (chunks.length != shape.length) {
      throw new ZarrFormatException(
          meta,
          "chunks "
              + Arrays.toString(chunks)
              + " and shape "
              + Arrays.toString(shape)
              + " differ in rank");
    }
    long rowSize = 1;
    long chunkElems = 1;
    for (int i = 0; i < shape.length; i++) {
      if (chunks[i] <= 0) throw new ZarrFormatException(meta, "chunks[" + i + "] = " + chunks[i]);
      if (i > 0) rowSize *= shape[i];
      chunkElems *= chunks[i];
    }
    String dtypeCode = root.path("dtype").asText("");
    ZarrDtype dtype = ZarrDtype.ofCode(dtypeCode);
    if (dtype == null) {
      throw new ZarrFormatException(
          meta, "unsupported dtype '" + dtypeCode + "' (supported: <f4 <f8 <i8 <i4 |u1 |b1)");
    }
    if (chunkElems * dtype.itemSize() > Integer.MAX_VALUE - 64 || rowSize > Integer.MAX_VALUE) {
      throw new ZarrFormatException(
          meta, "chunks " + Arrays.toString(chunks) + " too large for one Java array");
    }
    String order = root.path("order").asText("C");
    if (!order.equals("C"))
      throw new ZarrFormatException(meta, "unsupported order '" + order + "' (only C)");
    JsonNode filters = root.get("filters");
    if (filters != null && !filters.isNull() && !(filters.isArray() && filters.isEmpty())) {
      throw new ZarrFormatException(meta, "unsupported filters " + filters);
    }
    Compressor compressor;
    JsonNode comp = root.get("compressor");
    if (comp == null || comp.isNull()) {
      compressor = Compressor.NONE;
    } else {
      String id = comp.path("id").asText("");
      compressor =
          switch (id) {
            case "blosc" -> {
              String cname = comp.path("cname").asText("");
              if (!cname.equals("zstd") && !cname.equals("lz4")) {
                throw new ZarrFormatException(
                    meta, "unsupported blosc cname '" + cname + "' (supported: zstd, lz4)");
              }
              yield Compressor.BLOSC;
            }
            case "zstd" -> Compressor.ZSTD;
            default ->
                throw new ZarrFormatException(
                    meta, "unsupported compressor id '" + id + "' (supported: blosc, zstd, none)");
          };
    }
    String separator = root.path("dimension_separator").asText(".");
    if (!separator.equals(".") && !separator.equals("/")) {
      throw new ZarrFormatException(meta, "unsupported dimension_separator '" + separator + "'");
    }
    double fill = fillValue(meta, root.get("fill_value"));
    return new ZarrArray(dir, shape, chunks, dtype, fill, compressor, separator);
  }

  private static int[] intList(Path meta, JsonNode root, String field) throws ZarrFormatException {
    JsonNode n = root.get(field);
    if (n == null || !n.isArray())
      throw new ZarrFormatException(meta, "field '" + field + "' missing or not a list");
    int[] out = new int[n.size()];
    for (int i = 0; i < out.length; i++) {
      JsonNode v = n.get(i);
      if (!v.canConvertToInt() || v.asInt() < 0)
        throw new ZarrFormatException(
            meta, "field '" + field + "'[" + i + "] = " + v + " is not a size");
      out[i] = v.asInt();
    }
    if (out.length == 0)
      throw new ZarrFormatException(
          meta, "field '" + field + "' is empty (0-d arrays are not supported)");
    return out;
  }

  private static double fillValue(Path meta, JsonNode n) throws ZarrFormatException {
    if (n == null || n.isNull()) return 0;
    if (n.isNumber()) return n.asDouble();
    if (n.isBoolean()) return n.asBoolean() ? 1 : 0;
    return switch (n.asText()) {
      case "NaN" -> Double.NaN;
      case "Infinity" -> Double.POSITIVE_INFINITY;
      case "-Infinity" -> Double.NEGATIVE_INFINITY;
      default -> throw new ZarrFormatException(meta, "unsupported fill_value " + n);
    };
  }

  /** The array's directory. */
  public Path path() {
    return dir;
  }

  /** The shape, first axis first (a copy). */
  public int[] shape() {
    return shape.clone();
  }

  /** The chunk shape (a copy). */
  public int[] chunks() {
    return chunks.clone();
  }

  /** The stored element type. */
  public ZarrDtype dtype() {
    return dtype;
  }

  /** Length of the first axis. */
  public int rows() {
    return shape[0];
  }

  /** Elements per row: the product of all but the first dimension. */
  public int rowSize() {
    return rowSize;
  }

  /** Reads every element as float. */
  public float[] readFloats() throws IOException {
    return readFloats(0, rows());
  }

  /** Reads rows {@code [start, start+count)} as float, C order. */
  public float[] readFloats(int start, int count) throws IOException {
    float[] out = new float[checkedLength(start, count)];
    read(start, count, Target.FLOAT, out, 0);
    return out;
  }

  /** Reads rows {@code [start, start+count)} as float into {@code dst} from {@code offset}. */
  public void readFloats(int start, int count, float[] dst, int offset) throws IOException {
    checkDst(start, count, dst.length, offset);
    read(start, count, Target.FLOAT, dst, offset);
  }

  /** Reads every element as double. */
  public double[] readDoubles() throws IOException {
    return readDoubles(0, rows());
  }

  /** Reads rows {@code [start, start+count)} as double, C order. */
  public double[] readDoubles(int start, int count) throws IOException {
    double[] out = new double[checkedLength(start, count)];
    read(start, count, Target.DOUBLE, out, 0);
    return out;
  }

  /** Reads every element as long (floats are truncated towards zero). */
  public long[] readLongs() throws IOException {
    return readLongs(0, rows());
  }

  /** Reads rows {@code [start, start+count)} as long, C order. */
  public long[] readLongs(int start, int count) throws IOException {
    long[] out = new long[checkedLength(start, count)];
    read(start, count, Target.LONG, out, 0);
    return out;
  }

  private int checkedLength(int start, int count) {
    checkRange(start, count);
    long n = (long) count * rowSize;
    if (n > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException(
          dir
              + ": "
              + count
              + " rows of "
              + rowSize
              + " elements do not fit in one Java array; read fewer rows");
    }
    return (int) n;
  }

  private void checkDst(int start, int count, int length, int offset) {
    int n = checkedLength(start, count);
    if (offset < 0 || offset > length - n) {
      throw new IllegalArgumentException(
          "destination of length "
              + length
              + " cannot take "
              + n
              + " elements at offset "
              + offset);
    }
  }

  private void checkRange(int start, int count) {
    if (start < 0 || count < 0 || start > shape[0] - count) {
      throw new IndexOutOfBoundsException(
          dir + ": rows [" + start + ", " + (start + count) + ") outside [0, " + shape[0] + ")");
    }
  }

  /** Copies rows [start, start+count) into dst (a float[], double[] or long[]) from offset. */
  private void read(int start, int count, Target target, Object dst, int offset)
      throws IOException {
    if (count == 0) return;
    int rank = shape.length;
    int[] grid = new int[rank];
    for (int d = 0; d < rank; d++) grid[d] = (shape[d] + chunks[d] - 1) / chunks[d];
    int firstChunk = start / chunks[0];
    int lastChunk = (start + count - 1) / chunks[0];
    int[] idx = new int[rank];
    int[] lo = new int[rank];
    int[] hi = new int[rank];
    int[] pos = new int[rank];
    // output strides: the output block has shape [count, shape[1..]]
    long[] outStride = new long[rank];
    long[] chunkStride = new long[rank];
    outStride[rank - 1] = 1;
    chunkStride[rank - 1] = 1;
    for (int d = rank - 2; d >= 0; d--) {
      outStride[d] = outStride[d + 1] * shape[d + 1];
      chunkStride[d] = chunkStride[d + 1] * chunks[d + 1];
    }
    for (int c0 = firstChunk; c0 <= lastChunk; c0++) {
      Arrays.fill(idx, 0);
      idx[0] = c0;
      while (true) {
        boolean present = loadChunk(idx);
        // region of this chunk inside the requested block, in chunk-local coordinates
        for (int d = 0; d < rank; d++) {
          int origin = idx[d] * chunks[d];
          int from = d == 0 ? Math.max(start, origin) : origin;
          int to = Math.min(d == 0 ? start + count : shape[d], origin + chunks[d]);
          lo[d] = from - origin;
          hi[d] = to - origin;
        }
        System.arraycopy(lo, 0, pos, 0, rank);
        int run = hi[rank - 1] - lo[rank - 1];
        while (true) {
          long src = 0;
          long out = 0;
          for (int d = 0; d < rank; d++) {
            src += pos[d] * chunkStride[d];
            int global = idx[d] * chunks[d] + pos[d] - (d == 0 ? start : 0);
            out += global * outStride[d];
          }
          if (present) convert((int) src, target, dst, offset + (int) out, run);
          else fill(target, dst, offset + (int) out, run);
          int d = rank - 2;
          while (d >= 0) {
            if (++pos[d] < hi[d]) break;
            pos[d] = lo[d];
            d--;
          }
          if (d < 0) break;
        }
        // next chunk along dims 1..rank-1
        int d = rank - 1;
        while (d >= 1) {
          if (++idx[d] < grid[d]) break;
          idx[d] = 0;
          d--;
        }
        if (d < 1) break;
      }
    }
  }

  /** Decodes the chunk at grid index idx into {@link #chunk}; false if its file is missing. */
  private boolean loadChunk(int[] idx) throws IOException {
    StringBuilder key = new StringBuilder();
    for (int d = 0; d < idx.length; d++) {
      if (d > 0) key.append(separator);
      key.append(idx[d]);
    }
    Path file = dir.resolve(key.toString());
    int expected = chunkElements * dtype.itemSize();
    int len;
    try {
      len = readFile(file);
    } catch (NoSuchFileException e) {
      return false;
    }
    if (chunk.length < expected) chunk = new byte[expected];
    switch (compressor) {
      case NONE -> {
        if (len != expected)
          throw new ZarrFormatException(
              file, "uncompressed chunk has " + len + " bytes, expected " + expected);
        System.arraycopy(raw, 0, chunk, 0, expected);
      }
      case BLOSC -> blosc.decode(raw, len, chunk, expected, file);
      case ZSTD -> {
        long n;
        try {
          n = Zstd.decompressByteArray(chunk, 0, expected, raw, 0, len);
        } catch (ZstdException e) {
          throw new ZarrFormatException(
              file, "corrupt or truncated zstd chunk: " + e.getMessage(), e);
        }
        if (Zstd.isError(n) || n != expected) {
          throw new ZarrFormatException(
              file,
              "corrupt or truncated zstd chunk: "
                  + (Zstd.isError(n) ? Zstd.getErrorName(n) : n + " bytes instead of " + expected));
        }
      }
    }
    return true;
  }

  private int readFile(Path file) throws IOException {
    long size = Files.size(file);
    if (size > Integer.MAX_VALUE - 64)
      throw new ZarrFormatException(file, "chunk file of " + size + " bytes is too large");
    if (raw.length < size) raw = new byte[(int) size];
    try (var in = Files.newInputStream(file)) {
      int n = in.readNBytes(raw, 0, (int) size);
      return n;
    }
  }

  private void convert(int srcElem, Target target, Object dst, int out, int n) {
    byte[] b = chunk;
    int p = srcElem * dtype.itemSize();
    switch (target) {
      case FLOAT -> {
        float[] f = (float[]) dst;
        switch (dtype) {
          case FLOAT32 -> {
            for (int i = 0; i < n; i++, p += 4)
              f[out + i] = Float.intBitsToFloat(BloscDecoder.le32(b, p));
          }
          case FLOAT64 -> {
            for (int i = 0; i < n; i++, p += 8)
              f[out + i] = (float) Double.longBitsToDouble(le64(b, p));
          }
          case INT64 -> {
            for (int i = 0; i < n; i++, p += 8) f[out + i] = le64(b, p);
          }
          case INT32 -> {
            for (int i = 0; i < n; i++, p += 4) f[out + i] = BloscDecoder.le32(b, p);
          }
          case UINT8, BOOL -> {
            for (int i = 0; i < n; i++, p++) f[out + i] = b[p] & 0xff;
          }
        }
      }
      case DOUBLE -> {
        double[] f = (double[]) dst;
        switch (dtype) {
          case FLOAT32 -> {
            for (int i = 0; i < n; i++, p += 4)
              f[out + i] = Float.intBitsToFloat(BloscDecoder.le32(b, p));
          }
          case FLOAT64 -> {
            for (int i = 0; i < n; i++, p += 8) f[out + i] = Double.longBitsToDouble(le64(b, p));
          }
          case INT64 -> {
            for (int i = 0; i < n; i++, p += 8) f[out + i] = le64(b, p);
          }
          case INT32 -> {
            for (int i = 0; i < n; i++, p += 4) f[out + i] = BloscDecoder.le32(b, p);
          }
          case UINT8, BOOL -> {
            for (int i = 0; i < n; i++, p++) f[out + i] = b[p] & 0xff;
          }
        }
      }
      case LONG -> {
        long[] f = (long[]) dst;
        switch (dtype) {
          case FLOAT32 -> {
            for (int i = 0; i < n; i++, p += 4)
              f[out + i] = (long) Float.intBitsToFloat(BloscDecoder.le32(b, p));
          }
          case FLOAT64 -> {
            for (int i = 0; i < n; i++, p += 8)
              f[out + i] = (long) Double.longBitsToDouble(le64(b, p));
          }
          case INT64 -> {
            for (int i = 0; i < n; i++, p += 8) f[out + i] = le64(b, p);
          }
          case INT32 -> {
            for (int i = 0; i < n; i++, p += 4) f[out + i] = BloscDecoder.le32(b, p);
          }
          case UINT8, BOOL -> {
            for (int i = 0; i < n; i++, p++) f[out + i] = b[p] & 0xff;
          }
        }
      }
    }
  }

  private void fill(Target target, Object dst, int out, int n) {
    switch (target) {
      case FLOAT -> Arrays.fill((float[]) dst, out, out + n, (float) fillValue);
      case DOUBLE -> Arrays.fill((double[]) dst, out, out + n, fillValue);
      case LONG -> Arrays.fill((long[]) dst, out, out + n, (long) fillValue);
    }
  }

  private static long le64(byte[] b, int off) {
    return (BloscDecoder.le32(b, off) & 0xffffffffL) | ((long) BloscDecoder.le32(b, off + 4) << 32);
  }

  @Override
  public String toString() {
    return "ZarrArray["
        + dir
        + ", shape="
        + Arrays.toString(shape)
        + ", chunks="
        + Arrays.toString(chunks)
        + ", "
        + dtype.code()
        + "]";
  }
}
