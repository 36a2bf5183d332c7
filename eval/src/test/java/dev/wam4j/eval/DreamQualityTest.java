package dev.wam4j.eval;

import static dev.wam4j.eval.FrameMetricsTest.AGENT;
import static dev.wam4j.eval.FrameMetricsTest.BLOCK;
import static dev.wam4j.eval.FrameMetricsTest.blank;
import static dev.wam4j.eval.FrameMetricsTest.paint;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.wam4j.model.policy.Plan;
import dev.wam4j.sim.render.SceneLook;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The accumulator: which dream meets which real frame, and what the summary says about them. */
class DreamQualityTest {
  private final DreamQuality.Accumulator acc =
      new DreamQuality.Accumulator(FrameMetricsTest.SIZE, SceneLook.pushtReference());

  @Test
  void theMovingFilterSelectsExactlyTheSamplesWhereCopyLastIouIsBelowNineTenths() {
    acc.startEpisode();
    // a still block dreamed 5 px off: copy-last IoU 1 (not moving), dream IoU 15/25
    compareOneStepAhead(0, blockAt(30), blockAt(30), blockAt(35));
    // a block that moved 5 px, dreamed right: copy-last IoU 15/25 (moving), dream IoU 1
    compareOneStepAhead(1, blockAt(30), blockAt(35), blockAt(35));
    // a block that moved 1 px, dreamed right: copy-last IoU 19/21 = 0.905 (not moving), dream IoU 1
    compareOneStepAhead(2, blockAt(30), blockAt(31), blockAt(31));
    DreamQuality.Horizon h = acc.result().perHorizon().get(0);
    assertThat(h.samples()).isEqualTo(3);
    assertThat(h.blockIou()).isCloseTo((0.6 + 1 + 1) / 3, within(1e-12));
    assertThat(h.copyLastBlockIou()).isCloseTo((1 + 0.6 + 19.0 / 21) / 3, within(1e-12));
    assertThat(h.movingSamples()).isEqualTo(1);
    assertThat(h.movingBlockIou()).isEqualTo(1.0);
    assertThat(h.copyLastMovingBlockIou()).isCloseTo(0.6, within(1e-12));
  }

  @Test
  void aDreamMeetsTheRealFrameItsOffsetAheadEvenAfterTheNextPlan() {
    byte[] still = blockAt(10), moved = blockAt(60);
    acc.startEpisode();
    // plans every 6 steps dreaming 4 and 8 ahead; the block jumps clear of where it was at step 8
    acc.planned(0, plan(new int[] {4, 8}, still, moved), still, 0);
    for (int s = 1; s <= 6; s++) acc.observed(s, still, 0);
    acc.planned(6, plan(new int[] {4, 8}, moved, moved), still, 0);
    for (int s = 7; s <= 10; s++) acc.observed(s, s >= 8 ? moved : still, 0);
    // the episode ended at step 10: plan 6's 8-ahead dream (step 14) is never compared
    DreamQuality q = acc.result();
    assertThat(q.horizons()).containsExactly(4, 8);
    DreamQuality.Horizon four = q.perHorizon().get(0), eight = q.perHorizon().get(1);
    assertThat(four.stepsAhead()).isEqualTo(4);
    assertThat(four.samples()).isEqualTo(2);
    assertThat(four.blockIou()).isEqualTo(1.0);
    assertThat(eight.stepsAhead()).isEqualTo(8);
    assertThat(eight.samples()).isEqualTo(1);
    assertThat(eight.blockIou()).isEqualTo(1.0);
    assertThat(eight.psnrDb()).isEqualTo(FrameMetrics.PSNR_CAP_DB);
    assertThat(eight.copyLastBlockIou()).isZero();
    assertThat(eight.movingSamples()).isEqualTo(1);

    // what was still pending belongs to the ended episode: the next one's step 14 meets nothing
    acc.startEpisode();
    for (int s = 1; s <= 20; s++) acc.observed(s, moved, 0);
    assertThat(acc.result().perHorizon())
        .extracting(DreamQuality.Horizon::samples)
        .containsExactly(2L, 1L);
  }

  @Test
  void aHorizonWhoseEveryTargetFellAfterTheEndReportsNoMeans() {
    acc.startEpisode();
    acc.planned(0, plan(new int[] {8}, blank()), blank(), 0);
    for (int s = 1; s <= 5; s++) acc.observed(s, blank(), 0);
    DreamQuality.Horizon h = acc.result().perHorizon().get(0);
    assertThat(h.samples()).isZero();
    assertThat(h.psnrDb()).isNull();
    assertThat(h.blockIou()).isNull();
    assertThat(h.movingBlockIou()).isNull();
    assertThat(h.agentErrorPx()).isNull();
  }

  @Test
  void agentErrorIsInWorkspacePixelsAndMissingAgentsAreCountedApart() {
    byte[] real = blockAt(30), shifted = blockAt(30), none = blockAt(30);
    paint(real, 60, 20, 6, 6, AGENT);
    paint(shifted, 63, 24, 6, 6, AGENT);
    acc.startEpisode();
    compareOneStepAhead(0, real, real, shifted);
    compareOneStepAhead(1, real, real, none);
    DreamQuality.Horizon h = acc.result().perHorizon().get(0);
    assertThat(h.samples()).isEqualTo(2);
    assertThat(h.agentMissing()).isEqualTo(1);
    // 3 right, 4 down in a 96 px image of the 512 px workspace
    assertThat(h.agentErrorPx()).isCloseTo(5 * 512.0 / 96, within(1e-9));
  }

  @Test
  void noDreamingPlanGivesNoDreamQuality() {
    acc.startEpisode();
    acc.planned(0, new Plan(new float[] {1, 1}, 1, new byte[0], new int[0], 0), blank(), 0);
    acc.observed(1, blank(), 0);
    assertThat(acc.result()).isNull();
  }

  @Test
  void summariesWithMismatchedHorizonsAreRejected() {
    DreamQuality.Horizon four =
        new DreamQuality.Horizon(4, 0, null, null, null, null, 0, null, null, null, 0);
    assertThatThrownBy(() -> new DreamQuality(List.of(8), List.of(four)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("[8]")
        .hasMessageContaining("4");
  }

  /** Plans at {@code step} dreaming one step ahead, then observes {@code real} there. */
  private void compareOneStepAhead(int step, byte[] current, byte[] real, byte[] dream) {
    acc.planned(step, plan(new int[] {1}, dream), current, 0);
    acc.observed(step + 1, real, 0);
  }

  private static byte[] blockAt(int x) {
    byte[] f = blank();
    paint(f, x, 40, 20, 10, BLOCK);
    return f;
  }

  private static Plan plan(int[] offsets, byte[]... dreams) {
    byte[] frames = new byte[dreams.length * dreams[0].length];
    for (int k = 0; k < dreams.length; k++)
      System.arraycopy(dreams[k], 0, frames, k * dreams[0].length, dreams[0].length);
    return new Plan(new float[] {100, 100}, 1, frames, offsets, 0);
  }
}
