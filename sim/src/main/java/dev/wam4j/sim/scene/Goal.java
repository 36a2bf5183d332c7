package dev.wam4j.sim.scene;

/**
 * The task: bring the object (index into the scene's objects) onto the goal pose.
 *
 * @param successCoverage the episode succeeds when coverage is strictly above this (reference 0.95)
 */
public record Goal(int object, Pose pose, double successCoverage) {
  public Goal {
    if (object < 0) throw new IllegalArgumentException("goal.object must be >= 0, got " + object);
    if (pose == null) throw new IllegalArgumentException("goal.pose is required");
    if (!(successCoverage > 0 && successCoverage <= 1)) {
      throw new IllegalArgumentException(
          "goal.success_coverage must be in (0, 1], got " + successCoverage);
    }
  }
}
