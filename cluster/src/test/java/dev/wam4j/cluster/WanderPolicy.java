package dev.wam4j.cluster;

import dev.wam4j.model.policy.ChunkPolicy;
import dev.wam4j.model.policy.Plan;
import java.util.SplittableRandom;

/**
 * A cheap test policy: each target a random step from the agent's last position, drawn from the
 * episode's policy seed, so an episode depends on its seed alone (as a checkpoint's does).
 */
final class WanderPolicy implements ChunkPolicy {
  private final int execute;
  private SplittableRandom random = new SplittableRandom(0);

  WanderPolicy(int execute) {
    this.execute = execute;
  }

  /** Opens wander policies; a record, so equal sources share an executor's pool. */
  record Source(int execute) implements PolicySource {
    @Override
    public ChunkPolicy open() {
      return new WanderPolicy(execute);
    }
  }

  @Override
  public int historyFrames() {
    return 2;
  }

  @Override
  public int imageSize() {
    return 96;
  }

  @Override
  public int executeSteps() {
    return execute;
  }

  @Override
  public void reset(long seed) {
    random = new SplittableRandom(seed);
  }

  @Override
  public Plan plan(byte[] images, float[] agentPositions, boolean dream) {
    float x = agentPositions[agentPositions.length - 2],
        y = agentPositions[agentPositions.length - 1];
    float[] actions = new float[2 * execute];
    for (int k = 0; k < execute; k++) {
      x = clamp(x + (float) (random.nextDouble(-60, 60) + 0.02 * (256 - x)));
      y = clamp(y + (float) (random.nextDouble(-60, 60) + 0.02 * (256 - y)));
      actions[2 * k] = x;
      actions[2 * k + 1] = y;
    }
    return new Plan(actions, execute, new byte[0], new int[0], 0);
  }

  private static float clamp(float v) {
    return Math.max(20, Math.min(492, v));
  }

  @Override
  public void close() {}
}
