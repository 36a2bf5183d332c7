package dev.wam4j.data.zarr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.luben.zstd.Zstd;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ZarrArrayTest {
  @TempDir Path tmp;

  static final int NO_SHUFFLE = 0, BYTE_SHUFFLE = 1, BIT_SHUFFLE = 2;

  /** Straight from the definition: element i's byte j goes to j * n + i. */
  static byte[] byteShuffle(byte[] in, int typesize) {
    int n = in.length / typesize;
    byte[] out = in.clone();
    for (int i = 0; i < n; i++)
      for (int j = 0; j < typesize; j++) out[j * n + i] = in[i * typesize + j];
    return out;
  }

  /** Straight from the definition: bit k of byte j of element i goes to bit i of row 8j + k. */
  static byte[] bitShuffle(byte[] in, int typesize) {
    int n = in.length / typesize;
    if (n % 8 != 0) return in.clone(); // blosc stores such blocks unshuffled
    byte[] out = new byte[in.length];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < typesize; j++) {
        for (int k = 0; k < 8; k++) {
          int bit = (in[i * typesize + j] >>> k) & 1;
          int row = 8 * j + k;
          out[row * (n / 8) + i / 8] |= (byte) (bit << (i % 8));
        }
      }
    }
    return out;
  }

  /** A blosc1 frame with one block, no splits, zstd inside. */
  static byte[] bloscFrame(byte[] data, int typesize, int shuffle) {
    byte[] shuffled =
        switch (shuffle) {
          case BYTE_SHUFFLE -> byteShuffle(data, typesize);
          case BIT_SHUFFLE -> bitShuffle(data, typesize);
          default -> data;
        };
    byte[] z = Zstd.compress(shuffled, 3);
    int flags =
        0x10 | (4 << 5) | (shuffle == BYTE_SHUFFLE ? 0x01 : shuffle == BIT_SHUFFLE ? 0x04 : 0);
    ByteBuffer b = ByteBuffer.allocate(16 + 4 + 4 + z.length).order(ByteOrder.LITTLE_ENDIAN);
    b.put((byte) 2).put((byte) 1).put((byte) flags).put((byte) typesize);
    b.putInt(data.length).putInt(data.length).putInt(16 + 4 + 4 + z.length);
    b.putInt(20).putInt(z.length).put(z);
    return b.array();
  }

  static byte[] floatsLE(float[] v) {
    ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
    for (float f : v) b.putFloat(f);
    return b.array();
  }

  Path writeArray(String name, String json) throws Exception {
    Path dir = Files.createDirectories(tmp.resolve(name));
    Files.writeString(dir.resolve(".zarray"), json);
    return dir;
  }

  static String meta(String shape, String chunks, String dtype, String compressor, String fill) {
    return "{\"zarr_format\":2,\"shape\":"
        + shape
        + ",\"chunks\":"
        + chunks
        + ",\"dtype\":\""
        + dtype
        + "\",\"compressor\":"
        + compressor
        + ",\"fill_value\":"
        + fill
        + ",\"filters\":null,\"order\":\"C\"}";
  }

  static final String BLOSC_ZSTD =
      "{\"id\":\"blosc\",\"cname\":\"zstd\",\"clevel\":5,\"shuffle\":2,\"blocksize\":0}";

  /**
   * A (5, 3) float array in (2, 2) chunks; chunk (1, 0) missing; edge chunks padded as zarr does.
   */
  Path gridArray(int shuffle) throws Exception {
    Path dir = writeArray("grid" + shuffle, meta("[5,3]", "[2,2]", "<f4", BLOSC_ZSTD, "-1.5"));
    for (int ci = 0; ci < 3; ci++) {
      for (int cj = 0; cj < 2; cj++) {
        if (ci == 1 && cj == 0) continue;
        float[] c = new float[4];
        for (int a = 0; a < 2; a++)
          for (int b = 0; b < 2; b++) c[a * 2 + b] = 10 * (ci * 2 + a) + (cj * 2 + b);
        Files.write(dir.resolve(ci + "." + cj), bloscFrame(floatsLE(c), 4, shuffle));
      }
    }
    return dir;
  }

  static float expectedGrid(int r, int c) {
    return r >= 2 && r < 4 && c < 2 ? -1.5f : 10 * r + c;
  }

  @Test
  void chunkGridOverBothAxesReadsBackWithEveryShuffleAndFillsMissingChunks() throws Exception {
    for (int shuffle : new int[] {NO_SHUFFLE, BYTE_SHUFFLE, BIT_SHUFFLE}) {
      ZarrArray a = ZarrArray.open(gridArray(shuffle));
      float[] all = a.readFloats();
      for (int r = 0; r < 5; r++)
        for (int c = 0; c < 3; c++)
          assertThat(all[r * 3 + c])
              .as("shuffle %d (%d,%d)", shuffle, r, c)
              .isEqualTo(expectedGrid(r, c));
      double[] mid = a.readDoubles(1, 3);
      for (int r = 1; r < 4; r++)
        for (int c = 0; c < 3; c++) assertThat(mid[(r - 1) * 3 + c]).isEqualTo(expectedGrid(r, c));
    }
  }

  @Test
  void bitShuffleOfLargeBlockWithUnevenTailRoundTrips() throws Exception {
    long[] v = new long[1024];
    for (int i = 0; i < v.length; i++) v[i] = (long) i * 0x0123_4567_89L - 77;
    ByteBuffer b = ByteBuffer.allocate(8 * v.length).order(ByteOrder.LITTLE_ENDIAN);
    for (long x : v) b.putLong(x);
    Path dir = writeArray("longs", meta("[1024]", "[1024]", "<i8", BLOSC_ZSTD, "0"));
    Files.write(dir.resolve("0"), bloscFrame(b.array(), 8, BIT_SHUFFLE));
    assertThat(ZarrArray.open(dir).readLongs()).containsExactly(v);
  }

  @Test
  void truncatedChunkIsAnErrorNamingTheFile() throws Exception {
    Path dir = gridArray(BIT_SHUFFLE);
    Path chunk = dir.resolve("0.0");
    byte[] full = Files.readAllBytes(chunk);
    Files.write(chunk, java.util.Arrays.copyOf(full, full.length - 5));
    ZarrArray a = ZarrArray.open(dir);
    assertThatThrownBy(a::readFloats)
        .isInstanceOf(ZarrFormatException.class)
        .hasMessageContaining(chunk.toString())
        .hasMessageContaining("truncated");
    Files.write(chunk, java.util.Arrays.copyOf(full, 10));
    assertThatThrownBy(a::readFloats)
        .isInstanceOf(ZarrFormatException.class)
        .hasMessageContaining(chunk.toString())
        .hasMessageContaining("truncated");
  }

  @Test
  void corruptZstdStreamIsAnErrorNamingTheFile() throws Exception {
    Path dir = gridArray(NO_SHUFFLE);
    Path chunk = dir.resolve("0.1");
    byte[] bytes = Files.readAllBytes(chunk);
    for (int i = 24; i < bytes.length; i++) bytes[i] = (byte) 0x5a;
    Files.write(chunk, bytes);
    assertThatThrownBy(() -> ZarrArray.open(dir).readFloats())
        .isInstanceOf(ZarrFormatException.class)
        .hasMessageContaining(chunk.toString());
  }

  @Test
  void missingZarrayNamesTheFile() {
    Path dir = tmp.resolve("nothing");
    assertThatThrownBy(() -> ZarrArray.open(dir))
        .isInstanceOf(ZarrFormatException.class)
        .hasMessageContaining(dir.resolve(".zarray").toString())
        .hasMessageContaining("missing");
  }

  @Test
  void badJsonNamesTheFile() throws Exception {
    Path dir = writeArray("bad", "{\"zarr_format\": 2, \"shape\": [3");
    assertThatThrownBy(() -> ZarrArray.open(dir))
        .isInstanceOf(ZarrFormatException.class)
        .hasMessageContaining(dir.resolve(".zarray").toString())
        .hasMessageContaining("JSON");
  }

  @Test
  void unsupportedDtypeAndCompressorAreNamed() throws Exception {
    Path d1 = writeArray("c16", meta("[3]", "[3]", "<c16", "null", "0"));
    assertThatThrownBy(() -> ZarrArray.open(d1))
        .isInstanceOf(ZarrFormatException.class)
        .hasMessageContaining("<c16")
        .hasMessageContaining(".zarray");
    Path d2 = writeArray("gzip", meta("[3]", "[3]", "<f4", "{\"id\":\"gzip\",\"level\":1}", "0"));
    assertThatThrownBy(() -> ZarrArray.open(d2))
        .isInstanceOf(ZarrFormatException.class)
        .hasMessageContaining("gzip");
    Path d3 =
        writeArray(
            "blosclz",
            meta(
                "[3]",
                "[3]",
                "<f4",
                "{\"id\":\"blosc\",\"cname\":\"blosclz\",\"shuffle\":1}",
                "0"));
    assertThatThrownBy(() -> ZarrArray.open(d3))
        .isInstanceOf(ZarrFormatException.class)
        .hasMessageContaining("blosclz");
  }

  @Test
  void uncompressedBytesAndBoolsRead() throws Exception {
    Path dir = writeArray("u1", meta("[2,3]", "[1,3]", "|u1", "null", "0"));
    Files.write(dir.resolve("0.0"), new byte[] {1, 2, (byte) 255});
    Files.write(dir.resolve("1.0"), new byte[] {4, 5, 6});
    assertThat(ZarrArray.open(dir).readFloats()).containsExactly(1, 2, 255, 4, 5, 6);
  }

  @Test
  void lz4BlockWithOverlappingMatchDecodes() {
    // token: 3 literals "abc", then a match of offset 3, length 4 + 5 = 9; last sequence: 2
    // literals.
    ByteArrayOutputStream s = new ByteArrayOutputStream();
    s.write(0x35);
    s.writeBytes("abc".getBytes());
    s.write(3);
    s.write(0);
    s.write(0x20);
    s.writeBytes("xy".getBytes());
    byte[] src = s.toByteArray();
    byte[] dst = new byte[14];
    assertThat(Lz4Block.decompress(src, 0, src.length, dst, 0, dst.length)).isEqualTo(14);
    assertThat(new String(dst)).isEqualTo("abcabcabcabcxy");
    assertThat(Lz4Block.decompress(src, 0, src.length - 1, dst, 0, dst.length)).isEqualTo(-1);
  }
}
