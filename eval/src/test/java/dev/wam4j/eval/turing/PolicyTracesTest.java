package dev.wam4j.eval.turing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wam4j.model.policy.ChunkPolicy;
import dev.wam4j.model.policy.Plan;
import dev.wam4j.sim.pusht.PushTEnv;
import org.junit.jupiter.api.Test;

/**
 * A policy's traces for the human judge: from the seed's legacy reset, within the step limit, the
 * same every time for the same seed (a stand-in policy, 16 px frames, so that it runs in a second).
 */
class PolicyTracesTest {
  /** Heads for a fixed point, two actions per plan. */
  static final class TowardsAPoint implements ChunkPolicy {
    @Override
    public int historyFrames() {
      return 2;
    }

    @Override
    public int imageSize() {
      return 16;
    }

    @Override
    public int executeSteps() {
      return 2;
    }

    @Override
    public void reset(long seed) {}

    @Override
    public Plan plan(byte[] images, float[] agentPositions, boolean dream) {
      return new Plan(new float[] {300, 200, 300, 200}, 2, new byte[0], new int[0], 0);
    }

    @Override
    public void close() {}
  }

  @Test
  void aTraceStartsAtTheLegacyResetKeepsToTheLimitAndRepeats() {
    PolicyTraces traces = new PolicyTraces(new TowardsAPoint());
    PushTEnv env = PushTEnv.reference();
    for (long seed : new long[] {0, 3}) {
      PusherTrace t = traces.trace(seed, 40);
      env.reset(seed);
      assertThat(t.pusher()).isEqualTo("robot");
      assertThat(t.seed()).isEqualTo(seed);
      assertThat(t.length()).isBetween(1, 40);
      assertThat(t.agentX()[0]).isEqualTo(env.agentX(), org.assertj.core.data.Offset.offset(1e-6));
      assertThat(t.blockX()[0]).isEqualTo(env.blockX(), org.assertj.core.data.Offset.offset(1e-6));
      // the agent goes where the policy sends it
      assertThat(Math.abs(t.agentX()[t.length() - 1] - 300))
          .isLessThan(Math.abs(t.agentX()[0] - 300) + 1e-9);
      assertThat(new PolicyTraces(new TowardsAPoint()).trace(seed, 40)).isEqualTo(t);
      assertThat(traces.trace(seed, 10).length()).isBetween(1, 10);
    }
  }
}
