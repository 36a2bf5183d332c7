package dev.wam4j.data.video;

import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * What a video file says about its video stream.
 *
 * @param file the file read
 * @param codecName FFmpeg's short codec name, e.g. {@code av1} or {@code h264}
 * @param width frame width in pixels
 * @param height frame height in pixels
 * @param fps nominal frames per second (the stream's average frame rate)
 * @param frameCount number of frames when the container records it (mp4 does)
 * @param durationSeconds stream duration in seconds, 0 when the file does not say
 */
public record VideoInfo(
    Path file,
    String codecName,
    int width,
    int height,
    double fps,
    OptionalLong frameCount,
    double durationSeconds) {

  /** Bytes of one packed RGB frame: {@code 3 * width * height}. */
  public int frameBytes() {
    return 3 * width * height;
  }
}
