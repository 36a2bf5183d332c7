package dev.wam4j.rl.dagger;

import dev.wam4j.sim.expert.PushExpert;
import dev.wam4j.sim.pusht.PushTEnv;

/**
 * The simulator as teacher: labels any state a student visits with the action chunk the scripted
 * {@link PushExpert} would run from it. It copies the state (poses and velocities) into a scratch
 * environment of its own and lets the expert act there for the chunk's length, so the label is the
 * expert's plan from that very state, not the student's next actions. Allocates nothing per label.
 * Not thread-safe: one teacher per collecting thread.
 */
public final class ExpertTeacher {
  private final PushTEnv scratch;
  private final PushExpert expert;
  private final double[] action = new double[2];

  /** A teacher for environments like {@code like} (same scene and embodiment). */
  public ExpertTeacher(PushTEnv like) {
    this.scratch = new PushTEnv(like.scene(), like.embodiment());
    this.expert = PushExpert.of(scratch);
  }

  /**
   * Writes the expert's next {@code horizon} actions from {@code env}'s current state, as (x, y)
   * targets in workspace units, into {@code out[offset .. offset + 2 * horizon)}; {@code env} is
   * not touched.
   */
  public void actionChunk(PushTEnv env, int horizon, float[] out, int offset) {
    scratch.copyStateFrom(env);
    expertChunk(horizon, out, offset);
  }

  /**
   * Writes the expert's next {@code horizon} actions from a state as a perception reports it: the
   * agent's position and the block's pose (workspace units, radians), everything at rest, since a
   * camera frame shows no velocities. What labels a fleet's own episodes, where no simulator state
   * exists: the expert acts in this teacher's scene from what the deployed model saw.
   *
   * @throws IllegalArgumentException when a value is not finite or absurdly far off (beyond {@link
   *     PushTEnv#setPose}'s bounds, +-1e6); a pose merely outside the workspace is labelled
   */
  public void actionChunk(
      double agentX,
      double agentY,
      double blockX,
      double blockY,
      double blockAngle,
      int horizon,
      float[] out,
      int offset) {
    scratch.setPose(agentX, agentY, blockX, blockY, blockAngle);
    expertChunk(horizon, out, offset);
  }

  /**
   * A fresh expert acting in the scratch environment for {@code horizon} steps, its targets out.
   */
  private void expertChunk(int horizon, float[] out, int offset) {
    expert.reset();
    for (int j = 0; j < horizon; j++) {
      expert.act(scratch, action);
      out[offset + 2 * j] = (float) action[0];
      out[offset + 2 * j + 1] = (float) action[1];
      scratch.step(action[0], action[1]);
    }
  }
}
