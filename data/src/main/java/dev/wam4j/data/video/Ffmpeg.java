package dev.wam4j.data.video;

import static org.bytedeco.ffmpeg.global.avutil.AV_LOG_ERROR;
import static org.bytedeco.ffmpeg.global.avutil.av_log_set_level;
import static org.bytedeco.ffmpeg.global.avutil.av_strerror;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Shared FFmpeg plumbing: one-time log set-up and turning negative return codes into exceptions.
 */
final class Ffmpeg {
  /** {@code AVERROR(EAGAIN)}: EAGAIN is 11 on Linux, the only platform whose natives we ship. */
  static final int AVERROR_EAGAIN = -11;

  static {
    // FFmpeg logs at info level by default (stream banners, encoder settings); keep only errors.
    av_log_set_level(AV_LOG_ERROR);
  }

  private Ffmpeg() {}

  /** Loads the natives (once) and sets the log level; call before any other FFmpeg function. */
  static void init() {
    // the static initialiser does the work
  }

  /** FFmpeg's text for an error code. */
  static String describe(int code) {
    byte[] buf = new byte[256];
    if (av_strerror(code, buf, buf.length) < 0) {
      return "FFmpeg error " + code;
    }
    int n = 0;
    while (n < buf.length && buf[n] != 0) {
      n++;
    }
    return new String(buf, 0, n, StandardCharsets.UTF_8);
  }

  /** Returns {@code code} when it is not negative, else throws naming the action and the file. */
  static int check(int code, String action, Path file) throws VideoException {
    if (code < 0) {
      throw new VideoException(action + " failed for " + file + ": " + describe(code));
    }
    return code;
  }
}
