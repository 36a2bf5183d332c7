package dev.wam4j.data.video;

/**
 * The codecs {@link VideoWriter} can write; both store yuv420p (8-bit, 4:2:0 chroma subsampling).
 */
public enum VideoCodec {
  /** AV1 through SVT-AV1, as LeRobot datasets store their videos. */
  AV1("libsvtav1"),
  /** H.264 through Cisco's OpenH264 (the h264 encoder this FFmpeg build has; it has no libx264). */
  H264("libopenh264");

  private final String encoderName;

  VideoCodec(String encoderName) {
    this.encoderName = encoderName;
  }

  /** FFmpeg's name for the encoder behind this codec. */
  String encoderName() {
    return encoderName;
  }
}
