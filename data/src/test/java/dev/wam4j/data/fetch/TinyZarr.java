package dev.wam4j.data.fetch;

import com.github.luben.zstd.Zstd;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Collectors;

/** Writes small zarr v2 groups for tests, with any chunking and either no compressor or zstd. */
final class TinyZarr {
  /** How chunks are stored. */
  enum Codec {
    RAW,
    ZSTD
  }

  private TinyZarr() {}

  /** A replay-buffer-like group: data/state (6x2 float32) and meta/episode_ends (int64, [3, 6]). */
  static Path write(Path root, int[] stateChunks, Codec codec, float... stateOverride)
      throws IOException {
    float[] state = {0.5f, -1.25f, 3f, 4.5f, 1e-3f, Float.NaN, 7f, 8f, -0f, 10f, 11.5f, 12f};
    if (stateOverride.length > 0) state = stateOverride;
    group(root);
    group(root.resolve("data"));
    group(root.resolve("meta"));
    ByteBuffer s = ByteBuffer.allocate(state.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    for (float f : state) s.putFloat(f);
    array(root.resolve("data/state"), "<f4", new int[] {6, 2}, stateChunks, s.array(), codec);
    ByteBuffer ends = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(3).putLong(6);
    array(
        root.resolve("meta/episode_ends"),
        "<i8",
        new int[] {2},
        new int[] {2},
        ends.array(),
        codec);
    return root;
  }

  static void group(Path dir) throws IOException {
    Files.createDirectories(dir);
    Files.writeString(dir.resolve(".zgroup"), "{\"zarr_format\": 2}");
  }

  /**
   * One array from its elements' little-endian bytes in C order, cut into chunks (edge chunks
   * padded with zeros).
   */
  static void array(Path dir, String dtype, int[] shape, int[] chunks, byte[] data, Codec codec)
      throws IOException {
    Files.createDirectories(dir);
    String compressor = codec == Codec.RAW ? "null" : "{\"id\": \"zstd\", \"level\": 3}";
    Files.writeString(
        dir.resolve(".zarray"),
        "{\"zarr_format\": 2, \"shape\": "
            + list(shape)
            + ", \"chunks\": "
            + list(chunks)
            + ", \"dtype\": \""
            + dtype
            + "\", \"compressor\": "
            + compressor
            + ", \"fill_value\": 0, \"filters\": null, \"order\": \"C\"}",
        StandardCharsets.UTF_8);
    int rank = shape.length;
    int item = data.length / Arrays.stream(shape).reduce(1, (a, b) -> a * b);
    int[] grid = new int[rank];
    for (int d = 0; d < rank; d++) grid[d] = (shape[d] + chunks[d] - 1) / chunks[d];
    int chunkElements = Arrays.stream(chunks).reduce(1, (a, b) -> a * b);
    int[] g = new int[rank];
    do {
      byte[] chunk = new byte[chunkElements * item];
      for (int e = 0; e < chunkElements; e++) {
        int rest = e;
        long global = 0;
        boolean inside = true;
        for (int d = rank - 1, stride = 1; d >= 0; d--) {
          int local = rest % chunks[d];
          rest /= chunks[d];
          int at = g[d] * chunks[d] + local;
          inside &= at < shape[d];
          global += (long) at * stride;
          stride *= shape[d];
        }
        if (inside) System.arraycopy(data, (int) global * item, chunk, e * item, item);
      }
      byte[] stored = codec == Codec.RAW ? chunk : Zstd.compress(chunk, 3);
      Files.write(
          dir.resolve(
              Arrays.stream(g).mapToObj(Integer::toString).collect(Collectors.joining("."))),
          stored);
    } while (next(g, grid));
  }

  private static boolean next(int[] g, int[] grid) {
    for (int d = g.length - 1; d >= 0; d--) {
      if (++g[d] < grid[d]) return true;
      g[d] = 0;
    }
    return false;
  }

  private static String list(int[] v) {
    return Arrays.stream(v).mapToObj(Integer::toString).collect(Collectors.joining(", ", "[", "]"));
  }
}
