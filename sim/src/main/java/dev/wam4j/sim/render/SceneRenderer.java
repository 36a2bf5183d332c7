package dev.wam4j.sim.render;

import dev.wam4j.sim.scene.ConvexPart;
import dev.wam4j.sim.scene.Pose;
import dev.wam4j.sim.scene.Wall;
import java.util.List;

/**
 * Draws frames of one scene: the goal shape, the block at a pose, the agent at a position (and
 * angle, for looks that have one), the walls; in that order, as the reference does.
 *
 * <p>Built once per scene look, camera, size and sampling; {@link #render} then allocates nothing.
 * Not thread-safe: it owns its sample buffers; use one renderer per thread.
 */
public final class SceneRenderer {
  private final SceneLook scene;
  private final Camera camera;
  private final double rotCos;
  private final double rotSin;
  private final int width;
  private final int height;
  private final Canvas canvas;
  // body-local vertices per block part, in ConvexPart's canonical order: the reference fills and
  // outlines its polygons in that (convex-hull) order, and which vertex comes first shows in frames
  private final double[][] parts;
  private final double[] world; // scratch: one part in canvas coordinates
  private final int blockFill;
  private final int blockEdge;

  /**
   * @param width output width in pixels, >= 1
   * @param height output height in pixels, >= 1
   * @throws IllegalArgumentException for a non-positive size
   */
  public SceneRenderer(SceneLook scene, Camera camera, int width, int height, Sampling sampling) {
    if (width < 1 || height < 1 || (long) width * height * 3 > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(
          "frame size " + width + " x " + height + " is not a positive size");
    }
    this.scene = scene;
    this.camera = camera;
    this.rotCos = Math.cos(camera.rotation());
    this.rotSin = Math.sin(camera.rotation());
    this.width = width;
    this.height = height;
    this.canvas =
        switch (sampling) {
          case REFERENCE -> new ReferenceCanvas(width, height);
          case SUPERSAMPLED -> new SupersampledCanvas(width, height);
        };
    List<ConvexPart> ps = scene.blockParts();
    parts = new double[ps.size()][];
    int maxVerts = 4;
    for (int i = 0; i < parts.length; i++) {
      parts[i] = ps.get(i).xy();
      maxVerts = Math.max(maxVerts, ps.get(i).size());
    }
    if (sampling == Sampling.REFERENCE && maxVerts > 15) {
      throw new IllegalArgumentException(
          "reference sampling draws parts of at most 15 vertices, got " + maxVerts);
    }
    world = new double[2 * maxVerts];
    RenderStyle style = scene.style();
    blockFill = style.blockFill().packed();
    blockEdge = style.blockEdge().packed();
    // the walls are drawn last (over the agent, as in the reference) and never move
    if (!scene.walls().isEmpty()) canvas.captureOverlay(this::drawWalls);
    // the goal never moves: draw it once under everything else
    canvas.clear(style.background().packed());
    Pose g = scene.goal();
    for (double[] part : parts) {
      int n = place(part, g.x(), g.y(), g.angle());
      canvas.polygon(world, n, style.goal().packed());
    }
    canvas.save();
  }

  /** The reference PushT observation renderer: 96 x 96, reference sampling. */
  public static SceneRenderer pushtObservation() {
    return new SceneRenderer(
        SceneLook.pushtReference(), Camera.identity(), 96, 96, Sampling.REFERENCE);
  }

  /** Output width in pixels. */
  public int width() {
    return width;
  }

  /** Output height in pixels. */
  public int height() {
    return height;
  }

  /** Bytes of one frame: height * width * 3. */
  public int frameBytes() {
    return width * height * 3;
  }

  /** The scene this renderer draws. */
  public SceneLook scene() {
    return scene;
  }

  /**
   * Draws one frame into {@code rgbOut[offset, offset + frameBytes())}, HWC RGB.
   *
   * @param agentX agent position, world units
   * @param agentY agent position, world units
   * @param agentAngle agent heading, radians (used by the hand look only)
   * @param blockX block body origin, world units
   * @param blockY block body origin, world units
   * @param blockAngle block angle, radians: a body-local point v is at (blockX, blockY) + R(angle)
   *     v
   */
  public void render(
      double agentX,
      double agentY,
      double agentAngle,
      double blockX,
      double blockY,
      double blockAngle,
      byte[] rgbOut,
      int offset) {
    if (offset < 0 || offset > rgbOut.length - frameBytes()) {
      throw new IndexOutOfBoundsException(
          "frame of "
              + frameBytes()
              + " bytes at offset "
              + offset
              + " does not fit in "
              + rgbOut.length);
    }
    canvas.restore();
    double edge = scene.style().blockEdgeRadius() * camera.zoom();
    for (double[] part : parts) {
      int n = place(part, blockX, blockY, blockAngle);
      canvas.polygon(world, n, blockFill);
      if (edge > 0) {
        for (int i = 0; i < n; i++) {
          int j = (i + 1) % n;
          canvas.fatSegment(
              world[2 * i], world[2 * i + 1], world[2 * j], world[2 * j + 1], edge, blockEdge);
        }
      }
    }
    drawAgent(agentX, agentY, agentAngle);
    canvas.drawOverlay();
    canvas.resolve(rgbOut, offset);
  }

  /** Writes the part's vertices at the pose into {@link #world}, in canvas units. */
  private int place(double[] local, double x, double y, double angle) {
    double c = Math.cos(angle);
    double s = Math.sin(angle);
    int n = local.length / 2;
    for (int i = 0; i < n; i++) {
      double lx = local[2 * i];
      double ly = local[2 * i + 1];
      double wx = x + c * lx - s * ly, wy = y + s * lx + c * ly;
      world[2 * i] = cx(wx, wy);
      world[2 * i + 1] = cy(wx, wy);
    }
    return n;
  }

  /** Canvas x of world point (x, y); without rotation exactly {@code (x - camera.x) * zoom}. */
  private double cx(double x, double y) {
    double qx = (x - camera.x()) * camera.zoom();
    if (rotCos == 1.0 && rotSin == 0.0) return qx;
    double qy = (y - camera.y()) * camera.zoom();
    return 256 + rotCos * (qx - 256) - rotSin * (qy - 256);
  }

  /** Canvas y of world point (x, y). */
  private double cy(double x, double y) {
    double qy = (y - camera.y()) * camera.zoom();
    if (rotCos == 1.0 && rotSin == 0.0) return qy;
    double qx = (x - camera.x()) * camera.zoom();
    return 256 + rotSin * (qx - 256) + rotCos * (qy - 256);
  }

  private void drawAgent(double x, double y, double angle) {
    double z = camera.zoom();
    switch (scene.agent()) {
      case AgentLook.Robot r -> {
        canvas.disc(cx(x, y), cy(x, y), r.radius() * z, r.outer().packed());
        if (r.innerRadius() > 0)
          canvas.disc(cx(x, y), cy(x, y), r.innerRadius() * z, r.inner().packed());
      }
      case AgentLook.Hand h -> {
        // outline pass, then skin pass slightly thinner: a drawn-hand look without strokes
        double rim = Math.max(1.0, 0.12 * h.fingerRadius());
        drawHand(h, x, y, angle, rim, h.outline().packed());
        drawHand(h, x, y, angle, 0, h.skin().packed());
      }
    }
  }

  // finger directions relative to the heading and their lengths relative to fingerLength; the
  // last entry is the thumb, used only by five-fingered hands
  private static final double[] FINGER_ANGLE = {-0.42, -0.14, 0.14, 0.42, 1.25};
  private static final double[] FINGER_LENGTH = {0.82, 0.97, 1.0, 0.9, 0.72};

  private void drawHand(AgentLook.Hand h, double x, double y, double angle, double grow, int rgb) {
    double z = camera.zoom();
    int fingers = h.fingers();
    for (int f = 0; f < fingers; f++) {
      double a = angle + FINGER_ANGLE[f];
      double len = h.fingerLength() * FINGER_LENGTH[f];
      double base = h.palmRadius() * 0.45;
      double bx = x + Math.cos(a) * base;
      double by = y + Math.sin(a) * base;
      double tx = x + Math.cos(a) * len;
      double ty = y + Math.sin(a) * len;
      canvas.fatSegment(
          cx(bx, by), cy(bx, by), cx(tx, ty), cy(tx, ty), (h.fingerRadius() + grow) * z, rgb);
    }
    canvas.disc(cx(x, y), cy(x, y), (h.palmRadius() + grow) * z, rgb);
  }

  private void drawWalls() {
    int rgb = scene.style().wall().packed();
    for (Wall w : scene.walls()) {
      canvas.fatSegment(
          cx(w.ax(), w.ay()),
          cy(w.ax(), w.ay()),
          cx(w.bx(), w.by()),
          cy(w.bx(), w.by()),
          w.radius() * camera.zoom(),
          rgb);
    }
  }
}
