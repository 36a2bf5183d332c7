package dev.wam4j.fleet.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.wam4j.fleet.store.JobStatus;
import dev.wam4j.fleet.store.Wire;
import dev.wam4j.sim.factory.FactoryRun;
import dev.wam4j.sim.scene.Pose;
import java.util.List;

/**
 * Requests and replies of the build resource: a product design (docs/FACTORY.md) built in the
 * server's shared simulated cell, its placements pushed by robot agents one control step at a time.
 */
public final class BuildApi {
  private BuildApi() {}

  /**
   * Submits a build.
   *
   * @param design the design file's markdown text
   * @param seed the feeder's seed, unless the design sets one (null: 0)
   */
  public record Submit(String design, Long seed) {}

  /**
   * A placement given to a robot: push part {@code part} onto its target in build {@code buildId}
   * with pusher {@code pusher}.
   *
   * @param orderIndex where the part stands in the planned order (0 first)
   * @param observation the cell as the robot's step starts
   */
  public record Placement(
      long buildId,
      int part,
      String name,
      String shape,
      Pose target,
      int orderIndex,
      int pusher,
      double tolerance,
      Observation observation) {}

  /** A robot's target for its pusher in the next control step, in cell pixels. */
  public record Target(double x, double y) {}

  /** What a placement's step does. */
  public enum Phase implements Wire {
    /** Push on towards {@code goal}. */
    PUSHING,
    /** The camera sees the part placed: the placement is done. */
    PLACED,
    /** The push took too long; the part is queued again. */
    GIVEN_UP,
    /** The placement was taken back (its robot fell silent) or the build ended. */
    ENDED
  }

  /**
   * The cell after a control step, as one robot sees it.
   *
   * @param step control steps so far
   * @param pusherX the robot's pusher
   * @param pose the part as the camera locates it (null: not in the picture)
   * @param coverage the camera's coverage of the part's target
   * @param placed whether coverage reaches the design's tolerance
   * @param goal where to push the part now: its target, or a staging pose off a wall
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Observation(
      long step,
      double pusherX,
      double pusherY,
      Pose pose,
      double coverage,
      boolean placed,
      Phase phase,
      Pose goal) {}

  /**
   * One part of a build now.
   *
   * @param state {@code queued}, {@code pushing} or {@code placed} (as the camera sees it)
   * @param robotId the robot pushing it, or null
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record PartStatus(
      String name,
      String shape,
      int orderIndex,
      String state,
      String robotId,
      double coverage,
      int pushes) {}

  /**
   * A build's progress.
   *
   * @param status running, done (every part placed), failed (out of simulated minutes) or cancelled
   * @param robotsJoined robots that hold one of the cell's pushers
   * @param failure why it failed (which part, and why), or null
   * @param result the outcome in {@code factory run}'s form once it ended, else null
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record BuildStatus(
      long id,
      String title,
      JobStatus status,
      long seed,
      int robots,
      int robotsJoined,
      long steps,
      double simMinutes,
      double maxMinutes,
      int partsTotal,
      int partsPlaced,
      List<PartStatus> parts,
      String failure,
      FactoryRun.Result result) {}
}
