package dev.wam4j.eval;

import dev.wam4j.model.policy.Plan;
import dev.wam4j.sim.expert.PushExpert;
import dev.wam4j.sim.pusht.PushTEnv;
import dev.wam4j.sim.render.SceneRenderer;
import java.util.Arrays;

/**
 * A test double that knows the future: at each reset it runs the scripted expert through a whole
 * episode in its own environment (episodes reset in seed order from {@code firstSeed}), keeping its
 * actions and observation frames; its plans replay those actions, {@code executeSteps} at a time,
 * so the evaluated environment follows the same trajectory bit for bit. Its dream at offset h is
 * either the true frame h steps ahead ({@link Dream#TRUE_FUTURE}) or the current observation again
 * ({@link Dream#CURRENT_FRAME}, the copy-last baseline posing as a dream). One observation of
 * history, 96 px frames, chunks of {@code executeSteps} actions: the sizes of {@link
 * ScriptedChunkPolicy}, whose script here is the expert's episode.
 */
final class ForesightExpertPolicy extends ScriptedChunkPolicy {
  enum Dream {
    TRUE_FUTURE,
    CURRENT_FRAME
  }

  private static final int FRAME = 96 * 96 * 3;
  private final int execute;
  private final int[] offsets;
  private final Dream dream;
  private final int length;
  private final PushTEnv env = PushTEnv.reference();
  private final SceneRenderer renderer = SceneRenderer.pushtObservation();
  private final float[] actions;
  private final byte[] frames;
  private long nextSeed;
  private int plans;

  /**
   * @param length steps of each episode to foresee; later frames repeat the last one
   */
  ForesightExpertPolicy(long firstSeed, int execute, int length, Dream dream, int... offsets) {
    super(1, execute, execute);
    this.nextSeed = firstSeed;
    this.execute = execute;
    this.length = length;
    this.dream = dream;
    this.offsets = offsets;
    this.actions = new float[2 * length];
    this.frames = new byte[(length + 1) * FRAME];
  }

  @Override
  public void reset(long seed) {
    env.reset(nextSeed++);
    PushExpert expert = PushExpert.of(env);
    plans = 0;
    double[] a = new double[2];
    render(0);
    for (int t = 0; t < length; t++) {
      if (!env.terminated()) {
        expert.act(env, a);
        actions[2 * t] = (float) a[0];
        actions[2 * t + 1] = (float) a[1];
        // the evaluated env steps the float target; do the same to stay bit-identical
        env.step(actions[2 * t], actions[2 * t + 1]);
      }
      render(t + 1);
    }
  }

  private void render(int step) {
    renderer.render(
        env.agentX(),
        env.agentY(),
        0,
        env.blockX(),
        env.blockY(),
        env.blockAngle(),
        frames,
        step * FRAME);
  }

  @Override
  public Plan plan(byte[] images, float[] agentPositions, boolean dreaming) {
    int t = execute * plans++;
    if (t + execute > length)
      throw new IllegalStateException("foresaw " + length + " steps, asked to plan at step " + t);
    float[] chunk = Arrays.copyOfRange(actions, 2 * t, 2 * (t + execute));
    if (!dreaming) return new Plan(chunk, execute, new byte[0], new int[0], 0);
    byte[] dreams = new byte[offsets.length * FRAME];
    for (int k = 0; k < offsets.length; k++) {
      if (dream == Dream.TRUE_FUTURE)
        System.arraycopy(
            frames, Math.min(t + offsets[k], length) * FRAME, dreams, k * FRAME, FRAME);
      else System.arraycopy(images, 0, dreams, k * FRAME, FRAME);
    }
    return new Plan(chunk, execute, dreams, offsets.clone(), 0);
  }
}
