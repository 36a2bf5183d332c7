package dev.wam4j.data.video;

import static org.assertj.core.api.Assertions.assertThat;
import static org.bytedeco.ffmpeg.global.avutil.AVCOL_RANGE_JPEG;
import static org.bytedeco.ffmpeg.global.avutil.AVCOL_RANGE_MPEG;
import static org.bytedeco.ffmpeg.global.avutil.AVCOL_RANGE_UNSPECIFIED;
import static org.bytedeco.ffmpeg.global.avutil.AVCOL_SPC_BT2020_NCL;
import static org.bytedeco.ffmpeg.global.avutil.AVCOL_SPC_BT470BG;
import static org.bytedeco.ffmpeg.global.avutil.AVCOL_SPC_BT709;
import static org.bytedeco.ffmpeg.global.avutil.AVCOL_SPC_SMPTE170M;
import static org.bytedeco.ffmpeg.global.avutil.AVCOL_SPC_UNSPECIFIED;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV420P;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUVJ420P;
import static org.bytedeco.ffmpeg.global.swscale.SWS_CS_BT2020;
import static org.bytedeco.ffmpeg.global.swscale.SWS_CS_ITU601;
import static org.bytedeco.ffmpeg.global.swscale.SWS_CS_ITU709;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VideoColourTest {
  private static final int SIZE = 96;
  private static final int BLOCK = 32;

  /**
   * Saturated colours (where BT.601 and BT.709 disagree most) and near-black/white (where range
   * matters).
   */
  private static final int[][] COLOURS = {
    {220, 30, 30}, {30, 200, 50}, {30, 50, 230},
    {8, 8, 8}, {248, 248, 248}, {230, 200, 20}
  };

  @TempDir Path dir;

  @Test
  void colourMatrixFollowsTheFrameTagAndUntaggedMeansBt601() {
    assertThat(VideoReader.swsColorspace(AVCOL_SPC_BT709)).isEqualTo(SWS_CS_ITU709);
    assertThat(VideoReader.swsColorspace(AVCOL_SPC_SMPTE170M)).isEqualTo(SWS_CS_ITU601);
    assertThat(VideoReader.swsColorspace(AVCOL_SPC_BT470BG)).isEqualTo(SWS_CS_ITU601);
    assertThat(VideoReader.swsColorspace(AVCOL_SPC_UNSPECIFIED)).isEqualTo(SWS_CS_ITU601);
    assertThat(VideoReader.swsColorspace(AVCOL_SPC_BT2020_NCL)).isEqualTo(SWS_CS_BT2020);
  }

  @Test
  void rangeIsFullOnlyWhenTaggedFullOrTheFormatIsYuvj() {
    assertThat(VideoReader.fullRange(AVCOL_RANGE_JPEG, AV_PIX_FMT_YUV420P)).isTrue();
    assertThat(VideoReader.fullRange(AVCOL_RANGE_MPEG, AV_PIX_FMT_YUV420P)).isFalse();
    assertThat(VideoReader.fullRange(AVCOL_RANGE_UNSPECIFIED, AV_PIX_FMT_YUV420P)).isFalse();
    assertThat(VideoReader.fullRange(AVCOL_RANGE_UNSPECIFIED, AV_PIX_FMT_YUVJ420P)).isTrue();
  }

  @Test
  void bt709FullRangeFileDecodesToItsColours() throws IOException {
    assertThat(worstBlockError(VideoWriter.ColourTags.BT709_FULL)).isLessThanOrEqualTo(4);
  }

  @Test
  void bt601LimitedFileDecodesToItsColours() throws IOException {
    assertThat(worstBlockError(VideoWriter.ColourTags.BT601_LIMITED)).isLessThanOrEqualTo(4);
  }

  /**
   * Writes 3 frames of flat colour blocks tagged {@code tags}; the largest channel error at block
   * centres.
   */
  private int worstBlockError(VideoWriter.ColourTags tags) throws IOException {
    byte[] rgb = new byte[SIZE * SIZE * 3];
    for (int y = 0; y < SIZE; y++) {
      for (int x = 0; x < SIZE; x++) {
        int[] c = COLOURS[(y / BLOCK % 2) * 3 + x / BLOCK];
        for (int k = 0; k < 3; k++) rgb[3 * (y * SIZE + x) + k] = (byte) c[k];
      }
    }
    Path file = dir.resolve(tags + ".mp4");
    try (VideoWriter w =
        VideoWriter.open(
            file, SIZE, SIZE, 10, new VideoEncoding(VideoCodec.AV1, 10, 2, 10), tags)) {
      for (int i = 0; i < 3; i++) w.writeFrame(rgb, 0);
      w.finish();
    }
    int worst = 0;
    try (VideoReader r = VideoReader.open(file)) {
      byte[] out = new byte[r.info().frameBytes()];
      assertThat(r.readFrame(out)).isTrue();
      for (int y = 8; y < SIZE; y += BLOCK) {
        for (int x = 8; x < SIZE; x += BLOCK) {
          for (int dy = 0; dy < 16; dy++) {
            for (int dx = 0; dx < 16; dx++) {
              int i = 3 * ((y + dy) * SIZE + x + dx);
              for (int k = 0; k < 3; k++)
                worst = Math.max(worst, Math.abs((out[i + k] & 0xff) - (rgb[i + k] & 0xff)));
            }
          }
        }
      }
    }
    return worst;
  }
}
