package dev.wam4j.eval.turing;

import dev.wam4j.data.AtomicFiles;
import dev.wam4j.model.chart.LineChart;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * The features that give a robot away, drawn: for each of the most separating features, the share
 * of human and of robot episodes at or below each value (empirical CDFs; the wider the gap between
 * the two curves, the easier the tell). Panels of a 2-column grid in one PNG.
 */
public final class TuringPlots {
  private static final int PANEL_W = 560, PANEL_H = 340;

  private TuringPlots() {}

  /**
   * Writes {@code png} (atomically) with one panel per feature of the first {@code top} of {@code
   * ranked}.
   *
   * @param x episodes by features, in the order of {@code names}
   * @param robot true for a robot episode
   * @param names the columns' names
   * @param ranked features, most separating first (from the judge's verdict)
   * @param robotName the robot's name for the legend
   */
  public static void write(
      Path png,
      double[][] x,
      boolean[] robot,
      List<String> names,
      List<TuringJudge.Feature> ranked,
      int top,
      String robotName)
      throws IOException {
    int k = Math.min(top, ranked.size());
    if (k < 1) throw new IllegalArgumentException("nothing to plot: no features");
    int cols = Math.min(2, k), rows = (k + 1) / 2;
    BufferedImage sheet =
        new BufferedImage(cols * PANEL_W, rows * PANEL_H, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = sheet.createGraphics();
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, sheet.getWidth(), sheet.getHeight());
    for (int i = 0; i < k; i++) {
      TuringJudge.Feature f = ranked.get(i);
      int col = names.indexOf(f.name());
      double[] h = column(x, robot, col, false), r = column(x, robot, col, true);
      LineChart chart =
          new LineChart(
                  String.format("%s (AUC %.2f alone)", f.name(), f.auc()),
                  f.name(),
                  "share of episodes <= value")
              .withSize(PANEL_W, PANEL_H)
              .series("people (" + h.length + ")", h, cdf(h.length))
              .series(robotName + " (" + r.length + ")", r, cdf(r.length));
      g.drawImage(chart.draw(), (i % 2) * PANEL_W, (i / 2) * PANEL_H, null);
    }
    g.dispose();
    AtomicFiles.writePng(png, sheet);
  }

  /** The sorted values of one column for one kind of episode. */
  static double[] column(double[][] x, boolean[] robot, int col, boolean kind) {
    return Arrays.stream(range(x.length))
        .filter(i -> robot[i] == kind)
        .mapToDouble(i -> x[i][col])
        .sorted()
        .toArray();
  }

  private static int[] range(int n) {
    int[] r = new int[n];
    for (int i = 0; i < n; i++) r[i] = i;
    return r;
  }

  /** (i + 1) / n for i = 0..n-1: the empirical CDF at the sorted values. */
  static double[] cdf(int n) {
    double[] y = new double[n];
    for (int i = 0; i < n; i++) y[i] = (i + 1) / (double) n;
    return y;
  }
}
