package dev.wam4j.eval;

import dev.wam4j.model.load.ChunkPolicies;
import dev.wam4j.model.policy.ChunkPolicy;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Runs a closed-loop evaluation of a checkpoint folder: in this JVM ({@link #local()}), or
 * elsewhere, e.g. with the seeds spread over a Spark cluster (module {@code cluster} implements
 * one; eval stays free of it). Callers whose cost is evaluation over seeds (the studies) take one.
 */
@FunctionalInterface
public interface CheckpointEvaluator {
  /**
   * The evaluation of the checkpoint in {@code checkpoint}, loaded with its own plan settings
   * ({@link ChunkPolicies#load(Path)}), with {@code config}.
   *
   * @throws IOException when the checkpoint cannot be loaded or a video cannot be written
   * @throws IllegalArgumentException when this evaluator cannot run {@code config} (naming why)
   */
  ClosedLoopEvaluation.Result evaluate(Path checkpoint, ClosedLoopEvaluation.Config config)
      throws IOException;

  /** In this JVM, one policy, the engine's default threads. */
  static CheckpointEvaluator local() {
    return (checkpoint, config) -> {
      try (ChunkPolicy policy = ChunkPolicies.load(checkpoint)) {
        return ClosedLoopEvaluation.run(policy, config, null);
      }
    };
  }
}
