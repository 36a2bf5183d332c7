package dev.wam4j.model.train;

import dev.wam4j.data.AtomicFiles;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * A line chart of some columns of a {@link TrainingLog} against step, drawn with Java2D (no chart
 * library, no display). Empty cells are skipped and the points left in a column are joined, so a
 * sparse validation loss draws as a line through its points (dots mark series of few points).
 *
 * @param title drawn above the plot
 * @param columns the columns to draw, one colour each
 * @param logY whether the y axis is log10 (then values {@code <= 0} are skipped)
 * @param window points in the trailing moving average drawn over the faint raw curve of each
 *     column in {@code smoothed}; 1 draws raw curves only
 * @param smoothed columns drawn smoothed (noisy train losses, not a sparse validation loss)
 * @param width image width in pixels
 * @param height image height in pixels
 */
public record LossChart(String title, List<String> columns, boolean logY, int window, Set<String> smoothed, int width, int height) {
  static {
    // a trainer may run on a machine without a display; never let AWT look for one
    if (System.getProperty("java.awt.headless") == null) System.setProperty("java.awt.headless", "true");
  }

  private static final Color[] PALETTE = {
    new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c), new Color(0xd62728), new Color(0x9467bd),
    new Color(0x8c564b), new Color(0xe377c2), new Color(0x7f7f7f), new Color(0xbcbd22), new Color(0x17becf)};
  private static final int LEFT = 72, RIGHT = 24, TOP = 44, BOTTOM = 52, DOTS_UP_TO = 40;

  public LossChart {
    columns = List.copyOf(columns);
    smoothed = Set.copyOf(smoothed);
    if (columns.isEmpty()) throw new IllegalArgumentException("loss chart: no columns to draw");
    if (window < 1) throw new IllegalArgumentException("loss chart: smoothing window " + window + " < 1");
    if (!columns.containsAll(smoothed)) throw new IllegalArgumentException("loss chart: smoothed " + smoothed + " not all in " + columns);
    if (width < 200 || height < 150) throw new IllegalArgumentException("loss chart: size " + width + "x" + height + " below 200x150");
  }

  /** A 900x500 chart of {@code columns}, linear y, no smoothing. */
  public static LossChart of(String title, String... columns) {
    return new LossChart(title, List.of(columns), false, 1, Set.of(), 900, 500);
  }

  /** This chart with a log10 y axis. */
  public LossChart withLogY() {
    return new LossChart(title, columns, true, window, smoothed, width, height);
  }

  /** This chart with {@code columns} drawn as a {@code window}-point moving average over their faint raw curve. */
  public LossChart withSmoothing(int window, String... columns) {
    return new LossChart(title, this.columns, logY, window, Set.of(columns), width, height);
  }

  /** This chart at another size in pixels. */
  public LossChart withSize(int width, int height) {
    return new LossChart(title, columns, logY, window, smoothed, width, height);
  }

  /** Draws the chart of {@code log} into a new RGB image. */
  public BufferedImage draw(TrainingLog.Table log) {
    long[] steps = log.steps();
    List<double[][]> series = new ArrayList<>(); // per column {x[], y'[]}, y' already log10 when logY
    double x0 = Double.POSITIVE_INFINITY, x1 = Double.NEGATIVE_INFINITY, y0 = x0, y1 = x1;
    for (String column : columns) {
      double[] cells = log.column(column);
      int n = 0;
      double[] xs = new double[cells.length], ys = new double[cells.length];
      for (int r = 0; r < cells.length; r++) {
        if (Double.isNaN(cells[r]) || (logY && cells[r] <= 0)) continue;
        xs[n] = steps[r];
        ys[n] = logY ? Math.log10(cells[r]) : cells[r];
        x0 = Math.min(x0, xs[n]); x1 = Math.max(x1, xs[n]); y0 = Math.min(y0, ys[n]); y1 = Math.max(y1, ys[n]);
        n++;
      }
      series.add(new double[][] {Arrays.copyOf(xs, n), Arrays.copyOf(ys, n)});
    }
    if (x0 > x1) { x0 = 0; x1 = 1; y0 = 0; y1 = 1; } // nothing to draw: empty axes
    if (x0 == x1) { x0 -= 1; x1 += 1; }
    if (y0 == y1) { double half = logY || y0 == 0 ? 0.5 : Math.abs(y0) * 0.1; y0 -= half; y1 += half; }
    double pad = (y1 - y0) * 0.05;
    Frame f = new Frame(LEFT, TOP, width - LEFT - RIGHT, height - TOP - BOTTOM, x0, x1, y0 - pad, y1 + pad);

    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
      g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, width, height);
      g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
      drawAxes(g, f);
      g.setClip(f.left, f.top, f.width + 1, f.height + 1);
      for (int s = 0; s < series.size(); s++) {
        Color colour = PALETTE[s % PALETTE.length];
        double[] xs = series.get(s)[0], ys = series.get(s)[1];
        if (smoothed.contains(columns.get(s)) && window > 1) {
          polyline(g, f, xs, ys, new Color(colour.getRed(), colour.getGreen(), colour.getBlue(), 60), 1f);
          polyline(g, f, xs, movingAverage(ys, window), colour, 2f);
        } else {
          polyline(g, f, xs, ys, colour, 1.6f);
        }
        if (xs.length <= DOTS_UP_TO) {
          g.setColor(colour);
          for (int i = 0; i < xs.length; i++) g.fill(new Ellipse2D.Double(f.px(xs[i]) - 3, f.py(ys[i]) - 3, 6, 6));
        }
      }
      g.setClip(null);
      drawLegend(g, f);
      g.setColor(Color.BLACK);
      g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
      g.drawString(title, (width - g.getFontMetrics().stringWidth(title)) / 2, 26);
    } finally {
      g.dispose();
    }
    return image;
  }

  /** Draws the chart of {@code log} to {@code png}: a temp file beside it, then an atomic move. */
  public void write(TrainingLog.Table log, Path png) throws IOException {
    AtomicFiles.writePng(png, draw(log));
  }

  /** The plot rectangle in pixels and the data range it shows (y already log10 when the axis is). */
  private record Frame(int left, int top, int width, int height, double x0, double x1, double y0, double y1) {
    double px(double x) { return left + (x - x0) / (x1 - x0) * width; }
    double py(double y) { return top + height - (y - y0) / (y1 - y0) * height; }
  }

  private void drawAxes(Graphics2D g, Frame f) {
    FontMetrics fm = g.getFontMetrics();
    for (double x : linearTicks(f.x0, f.x1, Math.max(2, f.width / 110), 1)) { // steps are whole
      int px = (int) Math.round(f.px(x));
      g.setColor(new Color(0xe8e8e8));
      g.drawLine(px, f.top, px, f.top + f.height);
      g.setColor(Color.DARK_GRAY);
      g.drawLine(px, f.top + f.height, px, f.top + f.height + 4);
      String label = label(x);
      g.drawString(label, px - fm.stringWidth(label) / 2, f.top + f.height + 6 + fm.getAscent());
    }
    for (double y : logY ? logTicks(f.y0, f.y1) : linearTicks(f.y0, f.y1, Math.max(2, f.height / 60), 0)) {
      int py = (int) Math.round(f.py(y));
      g.setColor(new Color(0xe8e8e8));
      g.drawLine(f.left, py, f.left + f.width, py);
      g.setColor(Color.DARK_GRAY);
      g.drawLine(f.left - 4, py, f.left, py);
      String label = label(logY ? Math.pow(10, y) : y);
      g.drawString(label, f.left - 7 - fm.stringWidth(label), py + fm.getAscent() / 2 - 1);
    }
    g.drawRect(f.left, f.top, f.width, f.height);
    g.drawString("step", f.left + f.width / 2 - fm.stringWidth("step") / 2, f.top + f.height + 22 + fm.getAscent());
    if (logY) g.drawString("log scale", 8, f.top - 8);
  }

  private void drawLegend(Graphics2D g, Frame f) {
    FontMetrics fm = g.getFontMetrics();
    List<String> names = new ArrayList<>();
    int textWidth = 0;
    for (String c : columns) {
      String name = smoothed.contains(c) && window > 1 ? c + " (mean of " + window + ")" : c;
      names.add(name);
      textWidth = Math.max(textWidth, fm.stringWidth(name));
    }
    int row = fm.getHeight() + 2, w = textWidth + 42, h = names.size() * row + 10;
    int x = f.left + f.width - w - 10, y = f.top + 10;
    g.setColor(new Color(255, 255, 255, 220));
    g.fillRect(x, y, w, h);
    g.setColor(Color.GRAY);
    g.drawRect(x, y, w, h);
    g.setStroke(new BasicStroke(2.5f));
    for (int i = 0; i < names.size(); i++) {
      int cy = y + 5 + i * row + row / 2;
      g.setColor(PALETTE[i % PALETTE.length]);
      g.drawLine(x + 8, cy, x + 30, cy);
      g.setColor(Color.BLACK);
      g.drawString(names.get(i), x + 36, cy + fm.getAscent() / 2 - 1);
    }
    g.setStroke(new BasicStroke(1f));
  }

  private static void polyline(Graphics2D g, Frame f, double[] xs, double[] ys, Color colour, float width) {
    if (xs.length < 2) return;
    Path2D.Double path = new Path2D.Double();
    path.moveTo(f.px(xs[0]), f.py(ys[0]));
    for (int i = 1; i < xs.length; i++) path.lineTo(f.px(xs[i]), f.py(ys[i]));
    g.setColor(colour);
    g.setStroke(new BasicStroke(width, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
    g.draw(path);
  }

  /** Trailing mean over up to {@code window} points, so the curve starts at the first point. */
  static double[] movingAverage(double[] ys, int window) {
    double[] out = new double[ys.length];
    double sum = 0;
    for (int i = 0; i < ys.length; i++) {
      sum += ys[i];
      if (i >= window) sum -= ys[i - window];
      out[i] = sum / Math.min(i + 1, window);
    }
    return out;
  }

  /** Multiples of 1, 2 or 5 times a power of ten (at least {@code minStep} apart) in [lo, hi], about {@code target} of them. */
  static List<Double> linearTicks(double lo, double hi, int target, double minStep) {
    double raw = (hi - lo) / target, mag = Math.pow(10, Math.floor(Math.log10(raw))), step;
    double norm = raw / mag;
    step = Math.max(minStep, (norm < 1.5 ? 1 : norm < 3.5 ? 2 : norm < 7.5 ? 5 : 10) * mag);
    List<Double> ticks = new ArrayList<>();
    for (long k = (long) Math.ceil(lo / step); k * step <= hi + step * 1e-9; k++) ticks.add(k * step);
    return ticks;
  }

  /** Log10 positions of 1, 2 and 5 times powers of ten in [lo, hi] (only powers when they are many). */
  static List<Double> logTicks(double lo, double hi) {
    List<Double> ticks = new ArrayList<>();
    int[] mantissas = hi - lo > 4 ? new int[] {1} : hi - lo > 1.2 ? new int[] {1, 2, 5} : new int[] {1, 2, 3, 4, 5, 6, 7, 8, 9};
    for (int d = (int) Math.floor(lo); d <= Math.ceil(hi); d++) {
      for (int m : mantissas) {
        double t = d + Math.log10(m);
        if (t >= lo && t <= hi) ticks.add(t);
      }
    }
    if (ticks.size() < 3) { // less than a decade shown: plain ticks in value space
      ticks.clear();
      for (double v : linearTicks(Math.pow(10, lo), Math.pow(10, hi), 5, 0)) if (v > 0) ticks.add(Math.log10(v));
    }
    return ticks;
  }

  /** A tick label: up to 6 significant digits, no trailing zeros, no float noise. */
  static String label(double v) {
    if (v == 0) return "0";
    BigDecimal d = new BigDecimal(v).round(new MathContext(6)).stripTrailingZeros();
    double a = Math.abs(v);
    return a >= 1e-3 && a < 1e7 ? d.toPlainString() : d.toString();
  }
}
