package dev.wam4j.sim.factory;

import dev.wam4j.sim.Embodiment;
import dev.wam4j.sim.scene.Pose;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.util.List;

/**
 * The camera above the cell and what it tells: a top-down picture in which every part has its own
 * flat colour, and the coverage of each target read off that picture (the part's pixels inside the
 * target's outline over the outline's pixels), not off the simulator's state. Not thread-safe.
 */
public final class CellCamera {
  static {
    if (System.getProperty("java.awt.headless") == null)
      System.setProperty("java.awt.headless", "true");
  }

  private final Cell cell;
  private final int size;
  private final double scale;
  private final BufferedImage frame;
  private final BufferedImage people;
  private final int[] pixels; // the last picture's pixels, read once per picture
  private final boolean[][] targets; // per part, the pixels inside its target's outline
  private final int[] targetPixels;
  private final int[] colours;
  private final PoseFit[] fits;
  private final double[] xs, ys; // pixel centres of one part, for a pose fit
  private long shotAt = -1; // the cell's step of the last picture

  /** A camera of {@code size} x {@code size} pixels over the whole 512 x 512 cell. */
  public CellCamera(Cell cell, int size) {
    if (size < 64) throw new IllegalArgumentException("camera size must be >= 64, got " + size);
    this.cell = cell;
    this.size = size;
    this.scale = size / 512.0;
    this.frame = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
    this.people = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
    this.pixels = new int[size * size];
    List<Design.Part> parts = cell.design().parts();
    this.colours = new int[parts.size()];
    for (int i = 0; i < parts.size(); i++)
      colours[i] = Color.HSBtoRGB(i / (float) parts.size(), 0.8f, 0.85f) & 0xffffff;
    this.fits = new PoseFit[parts.size()];
    for (int i = 0; i < parts.size(); i++) fits[i] = new PoseFit(parts.get(i).shape());
    this.xs = new double[size * size];
    this.ys = new double[size * size];
    this.targets = new boolean[parts.size()][];
    this.targetPixels = new int[parts.size()];
    BufferedImage mask = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
    for (int i = 0; i < parts.size(); i++) {
      Graphics2D g = flat(mask);
      g.setColor(Color.WHITE);
      for (double[] xy : DesignCheck.footprint(parts.get(i), parts.get(i).target()))
        g.fill(polygon(xy));
      g.dispose();
      targets[i] = new boolean[size * size];
      for (int y = 0, k = 0; y < size; y++) {
        for (int x = 0; x < size; x++, k++) {
          if ((mask.getRGB(x, y) & 0xffffff) != 0) {
            targets[i][k] = true;
            targetPixels[i]++;
          }
        }
      }
    }
  }

  /** Takes a picture of the cell as it is now: parts in their colours, pushers grey, on black. */
  public BufferedImage shoot() {
    draw(frame);
    frame.getRGB(0, 0, size, size, pixels, 0, size);
    shotAt = cell.steps();
    return frame;
  }

  /**
   * Where the camera sees part {@code part} (a picture taken at this control step, shot now unless
   * one was): body origin and angle fitted to its pixels, of a symmetric shape's twins the angle
   * nearest {@code nearAngle}; null when no pixel of it is in the picture.
   */
  public Pose locate(int part, double nearAngle) {
    if (shotAt != cell.steps()) shoot();
    int n = 0;
    for (int y = 0, k = 0; y < size; y++) {
      for (int x = 0; x < size; x++, k++) {
        if ((pixels[k] & 0xffffff) == colours[part]) {
          // Java2D fills a pixel whose top-left corner, not its centre, lies in the shape
          xs[n] = x / scale;
          ys[n++] = y / scale;
        }
      }
    }
    return fits[part].fit(xs, ys, n, nearAngle);
  }

  /** Rotations by 2 pi / this leave part {@code part}'s shape unchanged (1, 2 or 4). */
  public int symmetry(int part) {
    return fits[part].symmetry();
  }

  private void draw(BufferedImage image) {
    Graphics2D g = flat(image);
    for (int i = 0; i < colours.length; i++) {
      g.setColor(new Color(colours[i]));
      for (double[] xy : DesignCheck.footprint(cell.design().parts().get(i), cell.pose(i)))
        g.fill(polygon(xy));
    }
    g.setColor(Color.GRAY);
    double r = Embodiment.RobotPusher.reference().radius() * scale;
    for (int k = 0; k < cell.robots(); k++) {
      g.fill(
          new Ellipse2D.Double(
              cell.pusherX(k) * scale - r, cell.pusherY(k) * scale - r, 2 * r, 2 * r));
    }
    g.dispose();
  }

  /** Coverage of each part's target, read off a fresh picture. */
  public double[] coverage() {
    shoot();
    double[] out = new double[colours.length];
    for (int i = 0; i < colours.length; i++) {
      int hit = 0;
      for (int k = 0; k < pixels.length; k++)
        if (targets[i][k] && (pixels[k] & 0xffffff) == colours[i]) hit++;
      out[i] = targetPixels[i] == 0 ? 0 : hit / (double) targetPixels[i];
    }
    return out;
  }

  /**
   * A picture for people: the camera's, with every target's outline in its part's colour and a
   * caption (the plan, say) along the top. Drawn apart from the sensing picture, so that filming a
   * run never changes what the run sees; the same image is reused by the next call.
   */
  public BufferedImage annotated(String caption) {
    draw(people);
    Graphics2D g = people.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setStroke(new BasicStroke(Math.max(1f, size / 256f)));
    for (int i = 0; i < colours.length; i++) {
      g.setColor(new Color(colours[i]).brighter());
      Design.Part p = cell.design().parts().get(i);
      for (double[] xy : DesignCheck.footprint(p, p.target())) g.draw(polygon(xy));
    }
    g.setColor(Color.WHITE);
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, Math.max(9, size / 32)));
    g.drawString(caption, 4, g.getFontMetrics().getAscent() + 2);
    g.dispose();
    return people;
  }

  /**
   * Where the camera sees part {@code part} now (a fresh picture): its pixels' extent in cell
   * pixels, {minX, minY, maxX, maxY}, or null when no pixel of it is in the picture.
   */
  public double[] extent(int part) {
    shoot();
    int minX = size, minY = size, maxX = -1, maxY = -1;
    for (int y = 0, k = 0; y < size; y++) {
      for (int x = 0; x < size; x++, k++) {
        if ((pixels[k] & 0xffffff) == colours[part]) {
          minX = Math.min(minX, x);
          maxX = Math.max(maxX, x);
          minY = Math.min(minY, y);
          maxY = Math.max(maxY, y);
        }
      }
    }
    return maxX < 0
        ? null
        : new double[] {minX / scale, minY / scale, (maxX + 1) / scale, (maxY + 1) / scale};
  }

  private Graphics2D flat(BufferedImage image) {
    Graphics2D g = image.createGraphics();
    // no antialiasing: every pixel is one part's colour or another, so pixels can be counted
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_OFF);
    g.setColor(Color.BLACK);
    g.fillRect(0, 0, size, size);
    return g;
  }

  private Path2D.Double polygon(double[] xy) {
    return outline(xy, scale);
  }

  /**
   * A polygon of cell pixels ({@code x0, y0, x1, y1, ...}) drawn at {@code scale} picture pixels
   * per cell pixel.
   */
  static Path2D.Double outline(double[] xy, double scale) {
    Path2D.Double p = new Path2D.Double();
    p.moveTo(xy[0] * scale, xy[1] * scale);
    for (int k = 2; k < xy.length; k += 2) p.lineTo(xy[k] * scale, xy[k + 1] * scale);
    p.closePath();
    return p;
  }
}
