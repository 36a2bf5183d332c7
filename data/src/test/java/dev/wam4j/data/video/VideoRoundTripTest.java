package dev.wam4j.data.video;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.offset;

import java.io.IOException;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class VideoRoundTripTest {
  private static final int FPS = 10;
  private static final int FRAMES = 24;

  @TempDir Path dir;

  static Stream<Arguments> sizesAndCodecs() {
    return Stream.of(
        Arguments.of(VideoEncoding.AV1_LEROBOT, 96, 96),
        Arguments.of(VideoEncoding.AV1_LEROBOT, 160, 128),
        Arguments.of(VideoEncoding.H264_DEFAULT, 96, 96),
        Arguments.of(VideoEncoding.H264_DEFAULT, 160, 128));
  }

  @ParameterizedTest(name = "{0} {1}x{2}")
  @MethodSource("sizesAndCodecs")
  void roundTripKeepsFrameCountSizeAndPicture(VideoEncoding encoding, int w, int h)
      throws IOException {
    Path file = dir.resolve("clip.mp4");
    byte[][] frames = writeClip(file, encoding, w, h, FRAMES);

    try (VideoReader reader = VideoReader.open(file)) {
      VideoInfo info = reader.info();
      assertThat(info.width()).isEqualTo(w);
      assertThat(info.height()).isEqualTo(h);
      assertThat(info.fps()).isEqualTo(FPS);
      assertThat(info.codecName()).isEqualTo(encoding.codec() == VideoCodec.AV1 ? "av1" : "h264");
      assertThat(info.frameCount()).hasValue(FRAMES);
      assertThat(info.durationSeconds()).isCloseTo(FRAMES / (double) FPS, offset(1e-9));

      byte[] out = new byte[info.frameBytes()];
      int n = 0;
      double worst = Double.POSITIVE_INFINITY;
      double sum = 0;
      while (reader.readFrame(out)) {
        assertThat(reader.frameTime()).isCloseTo(n / (double) FPS, offset(1e-9));
        double psnr = Pictures.psnr(frames[n], out);
        worst = Math.min(worst, psnr);
        sum += psnr;
        n++;
      }
      assertThat(n).isEqualTo(FRAMES);
      // Measured here: worst frame 30.0-32.4 dB, mean 32.2-34.2 dB over the four cases. The ceiling
      // is
      // yuv420p itself: sharp saturated edges lose chroma (H.264 at QP 1 reaches a 33.1 dB mean at
      // 96x96).
      assertThat(worst).isGreaterThan(29.0);
      assertThat(sum / n).isGreaterThan(31.0);
    }
  }

  static byte[][] writeClip(Path file, VideoEncoding encoding, int w, int h, int count)
      throws IOException {
    byte[][] frames = new byte[count][];
    try (VideoWriter writer = VideoWriter.open(file, w, h, FPS, encoding)) {
      for (int i = 0; i < count; i++) {
        frames[i] = Pictures.scene(w, h, i);
        writer.writeFrame(frames[i], 0);
      }
      writer.finish();
    }
    return frames;
  }

  @Test
  void seekReturnsTheNearestFrameAndReadingContinuesAfterIt() throws IOException {
    Path file = dir.resolve("seek.mp4");
    byte[][] frames = writeClip(file, VideoEncoding.AV1_LEROBOT, 96, 96, FRAMES);
    try (VideoReader reader = VideoReader.open(file)) {
      byte[] out = new byte[reader.info().frameBytes()];
      assertThat(reader.seek(1.32, out, 0)).isCloseTo(1.3, offset(1e-9));
      assertThat(Pictures.psnr(frames[13], out)).isGreaterThan(30.0);
      assertThat(reader.readFrame(out)).isTrue();
      assertThat(reader.frameTime()).isCloseTo(1.4, offset(1e-9));
      assertThat(Pictures.psnr(frames[14], out)).isGreaterThan(30.0);
      // between the last frame (2.3 s) and the end (2.4 s): the last frame
      assertThat(reader.seek(2.39, out, 0)).isCloseTo(2.3, offset(1e-9));
      assertThat(Pictures.psnr(frames[FRAMES - 1], out)).isGreaterThan(30.0);
      assertThat(reader.readFrame(out)).isFalse();
      // backwards after the end of the stream
      assertThat(reader.seek(0.0, out, 0)).isEqualTo(0.0);
      assertThat(Pictures.psnr(frames[0], out)).isGreaterThan(30.0);
      assertThatThrownBy(() -> reader.seek(10.0, out, 0))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining(file.toString());
    }
  }

  @Test
  void framesTooSmallForTheEncodersAreRefusedBeforeAnyNativeCall() {
    // SVT-AV1 at 8x8 corrupts its heap and aborts the JVM: the refusal has to come first
    Path file = dir.resolve("tiny.mp4");
    assertThatThrownBy(() -> VideoWriter.open(file, 8, 8, FPS, VideoEncoding.AV1_LEROBOT))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at least 16x16")
        .hasMessageContaining("8x8");
    assertThat(file).doesNotExist();
  }

  @Test
  void encodingRejectsOutOfRangeSettings() {
    assertThatThrownBy(() -> new VideoEncoding(VideoCodec.AV1, 0, 2, 10))
        .hasMessageContaining("crf");
    assertThatThrownBy(() -> new VideoEncoding(VideoCodec.AV1, 30, 0, 10))
        .hasMessageContaining("gop");
    assertThatThrownBy(() -> new VideoEncoding(VideoCodec.AV1, 30, 2, 14))
        .hasMessageContaining("preset");
    assertThatThrownBy(() -> new VideoEncoding(VideoCodec.H264, 52, 2, 0))
        .hasMessageContaining("crf");
    assertThatThrownBy(() -> new VideoEncoding(VideoCodec.H264, 23, 2, 5))
        .hasMessageContaining("preset");
  }
}
