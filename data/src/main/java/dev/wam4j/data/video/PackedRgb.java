package dev.wam4j.data.video;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.PointerPointer;

/**
 * One packed RGB24 frame in native memory, shaped the way swscale wants it: four plane pointers and
 * four strides even for packed RGB (the unused ones null / 0). Shared by {@link VideoReader} and
 * {@link VideoWriter}; owns its native memory until {@link #close()}.
 */
final class PackedRgb implements AutoCloseable {
  final BytePointer pixels;
  final PointerPointer<BytePointer> planes;
  final IntPointer strides;

  PackedRgb(int width, int height) {
    pixels = new BytePointer(3L * width * height);
    planes = new PointerPointer<>(pixels, null, null, null);
    strides = new IntPointer(3 * width, 0, 0, 0);
  }

  @Override
  public void close() {
    planes.close();
    pixels.close();
    strides.close();
  }
}
