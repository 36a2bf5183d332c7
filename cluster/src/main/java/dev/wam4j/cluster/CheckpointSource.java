package dev.wam4j.cluster;

import dev.wam4j.model.Engines;
import dev.wam4j.model.load.ChunkPolicies;
import dev.wam4j.model.policy.ChunkPolicy;
import dev.wam4j.model.policy.PlanSettings;
import java.io.IOException;
import java.nio.file.Path;

/**
 * A policy checkpoint, loaded as {@code wam4j eval} loads it ({@link ChunkPolicies#load(Path,
 * PlanSettings)}). The path must name the same checkpoint on every executor (a shared or copied
 * folder at the same absolute path).
 *
 * @param path absolute path of the checkpoint directory
 * @param executeSteps as {@link PlanSettings#executeSteps()}; null: the checkpoint's
 * @param sampleSteps as {@link PlanSettings#sampleSteps()}; null: the checkpoint's
 * @param sampleNoise as {@link PlanSettings#sampleNoise()}; null: the checkpoint's
 * @param imagineCandidates as {@link PlanSettings#imagineCandidates()}; null: the checkpoint's
 * @param threads intra-op threads of the engine in each executor JVM; null: the engine's default (a
 *     plan's numbers depend on it: give the plain run the same count to compare per seed)
 */
public record CheckpointSource(
    String path,
    Integer executeSteps,
    Integer sampleSteps,
    Double sampleNoise,
    Integer imagineCandidates,
    Integer threads)
    implements PolicySource {
  /**
   * @throws IllegalArgumentException when the path is not absolute or the settings are out of range
   */
  public CheckpointSource {
    if (!Path.of(path).isAbsolute())
      throw new IllegalArgumentException("checkpoint path must be absolute, got " + path);
    settings(executeSteps, sampleSteps, sampleNoise, imagineCandidates);
    if (threads != null && threads < 1)
      throw new IllegalArgumentException("threads must be >= 1, got " + threads);
  }

  /** The checkpoint at {@code path} (made absolute) loaded with {@code settings}. */
  public static CheckpointSource of(Path path, PlanSettings settings, Integer threads) {
    return new CheckpointSource(
        path.toAbsolutePath().normalize().toString(),
        settings.executeSteps(),
        settings.sampleSteps(),
        settings.sampleNoise(),
        settings.imagineCandidates(),
        threads);
  }

  /** The inference settings this source loads with. */
  public PlanSettings settings() {
    return settings(executeSteps, sampleSteps, sampleNoise, imagineCandidates);
  }

  private static PlanSettings settings(
      Integer executeSteps, Integer sampleSteps, Double sampleNoise, Integer imagineCandidates) {
    return new PlanSettings(executeSteps, sampleSteps, sampleNoise, imagineCandidates);
  }

  @Override
  public void onThisThread() {
    if (threads != null) Engines.useThreadsOnThisThread(threads);
  }

  @Override
  public ChunkPolicy open() throws IOException {
    // read once, when the JVM's engine starts: the first load here (a flag given to the driver of
    // a local run has set it already)
    if (threads != null) Engines.useThreadsUnlessSet(threads);
    return ChunkPolicies.load(Path.of(path), settings());
  }
}
