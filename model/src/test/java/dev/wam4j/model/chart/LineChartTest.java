package dev.wam4j.model.chart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class LineChartTest {
  @Test
  void movingAverageIsATrailingMeanThatStartsAtTheFirstPoint() {
    assertThat(LineChart.movingAverage(new double[] {1, 3, 5, 7}, 2)).containsExactly(1, 2, 4, 6);
  }

  @Test
  void ticksAreRoundNumbersInsideTheRange() {
    assertThat(LineChart.linearTicks(0, 1000, 5, 1))
        .containsExactly(0.0, 200.0, 400.0, 600.0, 800.0, 1000.0);
    assertThat(LineChart.logTicks(-2, 0).stream().map(t -> LineChart.label(Math.pow(10, t))))
        .containsExactly("0.01", "0.02", "0.05", "0.1", "0.2", "0.5", "1");
    assertThat(LineChart.linearTicks(99, 101, 8, 1))
        .as("whole steps")
        .containsExactly(99.0, 100.0, 101.0);
    assertThat(LineChart.label(0.1 + 0.2)).isEqualTo("0.3");
  }

  @Test
  void aLogXChartSkipsPointsItCannotDrawAndStillRendersTheRest() throws Exception {
    LineChart chart =
        new LineChart("scaling", "hours", "loss")
            .withLogX()
            .series("runs", new double[] {0, 0.5, 2, 8}, new double[] {9, 0.4, 0.3, Double.NaN})
            .curve("fit", new double[] {0.5, 8}, new double[] {0.41, 0.2});
    BufferedImage image = ImageIO.read(new ByteArrayInputStream(chart.png()));
    assertThat(image.getWidth()).isEqualTo(900);
    long red = 0; // the second series' colour: the dashed fit
    for (int y = 0; y < image.getHeight(); y++) {
      for (int x = 0; x < image.getWidth(); x++) {
        int rgb = image.getRGB(x, y);
        if ((rgb >> 16 & 0xff) > 180 && (rgb >> 8 & 0xff) < 90 && (rgb & 0xff) < 90) red++;
      }
    }
    assertThat(red).isGreaterThan(100);
    assertThatThrownBy(() -> chart.series("bad", new double[2], new double[3]))
        .hasMessageContaining("series bad: 2 x values, 3 y values");
  }

  @Test
  void marksAreTicksAtTheirEventsNotALineBetweenThem() throws Exception {
    double[] x = {0, 0, 10, 10}, y = {0, 1, 0, 1};
    long between = colouredPixelsBetween(new LineChart("t", "x", "y").marks("events", x, y));
    long joined = colouredPixelsBetween(new LineChart("t", "x", "y").series("events", x, y));
    assertThat(between).isZero();
    assertThat(joined).as("the same points as one line cross the middle").isGreaterThan(20);
    assertThatThrownBy(
            () -> new LineChart("t", "x", "y").marks("odd", new double[3], new double[3]))
        .hasMessageContaining("pairs");
  }

  /**
   * Strongly coloured pixels in the middle fifth of the image's width (series, not grid or text).
   */
  private static long colouredPixelsBetween(LineChart chart) throws Exception {
    BufferedImage image = ImageIO.read(new ByteArrayInputStream(chart.png()));
    long n = 0;
    for (int y = 0; y < image.getHeight(); y++) {
      for (int x = image.getWidth() * 2 / 5; x < image.getWidth() * 3 / 5; x++) {
        int rgb = image.getRGB(x, y), r = rgb >> 16 & 0xff, g = rgb >> 8 & 0xff, b = rgb & 0xff;
        if (Math.max(r, Math.max(g, b)) - Math.min(r, Math.min(g, b)) > 80) n++;
      }
    }
    return n;
  }
}
