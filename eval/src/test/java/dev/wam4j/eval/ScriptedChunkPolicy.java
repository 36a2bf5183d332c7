package dev.wam4j.eval;

import dev.wam4j.model.policy.ChunkPolicy;
import dev.wam4j.model.policy.Plan;
import java.util.SplittableRandom;

/**
 * A test double whose plans are a seeded random walk of targets around the agent's current
 * position: its actions depend on the reset seed and the observations only, and it counts its
 * calls.
 */
class ScriptedChunkPolicy implements ChunkPolicy {
  private final int history;
  private final int horizon;
  private final int execute;
  private SplittableRandom random = new SplittableRandom(0);
  int calls;
  boolean closed;

  ScriptedChunkPolicy(int history, int horizon, int execute) {
    this.history = history;
    this.horizon = horizon;
    this.execute = execute;
  }

  @Override
  public int historyFrames() {
    return history;
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
    calls++;
    float x = agentPositions[agentPositions.length - 2],
        y = agentPositions[agentPositions.length - 1];
    float[] actions = new float[2 * horizon];
    for (int k = 0; k < horizon; k++) {
      x = Math.clamp(x + (float) random.nextDouble(-40, 40), 20f, 490f);
      y = Math.clamp(y + (float) random.nextDouble(-40, 40), 20f, 490f);
      actions[2 * k] = x;
      actions[2 * k + 1] = y;
    }
    return new Plan(actions, horizon, new byte[0], new int[0], 0);
  }

  @Override
  public void close() {
    closed = true;
  }
}
