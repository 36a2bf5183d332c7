package dev.wam4j.fleet.store;

/**
 * A deployment on one robot of its group ({@code canary}), on all of it ({@code active}), or
 * withdrawn ({@code rolled_back}).
 */
public enum DeploymentStatus implements Wire {
  CANARY,
  ACTIVE,
  ROLLED_BACK
}
