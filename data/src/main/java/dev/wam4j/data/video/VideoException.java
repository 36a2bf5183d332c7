package dev.wam4j.data.video;

import java.io.IOException;

/**
 * A video file could not be opened, written, or decoded. The message names the file and, when
 * FFmpeg reported it, FFmpeg's own error text.
 */
public final class VideoException extends IOException {
  VideoException(String message) {
    super(message);
  }

  VideoException(String message, Throwable cause) {
    super(message, cause);
  }
}
