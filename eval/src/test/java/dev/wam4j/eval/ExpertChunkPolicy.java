package dev.wam4j.eval;

import dev.wam4j.model.policy.ChunkPolicy;
import dev.wam4j.model.policy.Plan;
import dev.wam4j.sim.expert.PushExpert;
import dev.wam4j.sim.pusht.PushTEnv;
import dev.wam4j.sim.render.SceneRenderer;
import java.util.ArrayList;
import java.util.List;

/**
 * A test double that plans by running the scripted expert in its own copy of the environment, kept
 * in step with the evaluated one (horizon = executeSteps, episodes reset in seed order from {@code
 * firstSeed}). It can dream: its dream frames are its own simulated future, rendered as the
 * observations are, so a correct video shows identical halves where a dream offset meets the step.
 * Records what it was given, and its own trajectory, for the tests to compare.
 */
final class ExpertChunkPolicy implements ChunkPolicy {
  /** One call to plan: the step it was made at and copies of its inputs. */
  record Call(int step, byte[] images, float[] positions, boolean dream) {}

  private final int history;
  private final int execute;
  private final int[] dreamOffsets;
  private final PushTEnv env = PushTEnv.reference();
  private final PushExpert expert = PushExpert.of(env);
  private final SceneRenderer renderer = SceneRenderer.pushtObservation();
  private long nextSeed;
  final List<Call> calls = new ArrayList<>();

  /** Agent positions of the own environment of the current episode, index = step. */
  final List<float[]> trajectory = new ArrayList<>();

  final List<Long> resetSeeds = new ArrayList<>();

  ExpertChunkPolicy(long firstSeed, int history, int execute, int... dreamOffsets) {
    this.nextSeed = firstSeed;
    this.history = history;
    this.execute = execute;
    this.dreamOffsets = dreamOffsets;
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
    resetSeeds.add(seed);
    env.reset(nextSeed++);
    expert.reset();
    calls.clear();
    trajectory.clear();
    trajectory.add(new float[] {(float) env.agentX(), (float) env.agentY()});
  }

  @Override
  public Plan plan(byte[] images, float[] agentPositions, boolean dream) {
    calls.add(new Call(env.stepCount(), images.clone(), agentPositions.clone(), dream));
    float[] actions = new float[2 * execute];
    double[] a = new double[2];
    boolean dreaming = dream && dreamOffsets.length > 0;
    byte[] frames = new byte[dreaming ? dreamOffsets.length * 96 * 96 * 3 : 0];
    int d = 0;
    for (int k = 0; k < execute; k++) {
      expert.act(env, a);
      actions[2 * k] = (float) a[0];
      actions[2 * k + 1] = (float) a[1];
      // the evaluated env steps the float target; do the same to stay bit-identical
      env.step(actions[2 * k], actions[2 * k + 1]);
      trajectory.add(new float[] {(float) env.agentX(), (float) env.agentY()});
      if (dreaming && d < dreamOffsets.length && dreamOffsets[d] == k + 1) {
        renderer.render(
            env.agentX(),
            env.agentY(),
            0,
            env.blockX(),
            env.blockY(),
            env.blockAngle(),
            frames,
            d * 96 * 96 * 3);
        d++;
      }
    }
    return new Plan(actions, execute, frames, dreaming ? dreamOffsets.clone() : new int[0], 0);
  }

  @Override
  public void close() {}
}
