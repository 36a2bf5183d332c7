package dev.wam4j.sim.cousins;

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
public record Appearance(Rgb background, Rgb goal, Rgb block, Rgb blockEdge, Rgb wall, Camera camera) {
  public Appearance {
    if (background == null || goal == null || block == null || blockEdge == null || wall == null || camera == null) {
      throw new IllegalArgumentException("appearance needs all colours and a camera");
    }
  }

  /** The reference PushT look (specs/pusht.md) seen by the reference camera. */
  public static Appearance reference() {
    return new Appearance(new Rgb(255, 255, 255), new Rgb(144, 238, 144), new Rgb(142, 163, 183),
        new Rgb(119, 136, 153), new Rgb(211, 211, 211), Camera.reference());
  }

  /**
   * A camera perturbation applied to the rendered image, about its centre: first zoom, then
   * rotation, then the shift.
   *
   * @param dx horizontal shift in output pixels (positive: scene moves right)
   * @param dy vertical shift in output pixels (positive: scene moves down)
   * @param rotation image rotation in radians (positive: clockwise on screen, y down)
   * @param zoom scale factor (1: reference; above 1 zooms in)
   */
  public record Camera(double dx, double dy, double rotation, double zoom) {
    public Camera {
      if (!Double.isFinite(dx) || !Double.isFinite(dy) || !Double.isFinite(rotation)) {
        throw new IllegalArgumentException("camera offset must be finite, got (" + dx + ", " + dy + ", " + rotation + ")");
      }
      if (!(zoom > 0 && Double.isFinite(zoom))) throw new IllegalArgumentException("camera zoom must be > 0, got " + zoom);
    }

    /** The reference view: no shift, no rotation, zoom 1. */
    public static Camera reference() {
      return new Camera(0, 0, 0, 1);
    }
  }
}
