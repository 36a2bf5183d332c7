package dev.wam4j.sim.render;

/**
 * Which part of the world the frame shows: world point {@code p} lands at 512-unit canvas position
 * {@code (p - (x, y)) * zoom}, and the 512 x 512 canvas fills the output frame.
 *
 * @param x world x at the left edge
 * @param y world y at the top edge
 * @param zoom magnification, > 0; 1 shows the whole 512 x 512 world
 */
public record Camera(double x, double y, double zoom) {
  /** @throws IllegalArgumentException unless zoom is positive and everything finite */
  public Camera {
    if (!Double.isFinite(x) || !Double.isFinite(y) || !(zoom > 0) || !Double.isFinite(zoom)) {
      throw new IllegalArgumentException("camera (" + x + ", " + y + ", zoom " + zoom + ") must be finite with zoom > 0");
    }
  }

  /** The reference view: the whole world, unzoomed. */
  public static Camera identity() {
    return new Camera(0, 0, 1);
  }
}
