package dev.wam4j.model.policy;

import dev.wam4j.model.wam.WamPolicy;
import java.io.IOException;
import java.nio.file.Path;

/** Opens a trained policy from its checkpoint directory, whatever kind of policy it holds. */
public final class ChunkPolicies {
  private ChunkPolicies() {}

  /**
   * Loads the policy saved in {@code checkpoint}: a world action model checkpoint directory, or a
   * training run directory (its latest checkpoint).
   *
   * @throws IOException when the checkpoint cannot be read, is corrupted, or is not a policy checkpoint
   */
  public static ChunkPolicy load(Path checkpoint) throws IOException {
    // The world action model is the only policy with a runtime so far; its loader names what is wrong.
    return WamPolicy.load(checkpoint);
  }

  /** The same, planning with {@code settings} where they differ from the checkpoint's own. */
  public static ChunkPolicy load(Path checkpoint, PlanSettings settings) throws IOException {
    return WamPolicy.load(checkpoint, settings);
  }
}
