package dev.wam4j.data.lerobot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wam4j.data.video.VideoException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LeRobotVideoTest {
  @TempDir Path dir;

  /** Mean byte of an RGB frame; the synthetic videos are flat greys. */
  private static double mean(byte[] rgb) {
    long s = 0;
    for (byte b : rgb) s += b & 0xff;
    return (double) s / rgb.length;
  }

  @Test
  void v3FramesComeFromTheSharedFileAtFromTimestampPlusFrameTime() throws Exception {
    SyntheticDataset spec = new SyntheticDataset();
    spec.video = true;
    Path root = spec.write(dir.resolve("ds"));
    try (LeRobotDataset ds = LeRobotDataset.open(root)) {
      assertThat(ds.videoKeys()).containsExactly("observation.image");
      // random access, out of order
      assertThat(mean(ds.videoFrame(1, 3, "observation.image")))
          .isCloseTo(SyntheticDataset.grey(8), org.assertj.core.data.Offset.offset(3.0));
      assertThat(mean(ds.videoFrame(0, 0, "observation.image")))
          .isCloseTo(SyntheticDataset.grey(0), org.assertj.core.data.Offset.offset(3.0));
      // sequential walk of the last episode
      byte[] out = new byte[ds.frameBytes("observation.image")];
      for (int f = 0; f < 4; f++) {
        ds.readVideoFrame(2, f, "observation.image", out, 0);
        assertThat(mean(out))
            .as("frame %d", f)
            .isCloseTo(SyntheticDataset.grey(12 + f), org.assertj.core.data.Offset.offset(3.0));
      }
    }
    assertThat(DatasetValidation.validate(root)).isEmpty();
  }

  @Test
  void v21PerEpisodeVideosWithVideoInfoChannelAndChannelsFirst() throws Exception {
    SyntheticDataset spec = new SyntheticDataset();
    spec.version = "v2.1";
    spec.video = true;
    spec.videoInfoKey = "video_info";
    spec.channelName = "channel";
    spec.channelsFirst = true;
    Path root = spec.write(dir.resolve("ds"));
    try (LeRobotDataset ds = LeRobotDataset.open(root)) {
      Feature f = ds.info().feature("observation.image");
      assertThat(f.channelsFirst()).isTrue();
      assertThat(f.height()).isEqualTo(96);
      assertThat(f.video().orElseThrow().codec()).contains("av1");
      for (int frame : new int[] {6, 0, 1, 2}) {
        assertThat(mean(ds.videoFrame(1, frame, "observation.image")))
            .isCloseTo(SyntheticDataset.grey(5 + frame), org.assertj.core.data.Offset.offset(3.0));
      }
    }
    assertThat(DatasetValidation.validate(root)).isEmpty();
  }

  @Test
  void corruptedVideoIsAnErrorNamingTheMp4AndAValidationProblem() throws Exception {
    SyntheticDataset spec = new SyntheticDataset();
    spec.video = true;
    Path root = spec.write(dir.resolve("ds"));
    Path mp4 = root.resolve("videos/observation.image/chunk-000/file-000.mp4");
    byte[] noise = new byte[(int) Files.size(mp4)];
    new Random(3).nextBytes(noise);
    Files.write(mp4, noise);
    try (LeRobotDataset ds = LeRobotDataset.open(root)) {
      assertThat(ds.row(0, 1).floats("action"))
          .containsExactly(1.25f, 1f); // tabular columns still served
      assertThatThrownBy(() -> ds.videoFrame(0, 1, "observation.image"))
          .isInstanceOf(VideoException.class)
          .hasMessageContaining(mp4.toString());
    }
    assertThat(DatasetValidation.validate(root))
        .anySatisfy(p -> assertThat(p.file()).isEqualTo(mp4));
  }

  @Test
  void videoShorterThanTheEpisodesIsReported() throws IOException, java.sql.SQLException {
    SyntheticDataset spec = new SyntheticDataset();
    spec.video = true;
    Path root = spec.write(dir.resolve("ds"));
    spec.lengths = new int[] {5, 7, 2};
    Path shortDir = spec.write(dir.resolve("short"));
    Path mp4 = "videos/observation.image/chunk-000/file-000.mp4".transform(root::resolve);
    Files.copy(
        shortDir.resolve("videos/observation.image/chunk-000/file-000.mp4"),
        mp4,
        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    assertThat(DatasetValidation.validate(root))
        .anySatisfy(
            p -> assertThat(p.toString()).contains(mp4.toString()).contains("has 14 frames"));
  }
}
