package dev.wam4j.sim.factory;

import dev.wam4j.sim.scene.ConvexClip;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * Refuses a layout no order of straight pushes can build.
 *
 * <p>A part can be <em>inserted</em> into its target, with some other parts already on theirs, when
 * for one of {@value #DIRECTIONS} directions it can slide straight into the target: from {@value
 * #APPROACH} px back (more than a part's length, so it starts clear of the targets next to its own)
 * or, when a wall comes first, from where the wall stops it, but at least {@value #MIN_SLIDE} px (a
 * pusher's width; a part that can only move a few pixels is one nothing can bring there). Along the
 * slide, sampled every {@value #STEP} px, the part must stay on the floor and overlap no placed
 * target, and a pusher disc must fit behind it all the way, on the line through the part's centroid
 * (a push through the centre of mass slides without turning), touching its trailing extent, on the
 * floor and off the placed targets.
 *
 * <p>A layout is reachable when an order exists in which each part can be inserted with the parts
 * before it placed. Fewer placed parts never make an insertion harder, so peeling from the end
 * finds one if there is one: repeatedly take a part that can be inserted with all the others left
 * placed (it goes last among them). When none can, the layout is unreachable, and the message names
 * a stuck part and the targets in its way.
 */
final class Reachability {
  /** Straight approach directions tried, evenly spaced. */
  static final int DIRECTIONS = 16;

  /** How far back a slide starts, in pixels, when no wall comes first. */
  static final double APPROACH = 150;

  /** The shortest slide a wall may leave, in pixels. */
  static final double MIN_SLIDE = 30;

  /** Distance between sampled positions of a slide, in pixels (the thinnest piece is 30). */
  static final double STEP = 4;

  /** How far, in pixels, the pusher disc may dip into a placed target: touching is free. */
  private static final double PUSHER_TOUCH = 0.5;

  /** What {@link #approach} says when the slide is free, or when the walls leave too little. */
  private static final int FREE = -1, WALL = -2;

  private Reachability() {}

  /**
   * Checks that the design's parts can be placed one after another by straight pushes.
   *
   * @param radius the pusher's radius
   * @throws DesignException on the line of a part no approach can bring in
   */
  static void check(Design design, DesignCheck.Workspace space, double radius) {
    List<Design.Part> parts = design.parts();
    List<Target> targets = targets(design);
    BitSet left = new BitSet();
    left.set(0, parts.size());
    double[] s1 = new double[ConvexClip.scratchSize(16)],
        s2 = new double[ConvexClip.scratchSize(16)];
    while (!left.isEmpty()) {
      int peeled = -1;
      for (int i = left.nextSetBit(0); i >= 0 && peeled < 0; i = left.nextSetBit(i + 1)) {
        if (blockers(i, targets, left, space, radius, s1, s2) == null) peeled = i;
      }
      if (peeled >= 0) {
        left.clear(peeled);
        continue;
      }
      int stuck = left.nextSetBit(0);
      BitSet in = blockers(stuck, targets, left, space, radius, s1, s2);
      throw new DesignException(parts.get(stuck).line(), message(parts, stuck, in));
    }
  }

  /**
   * What blocks every approach of part {@code i}, with the parts in {@code placed} on their
   * targets: the indices of the parts in the way, and {@code targets.size()} for the walls; {@code
   * null} when one approach is free.
   */
  private static BitSet blockers(
      int i,
      List<Target> targets,
      BitSet placed,
      DesignCheck.Workspace space,
      double radius,
      double[] s1,
      double[] s2) {
    BitSet in = new BitSet();
    for (int k = 0; k < DIRECTIONS; k++) {
      int blocker = approach(i, k, targets, placed, space, radius, s1, s2);
      if (blocker == FREE) return null;
      in.set(blocker == WALL ? targets.size() : blocker);
    }
    return in;
  }

  /**
   * The directions (radians, y down, the direction the part moves in) from which part {@code i}
   * slides into its target with every other part of the design on its target; for tests.
   */
  static List<Double> freeApproaches(
      Design design, int i, DesignCheck.Workspace space, double radius) {
    List<Target> targets = targets(design);
    BitSet placed = new BitSet();
    placed.set(0, targets.size());
    double[] s1 = new double[ConvexClip.scratchSize(16)],
        s2 = new double[ConvexClip.scratchSize(16)];
    List<Double> out = new ArrayList<>();
    for (int k = 0; k < DIRECTIONS; k++) {
      if (approach(i, k, targets, placed, space, radius, s1, s2) == FREE)
        out.add(2 * Math.PI * k / DIRECTIONS);
    }
    return out;
  }

  private static List<Target> targets(Design design) {
    List<Target> targets = new ArrayList<>();
    for (Design.Part p : design.parts())
      targets.add(new Target(DesignCheck.footprint(p, p.target())));
    return targets;
  }

  /**
   * Slides part {@code i} in along the {@code direction}th direction: {@link #FREE}, {@link #WALL}
   * when the walls leave less than {@link #MIN_SLIDE}, or the first placed part whose target is in
   * the way.
   */
  private static int approach(
      int i,
      int direction,
      List<Target> targets,
      BitSet placed,
      DesignCheck.Workspace space,
      double radius,
      double[] s1,
      double[] s2) {
    double angle = 2 * Math.PI * direction / DIRECTIONS, dx = Math.cos(angle), dy = Math.sin(angle);
    Target t = targets.get(i);
    // the pusher's centre at the target, behind the trailing extent along the motion
    double behind = Double.NEGATIVE_INFINITY;
    for (double[] xy : t.pieces) {
      for (int v = 0; v < xy.length; v += 2)
        behind = Math.max(behind, (t.cx - xy[v]) * dx + (t.cy - xy[v + 1]) * dy);
    }
    double px = t.cx - dx * (behind + radius), py = t.cy - dy * (behind + radius);
    // at distance s back every point moves by -s (dx, dy): the floor bounds s linearly
    double end = APPROACH;
    end =
        Math.min(
            end, room(t.minX, t.maxX, px - radius, px + radius, dx, space.minX(), space.maxX()));
    end =
        Math.min(
            end, room(t.minY, t.maxY, py - radius, py + radius, dy, space.minY(), space.maxY()));
    if (end < MIN_SLIDE) return WALL;
    // only targets near the swept box can be in the way
    double sweepMinX = Math.min(t.minX, px - radius) - Math.max(0, dx) * end,
        sweepMaxX = Math.max(t.maxX, px + radius) - Math.min(0, dx) * end,
        sweepMinY = Math.min(t.minY, py - radius) - Math.max(0, dy) * end,
        sweepMaxY = Math.max(t.maxY, py + radius) - Math.min(0, dy) * end;
    List<Integer> near = new ArrayList<>();
    for (int j = placed.nextSetBit(0); j >= 0; j = placed.nextSetBit(j + 1)) {
      Target o = targets.get(j);
      if (j != i
          && o.minX < sweepMaxX
          && o.maxX > sweepMinX
          && o.minY < sweepMaxY
          && o.maxY > sweepMinY) near.add(j);
    }
    if (near.isEmpty()) return FREE;
    int samples = (int) Math.ceil(end / STEP);
    List<double[]> moved = new ArrayList<>();
    for (double[] xy : t.pieces) moved.add(new double[xy.length]);
    for (int k = 0; k <= samples; k++) {
      double s = end * k / samples, ox = -dx * s, oy = -dy * s;
      for (int m = 0; m < moved.size(); m++) {
        double[] from = t.pieces.get(m), to = moved.get(m);
        for (int v = 0; v < from.length; v += 2) {
          to[v] = from[v] + ox;
          to[v + 1] = from[v + 1] + oy;
        }
      }
      for (int j : near) {
        Target o = targets.get(j);
        if (hits(px + ox, py + oy, radius, o)) return j;
        if (o.minX < t.maxX + ox
            && o.maxX > t.minX + ox
            && o.minY < t.maxY + oy
            && o.maxY > t.minY + oy) {
          double area = 0;
          for (double[] a : moved)
            for (double[] b : o.pieces) area += ConvexClip.area(a, b, s1, s2);
          if (area > DesignCheck.TOUCH_SQUARE_PIXELS) return j;
        }
      }
    }
    return FREE;
  }

  /**
   * The largest s for which the interval [lo, hi] of the part and [plo, phi] of the pusher, moved
   * by -s d, stay in [min, max]; -1 when they are not in it at s = 0.
   */
  private static double room(
      double lo, double hi, double plo, double phi, double d, double min, double max) {
    double a = Math.min(lo, plo), b = Math.max(hi, phi);
    if (a < min - 1e-9 || b > max + 1e-9) return -1;
    if (d > 0) return (a - min) / d;
    if (d < 0) return (b - max) / d;
    return Double.POSITIVE_INFINITY;
  }

  /** Whether a pusher disc at (x, y) reaches into the target {@code o}. */
  private static boolean hits(double x, double y, double radius, Target o) {
    if (x + radius <= o.minX
        || x - radius >= o.maxX
        || y + radius <= o.minY
        || y - radius >= o.maxY) return false;
    for (double[] xy : o.pieces)
      if (Cell.distanceToPolygon(x, y, xy) < radius - PUSHER_TOUCH) return true;
    return false;
  }

  private static String message(List<Design.Part> parts, int stuck, BitSet in) {
    List<String> names = new ArrayList<>();
    if (in.get(parts.size())) names.add("the walls");
    for (int j = in.nextSetBit(0); j >= 0 && j < parts.size(); j = in.nextSetBit(j + 1))
      names.add(
          (names.size() == (in.get(parts.size()) ? 1 : 0) ? "the targets of '" : "'")
              + parts.get(j).name()
              + "' (line "
              + parts.get(j).line()
              + ")");
    String list =
        names.size() == 1
            ? names.get(0)
            : String.join(", ", names.subList(0, names.size() - 1))
                + " and "
                + names.get(names.size() - 1);
    return "unreachable layout: no straight approach into the target of '"
        + parts.get(stuck).name()
        + "' is free of "
        + list
        + " and leaves a pusher room behind it, whatever the order of placement";
  }

  /** A part's footprint on its target, with its bounding box and centroid. */
  private static final class Target {
    final List<double[]> pieces;
    final double minX, minY, maxX, maxY, cx, cy;

    Target(List<double[]> pieces) {
      this.pieces = pieces;
      double x0 = Double.POSITIVE_INFINITY, y0 = x0, x1 = Double.NEGATIVE_INFINITY, y1 = x1;
      double area = 0, sx = 0, sy = 0;
      for (double[] xy : pieces) {
        int n = xy.length / 2;
        for (int v = 0; v < n; v++) {
          double ax = xy[2 * v], ay = xy[2 * v + 1];
          double bx = xy[2 * ((v + 1) % n)], by = xy[2 * ((v + 1) % n) + 1];
          x0 = Math.min(x0, ax);
          x1 = Math.max(x1, ax);
          y0 = Math.min(y0, ay);
          y1 = Math.max(y1, ay);
          double cross = ax * by - bx * ay;
          area += cross;
          sx += (ax + bx) * cross;
          sy += (ay + by) * cross;
        }
      }
      minX = x0;
      minY = y0;
      maxX = x1;
      maxY = y1;
      // the pieces share one orientation, so the signed sums add up to the whole part's
      cx = sx / (3 * area);
      cy = sy / (3 * area);
    }
  }
}
