package dev.wam4j.eval.study;

import dev.wam4j.data.AtomicFiles;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;

/** A PNG of a scaling study: the runs' best losses against hours (log axis) with both fitted laws. */
public final class ScalingPlot {
  private static final int W = 900, H = 520, LEFT = 90, RIGHT = 30, TOP = 50, BOTTOM = 70;

  private ScalingPlot() {}

  /** Writes the plot atomically (temporary file beside it, then rename). */
  public static void write(ScalingStudy.Result r, Path png) throws IOException {
    System.setProperty("java.awt.headless", "true");
    BufferedImage img = new BufferedImage(W, H, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, W, H);
    double minH = r.points().get(0).hours(), maxH = r.points().get(r.points().size() - 1).hours();
    double x0 = Math.log(minH) - 0.2, x1 = Math.log(maxH) + 0.2;
    double minL = Double.MAX_VALUE, maxL = -Double.MAX_VALUE;
    for (ScalingStudy.Point p : r.points()) {
      minL = Math.min(minL, p.bestLoss());
      maxL = Math.max(maxL, p.bestLoss());
    }
    double pad = Math.max((maxL - minL) * 0.15, maxL * 0.02);
    double y0 = minL - pad, y1 = maxL + pad;
    g.setColor(new Color(220, 220, 220));
    g.drawRect(LEFT, TOP, W - LEFT - RIGHT, H - TOP - BOTTOM);
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
    for (ScalingStudy.Point p : r.points()) { // x ticks at the runs' sizes
      int x = px(Math.log(p.hours()), x0, x1);
      g.setColor(new Color(235, 235, 235));
      g.drawLine(x, TOP, x, H - BOTTOM);
      g.setColor(Color.DARK_GRAY);
      g.drawString(String.format("%.2f h", p.hours()), x - 18, H - BOTTOM + 18);
    }
    for (int i = 0; i <= 4; i++) {
      double v = y0 + (y1 - y0) * i / 4;
      int y = py(v, y0, y1);
      g.setColor(new Color(235, 235, 235));
      g.drawLine(LEFT, y, W - RIGHT, y);
      g.setColor(Color.DARK_GRAY);
      g.drawString(String.format("%.4f", v), 20, y + 4);
    }
    ScalingFit f = r.fit();
    curve(g, x0, x1, y0, y1, new Color(31, 119, 180), true, f);
    curve(g, x0, x1, y0, y1, new Color(214, 39, 40), false, f);
    g.setColor(Color.BLACK);
    for (ScalingStudy.Point p : r.points()) {
      int x = px(Math.log(p.hours()), x0, x1), y = py(p.bestLoss(), y0, y1);
      g.fillOval(x - 5, y - 5, 10, 10);
    }
    g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
    g.drawString("best " + r.metric() + " vs hours of pre-training video (log axis)", LEFT, 30);
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
    g.setColor(new Color(31, 119, 180));
    g.drawString(String.format("L = %.4f - %.4f ln D   (R^2 %.3f)", f.a(), f.b(), f.r2LogLinear()), LEFT + 10, H - 30);
    g.setColor(new Color(214, 39, 40));
    g.drawString(String.format("L = %.4f D^-%.3f   (R^2 %.3f)", f.c(), f.alpha(), f.r2Power()), LEFT + 360, H - 30);
    g.dispose();
    AtomicFiles.writePng(png, img);
  }

  private static void curve(Graphics2D g, double x0, double x1, double y0, double y1, Color color, boolean logLinear, ScalingFit f) {
    Path2D.Double path = new Path2D.Double();
    for (int i = 0; i <= 100; i++) {
      double lx = x0 + (x1 - x0) * i / 100, hours = Math.exp(lx);
      double v = logLinear ? f.logLinear(hours) : f.power(hours);
      if (i == 0) path.moveTo(px(lx, x0, x1), py(v, y0, y1));
      else path.lineTo(px(lx, x0, x1), py(v, y0, y1));
    }
    g.setColor(color);
    g.setStroke(new BasicStroke(2f));
    g.setClip(LEFT, TOP, W - LEFT - RIGHT, H - TOP - BOTTOM);
    g.draw(path);
    g.setClip(null);
  }

  private static int px(double lx, double x0, double x1) {
    return (int) Math.round(LEFT + (lx - x0) / (x1 - x0) * (W - LEFT - RIGHT));
  }

  private static int py(double v, double y0, double y1) {
    return (int) Math.round(H - BOTTOM - (v - y0) / (y1 - y0) * (H - TOP - BOTTOM));
  }
}
