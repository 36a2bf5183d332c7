package dev.wam4j.data.loader;

/**
 * Fixed-size frames held in pages of at most ~1 GiB each, so a loader can hold more frames than one
 * Java array (2 GiB) takes. Frame {@code i} lives in {@code page(i)} at {@code offset(i)}.
 */
final class FramePages {
  private static final int PAGE_BYTES = 1 << 30;
  private final int frameBytes;
  private final int framesPerPage;
  private final byte[][] pages;
  private final int frames;

  FramePages(int frames, int frameBytes) {
    this(frames, frameBytes, PAGE_BYTES);
  }

  FramePages(int frames, int frameBytes, int pageBytes) {
    this.frames = frames;
    this.frameBytes = frameBytes;
    this.framesPerPage = frameBytes == 0 ? Integer.MAX_VALUE : Math.max(1, pageBytes / frameBytes);
    int count = frameBytes == 0 ? 0 : (int) ((frames + (long) framesPerPage - 1) / framesPerPage);
    this.pages = new byte[count][];
    for (int p = 0; p < count; p++) {
      int n = Math.min(framesPerPage, frames - p * framesPerPage);
      pages[p] = new byte[n * frameBytes];
    }
  }

  int frames() {
    return frames;
  }

  byte[] page(int frame) {
    return pages[frame / framesPerPage];
  }

  int offset(int frame) {
    return (frame % framesPerPage) * frameBytes;
  }

  /** Copies frame {@code frame} into {@code out} at {@code at}. */
  void copyTo(int frame, byte[] out, int at) {
    if (frameBytes == 0) return;
    System.arraycopy(page(frame), offset(frame), out, at, frameBytes);
  }

  /** Copies every frame of {@code from} here, from frame {@code first} on. */
  void copyFrom(FramePages from, int first) {
    if (frameBytes == 0) return;
    for (int i = 0; i < from.frames; i++) from.copyTo(i, page(first + i), offset(first + i));
  }
}
