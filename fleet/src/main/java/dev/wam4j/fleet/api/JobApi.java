package dev.wam4j.fleet.api;

import dev.wam4j.fleet.store.Records;
import dev.wam4j.sim.scene.Pose;
import java.util.List;

/**
 * Requests and replies of the job and task resources (a job is submitted as a markdown document).
 */
public final class JobApi {
  private JobApi() {}

  /** A job with its tasks. */
  public record JobDetail(Records.Job job, List<Records.Task> tasks) {}

  /**
   * How a task ended, as its robot reports it. The server reads {@code success} and keeps the whole
   * document.
   *
   * @param success whether the task's success score was reached
   * @param protocolSuccess whether the episode met the benchmark's own success threshold
   * @param scene the scene the episode ran in
   * @param goal the goal pose it was measured against (the job's, or the scene's own)
   */
  public record TaskResult(
      boolean success,
      boolean protocolSuccess,
      double successScore,
      double maxCoverage,
      int steps,
      long seed,
      boolean handedOver,
      String model,
      String scene,
      Pose goal) {}
}
