package dev.wam4j.model.cell;

import dev.wam4j.sim.cousins.ShapeFamily;
import dev.wam4j.sim.expert.PushExpert;
import dev.wam4j.sim.factory.Cell;
import dev.wam4j.sim.factory.Design;
import dev.wam4j.sim.scene.ConvexPart;
import dev.wam4j.sim.scene.Pose;

/**
 * The places a pusher can push a part at, per shape: the scripted expert's candidate contacts
 * (points every ~4 px along the outer edges a robot's disc can touch, each with its edge's outward
 * normal, in the part's own frame), among which the cell pusher chooses. They depend on the shape
 * and the robot only, never on the goal. Also each shape's centre of gravity and radius of
 * gyration.
 */
final class Contacts {
  private static final int SHAPES = ShapeFamily.values().length;
  private static final int[] COUNT = new int[SHAPES];
  private static final double[][] GEOMETRY = new double[SHAPES][]; // x, y, nx, ny per contact
  private static final double[] COG_X = new double[SHAPES], COG_Y = new double[SHAPES];
  private static final double[] GYRATION = new double[SHAPES];

  /** The most contacts of any shape. */
  static final int MAX;

  static {
    int max = 0;
    double[] c = new double[4];
    for (ShapeFamily f : ShapeFamily.values()) {
      PushExpert e = primitive(f, new Pose(256, 256, 0));
      int i = f.ordinal();
      COUNT[i] = e.contacts();
      GEOMETRY[i] = new double[4 * COUNT[i]];
      for (int k = 0; k < COUNT[i]; k++) {
        e.contact(k, c);
        System.arraycopy(c, 0, GEOMETRY[i], 4 * k, 4);
      }
      GYRATION[i] = e.gyrationRadius();
      double area = 0, x = 0, y = 0;
      for (ConvexPart p : f.parts(1)) {
        area += p.area();
        x += p.area() * p.centroidX();
        y += p.area() * p.centroidY();
      }
      COG_X[i] = x / area;
      COG_Y[i] = y / area;
      max = Math.max(max, COUNT[i]);
    }
    MAX = max;
  }

  private Contacts() {}

  /** Contacts of {@code shape}. */
  static int of(ShapeFamily shape) {
    return COUNT[shape.ordinal()];
  }

  /** Every contact of {@code shape}, four numbers each: x, y, normal x, normal y in its frame. */
  static double[] geometry(ShapeFamily shape) {
    return GEOMETRY[shape.ordinal()];
  }

  static double cogX(ShapeFamily shape) {
    return COG_X[shape.ordinal()];
  }

  static double cogY(ShapeFamily shape) {
    return COG_Y[shape.ordinal()];
  }

  static double gyration(ShapeFamily shape) {
    return GYRATION[shape.ordinal()];
  }

  /**
   * The pushing primitive for a part of {@code shape} going to {@code goal}: walks to a chosen
   * contact (around the part when the way is blocked) and pushes through it ({@link
   * PushExpert#drive}).
   */
  static PushExpert primitive(ShapeFamily shape, Pose goal) {
    return Cell.expert(new Design.Part(shape.id(), 0, shape, goal, null), goal, 0.9);
  }
}
