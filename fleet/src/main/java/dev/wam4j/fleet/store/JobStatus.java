package dev.wam4j.fleet.store;

/**
 * Where a job stands: running until every task is done, one task fails for good, or an operator
 * cancels it.
 */
public enum JobStatus implements Wire {
  RUNNING,
  DONE,
  FAILED,
  CANCELLED
}
