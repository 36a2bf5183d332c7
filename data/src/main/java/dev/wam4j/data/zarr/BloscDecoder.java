package dev.wam4j.data.zarr;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdException;
import java.nio.file.Path;

/**
 * Decodes one blosc1 frame (format version 2) into a caller-owned buffer.
 *
 * <p>Frame layout: a 16-byte header (version, versionlz, flags, typesize, then little-endian int32
 * nbytes, blocksize, cbytes); unless the frame is a plain copy (flag 0x02), one int32 start offset
 * per block follows; each block holds one or {@code typesize} "splits", each an int32 compressed
 * size and its bytes (a size equal to the split's raw size means stored raw). Flags: 0x01 byte
 * shuffle (only when typesize > 1), 0x04 bit shuffle, 0x10 "don't split", bits 5-7 the codec (1
 * lz4, 4 zstd).
 *
 * <p>Not thread-safe: it keeps one scratch buffer, reused across frames.
 */
final class BloscDecoder {
  private static final int HEADER = 16;
  private static final int FLAG_SHUFFLE = 0x01;
  private static final int FLAG_MEMCPYED = 0x02;
  private static final int FLAG_BITSHUFFLE = 0x04;
  private static final int FLAG_DONT_SPLIT = 0x10;
  private static final int FORMAT_LZ4 = 1;
  private static final int FORMAT_ZSTD = 4;
  // blosc1 splits a block into typesize streams only under these limits (see its blosc_d)
  private static final int MAX_SPLITS = 16;
  private static final int MIN_BUFFERSIZE = 128;

  private byte[] tmp = new byte[0];

  /** The uncompressed size a frame declares, checking the header is present. */
  static int declaredSize(byte[] src, int srcLen, Path file) throws ZarrFormatException {
    if (srcLen < HEADER) {
      throw new ZarrFormatException(
          file, "truncated blosc chunk: " + srcLen + " bytes, header needs 16");
    }
    return le32(src, 4);
  }

  /**
   * Decodes the frame in {@code src[0, srcLen)} into {@code dst[0, expected)}.
   *
   * @throws ZarrFormatException naming {@code file} if the frame is truncated, corrupt, of another
   *     size than {@code expected}, or uses an unsupported codec
   */
  void decode(byte[] src, int srcLen, byte[] dst, int expected, Path file)
      throws ZarrFormatException {
    int nbytes = declaredSize(src, srcLen, file);
    int version = src[0] & 0xff;
    int flags = src[2] & 0xff;
    int typesize = src[3] & 0xff;
    int blocksize = le32(src, 8);
    int cbytes = le32(src, 12);
    if (version < 1 || version > 2) {
      throw new ZarrFormatException(
          file, "unsupported blosc format version " + version + " (blosc1 writes 1 or 2)");
    }
    if (nbytes != expected) {
      throw new ZarrFormatException(
          file, "blosc chunk holds " + nbytes + " bytes, the chunk shape needs " + expected);
    }
    if (cbytes > srcLen) {
      throw new ZarrFormatException(
          file, "truncated blosc chunk: header says " + cbytes + " bytes, file has " + srcLen);
    }
    if (typesize < 1) throw new ZarrFormatException(file, "blosc typesize 0");
    if ((flags & FLAG_MEMCPYED) != 0) {
      if (HEADER + nbytes > srcLen) {
        throw new ZarrFormatException(
            file,
            "truncated blosc chunk: stored raw, needs "
                + (HEADER + nbytes)
                + " bytes, has "
                + srcLen);
      }
      System.arraycopy(src, HEADER, dst, 0, nbytes);
      return;
    }
    if (nbytes == 0) return;
    if (blocksize <= 0) throw new ZarrFormatException(file, "blosc blocksize " + blocksize);
    int codec = flags >>> 5;
    if (codec != FORMAT_ZSTD && codec != FORMAT_LZ4) {
      throw new ZarrFormatException(
          file, "unsupported blosc codec " + codecName(codec) + " (supported: zstd, lz4)");
    }
    boolean byteShuffle = (flags & FLAG_SHUFFLE) != 0 && typesize > 1;
    boolean bitShuffle = !byteShuffle && (flags & FLAG_BITSHUFFLE) != 0;
    boolean dontSplit = (flags & FLAG_DONT_SPLIT) != 0;
    int nblocks = (int) (((long) nbytes + blocksize - 1) / blocksize);
    int leftover = nbytes % blocksize;
    if (HEADER + 4L * nblocks > cbytes) {
      throw new ZarrFormatException(
          file,
          "truncated blosc chunk: "
              + nblocks
              + " block offsets do not fit in "
              + cbytes
              + " bytes");
    }
    if ((byteShuffle || bitShuffle) && tmp.length < blocksize) tmp = new byte[blocksize];
    for (int b = 0; b < nblocks; b++) {
      boolean leftoverBlock = b == nblocks - 1 && leftover > 0;
      int bsize = leftoverBlock ? leftover : blocksize;
      int nsplits =
          !dontSplit
                  && typesize <= MAX_SPLITS
                  && bsize / typesize >= MIN_BUFFERSIZE
                  && !leftoverBlock
              ? typesize
              : 1;
      int neblock = bsize / nsplits;
      int pos = le32(src, HEADER + 4 * b);
      byte[] out = byteShuffle || bitShuffle ? tmp : dst;
      int outPos = byteShuffle || bitShuffle ? 0 : b * blocksize;
      for (int s = 0; s < nsplits; s++) {
        if (pos < 0 || pos + 4 > cbytes) {
          throw new ZarrFormatException(
              file,
              "truncated blosc chunk: block "
                  + b
                  + " split "
                  + s
                  + " starts at "
                  + pos
                  + " of "
                  + cbytes
                  + " bytes");
        }
        int csize = le32(src, pos);
        pos += 4;
        if (csize < 0 || pos + csize > cbytes) {
          throw new ZarrFormatException(
              file,
              "truncated blosc chunk: block "
                  + b
                  + " split "
                  + s
                  + " needs "
                  + csize
                  + " bytes at "
                  + pos
                  + ", chunk has "
                  + cbytes);
        }
        if (csize == neblock) {
          System.arraycopy(src, pos, out, outPos, neblock);
        } else if (codec == FORMAT_ZSTD) {
          long n;
          try {
            n = Zstd.decompressByteArray(out, outPos, neblock, src, pos, csize);
          } catch (ZstdException e) {
            throw new ZarrFormatException(
                file,
                "corrupt zstd stream in block " + b + " split " + s + ": " + e.getMessage(),
                e);
          }
          if (Zstd.isError(n) || n != neblock) {
            throw new ZarrFormatException(
                file,
                "corrupt zstd stream in block "
                    + b
                    + " split "
                    + s
                    + (Zstd.isError(n)
                        ? ": " + Zstd.getErrorName(n)
                        : ": " + n + " bytes instead of " + neblock));
          }
        } else {
          int n = Lz4Block.decompress(src, pos, csize, out, outPos, neblock);
          if (n != neblock) {
            throw new ZarrFormatException(
                file,
                "corrupt lz4 stream in block "
                    + b
                    + " split "
                    + s
                    + ": "
                    + (n < 0 ? "malformed" : n + " bytes instead of " + neblock));
          }
        }
        pos += csize;
        outPos += neblock;
      }
      if (byteShuffle) {
        unshuffle(typesize, bsize, tmp, dst, b * blocksize);
      } else if (bitShuffle) {
        bitUnshuffle(typesize, bsize, tmp, dst, b * blocksize);
      }
    }
  }

  /**
   * Byte shuffle: element i's byte j was stored at j * n + i; a tail of blocksize % typesize is
   * raw.
   */
  static void unshuffle(int typesize, int bsize, byte[] src, byte[] dst, int dstOff) {
    int n = bsize / typesize;
    for (int j = 0; j < typesize; j++) {
      int s = j * n;
      int d = dstOff + j;
      for (int i = 0; i < n; i++, d += typesize) dst[d] = src[s + i];
    }
    int done = n * typesize;
    System.arraycopy(src, done, dst, dstOff + done, bsize - done);
  }

  /**
   * Bit shuffle (the bitshuffle library's layout, as blosc1 uses it per block): for each byte j and
   * bit k of an element there is a row of n bits, row (8 j + k), whose bit i (LSB first) is bit k
   * of byte j of element i. Only done when n is a multiple of 8; otherwise the block was stored as
   * is.
   */
  static void bitUnshuffle(int typesize, int bsize, byte[] src, byte[] dst, int dstOff) {
    int n = bsize / typesize;
    if (n % 8 != 0) {
      System.arraycopy(src, 0, dst, dstOff, bsize);
      return;
    }
    int rowBytes = n / 8;
    for (int j = 0; j < typesize; j++) {
      int rowBase = j * 8 * rowBytes;
      for (int m = 0; m < rowBytes; m++) {
        // gather byte m of the 8 bit rows of byte j: word byte k = bits k of elements 8m..8m+7
        long x = 0;
        for (int k = 0; k < 8; k++) x |= (src[rowBase + k * rowBytes + m] & 0xffL) << (8 * k);
        x = transpose8x8(x);
        int d = dstOff + 8 * m * typesize + j;
        for (int e = 0; e < 8; e++, d += typesize) dst[d] = (byte) (x >>> (8 * e));
      }
    }
    int done = n * typesize;
    System.arraycopy(src, done, dst, dstOff + done, bsize - done);
  }

  /** Transposes an 8x8 bit matrix held as bit (8 row + col). */
  static long transpose8x8(long x) {
    long t = (x ^ (x >>> 7)) & 0x00AA00AA00AA00AAL;
    x = x ^ t ^ (t << 7);
    t = (x ^ (x >>> 14)) & 0x0000CCCC0000CCCCL;
    x = x ^ t ^ (t << 14);
    t = (x ^ (x >>> 28)) & 0x00000000F0F0F0F0L;
    return x ^ t ^ (t << 28);
  }

  static int le32(byte[] b, int off) {
    return (b[off] & 0xff)
        | (b[off + 1] & 0xff) << 8
        | (b[off + 2] & 0xff) << 16
        | (b[off + 3] & 0xff) << 24;
  }

  private static String codecName(int code) {
    return switch (code) {
      case 0 -> "blosclz";
      case 2 -> "snappy";
      case 3 -> "zlib";
      default -> "#" + code;
    };
  }
}
