package dev.wam4j.sim.factory;

import dev.wam4j.sim.expert.PushExpert;
import dev.wam4j.sim.scene.Pose;

/**
 * Who pushes the parts: given a robot, a part and a pose to bring it to, a {@link Push} that steers
 * the robot one control step at a time. The planner ({@link FactoryRun}) decides what to push
 * where; an executor decides how.
 */
public interface Executor {
  /** Its name in results: {@code expert}, {@code vision}. */
  String name();

  /**
   * Robot {@code robot} starts pushing part {@code part} of {@code cell} to {@code goal}; {@code
   * camera} is the cell's camera, which an executor that sees (rather than reads the simulator's
   * state) looks through.
   */
  Push push(Cell cell, CellCamera camera, int robot, int part, Pose goal);

  /** One push in progress. */
  interface Push {
    /** The robot's next target, in cell pixels, into {@code out[0..1]}. */
    void act(double[] out);
  }

  /**
   * The scripted expert: reads the part's pose from the simulator's state (privileged), the
   * baseline of every learned executor.
   */
  static Executor expert() {
    return new Executor() {
      @Override
      public String name() {
        return "expert";
      }

      @Override
      public Push push(Cell cell, CellCamera camera, int robot, int part, Pose goal) {
        PushExpert expert = cell.expert(part, goal);
        expert.reset();
        return out -> {
          Pose p = cell.pose(part);
          expert.act(cell.pusherX(robot), cell.pusherY(robot), p.x(), p.y(), p.angle(), out);
        };
      }
    };
  }
}
