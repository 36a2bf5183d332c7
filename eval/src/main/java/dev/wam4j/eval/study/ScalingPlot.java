package dev.wam4j.eval.study;

import dev.wam4j.model.chart.LineChart;
import java.io.IOException;
import java.nio.file.Path;

/**
 * A PNG of a scaling study: the runs' best losses against hours (log axis) with both fitted laws.
 */
public final class ScalingPlot {
  private ScalingPlot() {}

  /** Writes the plot, whole or not at all. */
  public static void write(ScalingStudy.Result r, Path png) throws IOException {
    int n = r.points().size();
    double[] hours = new double[n], loss = new double[n];
    for (int i = 0; i < n; i++) {
      hours[i] = r.points().get(i).hours();
      loss[i] = r.points().get(i).bestLoss();
    }
    // both laws over the runs' range and a little beyond, evenly on the log axis
    double lo = Math.log(hours[0]) - 0.2, hi = Math.log(hours[n - 1]) + 0.2;
    double[] grid = new double[101], logLinear = new double[101], power = new double[101];
    ScalingFit f = r.fit();
    for (int i = 0; i <= 100; i++) {
      grid[i] = Math.exp(lo + (hi - lo) * i / 100);
      logLinear[i] = f.logLinear(grid[i]);
      power[i] = f.power(grid[i]);
    }
    new LineChart(
            "best " + r.metric() + " vs hours of pre-training video", "hours of video", r.metric())
        .withLogX()
        .series("runs", hours, loss)
        .curve(
            String.format("L = %.4f - %.4f ln D   (R^2 %.3f)", f.a(), f.b(), f.r2LogLinear()),
            grid,
            logLinear)
        .curve(
            String.format("L = %.4f D^-%.3f   (R^2 %.3f)", f.c(), f.alpha(), f.r2Power()),
            grid,
            power)
        .write(png);
  }
}
