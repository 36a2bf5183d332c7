package dev.wam4j.sim.render;

/**
 * One convex polygon of a block in body-local world units, vertices as {@code x0, y0, x1, y1, ...} in
 * order around the boundary.
 */
public record ConvexPart(double[] vertices) {
  /** @throws IllegalArgumentException unless there are at least 3 finite vertices */
  public ConvexPart {
    if (vertices == null || vertices.length < 6 || vertices.length % 2 != 0) {
      throw new IllegalArgumentException("a convex part needs >= 3 (x, y) vertices, got " + (vertices == null ? "null" : vertices.length + " numbers"));
    }
    for (double v : vertices) {
      if (!Double.isFinite(v)) throw new IllegalArgumentException("convex part vertex " + v + " is not finite");
    }
    vertices = vertices.clone();
  }

  /** Number of vertices. */
  public int size() {
    return vertices.length / 2;
  }

  /** The vertices (a copy). */
  @Override
  public double[] vertices() {
    return vertices.clone();
  }

  /** Axis-aligned rectangle [x0, x1] x [y0, y1], vertices in the order the PushT reference lists them. */
  public static ConvexPart box(double x0, double y0, double x1, double y1) {
    return new ConvexPart(new double[] {x0, y0, x1, y0, x1, y1, x0, y1});
  }
}
