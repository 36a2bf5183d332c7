package dev.wam4j.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ZipsTest {
  @TempDir Path tmp;

  @Test
  void aFolderRoundTripsThroughAZipAndTheSameFolderGivesTheSameBytes() throws Exception {
    Path src = Files.createDirectories(tmp.resolve("src/a/b"));
    Files.writeString(src.resolve("x.txt"), "hello");
    Files.write(tmp.resolve("src/top.bin"), new byte[] {1, 2, 3});
    byte[] zip = Zips.zipTree(tmp.resolve("src"));
    assertThat(Zips.zipTree(tmp.resolve("src"))).isEqualTo(zip);
    Zips.unzip(new ByteArrayInputStream(zip), tmp.resolve("out"), 1 << 20, 10);
    assertThat(tmp.resolve("out/a/b/x.txt")).hasContent("hello");
    assertThat(Files.readAllBytes(tmp.resolve("out/top.bin"))).containsExactly(1, 2, 3);
  }

  @Test
  void entriesOutsideTheFolderAndArchivesPastTheLimitsAreRefused() throws Exception {
    assertThatThrownBy(
            () ->
                Zips.unzip(
                    new ByteArrayInputStream(zipOf("../evil.txt", 4)),
                    tmp.resolve("o1"),
                    1 << 20,
                    10))
        .isInstanceOf(Zips.RefusedArchiveException.class)
        .hasMessageContaining("'../evil.txt' points outside its folder");
    assertThat(tmp.resolve("evil.txt")).doesNotExist();
    assertThatThrownBy(
            () ->
                Zips.unzip(
                    new ByteArrayInputStream(zipOf("big.bin", 5000)), tmp.resolve("o2"), 4096, 10))
        .isInstanceOf(Zips.RefusedArchiveException.class)
        .hasMessageContaining("more than 4096 bytes");
    assertThatThrownBy(
            () ->
                Zips.unzip(
                    new ByteArrayInputStream(zipOf("one.bin", 1, "two.bin", 1)),
                    tmp.resolve("o3"),
                    4096,
                    1))
        .isInstanceOf(Zips.RefusedArchiveException.class)
        .hasMessageContaining("more than 1 entries");
  }

  /** A zip of entries (name, size) filled with zeros. */
  private static byte[] zipOf(Object... nameAndSize) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ZipOutputStream z = new ZipOutputStream(bytes)) {
      for (int i = 0; i < nameAndSize.length; i += 2) {
        z.putNextEntry(new ZipEntry((String) nameAndSize[i]));
        z.write(new byte[(Integer) nameAndSize[i + 1]]);
        z.closeEntry();
      }
    }
    return bytes.toByteArray();
  }
}
