package dev.wam4j.model.load;

import dev.wam4j.model.imagine.ImaginationPolicy;
import dev.wam4j.model.policy.ChunkPolicy;
import dev.wam4j.model.policy.PlanSettings;
import dev.wam4j.model.steer.SteeredPolicy;
import dev.wam4j.model.wam.WamPolicy;
import dev.wam4j.sim.render.SceneLook;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Opens a trained policy from its checkpoint directory, whatever kind of policy it holds, planning
 * as the checkpoint ships it: a world action model whose config asks for imagination ({@link
 * dev.wam4j.model.wam.WamConfig#imagineCandidates} above 1) comes back as an {@link
 * ImaginationPolicy} around it, and a steered checkpoint ({@link SteeredPolicy}) the model with its
 * RL actor, so evaluation, demos, monitors and robots all run what was shipped. The caller owns
 * (closes) the policy it gets.
 */
public final class ChunkPolicies {
  private ChunkPolicies() {}

  /**
   * Loads the policy saved in {@code checkpoint}: a world action model checkpoint directory, or a
   * training run directory (its latest checkpoint).
   *
   * @throws IOException when the checkpoint cannot be read, is corrupted, or is not a policy
   *     checkpoint
   */
  public static ChunkPolicy load(Path checkpoint) throws IOException {
    return load(checkpoint, PlanSettings.CHECKPOINT);
  }

  /**
   * The same, planning with {@code settings} where they differ from the checkpoint's own ({@code
   * imagineCandidates} 1 turns off the imagination a checkpoint ships).
   *
   * @throws IllegalArgumentException when the checkpoint cannot plan so: more actions executed than
   *     it plans, or imagination without a dream branch
   */
  public static ChunkPolicy load(Path checkpoint, PlanSettings settings) throws IOException {
    // a world action model steered by an RL actor, else the world action model itself, whose loader
    // names what is wrong
    if (SteeredPolicy.isCheckpoint(checkpoint)) return SteeredPolicy.load(checkpoint, settings);
    WamPolicy policy = WamPolicy.load(checkpoint, settings);
    int candidates = policy.config().imagineCandidates();
    // Dreams are scored against the scene the policy was trained to see: PushT as the reference
    // renders it, which is
    // what evaluation, demos and the fleet's simulated robots show it.
    return candidates == 1
        ? policy
        : ImaginationPolicy.of(policy, candidates, SceneLook.pushtReference());
  }
}
