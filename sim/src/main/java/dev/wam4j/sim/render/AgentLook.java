package dev.wam4j.sim.render;

/** How the pusher is drawn: the reference robot disc, or a human hand. */
public sealed interface AgentLook {

  /**
   * The reference robot pusher: a disc with a lighter inner disc; the angle is ignored.
   *
   * @param radius world units
   * @param innerRadius world units, at most {@code radius}
   */
  record Robot(double radius, double innerRadius, Rgb outer, Rgb inner) implements AgentLook {
    /**
     * @throws IllegalArgumentException unless 0 <= innerRadius <= radius
     */
    public Robot {
      if (!(radius > 0)
          || !(innerRadius >= 0)
          || innerRadius > radius
          || outer == null
          || inner == null) {
        throw new IllegalArgumentException(
            "robot look needs radius > 0 and 0 <= innerRadius <= radius, got "
                + radius
                + ", "
                + innerRadius);
      }
    }

    /** Radius 15 in royal blue (65, 105, 225), inner radius 11 in (78, 126, 255). */
    public static Robot pushtReference() {
      return new Robot(15, 11, new Rgb(65, 105, 225), new Rgb(78, 126, 255));
    }
  }

  /**
   * A stylised human hand seen from above: a palm disc with fingers fanned out in the direction of
   * the agent angle (angle 0 points the fingers along +x), outlined in a darker tone.
   *
   * @param palmRadius world units
   * @param fingers number of fingers, 4 or 5 (the fifth is a thumb at the side)
   * @param fingerLength from the palm centre to a fingertip, world units
   * @param fingerRadius half width of a finger, world units
   */
  record Hand(
      double palmRadius,
      int fingers,
      double fingerLength,
      double fingerRadius,
      Rgb skin,
      Rgb outline)
      implements AgentLook {
    /**
     * @throws IllegalArgumentException for non-positive sizes or a finger count other than 4 or 5
     */
    public Hand {
      if (!(palmRadius > 0)
          || !(fingerLength > palmRadius)
          || !(fingerRadius > 0)
          || (fingers != 4 && fingers != 5)
          || skin == null
          || outline == null) {
        throw new IllegalArgumentException(
            "hand look needs palmRadius > 0, fingerLength > palmRadius, fingerRadius > 0, 4 or 5 fingers; got "
                + palmRadius
                + ", "
                + fingerLength
                + ", "
                + fingerRadius
                + ", "
                + fingers);
      }
    }

    /**
     * Where a moving hand points: the direction of its last move of more than one unit, +pi/2 so
     * the fingers point along it; a smaller move (or none) keeps {@code previous}. Radians, as the
     * renderer and a hand tracker read it.
     */
    public static double heading(
        double previous, double fromX, double fromY, double toX, double toY) {
      return Math.hypot(toX - fromX, toY - fromY) > 1
          ? Math.atan2(toY - fromY, toX - fromX) + Math.PI / 2
          : previous;
    }

    /** A hand a little larger than the robot pusher, in a light skin tone. */
    public static Hand defaultLook() {
      return new Hand(18, 5, 38, 4.5, new Rgb(234, 192, 158), new Rgb(176, 124, 92));
    }
  }
}
