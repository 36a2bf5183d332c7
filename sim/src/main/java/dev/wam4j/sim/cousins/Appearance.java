package dev.wam4j.sim.cousins;

import dev.wam4j.sim.render.RenderStyle;
import dev.wam4j.sim.render.Rgb;

/**
 * How a cousin looks: colours of the scene (the fields of the renderer's style) and the camera.
 *
 * @param background canvas colour
 * @param goal fill of the goal shape
 * @param block fill of the pushed block
 * @param blockEdge edge colour of the block
 * @param wall colour of the walls
 * @param camera where the camera looks from, relative to the reference view
 */
public record Appearance(
    Rgb background, Rgb goal, Rgb block, Rgb blockEdge, Rgb wall, Camera camera) {
  public Appearance {
    if (background == null
        || goal == null
        || block == null
        || blockEdge == null
        || wall == null
        || camera == null) {
      throw new IllegalArgumentException("appearance needs all colours and a camera");
    }
  }

  /** The renderer's style: these colours with the reference stroke widths. */
  public RenderStyle renderStyle() {
    RenderStyle ref = RenderStyle.pushtReference();
    return new RenderStyle(background, goal, block, blockEdge, ref.blockEdgeRadius(), wall);
  }

  /** The reference PushT look (specs/pusht.md) seen by the reference camera. */
  public static Appearance reference() {
    return new Appearance(
        new Rgb(255, 255, 255),
        new Rgb(144, 238, 144),
        new Rgb(142, 163, 183),
        new Rgb(119, 136, 153),
        new Rgb(211, 211, 211),
        Camera.reference());
  }

  /**
   * A camera perturbation of the reference view: zoom about the centre, shift, then rotate about
   * the centre ({@link dev.wam4j.sim.render.Camera#perturbed}).
   *
   * @param dx horizontal shift in world units, 512 = the frame width (positive: scene moves right)
   * @param dy vertical shift in world units (positive: scene moves down)
   * @param rotation image rotation in radians (positive: clockwise on screen, y down)
   * @param zoom scale factor (1: reference; above 1 zooms in)
   */
  public record Camera(double dx, double dy, double rotation, double zoom) {
    public Camera {
      if (!Double.isFinite(dx) || !Double.isFinite(dy) || !Double.isFinite(rotation)) {
        throw new IllegalArgumentException(
            "camera offset must be finite, got (" + dx + ", " + dy + ", " + rotation + ")");
      }
      if (!(zoom > 0 && Double.isFinite(zoom)))
        throw new IllegalArgumentException("camera zoom must be > 0, got " + zoom);
    }

    /** The renderer's camera for this perturbation. */
    public dev.wam4j.sim.render.Camera toRender() {
      return dx == 0 && dy == 0 && rotation == 0 && zoom == 1
          ? dev.wam4j.sim.render.Camera.identity()
          : dev.wam4j.sim.render.Camera.perturbed(dx, dy, rotation, zoom);
    }

    /** The reference view: no shift, no rotation, zoom 1. */
    public static Camera reference() {
      return new Camera(0, 0, 0, 1);
    }
  }
}
