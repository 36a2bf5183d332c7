package dev.wam4j.eval.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;

/**
 * A line chart of a few named series (points joined by lines, optional log x axis), rendered to PNG
 * bytes with Java2D: the plots of the study and monitor reports. Non-finite points are skipped.
 */
public final class LineChart {
  private static final int W = 900, H = 520, LEFT = 80, RIGHT = 200, TOP = 50, BOTTOM = 60;
  private static final Color[] COLORS = {new Color(31, 119, 180), new Color(214, 39, 40), new Color(44, 160, 44),
      new Color(255, 127, 14), new Color(148, 103, 189), new Color(127, 127, 127), new Color(140, 86, 75)};

  private record Series(String name, double[] x, double[] y, boolean dashed) {}

  private final String title;
  private final String xLabel;
  private final String yLabel;
  private final boolean logX;
  private final List<Series> series = new ArrayList<>();

  /** A chart; {@code logX} draws x on a log axis (values must then be > 0). */
  public LineChart(String title, String xLabel, String yLabel, boolean logX) {
    this.title = title;
    this.xLabel = xLabel;
    this.yLabel = yLabel;
    this.logX = logX;
  }

  /** Adds a series drawn as markers joined by a solid line. */
  public LineChart series(String name, double[] x, double[] y) {
    return add(name, x, y, false);
  }

  /** Adds a series drawn as a dashed line without markers (a fit, a threshold). */
  public LineChart curve(String name, double[] x, double[] y) {
    return add(name, x, y, true);
  }

  private LineChart add(String name, double[] x, double[] y, boolean dashed) {
    if (x.length != y.length) throw new IllegalArgumentException("series " + name + ": " + x.length + " x values, " + y.length + " y values");
    series.add(new Series(name, x.clone(), y.clone(), dashed));
    return this;
  }

  /** The chart as PNG bytes. */
  public byte[] png() {
    System.setProperty("java.awt.headless", "true");
    double x0 = Double.POSITIVE_INFINITY, x1 = Double.NEGATIVE_INFINITY, y0 = Double.POSITIVE_INFINITY, y1 = Double.NEGATIVE_INFINITY;
    for (Series s : series) {
      for (int i = 0; i < s.x.length; i++) {
        if (!usable(s.x[i], s.y[i])) continue;
        double x = tx(s.x[i]);
        x0 = Math.min(x0, x);
        x1 = Math.max(x1, x);
        y0 = Math.min(y0, s.y[i]);
        y1 = Math.max(y1, s.y[i]);
      }
    }
    if (x0 > x1) { // nothing to draw: an empty frame still says what is missing
      x0 = 0;
      x1 = 1;
      y0 = 0;
      y1 = 1;
    }
    double xPad = x1 > x0 ? (x1 - x0) * 0.05 : 0.5, yPad = y1 > y0 ? (y1 - y0) * 0.08 : Math.max(Math.abs(y0) * 0.1, 0.5);
    x0 -= xPad;
    x1 += xPad;
    y0 -= yPad;
    y1 += yPad;
    BufferedImage img = new BufferedImage(W, H, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, W, H);
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
    for (int i = 0; i <= 5; i++) {
      double xv = x0 + (x1 - x0) * i / 5, yv = y0 + (y1 - y0) * i / 5;
      int px = px(xv, x0, x1), py = py(yv, y0, y1);
      g.setColor(new Color(235, 235, 235));
      g.drawLine(px, TOP, px, H - BOTTOM);
      g.drawLine(LEFT, py, W - RIGHT, py);
      g.setColor(Color.DARK_GRAY);
      g.drawString(label(logX ? Math.exp(xv) : xv), px - 15, H - BOTTOM + 16);
      g.drawString(label(yv), 10, py + 4);
    }
    g.setColor(Color.GRAY);
    g.drawRect(LEFT, TOP, W - LEFT - RIGHT, H - TOP - BOTTOM);
    g.setColor(Color.BLACK);
    g.drawString(xLabel + (logX ? " (log axis)" : ""), LEFT + (W - LEFT - RIGHT) / 2 - 60, H - 20);
    g.drawString(yLabel, LEFT, TOP - 8);
    g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
    g.drawString(title, LEFT, 24);
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
    for (int k = 0; k < series.size(); k++) {
      Series s = series.get(k);
      Color c = COLORS[k % COLORS.length];
      g.setColor(c);
      g.setStroke(s.dashed ? new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f) : new BasicStroke(2f));
      Path2D.Double path = new Path2D.Double();
      boolean open = false;
      for (int i = 0; i < s.x.length; i++) {
        if (!usable(s.x[i], s.y[i])) continue;
        int px = px(tx(s.x[i]), x0, x1), py = py(s.y[i], y0, y1);
        if (open) path.lineTo(px, py);
        else path.moveTo(px, py);
        open = true;
        if (!s.dashed) g.fillOval(px - 4, py - 4, 8, 8);
      }
      g.draw(path);
      g.setStroke(new BasicStroke(2f));
      int ly = TOP + 10 + 20 * k;
      g.drawLine(W - RIGHT + 12, ly - 4, W - RIGHT + 32, ly - 4);
      g.drawString(s.name, W - RIGHT + 38, ly);
    }
    g.dispose();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      ImageIO.write(img, "png", out);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // in-memory stream
    }
    return out.toByteArray();
  }

  private boolean usable(double x, double y) {
    return Double.isFinite(x) && Double.isFinite(y) && (!logX || x > 0);
  }

  private double tx(double x) {
    return logX ? Math.log(x) : x;
  }

  private static String label(double v) {
    double a = Math.abs(v);
    if (a != 0 && (a < 0.01 || a >= 1e5)) return String.format("%.2g", v);
    return a >= 100 ? String.format("%.0f", v) : a >= 1 ? String.format("%.2f", v) : String.format("%.3f", v);
  }

  private static int px(double x, double x0, double x1) {
    return (int) Math.round(LEFT + (x - x0) / (x1 - x0) * (W - LEFT - RIGHT));
  }

  private static int py(double y, double y0, double y1) {
    return (int) Math.round(H - BOTTOM - (y - y0) / (y1 - y0) * (H - TOP - BOTTOM));
  }
}
