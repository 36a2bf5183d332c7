package dev.wam4j.eval.turing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wam4j.data.DataSets;
import java.util.List;
import org.junit.jupiter.api.Test;

class TuringTestTest {
  @Test
  void expertAgainstTheShippedSampleGivesAVerdict() throws Exception {
    TuringTest.Result r = TuringTest.run(TuringTest.expert(DataSets.pushTSample(), 0, 5, 0), null);
    assertThat(r.episodesHuman()).isEqualTo(25);
    assertThat(r.episodesRobot()).isEqualTo(25);
    assertThat(r.judgeRocAuc()).isBetween(0.0, 1.0);
    assertThat(r.features()).hasSize(MotionFeatures.NAMES.size());
    assertThat(r.features().stream().map(TuringJudge.Feature::name).toList())
        .containsExactlyInAnyOrderElementsOf(MotionFeatures.NAMES);
    for (int i = 1; i < r.features().size(); i++)
      assertThat(r.features().get(i).separation())
          .isLessThanOrEqualTo(r.features().get(i - 1).separation());
    // the robot never runs longer than the human did from the same start
    assertThat(r.robotStepsMean()).isLessThanOrEqualTo(r.humanStepsMean());
  }

  @Test
  void humanTracesStartAtTheirLegacyReset() throws Exception {
    List<PusherTrace> h = TuringTest.humanTraces(DataSets.pushTSample(), 2);
    assertThat(h).hasSize(2);
    double[] reset = dev.wam4j.sim.pusht.PushTEnv.legacyResetDraw(1);
    assertThat(h.get(1).seed()).isEqualTo(1);
    assertThat(h.get(1).agentX()[0]).isEqualTo((float) reset[0]);
    assertThat(h.get(1).agentY()[0]).isEqualTo((float) reset[1]);
  }

  @Test
  void tooFewEpisodesForTheFoldsIsAClearError() {
    assertThatThrownBy(
            () -> TuringTest.run(TuringTest.expert(DataSets.pushTSample(), 3, 5, 0), null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at least 5 episodes of each kind");
  }
}
