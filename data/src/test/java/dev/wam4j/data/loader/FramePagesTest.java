package dev.wam4j.data.loader;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FramePagesTest {
  @Test
  void framesSpreadOverPagesReadBackWhereTheyWereWrittenAndCopyAcrossPageBoundaries() {
    FramePages a = new FramePages(10, 4, 12); // 3 frames per page, 4 pages
    for (int i = 0; i < 10; i++)
      java.util.Arrays.fill(a.page(i), a.offset(i), a.offset(i) + 4, (byte) i);
    byte[] out = new byte[4];
    for (int i = 0; i < 10; i++) {
      a.copyTo(i, out, 0);
      assertThat(out).containsOnly((byte) i);
    }
    FramePages b = new FramePages(15, 4, 8); // 2 per page
    b.copyFrom(a, 5);
    for (int i = 0; i < 10; i++) {
      b.copyTo(5 + i, out, 0);
      assertThat(out).as("frame " + i).containsOnly((byte) i);
    }
    assertThat(new FramePages(3, 0).frames()).isEqualTo(3);
  }
}
