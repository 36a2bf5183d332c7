package dev.wam4j.eval;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wam4j.eval.ClosedLoopEvaluation.Config;
import dev.wam4j.eval.ClosedLoopEvaluation.Result;
import dev.wam4j.eval.ForesightExpertPolicy.Dream;
import org.junit.jupiter.api.Test;

/** Dream quality as every evaluation measures it, with policies whose dreams are known. */
class DreamQualityEvaluationTest {
  private static final long SEED = 100000;
  private static final int STEPS =
      90; // both episodes run to the limit (the expert succeeds at steps 109 and 99)

  private static Result evaluate(Dream dream, boolean dreaming) throws Exception {
    // replanning every 6 steps and dreaming 4 and 8 ahead, as the shipped model does
    ForesightExpertPolicy policy = new ForesightExpertPolicy(SEED, 6, STEPS, dream, 4, 8);
    return ClosedLoopEvaluation.run(
        policy, Config.seeds(SEED, SEED + 1).withMaxSteps(STEPS).withDream(dreaming), null);
  }

  @Test
  void aDreamOfTheTrueFutureIsPerfectAndBeatsCopyLastWhereTheBlockMoves() throws Exception {
    Result r = evaluate(Dream.TRUE_FUTURE, true);
    assertThat(r.perSeed()).allSatisfy(e -> assertThat(e.steps()).isEqualTo(STEPS));
    DreamQuality q = r.dreamQuality();
    assertThat(q.horizons()).containsExactly(4, 8);
    // plans at steps 0, 6, .., 84 of each episode; a target after step 90 is dropped (84 + 8)
    assertThat(q.perHorizon())
        .extracting(DreamQuality.Horizon::samples)
        .containsExactly(2L * 15, 2L * 14);
    for (DreamQuality.Horizon h : q.perHorizon()) {
      assertThat(h.psnrDb()).isEqualTo(FrameMetrics.PSNR_CAP_DB);
      assertThat(h.blockIou()).isEqualTo(1.0);
      assertThat(h.agentErrorPx()).isZero();
      assertThat(h.agentMissing()).isZero();
      assertThat(h.movingSamples())
          .as("the expert pushes the block %d steps ahead", h.stepsAhead())
          .isPositive();
      assertThat(h.movingBlockIou()).isEqualTo(1.0).isGreaterThan(h.copyLastMovingBlockIou());
      assertThat(h.copyLastPsnrDb()).isLessThan(h.psnrDb());
    }
  }

  @Test
  void aDreamThatCopiesTheCurrentFrameScoresExactlyAsCopyLast() throws Exception {
    DreamQuality future = evaluate(Dream.TRUE_FUTURE, true).dreamQuality();
    DreamQuality copy = evaluate(Dream.CURRENT_FRAME, true).dreamQuality();
    assertThat(copy.horizons()).containsExactly(4, 8);
    for (int i = 0; i < 2; i++) {
      DreamQuality.Horizon h = copy.perHorizon().get(i);
      assertThat(h.samples()).isEqualTo(future.perHorizon().get(i).samples());
      assertThat(h.psnrDb()).isEqualTo(h.copyLastPsnrDb());
      assertThat(h.blockIou()).isEqualTo(h.copyLastBlockIou()).isLessThan(1.0);
      // the same trajectories, so the same samples moved
      assertThat(h.movingSamples()).isEqualTo(future.perHorizon().get(i).movingSamples());
      assertThat(h.movingBlockIou()).isEqualTo(h.copyLastMovingBlockIou());
      assertThat(h.copyLastMovingBlockIou())
          .isEqualTo(future.perHorizon().get(i).copyLastMovingBlockIou());
    }
  }

  @Test
  void withoutDreamsThereIsNoDreamQuality() throws Exception {
    assertThat(evaluate(Dream.TRUE_FUTURE, false).dreamQuality()).isNull();
  }
}
