package dev.wam4j.data.lerobot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FrameExportTest {
  @TempDir Path dir;

  @Test
  void writesOnePngPerFrameOfTheEpisodeWithItsPixels() throws Exception {
    SyntheticDataset spec = new SyntheticDataset();
    spec.image = true;
    Path root = spec.write(dir.resolve("ds"));
    List<Long> done = new ArrayList<>();
    FrameExport.Result r =
        FrameExport.write(
            root,
            1,
            "observation.image",
            dir.resolve("png"),
            (d, total) -> {
              assertThat(total).isEqualTo(7);
              done.add(d);
            });
    assertThat(r)
        .isEqualTo(new FrameExport.Result(dir.resolve("png"), "observation.image", 1, 7, 12, 8));
    assertThat(done).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L);
    try (var files = Files.list(dir.resolve("png"))) {
      assertThat(files.map(p -> p.getFileName().toString()).sorted())
          .containsExactly(
              "frame_000000.png",
              "frame_000001.png",
              "frame_000002.png",
              "frame_000003.png",
              "frame_000004.png",
              "frame_000005.png",
              "frame_000006.png");
    }
    BufferedImage img = ImageIO.read(dir.resolve("png/frame_000002.png").toFile());
    assertThat(img.getWidth()).isEqualTo(12);
    assertThat(img.getHeight()).isEqualTo(8);
    byte[] want = spec.imageRgb(5 + 2); // episode 1 starts at global index 5
    int o = 3 * (4 * 12 + 7);
    assertThat(img.getRGB(7, 4) & 0xffffff)
        .isEqualTo((want[o] & 0xff) << 16 | (want[o + 1] & 0xff) << 8 | (want[o + 2] & 0xff));
  }

  @Test
  void aKeyWithoutFramesIsRefusedNamingTheFrameKeys() throws Exception {
    SyntheticDataset spec = new SyntheticDataset();
    spec.image = true;
    Path root = spec.write(dir.resolve("ds"));
    assertThatThrownBy(() -> FrameExport.write(root, 0, "action", dir.resolve("png"), null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("frame keys are [observation.image]");
    assertThat(dir.resolve("png")).doesNotExist();
  }
}
