package dev.wam4j.sim;

/**
 * What pushes: the agent's body and how an action (an absolute target position) moves it. A closed
 * set: the robot pusher of the reference, and a human hand for action-free video.
 */
public sealed interface Embodiment permits Embodiment.RobotPusher, Embodiment.HumanHand {

  /** Collision radius of the agent, world units. */
  double radius();

  /** Short name used in files and on the command line ({@code robot}, {@code hand}). */
  String id();

  /**
   * The reference robot: a disc of radius 15 driven each physics step by a PD law towards the
   * target, {@code v += (kp * (target - p) - kv * v) * dt} with the scene's gains, so it lags.
   */
  record RobotPusher(double radius) implements Embodiment {
    public RobotPusher {
      if (!(radius > 0))
        throw new IllegalArgumentException("robot radius must be > 0, got " + radius);
    }

    public static RobotPusher reference() {
      return new RobotPusher(15.0);
    }

    @Override
    public String id() {
      return "robot";
    }
  }

  /**
   * A human hand seen from above: larger (the palm is the contact disc) and under direct position
   * control: it moves in a straight line to the target within one control step, with no lag.
   */
  record HumanHand(double radius) implements Embodiment {
    public HumanHand {
      if (!(radius > 0))
        throw new IllegalArgumentException("hand radius must be > 0, got " + radius);
    }

    public static HumanHand standard() {
      return new HumanHand(18.0);
    }

    @Override
    public String id() {
      return "hand";
    }
  }

  /** Parses {@code robot} or {@code hand}. */
  static Embodiment parse(String id) {
    return switch (id) {
      case "robot" -> RobotPusher.reference();
      case "hand" -> HumanHand.standard();
      default ->
          throw new IllegalArgumentException(
              "unknown embodiment '" + id + "' (expected robot or hand)");
    };
  }
}
