package dev.wam4j.data.video;

/**
 * How {@link VideoWriter} encodes: codec, quality, keyframe interval and speed. The pixel format is
 * always yuv420p, which is why frame sizes must be even.
 *
 * @param codec the codec to write
 * @param crf constant rate factor, lower is better quality and bigger files: 1..63 for AV1 (FFmpeg
 *     reads 0 as "unset"); for H.264 the quantiser (QP) OpenH264 is held to, 1..51
 * @param gop keyframe interval in frames, at least 1; small values make seeking cheap (LeRobot uses
 *     2)
 * @param preset encoder speed for AV1, 0 (slowest, best) ..13 (fastest); OpenH264 has no presets,
 *     so for H.264 it must be 0
 */
public record VideoEncoding(VideoCodec codec, int crf, int gop, int preset) {

  /** LeRobot's AV1 settings: crf 30, a keyframe every 2 frames, SVT-AV1's default preset 10. */
  public static final VideoEncoding AV1_LEROBOT = new VideoEncoding(VideoCodec.AV1, 30, 2, 10);

  /** H.264 at QP 23 with a keyframe every 2 frames. */
  public static final VideoEncoding H264_DEFAULT = new VideoEncoding(VideoCodec.H264, 23, 2, 0);

  public VideoEncoding {
    if (codec == null) {
      throw new IllegalArgumentException("codec must not be null");
    }
    if (gop < 1) {
      throw new IllegalArgumentException("gop must be >= 1, got " + gop);
    }
    switch (codec) {
      case AV1 -> {
        if (crf < 1 || crf > 63) {
          throw new IllegalArgumentException("crf for AV1 must be in 1..63, got " + crf);
        }
        if (preset < 0 || preset > 13) {
          throw new IllegalArgumentException("preset for AV1 must be in 0..13, got " + preset);
        }
      }
      case H264 -> {
        if (crf < 1 || crf > 51) {
          throw new IllegalArgumentException("crf (QP) for H264 must be in 1..51, got " + crf);
        }
        if (preset != 0) {
          throw new IllegalArgumentException(
              "preset must be 0 for H264 (OpenH264 has none), got " + preset);
        }
      }
    }
  }
}
