package dev.wam4j.model.cell;

import dev.wam4j.sim.cousins.ShapeFamily;
import dev.wam4j.sim.expert.PushExpert;
import dev.wam4j.sim.factory.Cell;
import dev.wam4j.sim.factory.Design;
import dev.wam4j.sim.scene.Pose;

/**
 * The places a pusher can push a part at, per shape: the scripted expert's candidate contacts
 * (points every ~4 px along the outer edges a robot's disc can touch, in a fixed order), which are
 * the cell pusher's classes. They depend on the shape and the robot only, never on the goal.
 */
public final class Contacts {
  private static final int[] COUNT = new int[ShapeFamily.values().length];

  /** The most contacts of any shape: the network's outputs (a shape's extra ones are masked). */
  public static final int MAX;

  static {
    int max = 0;
    for (ShapeFamily f : ShapeFamily.values()) {
      COUNT[f.ordinal()] = primitive(f, new Pose(256, 256, 0)).contacts();
      max = Math.max(max, COUNT[f.ordinal()]);
    }
    MAX = max;
  }

  private Contacts() {}

  /** Contacts of {@code shape}. */
  public static int of(ShapeFamily shape) {
    return COUNT[shape.ordinal()];
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
