package dev.wam4j.eval.turing;

import dev.wam4j.eval.ClosedLoopEvaluation;
import dev.wam4j.eval.Rollout;
import dev.wam4j.model.policy.ChunkPolicy;
import dev.wam4j.sim.motion.MotionStyle;
import java.util.ArrayList;
import java.util.List;

/** A checkpoint's policy in closed loop, its states followed step by step. */
final class PolicyRobot implements Rollout.Observer {
  private final Rollout rollout;
  private final List<double[]> states = new ArrayList<>();
  private int limit = ClosedLoopEvaluation.Config.PROTOCOL_MAX_STEPS;

  PolicyRobot(ChunkPolicy policy, MotionStyle motion) {
    // dreams off: only the actions matter here, and decoding frames costs time
    rollout =
        new Rollout(
            policy,
            ClosedLoopEvaluation.Config.seeds(0, 0).withDream(false).withMotion(motion),
            this);
  }

  TuringTest.Episode episode(long seed, int humanSteps) {
    limit = Math.min(humanSteps, ClosedLoopEvaluation.Config.PROTOCOL_MAX_STEPS);
    states.clear();
    ClosedLoopEvaluation.Episode e = rollout.episode(seed);
    // Keep the state before each action, as the demonstrations do: drop the one after the last.
    int len = Math.max(1, states.size() - 1);
    double[][] c = new double[5][len];
    for (int t = 0; t < len; t++) for (int k = 0; k < 5; k++) c[k][t] = states.get(t)[k];
    return new TuringTest.Episode(
        new PusherTrace("robot", seed, c[0], c[1], c[2], c[3], c[4]), e.success());
  }

  @Override
  public void episodeStart(long seed, byte[] frame, int offset, float agentX, float agentY) {
    record();
  }

  @Override
  public boolean stepped(
      int step, byte[] frame, int offset, float agentX, float agentY, double reward) {
    record();
    return step < limit; // the human's time budget
  }

  private void record() {
    double[] s = new double[5];
    rollout.state(s);
    states.add(s);
  }
}
