package dev.wam4j.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DigestsTest {
  @TempDir Path tmp;

  @Test
  void sha256HexMatchesTheStandardVectorForBytesAndFilesAlike() throws Exception {
    byte[] abc = "abc".getBytes(StandardCharsets.US_ASCII);
    String expected =
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"; // FIPS 180-2, appendix
    // B.1
    assertThat(Digests.sha256Hex(abc)).isEqualTo(expected);
    byte[] big = new byte[200_000]; // more than one 64 KiB block
    for (int i = 0; i < big.length; i++) big[i] = (byte) (i * 31);
    Path f = Files.write(tmp.resolve("big.bin"), big);
    assertThat(Digests.sha256Hex(f)).isEqualTo(Digests.sha256Hex(big));
    assertThat(Digests.sha256Hex(Files.write(tmp.resolve("abc"), abc))).isEqualTo(expected);
  }
}
