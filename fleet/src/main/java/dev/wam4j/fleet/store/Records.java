package dev.wam4j.fleet.store;

/** The rows the fleet store hands out. */
public final class Records {
  private Records() {}

  /** A robot and what it last said. */
  public record Robot(
      String id,
      String name,
      String group,
      String embodiment,
      RobotState state,
      Long lastSeenMs,
      String factsheet,
      String lastTelemetry) {}

  /** A robot just enrolled: its id and its secret token (shown once, stored only hashed). */
  public record Enrollment(String robotId, String token) {}

  /** A job and its progress. */
  public record Job(
      long id,
      String title,
      JobStatus status,
      long createdMs,
      Long finishedMs,
      int tasks,
      int done,
      int failed,
      int queued,
      int assigned) {}

  /**
   * A task: one run of a job step.
   *
   * @param goalX target pose, or {@code null} for the scene's goal (then goalY and goalAngle are
   *     null too)
   */
  public record Task(
      long id,
      long jobId,
      int stepIndex,
      String stepName,
      int seq,
      String scene,
      Double goalX,
      Double goalY,
      Double goalAngle,
      String embodiment,
      int maxSteps,
      double successScore,
      TaskStatus status,
      String robotId,
      int attempts,
      int maxAttempts,
      String result) {}

  /** An alert a robot raised (e.g. the dream monitor fired). */
  public record Alert(
      long id, String robotId, Long taskId, String kind, String message, long createdMs) {}

  /**
   * An upload of a recorded episode: {@code open} while chunks arrive, {@code complete} once
   * checked and kept.
   */
  public record Upload(
      String id,
      String robotId,
      Long taskId,
      String taskName,
      String sha256,
      long sizeBytes,
      UploadStatus status,
      Long episodeId) {}

  /** An episode kept on the server: a one-episode LeRobot v3.0 dataset. */
  public record Episode(
      long id,
      String robotId,
      Long taskId,
      String taskName,
      String sha256,
      int frames,
      boolean success,
      String path,
      long createdMs) {}

  /** An upload set aside because its bytes do not hold a usable episode (the reason says why). */
  public record Quarantined(
      String id,
      String robotId,
      Long taskId,
      String taskName,
      String sha256,
      long sizeBytes,
      String reason,
      long createdMs) {}

  /** What has been collected for a task: episodes, frames and hours (at 10 fps). */
  public record TaskData(String taskName, int episodes, long frames, double hours, int successes) {}

  /** A registered model version. */
  public record Model(
      String name, int version, String sha256, String path, String card, long createdMs) {}

  /**
   * A model version deployed to a robot group: {@code canary} (one robot), {@code active}, or
   * {@code rolled_back}.
   */
  public record Deployment(
      long id,
      String modelName,
      int modelVersion,
      String group,
      String canaryRobotId,
      DeploymentStatus status,
      long createdMs) {}
}
