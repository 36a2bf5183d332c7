package dev.wam4j.model.chart;

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
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.imageio.ImageIO;

/**
 * A line chart of a few named series, drawn with Java2D (no chart library, no display): the loss
 * curves of training, the plots of studies, monitor and RL reports. Axes linear or log10, ticks at
 * 1, 2 and 5 times powers of ten, a legend inside the plot. Points that are not finite (or not
 * positive on a log axis) are skipped and the rest joined, so a sparse series draws as a line
 * through its points. A builder: options and series are added in place (each call returns the
 * chart); not thread-safe.
 */
public final class LineChart {
  static {
    // charts are drawn by trainers and studies on machines without a display; never let AWT look
    // for one
    if (System.getProperty("java.awt.headless") == null)
      System.setProperty("java.awt.headless", "true");
  }

  /** How a series is drawn. */
  public enum Style {
    /** A solid line, with dots while the series has few points. */
    LINE,
    /** A dashed line without dots: a fit, a threshold. */
    DASHED,
    /** A faint raw line under its trailing moving average: a noisy training loss. */
    SMOOTHED,
    /** Points taken in pairs, each pair its own short line with dots: marks at events. */
    MARKS
  }

  private record Series(String name, double[] x, double[] y, Style style, int window) {}

  private static final Color[] PALETTE = {
    new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c), new Color(0xff7f0e),
        new Color(0x9467bd),
    new Color(0x8c564b), new Color(0xe377c2), new Color(0x7f7f7f), new Color(0xbcbd22),
        new Color(0x17becf)
  };
  private static final int LEFT = 72, RIGHT = 24, TOP = 44, BOTTOM = 52, DOTS_UP_TO = 40;

  private final String title;
  private final String xLabel;
  private final String yLabel;
  private boolean logX;
  private boolean logY;
  private boolean wholeX;
  private int width = 900;
  private int height = 520;
  private final List<Series> series = new ArrayList<>();

  /** An empty 900 x 520 chart with linear axes. */
  public LineChart(String title, String xLabel, String yLabel) {
    this.title = title;
    this.xLabel = xLabel;
    this.yLabel = yLabel;
  }

  /** Draws x on a log10 axis. */
  public LineChart withLogX() {
    logX = true;
    return this;
  }

  /** Draws y on a log10 axis. */
  public LineChart withLogY() {
    logY = true;
    return this;
  }

  /** Puts x ticks at whole numbers only (steps, episodes). */
  public LineChart withWholeX() {
    wholeX = true;
    return this;
  }

  /** Draws the chart at another size in pixels. */
  public LineChart withSize(int width, int height) {
    if (width < 200 || height < 150)
      throw new IllegalArgumentException("chart: size " + width + "x" + height + " below 200x150");
    this.width = width;
    this.height = height;
    return this;
  }

  /** Adds a series drawn as a solid line (dots while it has few points). */
  public LineChart series(String name, double[] x, double[] y) {
    return add(name, x, y, Style.LINE, 1);
  }

  /**
   * Adds marks at events: points 0-1, 2-3, ... each drawn as its own short line with dots, never
   * joined to the next pair.
   */
  public LineChart marks(String name, double[] x, double[] y) {
    if (x.length % 2 != 0)
      throw new IllegalArgumentException("chart: marks come in pairs of points, got " + x.length);
    for (int i = 0; i < x.length; i++)
      if (!Double.isFinite(x[i]) || i < y.length && !Double.isFinite(y[i]))
        throw new IllegalArgumentException(
            "chart: mark " + name + " at point " + i + " is not finite");
    return add(name, x, y, Style.MARKS, 1);
  }

  /** Adds a series drawn dashed, without dots (a fit, a threshold). */
  public LineChart curve(String name, double[] x, double[] y) {
    return add(name, x, y, Style.DASHED, 1);
  }

  /**
   * Adds a noisy series drawn faint under its {@code window}-point trailing mean (window 1: a plain
   * line).
   */
  public LineChart smoothed(String name, double[] x, double[] y, int window) {
    if (window < 1)
      throw new IllegalArgumentException("chart: smoothing window " + window + " < 1");
    return add(
        window == 1 ? name : name + " (mean of " + window + ")",
        x,
        y,
        window == 1 ? Style.LINE : Style.SMOOTHED,
        window);
  }

  private LineChart add(String name, double[] x, double[] y, Style style, int window) {
    if (x.length != y.length)
      throw new IllegalArgumentException(
          "series " + name + ": " + x.length + " x values, " + y.length + " y values");
    series.add(new Series(name, x.clone(), y.clone(), style, window));
    return this;
  }

  /** The chart as PNG bytes. */
  public byte[] png() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      ImageIO.write(draw(), "png", out);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // an in-memory stream
    }
    return out.toByteArray();
  }

  /** Writes the chart to {@code png}, whole or not at all. */
  public void write(Path png) throws IOException {
    AtomicFiles.writePng(png, draw());
  }

  /** Draws the chart into a new RGB image. */
  public BufferedImage draw() {
    List<double[][]> points =
        new ArrayList<>(); // per series {x', y'}, log10 already taken on log axes
    double x0 = Double.POSITIVE_INFINITY, x1 = Double.NEGATIVE_INFINITY, y0 = x0, y1 = x1;
    for (Series s : series) {
      int n = 0;
      double[] xs = new double[s.x.length], ys = new double[s.x.length];
      for (int i = 0; i < s.x.length; i++) {
        if (!Double.isFinite(s.x[i])
            || !Double.isFinite(s.y[i])
            || (logX && s.x[i] <= 0)
            || (logY && s.y[i] <= 0)) continue;
        xs[n] = logX ? Math.log10(s.x[i]) : s.x[i];
        ys[n] = logY ? Math.log10(s.y[i]) : s.y[i];
        x0 = Math.min(x0, xs[n]);
        x1 = Math.max(x1, xs[n]);
        y0 = Math.min(y0, ys[n]);
        y1 = Math.max(y1, ys[n]);
        n++;
      }
      points.add(new double[][] {Arrays.copyOf(xs, n), Arrays.copyOf(ys, n)});
    }
    if (x0 > x1) { // nothing to draw: empty axes still say what is missing
      x0 = 0;
      x1 = 1;
      y0 = 0;
      y1 = 1;
    }
    if (x0 == x1) {
      x0 -= 1;
      x1 += 1;
    }
    if (y0 == y1) {
      double half = logY || y0 == 0 ? 0.5 : Math.abs(y0) * 0.1;
      y0 -= half;
      y1 += half;
    }
    double xPad = logX ? (x1 - x0) * 0.05 : 0, yPad = (y1 - y0) * 0.05;
    Frame f =
        new Frame(
            LEFT,
            TOP,
            width - LEFT - RIGHT,
            height - TOP - BOTTOM,
            x0 - xPad,
            x1 + xPad,
            y0 - yPad,
            y1 + yPad);

    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
      g.setRenderingHint(
          RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, width, height);
      g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
      drawAxes(g, f);
      g.setClip(f.left, f.top, f.width + 1, f.height + 1);
      for (int s = 0; s < series.size(); s++)
        drawSeries(
            g, f, series.get(s), points.get(s)[0], points.get(s)[1], PALETTE[s % PALETTE.length]);
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

  /** The plot rectangle in pixels and the range it shows (log10 already taken on log axes). */
  private record Frame(
      int left, int top, int width, int height, double x0, double x1, double y0, double y1) {
    double px(double x) {
      return left + (x - x0) / (x1 - x0) * width;
    }

    double py(double y) {
      return top + height - (y - y0) / (y1 - y0) * height;
    }
  }

  private static void drawSeries(
      Graphics2D g, Frame f, Series s, double[] xs, double[] ys, Color colour) {
    switch (s.style) {
      case SMOOTHED -> {
        polyline(
            g,
            f,
            xs,
            ys,
            new Color(colour.getRed(), colour.getGreen(), colour.getBlue(), 60),
            new BasicStroke(1f));
        polyline(
            g,
            f,
            xs,
            movingAverage(ys, s.window),
            colour,
            new BasicStroke(2f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
      }
      case DASHED ->
          polyline(
              g,
              f,
              xs,
              ys,
              colour,
              new BasicStroke(
                  2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f));
      case MARKS -> {
        for (int i = 0; i + 1 < xs.length; i += 2)
          polyline(
              g,
              f,
              new double[] {xs[i], xs[i + 1]},
              new double[] {ys[i], ys[i + 1]},
              colour,
              new BasicStroke(1.6f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
      }
      case LINE ->
          polyline(
              g,
              f,
              xs,
              ys,
              colour,
              new BasicStroke(1.6f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
    }
    if (s.style != Style.DASHED && xs.length <= DOTS_UP_TO) {
      g.setColor(colour);
      for (int i = 0; i < xs.length; i++)
        g.fill(new Ellipse2D.Double(f.px(xs[i]) - 3, f.py(ys[i]) - 3, 6, 6));
    }
  }

  private void drawAxes(Graphics2D g, Frame f) {
    FontMetrics fm = g.getFontMetrics();
    for (double x :
        logX
            ? logTicks(f.x0, f.x1)
            : linearTicks(f.x0, f.x1, Math.max(2, f.width / 110), wholeX ? 1 : 0)) {
      int px = (int) Math.round(f.px(x));
      g.setColor(new Color(0xe8e8e8));
      g.drawLine(px, f.top, px, f.top + f.height);
      g.setColor(Color.DARK_GRAY);
      g.drawLine(px, f.top + f.height, px, f.top + f.height + 4);
      String label = label(logX ? Math.pow(10, x) : x);
      g.drawString(label, px - fm.stringWidth(label) / 2, f.top + f.height + 6 + fm.getAscent());
    }
    for (double y :
        logY ? logTicks(f.y0, f.y1) : linearTicks(f.y0, f.y1, Math.max(2, f.height / 60), 0)) {
      int py = (int) Math.round(f.py(y));
      g.setColor(new Color(0xe8e8e8));
      g.drawLine(f.left, py, f.left + f.width, py);
      g.setColor(Color.DARK_GRAY);
      g.drawLine(f.left - 4, py, f.left, py);
      String label = label(logY ? Math.pow(10, y) : y);
      g.drawString(label, f.left - 7 - fm.stringWidth(label), py + fm.getAscent() / 2 - 1);
    }
    g.drawRect(f.left, f.top, f.width, f.height);
    String x = xLabel + (logX ? " (log scale)" : "");
    g.drawString(
        x, f.left + f.width / 2 - fm.stringWidth(x) / 2, f.top + f.height + 22 + fm.getAscent());
    g.drawString(yLabel + (logY ? " (log scale)" : ""), 8, f.top - 8);
  }

  private void drawLegend(Graphics2D g, Frame f) {
    if (series.isEmpty()) return;
    FontMetrics fm = g.getFontMetrics();
    int textWidth = 0;
    for (Series s : series) textWidth = Math.max(textWidth, fm.stringWidth(s.name));
    int row = fm.getHeight() + 2, w = textWidth + 42, h = series.size() * row + 10;
    int x = f.left + f.width - w - 10, y = f.top + 10;
    g.setColor(new Color(255, 255, 255, 220));
    g.fillRect(x, y, w, h);
    g.setColor(Color.GRAY);
    g.drawRect(x, y, w, h);
    g.setStroke(new BasicStroke(2.5f));
    for (int i = 0; i < series.size(); i++) {
      int cy = y + 5 + i * row + row / 2;
      g.setColor(PALETTE[i % PALETTE.length]);
      g.drawLine(x + 8, cy, x + 30, cy);
      g.setColor(Color.BLACK);
      g.drawString(series.get(i).name, x + 36, cy + fm.getAscent() / 2 - 1);
    }
    g.setStroke(new BasicStroke(1f));
  }

  private static void polyline(
      Graphics2D g, Frame f, double[] xs, double[] ys, Color colour, BasicStroke stroke) {
    if (xs.length < 2) return;
    Path2D.Double path = new Path2D.Double();
    path.moveTo(f.px(xs[0]), f.py(ys[0]));
    for (int i = 1; i < xs.length; i++) path.lineTo(f.px(xs[i]), f.py(ys[i]));
    g.setColor(colour);
    g.setStroke(stroke);
    g.draw(path);
    g.setStroke(new BasicStroke(1f));
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

  /**
   * Multiples of 1, 2 or 5 times a power of ten (at least {@code minStep} apart) in [lo, hi], about
   * {@code target} of them.
   */
  static List<Double> linearTicks(double lo, double hi, int target, double minStep) {
    double raw = (hi - lo) / target, mag = Math.pow(10, Math.floor(Math.log10(raw)));
    double norm = raw / mag;
    double step = Math.max(minStep, (norm < 1.5 ? 1 : norm < 3.5 ? 2 : norm < 7.5 ? 5 : 10) * mag);
    List<Double> ticks = new ArrayList<>();
    for (long k = (long) Math.ceil(lo / step); k * step <= hi + step * 1e-9; k++)
      ticks.add(k * step);
    return ticks;
  }

  /**
   * Log10 positions of 1, 2 and 5 times powers of ten in [lo, hi] (only powers when they are many).
   */
  static List<Double> logTicks(double lo, double hi) {
    List<Double> ticks = new ArrayList<>();
    int[] mantissas =
        hi - lo > 4
            ? new int[] {1}
            : hi - lo > 1.2 ? new int[] {1, 2, 5} : new int[] {1, 2, 3, 4, 5, 6, 7, 8, 9};
    for (int d = (int) Math.floor(lo); d <= Math.ceil(hi); d++) {
      for (int m : mantissas) {
        double t = d + Math.log10(m);
        if (t >= lo && t <= hi) ticks.add(t);
      }
    }
    if (ticks.size() < 3) { // less than a decade shown: plain ticks in value space
      ticks.clear();
      for (double v : linearTicks(Math.pow(10, lo), Math.pow(10, hi), 5, 0))
        if (v > 0) ticks.add(Math.log10(v));
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
