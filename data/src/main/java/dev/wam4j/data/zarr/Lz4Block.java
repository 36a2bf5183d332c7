package dev.wam4j.data.zarr;

/**
 * Decoder of the raw LZ4 block format (no frame), as blosc stores lz4 splits. Small enough to keep
 * here rather than add a dependency for the one function.
 */
final class Lz4Block {
  private Lz4Block() {}

  /**
   * Decodes {@code src[off, off+len)} into {@code dst[dOff, dOff+dLen)}.
   *
   * @return the number of bytes written, or -1 if the input is malformed or overruns either buffer
   */
  static int decompress(byte[] src, int off, int len, byte[] dst, int dOff, int dLen) {
    int s = off;
    int end = off + len;
    int d = dOff;
    int dEnd = dOff + dLen;
    while (s < end) {
      int token = src[s++] & 0xff;
      int lit = token >>> 4;
      if (lit == 15) {
        int b;
        do {
          if (s >= end) return -1;
          b = src[s++] & 0xff;
          lit += b;
        } while (b == 255);
      }
      if (lit > end - s || lit > dEnd - d) return -1;
      System.arraycopy(src, s, dst, d, lit);
      s += lit;
      d += lit;
      if (s == end) break; // the last sequence carries literals only
      if (end - s < 2) return -1;
      int offset = (src[s] & 0xff) | (src[s + 1] & 0xff) << 8;
      s += 2;
      if (offset == 0 || offset > d - dOff) return -1;
      int match = (token & 15) + 4;
      if ((token & 15) == 15) {
        int b;
        do {
          if (s >= end) return -1;
          b = src[s++] & 0xff;
          match += b;
        } while (b == 255);
      }
      if (match > dEnd - d) return -1;
      int from = d - offset;
      // byte by byte: the match may overlap what it writes (run-length style repeats)
      for (int i = 0; i < match; i++) dst[d + i] = dst[from + i];
      d += match;
    }
    return d - dOff;
  }
}
