package dev.wam4j.eval.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wam4j.eval.ClosedLoopEvaluation;
import dev.wam4j.eval.ClosedLoopEvaluation.Config;
import dev.wam4j.eval.Rollout;
import dev.wam4j.sim.render.SceneLook;
import java.util.List;
import org.junit.jupiter.api.Test;

class DreamMonitorTest {
  private static Trace run(ForetellingPolicy policy, DreamMonitor.Alarm alarm) throws Exception {
    DreamMonitor monitor = new DreamMonitor(96, SceneLook.pushtReference(), alarm);
    ClosedLoopEvaluation.run(policy, Config.seeds(3, 3).withMaxSteps(40), null, monitor);
    List<Trace> traces = monitor.traces();
    assertThat(traces).hasSize(1);
    return traces.get(0);
  }

  @Test
  void latentDivergenceComparesEachPredictionWithTheLatentSeenWhenItsStepArrives()
      throws Exception {
    ForetellingPolicy policy = new ForetellingPolicy(3);
    policy.sampleActionSpread(4);
    Trace t = run(policy, null);
    // plans at steps 0, 8, 16, 24, 32; the 8-step prediction of plan p is checked at plan p + 1
    assertThat(t.steps()[Signal.LATENT.ordinal()]).containsExactly(8, 16, 24, 32);
    assertThat(t.values()[Signal.LATENT.ordinal()]).containsExactly(0, 0, 0, 100);
    // the observed latent moved by 1 between plans: the relative divergence divides by 1 + the
    // floor
    assertThat(t.values()[Signal.LATENT_RELATIVE.ordinal()])
        .containsExactly(0, 0, 0, 100 / (1 + DreamMonitor.RELATIVE_FLOOR));
    assertThat(t.steps()[Signal.ACTION_SPREAD.ordinal()]).containsExactly(0, 8, 16, 24, 32);
    assertThat(t.values()[Signal.ACTION_SPREAD.ordinal()]).containsExactly(0, 1, 2, 3, 4);
    // black dream frames against the rendered scene, at 4 and 8 steps after each plan
    assertThat(t.steps()[Signal.PIXEL.ordinal()])
        .containsExactly(4, 8, 12, 16, 20, 24, 28, 32, 36, 40);
    assertThat(java.util.Arrays.stream(t.values()[Signal.PIXEL.ordinal()]).min().orElseThrow())
        .isGreaterThan(0.1);
    assertThat(t.runningScore(Signal.LATENT, 2)).containsExactly(0, 0, 0, 50);
    assertThat(t.score(Signal.LATENT, 2)).isEqualTo(50);
    assertThat(t.alarmStep(Signal.LATENT, 1, 50)).isEqualTo(32);
    assertThat(t.alarmStep(Signal.LATENT, 2, 60)).isEqualTo(-1);
    assertThat(t.episode().handedOver()).isFalse();
    assertThat(t.episode().steps()).isEqualTo(40);
  }

  @Test
  void aStoppingAlarmHandsTheEpisodeOverAtTheStepItFires() throws Exception {
    Trace t = run(new ForetellingPolicy(2), new DreamMonitor.Alarm(Signal.LATENT, 1, 50, true));
    assertThat(t.alarmStep())
        .isEqualTo(24); // plan 2's wrong prediction meets plan 3's latent at step 24
    assertThat(t.episode().handedOver()).isTrue();
    assertThat(t.episode().steps()).isEqualTo(24); // stopped before acting on the plan that saw it
    Trace quiet =
        run(new ForetellingPolicy(2), new DreamMonitor.Alarm(Signal.LATENT, 1, 50, false));
    assertThat(quiet.alarmStep()).isEqualTo(24);
    assertThat(quiet.episode().handedOver()).isFalse();
    assertThat(quiet.episode().steps()).isEqualTo(40);
  }

  @Test
  void withoutSpreadSamplesTheBaselineIsNotRecorded() throws Exception {
    Trace t = run(new ForetellingPolicy(99), null);
    assertThat(t.values()[Signal.ACTION_SPREAD.ordinal()]).isEmpty();
    assertThat(t.score(Signal.ACTION_SPREAD, 3)).isZero();
  }

  @Test
  void aDisturbanceMovesTheBlockOnceAtItsStepAndTheDreamDivergesThere() throws Exception {
    // the agent holds still: every frame equals the first until someone else pushes the block
    List<Integer> changed = new java.util.ArrayList<>();
    Rollout.Observer frames =
        new Rollout.Observer() {
          byte[] previous;

          @Override
          public void episodeStart(
              long seed, byte[] frame, int offset, float agentX, float agentY) {
            previous = java.util.Arrays.copyOfRange(frame, offset, offset + 96 * 96 * 3);
          }

          @Override
          public boolean stepped(
              int step, byte[] frame, int offset, float agentX, float agentY, double reward) {
            byte[] now = java.util.Arrays.copyOfRange(frame, offset, offset + 96 * 96 * 3);
            if (!java.util.Arrays.equals(now, previous)) changed.add(step);
            previous = now;
            return true;
          }
        };
    Config pushed =
        Config.seeds(3, 3)
            .withMaxSteps(40)
            .withDisturbance(new ClosedLoopEvaluation.Disturbance(1, 12, 12, 100, 0.5));
    ClosedLoopEvaluation.Result r =
        ClosedLoopEvaluation.run(new ForetellingPolicy(99), pushed, null, frames);
    assertThat(r.perSeed().get(0).disturbedAtStep()).isEqualTo(12);
    assertThat(changed).startsWith(12); // nothing moved before the push (later frames may settle)
    ClosedLoopEvaluation.Result none =
        ClosedLoopEvaluation.run(
            new ForetellingPolicy(99),
            pushed.withDisturbance(new ClosedLoopEvaluation.Disturbance(0, 12, 12, 100, 0.5)),
            null);
    assertThat(none.perSeed().get(0).disturbedAtStep()).isEqualTo(-1);

    DreamMonitor monitor = new DreamMonitor(96, SceneLook.pushtReference(), null);
    ClosedLoopEvaluation.run(new ForetellingPolicy(99), pushed, null, monitor);
    double[] pixel = monitor.traces().get(0).values()[Signal.PIXEL.ordinal()];
    // black dreams: before the push (steps 4, 8) every comparison sees the same frame; from step 12
    // a different one
    assertThat(pixel[1]).isEqualTo(pixel[0]);
    assertThat(pixel[2]).isNotEqualTo(pixel[1]);
  }

  @Test
  void
      theBlockAndCoverageSignalsStayAtZeroWhileTheDreamIsRightAndRiseWhenTheBlockIsPushedAwayFromIt()
          throws Exception {
    // the dream repeats the frame each plan saw and the agent holds still: right until someone else
    // pushes the block at step 12
    ForetellingPolicy policy = new ForetellingPolicy(99);
    policy.dreamTheCurrentFrame();
    Config pushed =
        Config.seeds(3, 3)
            .withMaxSteps(40)
            .withDisturbance(new ClosedLoopEvaluation.Disturbance(1, 12, 12, 100, 0.5));
    DreamMonitor monitor = new DreamMonitor(96, SceneLook.pushtReference(), null);
    ClosedLoopEvaluation.run(policy, pushed, null, monitor);
    Trace t = monitor.traces().get(0);
    assertThat(t.steps()[Signal.BLOCK.ordinal()])
        .containsExactly(4, 8, 12, 16, 20, 24, 28, 32, 36, 40);
    double[] block = t.values()[Signal.BLOCK.ordinal()],
        shortfall = t.values()[Signal.COVERAGE_SHORTFALL.ordinal()];
    assertThat(block[0]).isZero();
    assertThat(block[1]).isZero();
    assertThat(shortfall[0]).isZero();
    // step 12 compares plan 1's dream (the frame at step 8) with the pushed block; step 16 too
    // (plan 1, +8)
    assertThat(block[2])
        .isGreaterThan(0.5); // pushed 100 px, the block's mask barely overlaps where it was
    assertThat(block[3]).isEqualTo(block[2]);
    assertThat(shortfall[2]).isNotZero();
    // plan 2 at step 16 saw the pushed block, so its dreams are right again (the pushed block
    // settles in a step or two)
    assertThat(block[5]).isLessThan(0.05);
  }
}
