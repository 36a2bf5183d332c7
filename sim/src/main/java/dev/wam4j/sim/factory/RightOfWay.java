package dev.wam4j.sim.factory;

import dev.wam4j.sim.Embodiment;

/**
 * How robots in one cell keep apart: the lower-numbered robot has the way. A robot backs off
 * ({@value #BACK_OFF} px a step, straight away) from a robot ahead that comes within {@link #NEAR}
 * px or heads for where it stands, busy or idle, and otherwise waits when its own target would take
 * it within {@link #CLEARANCE} px of one. The pushers do not collide in the simulator (both are
 * bodies of infinite mass), so this rule is all that keeps them apart; it is not path planning
 * (RESULTS 28: a few overlaps in every ten thousand steps remain).
 */
public final class RightOfWay {
  /** Distance, in pixels, closer than which a robot's target makes it wait for a robot ahead. */
  public static final double CLEARANCE = 2 * Embodiment.RobotPusher.reference().radius() + 12;

  /** Distance, in pixels, closer than which a robot backs off from a robot ahead. */
  public static final double NEAR = CLEARANCE + 20;

  /** How far, in pixels, a robot backs off in one step. */
  public static final double BACK_OFF = 50;

  private RightOfWay() {}

  /**
   * Adjusts every robot's target ({@code targets[2r], targets[2r+1]}: what its executor wants, or
   * where it stands when idle), in the order of the robots, so that each gives way to those ahead.
   */
  public static void apply(Cell cell, double[] targets) {
    for (int r = 1; r < cell.robots(); r++) giveWay(cell, targets, r);
  }

  private static void giveWay(Cell cell, double[] targets, int r) {
    double x = cell.pusherX(r), y = cell.pusherY(r);
    for (int q = 0; q < r; q++) {
      double qx = cell.pusherX(q), qy = cell.pusherY(q);
      double tx = targets[2 * q], ty = targets[2 * q + 1];
      boolean near = Math.hypot(x - qx, y - qy) < NEAR;
      boolean headedHere = Math.hypot(x - tx, y - ty) < CLEARANCE;
      if (near || headedHere) {
        double fromX = headedHere && !near ? tx : qx, fromY = headedHere && !near ? ty : qy;
        double d = Math.max(1e-9, Math.hypot(x - fromX, y - fromY));
        targets[2 * r] = x + (x - fromX) / d * BACK_OFF;
        targets[2 * r + 1] = y + (y - fromY) / d * BACK_OFF;
        return;
      }
      if (Math.hypot(targets[2 * r] - qx, targets[2 * r + 1] - qy) < CLEARANCE) {
        targets[2 * r] = x;
        targets[2 * r + 1] = y;
      }
    }
  }
}
