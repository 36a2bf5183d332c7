package dev.wam4j.sim.factory;

import dev.wam4j.sim.scene.Pose;
import java.util.ArrayList;
import java.util.List;

/**
 * The order of placement: a part placed early must not stand in the way of a part placed later.
 * Greedily, the next part is the one whose target lies on the fewest straight paths (start to
 * target) of the parts still to place; ties keep the design's order.
 */
public final class PlacementOrder {
  /**
   * A path passes a target when it comes this close to its footprint, in pixels (a part's half
   * width and a pusher).
   */
  static final double PATH_CLEARANCE = 40;

  private PlacementOrder() {}

  /**
   * Indices of the design's parts in the order to place them, given where they start (a cell's
   * {@link Cell#starts()}).
   */
  public static List<Integer> plan(Design design, List<Pose> starts) {
    List<Design.Part> parts = design.parts();
    List<Integer> left = new ArrayList<>();
    for (int i = 0; i < parts.size(); i++) left.add(i);
    List<Integer> order = new ArrayList<>();
    while (!left.isEmpty()) {
      int best = -1, bestBlocks = Integer.MAX_VALUE;
      for (int p : left) {
        int blocks = 0;
        for (int q : left)
          if (q != p && passes(starts.get(q), parts.get(q).target(), parts.get(p))) blocks++;
        if (blocks < bestBlocks) {
          best = p;
          bestBlocks = blocks;
        }
      }
      order.add(best);
      left.remove(Integer.valueOf(best));
    }
    return order;
  }

  /** Whether the straight path from {@code from} to {@code to} passes the target of {@code p}. */
  static boolean passes(Pose from, Pose to, Design.Part p) {
    List<double[]> footprint = DesignCheck.footprint(p, p.target());
    for (int k = 0; k <= 50; k++) {
      double t = k / 50.0,
          x = from.x() + t * (to.x() - from.x()),
          y = from.y() + t * (to.y() - from.y());
      for (double[] xy : footprint)
        if (Cell.distanceToPolygon(x, y, xy) < PATH_CLEARANCE) return true;
    }
    return false;
  }
}
