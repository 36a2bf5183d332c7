package dev.wam4j.model.wam;

/**
 * One stage of the compute behind a model: a training run, or work outside one (data generation,
 * DAgger's rollouts), wall-clock seconds on the machine that ran it.
 */
public record ComputeStage(String name, double seconds) {
  public ComputeStage {
    if (name == null || name.isBlank())
      throw new IllegalArgumentException("compute stage: a name is required");
    if (!(seconds >= 0) || !Double.isFinite(seconds))
      throw new IllegalArgumentException("compute stage '" + name + "': seconds must be >= 0");
  }
}
