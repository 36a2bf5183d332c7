package dev.wam4j.data.lerobot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wam4j.data.loader.LoaderConfig;
import dev.wam4j.data.loader.TrainingBatch;
import dev.wam4j.data.loader.TrainingLoader;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Image features: frames stored as PNG bytes in a {bytes, path} struct column of the parquet. */
class LeRobotImageTest {
  @TempDir Path dir;

  private static SyntheticDataset images(String version) {
    SyntheticDataset s = new SyntheticDataset();
    s.version = version;
    s.image = true;
    return s;
  }

  @ParameterizedTest
  @ValueSource(strings = {"v3.0", "v2.1"})
  void imageFramesReadBackPixelExact(String version) throws Exception {
    SyntheticDataset s = images(version);
    Path root = s.write(dir.resolve("ds"));
    try (LeRobotDataset ds = LeRobotDataset.open(root)) {
      assertThat(ds.imageKeys()).containsExactly("observation.image");
      assertThat(ds.frameKeys()).containsExactly("observation.image");
      assertThat(ds.videoKeys()).isEmpty();
      assertThat(ds.missingFiles()).isEmpty();
      assertThat(ds.frameBytes("observation.image")).isEqualTo(12 * 8 * 3);
      long i = 0;
      byte[] out = new byte[ds.frameBytes("observation.image")];
      for (Episode e : ds.episodes()) {
        for (int f = 0; f < e.length(); f++, i++) {
          ds.readFrame(e.index(), f, "observation.image", out, 0);
          assertThat(out).as("episode %d frame %d", e.index(), f).isEqualTo(s.imageRgb(i));
        }
      }
      // random access backwards, across episodes
      assertThat(ds.frame(0, 3, "observation.image")).isEqualTo(s.imageRgb(3));
      assertThat(ds.frame(2, 1, "observation.image")).isEqualTo(s.imageRgb(13));
      assertThatThrownBy(() -> ds.videoFrame(0, 0, "observation.image"))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("not a video");
    }
    assertThat(DatasetValidation.validate(root, true)).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(
      ints = {
        BufferedImage.TYPE_BYTE_GRAY,
        BufferedImage.TYPE_INT_ARGB,
        BufferedImage.TYPE_3BYTE_BGR
      })
  void grayAndRgbaPngsBecomeTheirRgbSamples(int type) throws Exception {
    SyntheticDataset s = images("v3.0");
    s.imageType = type;
    s.channelsFirst = true; // shape [3, H, W]
    try (LeRobotDataset ds = LeRobotDataset.open(s.write(dir.resolve("ds")))) {
      assertThat(ds.features().get("observation.image").channelsFirst()).isTrue();
      assertThat(ds.frame(1, 4, "observation.image")).isEqualTo(s.imageRgb(9));
    }
  }

  @Test
  void undecodableImageNamesTheDataFileEpisodeAndFrame() throws Exception {
    SyntheticDataset s = images("v3.0");
    s.corruptImage = 7; // episode 1 frame 2
    Path root = s.write(dir.resolve("ds"));
    try (LeRobotDataset ds = LeRobotDataset.open(root)) {
      assertThat(ds.frame(1, 1, "observation.image")).isEqualTo(s.imageRgb(6));
      assertThatThrownBy(() -> ds.frame(1, 2, "observation.image"))
          .isInstanceOf(LeRobotFormatException.class)
          .hasMessageContaining(root.resolve("data/chunk-000/file-000.parquet").toString())
          .hasMessageContaining("episode 1 frame 2 of observation.image")
          .hasMessageContaining("no format ImageIO reads");
    }
    List<DatasetProblem> deep = DatasetValidation.validate(root, true);
    assertThat(deep).singleElement().asString().contains("episode 1 frame 2");
    assertThat(DatasetValidation.validate(root, false)).isEmpty();
  }

  @Test
  void nullImageBytesNameTheDataFileEpisodeAndFrame() throws Exception {
    SyntheticDataset s = images("v2.1");
    s.nullImage = 12; // episode 2 frame 0
    Path root = s.write(dir.resolve("ds"));
    try (LeRobotDataset ds = LeRobotDataset.open(root)) {
      assertThatThrownBy(() -> ds.frame(2, 0, "observation.image"))
          .isInstanceOf(LeRobotFormatException.class)
          .hasMessageContaining(root.resolve("data/chunk-000/episode_000002.parquet").toString())
          .hasMessageContaining(
              "episode 2 frame 0 of observation.image: the image bytes are null (path frame_12.png)");
    }
  }

  @Test
  void imageOfAnotherSizeThanInfoJsonIsRefused() throws Exception {
    SyntheticDataset s = images("v3.0");
    Path root = s.write(dir.resolve("ds"));
    String info = java.nio.file.Files.readString(root.resolve("meta/info.json"));
    java.nio.file.Files.writeString(
        root.resolve("meta/info.json"), info.replaceFirst("\\[ 8, 12, 3 \\]", "[ 8, 10, 3 ]"));
    try (LeRobotDataset ds = LeRobotDataset.open(root)) {
      assertThatThrownBy(() -> ds.frame(0, 0, "observation.image"))
          .isInstanceOf(LeRobotFormatException.class)
          .hasMessageContaining("episode 0 frame 0")
          .hasMessageContaining("image is 12x8, info.json shape says 10x8");
    }
  }

  @Test
  void trainingLoaderLoadsImageFeatures() throws Exception {
    SyntheticDataset s = images("v3.0");
    Path root = s.write(dir.resolve("ds"));
    TrainingLoader loader =
        TrainingLoader.load(
            root,
            new LoaderConfig(
                "observation.image", "observation.state", "action", 1, 1, 32, 3, 2, 0, 0),
            null);
    TrainingBatch b = loader.newBatch();
    loader.sample(b);
    int bytes = 12 * 8 * 3;
    for (int k = 0; k < 32; k++) {
      long global = (long) -b.states[k * 2 + 1]; // state = [i / 2, -i]
      byte[] img = java.util.Arrays.copyOfRange(b.images, k * bytes, (k + 1) * bytes);
      assertThat(img).isEqualTo(s.imageRgb(global));
    }
  }
}
