package dev.wam4j.fleet.api;

/**
 * Requests of the model registry (a model version is uploaded as a zip of its checkpoint folder).
 */
public final class ModelApi {
  private ModelApi() {}

  /**
   * Deploys a model version to a robot group ({@code default} when null), through one canary robot
   * first if asked.
   */
  public record Deploy(String model, int version, String group, boolean canary) {}
}
