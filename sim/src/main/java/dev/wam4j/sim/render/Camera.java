package dev.wam4j.sim.render;

/**
 * Which part of the world the frame shows: world point {@code p} lands at 512-unit canvas position
 * {@code q = (p - (x, y)) * zoom}, then {@code q} is turned by {@code rotation} about the canvas
 * centre (256, 256); the 512 x 512 canvas fills the output frame.
 *
 * @param x world x at the left edge
 * @param y world y at the top edge
 * @param zoom magnification, > 0; 1 shows the whole 512 x 512 world
 * @param rotation image rotation in radians about the canvas centre (positive: clockwise on screen)
 */
public record Camera(double x, double y, double zoom, double rotation) {
  /**
   * @throws IllegalArgumentException unless zoom is positive and everything finite
   */
  public Camera {
    if (!Double.isFinite(x)
        || !Double.isFinite(y)
        || !(zoom > 0)
        || !Double.isFinite(zoom)
        || !Double.isFinite(rotation)) {
      throw new IllegalArgumentException(
          "camera ("
              + x
              + ", "
              + y
              + ", zoom "
              + zoom
              + ", rotation "
              + rotation
              + ") must be finite with zoom > 0");
    }
  }

  /** A camera without rotation. */
  public Camera(double x, double y, double zoom) {
    this(x, y, zoom, 0.0);
  }

  /** The reference view: the whole world, unzoomed. */
  public static Camera identity() {
    return new Camera(0, 0, 1);
  }

  /**
   * A perturbation of the reference view: zoom about the centre, shift the picture by ({@code dx},
   * {@code dy}) world units (positive: the scene moves right / down), then rotate it about the
   * centre.
   */
  public static Camera perturbed(double dx, double dy, double rotation, double zoom) {
    return new Camera(256 - (256 + dx) / zoom, 256 - (256 + dy) / zoom, zoom, rotation);
  }
}
