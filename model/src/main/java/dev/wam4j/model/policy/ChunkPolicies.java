package dev.wam4j.model.policy;

import java.io.IOException;
import java.nio.file.Path;

/** Opens a trained policy from its checkpoint directory, whatever kind of policy it holds. */
public final class ChunkPolicies {
  private ChunkPolicies() {}

  /**
   * Loads the policy saved in {@code checkpoint}.
   *
   * @throws IOException when the checkpoint cannot be read or is not a policy checkpoint
   */
  public static ChunkPolicy load(Path checkpoint) throws IOException {
    // Filled in as policy kinds gain a runtime; see the world action model.
    throw new IOException(checkpoint + ": no policy runtime can load this checkpoint yet");
  }
}
