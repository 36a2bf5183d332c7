package dev.wam4j.model.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The loss chart writes a PNG of the asked size with curves on it, whatever holes the log has. */
class LossChartTest {
  @TempDir Path tmp;

  /** A noisy decaying train loss every step and a validation loss every 50 steps, 400 steps. */
  TrainingLog.Table noisyRun() throws IOException {
    Path file = tmp.resolve("run.csv");
    var random = new java.util.Random(7);
    try (TrainingLog log = TrainingLog.create(file, List.of("step", "loss", "val_loss"))) {
      for (int step = 0; step < 400; step++) {
        double loss = 2 * Math.exp(-step / 80.0) + 0.05;
        TrainingLog.Row row =
            log.row(step).set("loss", loss * (1 + 0.3 * random.nextGaussian() * 0.5));
        if (step % 50 == 0) row.set("val_loss", loss * 1.2);
        row.write();
      }
    }
    return TrainingLog.read(file);
  }

  static long nonWhitePixels(BufferedImage image) {
    long n = 0;
    for (int y = 0; y < image.getHeight(); y++)
      for (int x = 0; x < image.getWidth(); x++)
        if ((image.getRGB(x, y) & 0xffffff) != 0xffffff) n++;
    return n;
  }

  /**
   * Pixels of the series' first colour (the palette's blue), which only curves and the legend use.
   */
  static long bluePixels(BufferedImage image) {
    long n = 0;
    for (int y = 0; y < image.getHeight(); y++) {
      for (int x = 0; x < image.getWidth(); x++) {
        int rgb = image.getRGB(x, y), r = rgb >> 16 & 0xff, g = rgb >> 8 & 0xff, b = rgb & 0xff;
        if (b > r + 60 && b > g + 20) n++;
      }
    }
    return n;
  }

  @Test
  void writesAPngOfTheRequestedSizeWithCurvesOnIt() throws IOException {
    Path png = tmp.resolve("loss.png");
    LossChart.of("train", "loss", "val_loss")
        .withLogY()
        .withSmoothing(25, "loss")
        .withSize(640, 360)
        .write(noisyRun(), png);
    BufferedImage image = ImageIO.read(png.toFile());
    assertThat(image).isNotNull();
    assertThat(image.getWidth()).isEqualTo(640);
    assertThat(image.getHeight()).isEqualTo(360);
    assertThat(nonWhitePixels(image)).isGreaterThan(5_000);
    assertThat(bluePixels(image)).isGreaterThan(500);
    try (var files = Files.list(tmp)) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .containsExactlyInAnyOrder("run.csv", "loss.png");
    }
  }

  @Test
  void drawsALogWithEmptyCellsAndASingleRow() throws IOException {
    Path file = tmp.resolve("one.csv");
    try (TrainingLog log = TrainingLog.create(file, List.of("step", "loss", "val_loss"))) {
      log.row(100).set("loss", 0.7).write();
    }
    Path png = tmp.resolve("one.png");
    LossChart.of("one step", "loss", "val_loss").withLogY().write(TrainingLog.read(file), png);
    BufferedImage image = ImageIO.read(png.toFile());
    assertThat(image.getWidth()).isEqualTo(900);
    assertThat(image.getHeight()).isEqualTo(500);
    assertThat(bluePixels(image)).as("the single loss point and its legend line").isGreaterThan(40);
  }

  @Test
  void drawsEmptyAxesForALogWithoutRows() throws IOException {
    Path file = tmp.resolve("empty.csv");
    TrainingLog.create(file, List.of("step", "loss")).close();
    BufferedImage image = LossChart.of("nothing yet", "loss").draw(TrainingLog.read(file));
    assertThat(nonWhitePixels(image)).isGreaterThan(1_000);
  }

  @Test
  void anUnknownColumnIsNamed() throws IOException {
    assertThatThrownBy(() -> LossChart.of("x", "lr").draw(noisyRun()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no column lr");
  }
}
