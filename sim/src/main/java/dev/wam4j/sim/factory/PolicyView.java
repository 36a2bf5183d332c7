package dev.wam4j.sim.factory;

import dev.wam4j.sim.render.AgentLook;
import dev.wam4j.sim.render.RenderStyle;
import dev.wam4j.sim.render.Rgb;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.util.List;

/**
 * What a goal-conditioned policy sees in the cell: the camera's picture in PushT's look with the
 * chosen part drawn as PushT's block, its target as PushT's goal, the other parts as grey obstacles
 * and the pusher as PushT's agent, so that a policy that pushes the T onto its mark can learn to
 * push any part onto any mark. RGB bytes, HWC, one frame at a time. Not thread-safe.
 */
public final class PolicyView {
  static {
    if (System.getProperty("java.awt.headless") == null)
      System.setProperty("java.awt.headless", "true");
  }

  /**
   * Dark grey of the parts that are not being pushed: far from the block's slate, so the two never
   * blur.
   */
  static final Color OBSTACLE = new Color(70, 70, 70);

  private final Cell cell;
  private final int size;
  private final double scale;
  private final BufferedImage image;
  private final int[] pixels;
  private final RenderStyle style = RenderStyle.pushtReference();
  private final AgentLook.Robot agent = AgentLook.Robot.pushtReference();

  /** Frames of {@code size} x {@code size} pixels over the whole 512 x 512 cell. */
  public PolicyView(Cell cell, int size) {
    if (size < 16) throw new IllegalArgumentException("view size must be >= 16, got " + size);
    this.cell = cell;
    this.size = size;
    this.scale = size / 512.0;
    this.image = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
    this.pixels = new int[size * size];
  }

  /**
   * Draws the view for pushing part {@code part} (pusher {@code robot}) into {@code rgb[offset..]}.
   */
  public void render(int part, int robot, byte[] rgb, int offset) {
    Graphics2D g = image.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setColor(awt(style.background()));
    g.fillRect(0, 0, size, size);
    List<Design.Part> parts = cell.design().parts();
    Design.Part chosen = parts.get(part);
    g.setColor(awt(style.goal()));
    for (double[] xy : DesignCheck.footprint(chosen, chosen.target())) g.fill(polygon(xy));
    g.setColor(OBSTACLE);
    for (int i = 0; i < parts.size(); i++) {
      if (i != part)
        for (double[] xy : DesignCheck.footprint(parts.get(i), cell.pose(i))) g.fill(polygon(xy));
    }
    g.setStroke(new BasicStroke((float) (2 * style.blockEdgeRadius() * scale)));
    for (double[] xy : DesignCheck.footprint(chosen, cell.pose(part))) {
      g.setColor(awt(style.blockFill()));
      g.fill(polygon(xy));
      g.setColor(awt(style.blockEdge()));
      g.draw(polygon(xy));
    }
    for (int r = 0; r < cell.robots(); r++) {
      double x = cell.pusherX(r) * scale, y = cell.pusherY(r) * scale;
      g.setColor(r == robot ? awt(agent.outer()) : OBSTACLE.darker());
      double ro = agent.radius() * scale, ri = agent.innerRadius() * scale;
      g.fill(new Ellipse2D.Double(x - ro, y - ro, 2 * ro, 2 * ro));
      if (r == robot) {
        g.setColor(awt(agent.inner()));
        g.fill(new Ellipse2D.Double(x - ri, y - ri, 2 * ri, 2 * ri));
      }
    }
    g.dispose();
    image.getRGB(0, 0, size, size, pixels, 0, size);
    for (int k = 0, o = offset; k < pixels.length; k++, o += 3) {
      rgb[o] = (byte) (pixels[k] >> 16);
      rgb[o + 1] = (byte) (pixels[k] >> 8);
      rgb[o + 2] = (byte) pixels[k];
    }
  }

  private static Color awt(Rgb c) {
    return new Color(c.r(), c.g(), c.b());
  }

  private Path2D.Double polygon(double[] xy) {
    return CellCamera.outline(xy, scale);
  }
}
