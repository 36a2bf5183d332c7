package dev.wam4j.sim.cousins;

import dev.wam4j.sim.scene.ConvexPart;
import java.util.ArrayList;
import java.util.List;

/**
 * Block shapes of the cousins, each a union of interior-disjoint boxes in body-local world units
 * (origin at the top middle like the reference T, 120 units tall at scale 1). The goal of a cousin
 * is the same shape.
 */
public enum ShapeFamily {
  /** The reference T: crossbar 120 x 30 over a 30 x 90 stem. */
  T("T", "tee", new double[][] {{-60, 0, 60, 30}, {-15, 30, 15, 120}}),
  /** An L: a 30 x 120 upright with a 60 x 30 foot to the right. */
  L("L", "ell", new double[][] {{-45, 0, -15, 120}, {-15, 90, 45, 120}}),
  /** An I: one 40 x 120 bar. */
  I("I", "eye", new double[][] {{-20, 0, 20, 120}}),
  /** A plus: 120 x 30 bar crossed by a 30 x 120 one, as three boxes. */
  PLUS("plus", "plus", new double[][] {{-15, 0, 15, 45}, {-60, 45, 60, 75}, {-15, 75, 15, 120}});

  private final String id;
  private final String objectName;
  private final double[][] boxes;

  ShapeFamily(String id, String objectName, double[][] boxes) {
    this.id = id;
    this.objectName = objectName;
    this.boxes = boxes;
  }

  /** Name in config files ({@code T}, {@code L}, {@code I}, {@code plus}). */
  public String id() {
    return id;
  }

  /** Name of the block object in the generated scene. */
  public String objectName() {
    return objectName;
  }

  /** The parts at {@code scale} (1 = the sizes above). */
  public List<ConvexPart> parts(double scale) {
    List<ConvexPart> out = new ArrayList<>(boxes.length);
    for (double[] b : boxes)
      out.add(ConvexPart.box(b[0] * scale, b[1] * scale, b[2] * scale, b[3] * scale));
    return out;
  }

  /**
   * Rotations by 2 pi / this leave the shape unchanged (1 for T and L, 2 for I, 4 for plus): the
   * poses a camera cannot tell apart.
   */
  public int symmetry() {
    return switch (this) {
      case T, L -> 1;
      case I -> 2;
      case PLUS -> 4;
    };
  }

  /** Parses a config-file id. */
  public static ShapeFamily parse(String id) {
    for (ShapeFamily f : values()) if (f.id.equals(id)) return f;
    throw new IllegalArgumentException(
        "unknown shape family '" + id + "' (expected T, L, I or plus)");
  }
}
