package dev.wam4j.data.video;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VideoFailureTest {
  @TempDir Path dir;

  @Test
  void missingFileErrorNamesTheFile() {
    Path file = dir.resolve("nope.mp4");
    assertThatThrownBy(() -> VideoReader.open(file))
        .isInstanceOf(VideoException.class)
        .hasMessageContaining(file.toString());
  }

  @Test
  void truncatedFileErrorNamesTheFile() throws IOException {
    Path file = dir.resolve("truncated.mp4");
    VideoRoundTripTest.writeClip(file, VideoEncoding.AV1_LEROBOT, 96, 96, 24);
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
      ch.truncate(ch.size() / 2);
    }
    assertThatThrownBy(() -> readAll(file))
        .isInstanceOf(VideoException.class)
        .hasMessageContaining(file.toString());
  }

  @Test
  void fileOfRandomBytesErrorNamesTheFile() throws IOException {
    Path file = dir.resolve("noise.mp4");
    byte[] noise = new byte[20_000];
    new Random(7).nextBytes(noise);
    Files.write(file, noise);
    assertThatThrownBy(() -> readAll(file))
        .isInstanceOf(VideoException.class)
        .hasMessageContaining(file.toString());
  }

  private static int readAll(Path file) throws IOException {
    try (VideoReader reader = VideoReader.open(file)) {
      byte[] out = new byte[reader.info().frameBytes()];
      int n = 0;
      while (reader.readFrame(out)) {
        n++;
      }
      return n;
    }
  }

  @Test
  void exceptionMidWayLeavesNoFileBehind() throws IOException {
    Path file = dir.resolve("aborted.mp4");
    assertThatThrownBy(
            () -> {
              try (VideoWriter writer =
                  VideoWriter.open(file, 96, 96, 10, VideoEncoding.AV1_LEROBOT)) {
                for (int i = 0; i < 10; i++) {
                  writer.writeFrame(Pictures.scene(96, 96, i), 0);
                  if (i == 5) {
                    throw new IllegalStateException("simulated crash in the caller");
                  }
                }
                writer.finish();
              }
            })
        .hasMessage("simulated crash in the caller");
    assertThat(dir).isEmptyDirectory();
  }

  @Test
  void abortedRewriteKeepsThePreviousVideo() throws IOException {
    Path file = dir.resolve("keep.mp4");
    VideoRoundTripTest.writeClip(file, VideoEncoding.H264_DEFAULT, 96, 96, 12);
    byte[] before = Files.readAllBytes(file);
    try (VideoWriter writer = VideoWriter.open(file, 96, 96, 10, VideoEncoding.H264_DEFAULT)) {
      writer.writeFrame(Pictures.scene(96, 96, 0), 0);
      // closed without finish()
    }
    assertThat(Files.readAllBytes(file)).isEqualTo(before);
    try (var listing = Files.list(dir)) {
      assertThat(listing).containsExactly(file);
    }
  }

  @Test
  void frameTooShortIsRejectedAndLeavesNoFile() throws IOException {
    Path file = dir.resolve("short.mp4");
    try (VideoWriter writer = VideoWriter.open(file, 96, 96, 10, VideoEncoding.AV1_LEROBOT)) {
      assertThatThrownBy(() -> writer.writeFrame(new byte[100], 0))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining(file.getFileName().toString())
          .hasMessageContaining("27648");
    }
    assertThat(dir).isEmptyDirectory();
  }

  @Test
  void oddSizeIsRejectedNamingTheFileAndSize() {
    Path file = dir.resolve("odd.mp4");
    assertThatThrownBy(() -> VideoWriter.open(file, 95, 96, 10, VideoEncoding.AV1_LEROBOT))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(file.toString())
        .hasMessageContaining("95x96");
    assertThat(dir).isEmptyDirectory();
  }

  @Test
  void unknownContainerIsRejectedAndLeavesNoFile() {
    Path file = dir.resolve("clip.notavideo");
    assertThatThrownBy(() -> VideoWriter.open(file, 96, 96, 10, VideoEncoding.AV1_LEROBOT))
        .isInstanceOf(VideoException.class)
        .hasMessageContaining(file.toString());
    assertThat(dir).isEmptyDirectory();
  }
}
