package dev.wam4j.model.train;

import dev.wam4j.model.chart.LineChart;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * The loss curves of a {@link TrainingLog}: some of its columns against step, as a {@link
 * LineChart}. Empty cells are skipped and the points left in a column are joined, so a sparse
 * validation loss draws as a line through its points.
 *
 * @param title drawn above the plot
 * @param columns the columns to draw, one colour each
 * @param logY whether the y axis is log10 (then values {@code <= 0} are skipped)
 * @param window points in the trailing moving average drawn over the faint raw curve of each column
 *     in {@code smoothed}; 1 draws raw curves only
 * @param smoothed columns drawn smoothed (noisy train losses, not a sparse validation loss)
 * @param width image width in pixels
 * @param height image height in pixels
 */
public record LossChart(
    String title,
    List<String> columns,
    boolean logY,
    int window,
    Set<String> smoothed,
    int width,
    int height) {
  public LossChart {
    columns = List.copyOf(columns);
    smoothed = Set.copyOf(smoothed);
    if (columns.isEmpty()) throw new IllegalArgumentException("loss chart: no columns to draw");
    if (window < 1)
      throw new IllegalArgumentException("loss chart: smoothing window " + window + " < 1");
    if (!columns.containsAll(smoothed))
      throw new IllegalArgumentException(
          "loss chart: smoothed " + smoothed + " not all in " + columns);
    if (width < 200 || height < 150)
      throw new IllegalArgumentException(
          "loss chart: size " + width + "x" + height + " below 200x150");
  }

  /** A 900x500 chart of {@code columns}, linear y, no smoothing. */
  public static LossChart of(String title, String... columns) {
    return new LossChart(title, List.of(columns), false, 1, Set.of(), 900, 500);
  }

  /** This chart with a log10 y axis. */
  public LossChart withLogY() {
    return new LossChart(title, columns, true, window, smoothed, width, height);
  }

  /**
   * This chart with {@code columns} drawn as a {@code window}-point moving average over their faint
   * raw curve.
   */
  public LossChart withSmoothing(int window, String... columns) {
    return new LossChart(title, this.columns, logY, window, Set.of(columns), width, height);
  }

  /** This chart at another size in pixels. */
  public LossChart withSize(int width, int height) {
    return new LossChart(title, columns, logY, window, smoothed, width, height);
  }

  /** The chart of {@code log}. */
  public LineChart chart(TrainingLog.Table log) {
    LineChart chart = new LineChart(title, "step", "").withWholeX().withSize(width, height);
    if (logY) chart.withLogY();
    double[] steps = Arrays.stream(log.steps()).asDoubleStream().toArray();
    for (String column : columns)
      chart.smoothed(
          column,
          steps,
          log.column(column),
          smoothed.contains(column) ? window : 1); // empty cells: NaN, skipped
    return chart;
  }

  /** Draws the chart of {@code log} into a new RGB image. */
  public BufferedImage draw(TrainingLog.Table log) {
    return chart(log).draw();
  }

  /** Draws the chart of {@code log} to {@code png}, whole or not at all. */
  public void write(TrainingLog.Table log, Path png) throws IOException {
    chart(log).write(png);
  }
}
