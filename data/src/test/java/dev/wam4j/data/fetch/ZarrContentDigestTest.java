package dev.wam4j.data.fetch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wam4j.data.fetch.TinyZarr.Codec;
import dev.wam4j.data.zarr.ZarrFormatException;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ZarrContentDigestTest {
  @TempDir Path dir;

  @Test
  void theSameContentGivesTheSameDigestHoweverItIsChunkedOrCompressed() throws Exception {
    String raw =
        ZarrContentDigest.sha256(
            TinyZarr.write(dir.resolve("a.zarr"), new int[] {4, 2}, Codec.RAW));
    String zstdByColumn =
        ZarrContentDigest.sha256(
            TinyZarr.write(dir.resolve("b.zarr"), new int[] {6, 1}, Codec.ZSTD));
    String rowByRow =
        ZarrContentDigest.sha256(
            TinyZarr.write(dir.resolve("c.zarr"), new int[] {1, 2}, Codec.RAW));
    assertThat(zstdByColumn).isEqualTo(raw);
    assertThat(rowByRow).isEqualTo(raw);
    assertThat(raw).matches("[0-9a-f]{64}");
  }

  @Test
  void oneChangedValueChangesTheDigest() throws Exception {
    String original =
        ZarrContentDigest.sha256(
            TinyZarr.write(dir.resolve("a.zarr"), new int[] {4, 2}, Codec.RAW));
    float[] changed = {
      0.5f, -1.25f, 3f, 4.5f, 1e-3f, Float.NaN, 7f, 8f, -0f, 10f, 11.5f, 12.000001f
    };
    String other =
        ZarrContentDigest.sha256(
            TinyZarr.write(dir.resolve("b.zarr"), new int[] {4, 2}, Codec.RAW, changed));
    assertThat(other).isNotEqualTo(original);
    // +0 and -0 compare equal as floats but are different content
    float[] plusZero = {0.5f, -1.25f, 3f, 4.5f, 1e-3f, Float.NaN, 7f, 8f, 0f, 10f, 11.5f, 12f};
    assertThat(
            ZarrContentDigest.sha256(
                TinyZarr.write(dir.resolve("c.zarr"), new int[] {4, 2}, Codec.RAW, plusZero)))
        .isNotEqualTo(original);
  }

  @Test
  void theDigestIsTheSha256OfHeadersAndLittleEndianElementsInPathOrder() throws Exception {
    Path root = TinyZarr.write(dir.resolve("a.zarr"), new int[] {4, 2}, Codec.ZSTD);
    ByteArrayOutputStream expected = new ByteArrayOutputStream();
    expected.write("data/state|<f4|6x2\n".getBytes(StandardCharsets.UTF_8));
    ByteBuffer floats = ByteBuffer.allocate(48).order(ByteOrder.LITTLE_ENDIAN);
    for (float f :
        new float[] {0.5f, -1.25f, 3f, 4.5f, 1e-3f, Float.NaN, 7f, 8f, -0f, 10f, 11.5f, 12f}) {
      floats.putInt(Float.floatToRawIntBits(f));
    }
    expected.write(floats.array());
    expected.write("meta/episode_ends|<i8|2\n".getBytes(StandardCharsets.UTF_8));
    expected.write(
        ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(3).putLong(6).array());
    assertThat(ZarrContentDigest.sha256(root)).isEqualTo(sha256(expected.toByteArray()));
  }

  @Test
  void anArrayLargerThanOneReadIsDigestedAsOneStream() throws Exception {
    // 10 rows of 1 MiB bytes in chunks of 3 rows: read in several blocks, digested as if in one
    int rowSize = 1 << 20;
    byte[] data = new byte[10 * rowSize];
    for (int i = 0; i < data.length; i++) data[i] = (byte) (i * 31 + (i >>> 13));
    TinyZarr.array(
        dir.resolve("big.zarr/frames"),
        "|u1",
        new int[] {10, rowSize},
        new int[] {3, rowSize},
        data,
        Codec.RAW);
    assertThat(ZarrContentDigest.blockRows(3, rowSize)).isLessThan(10);
    ByteArrayOutputStream expected = new ByteArrayOutputStream();
    expected.write(
        ("frames||u1|10x" + rowSize + "\n").getBytes(StandardCharsets.UTF_8)); // dtype "|u1"
    expected.write(data);
    assertThat(ZarrContentDigest.sha256(dir.resolve("big.zarr")))
        .isEqualTo(sha256(expected.toByteArray()));
  }

  @Test
  void aDtypeTheReaderDoesNotSupportIsRefusedNamingTheArray() throws Exception {
    Path root = TinyZarr.write(dir.resolve("a.zarr"), new int[] {4, 2}, Codec.RAW);
    TinyZarr.array(
        root.resolve("data/half"), "<f2", new int[] {2}, new int[] {2}, new byte[4], Codec.RAW);
    assertThatThrownBy(() -> ZarrContentDigest.sha256(root))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("data/half")
        .hasMessageContaining("<f2");
  }

  @Test
  void aFolderWithoutArraysIsNotDigested() throws Exception {
    Files.createDirectories(dir.resolve("empty"));
    assertThatThrownBy(() -> ZarrContentDigest.sha256(dir.resolve("empty")))
        .isInstanceOf(ZarrFormatException.class)
        .hasMessageContaining("no zarr array");
  }

  private static String sha256(byte[] bytes) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }
}
