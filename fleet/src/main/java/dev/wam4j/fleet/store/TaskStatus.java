package dev.wam4j.fleet.store;

/**
 * Where a task stands: waiting, on a robot, or ended (done, failed after its attempts, cancelled
 * with its job).
 */
public enum TaskStatus implements Wire {
  QUEUED,
  ASSIGNED,
  DONE,
  FAILED,
  CANCELLED
}
