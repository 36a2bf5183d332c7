package dev.wam4j.eval.monitor;

import dev.wam4j.model.policy.ChunkPolicy;
import dev.wam4j.model.policy.Plan;
import dev.wam4j.model.policy.PlanSignals;

/**
 * A test double with a one-value latent: plan p sees latent {@code p} and predicts {@code p + 1}
 * for 8 steps ahead (what the next plan will see) until plan {@code wrongFrom}, after which it
 * predicts {@code p + 11}: a latent divergence of 0 and then 100. Its dream frames are black (or,
 * after {@link #dreamTheCurrentFrame()}, copies of the frame it plans on), its action spread is
 * {@code p}, and it holds the agent still.
 */
final class ForetellingPolicy implements ChunkPolicy {
  private final int wrongFrom;
  private int plans;
  private int spreadSamples;
  private boolean copyLast;

  ForetellingPolicy(int wrongFrom) {
    this.wrongFrom = wrongFrom;
  }

  @Override
  public int historyFrames() {
    return 1;
  }

  @Override
  public int imageSize() {
    return 96;
  }

  @Override
  public int executeSteps() {
    return 8;
  }

  @Override
  public void reset(long seed) {
    plans = 0;
  }

  /** From now on every dream frame is the frame the plan saw: the dream says "nothing moves". */
  void dreamTheCurrentFrame() {
    copyLast = true;
  }

  @Override
  public void sampleActionSpread(int samples) {
    spreadSamples = samples;
  }

  @Override
  public Plan plan(byte[] images, float[] agentPositions, boolean dream) {
    int p = plans++;
    float[] actions = new float[16];
    for (int k = 0; k < 8; k++) {
      actions[2 * k] = agentPositions[0];
      actions[2 * k + 1] = agentPositions[1];
    }
    float predicted = p + 1 + (p >= wrongFrom ? 10 : 0);
    PlanSignals signals =
        new PlanSignals(
            1,
            new float[] {p},
            new float[] {p + 0.5f, predicted},
            new int[] {4, 8},
            spreadSamples > 0 ? p : Double.NaN);
    byte[] frames = dream ? new byte[2 * 96 * 96 * 3] : new byte[0];
    if (dream && copyLast) {
      System.arraycopy(images, 0, frames, 0, 96 * 96 * 3);
      System.arraycopy(images, 0, frames, 96 * 96 * 3, 96 * 96 * 3);
    }
    return new Plan(actions, 8, frames, dream ? new int[] {4, 8} : new int[0], 0, signals);
  }

  @Override
  public void close() {}
}
