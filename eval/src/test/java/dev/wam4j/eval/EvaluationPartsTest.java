package dev.wam4j.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.wam4j.eval.ClosedLoopEvaluation.Config;
import dev.wam4j.eval.ClosedLoopEvaluation.Part;
import dev.wam4j.eval.ClosedLoopEvaluation.Result;
import java.util.List;
import org.junit.jupiter.api.Test;

class EvaluationPartsTest {
  private final Config config = Config.seeds(20, 23).withMaxSteps(40);

  @Test
  void partsRunApartCombineIntoThePlainRunsOutcomes() throws Exception {
    Result plain = ClosedLoopEvaluation.run(new ExpertChunkPolicy(20, 2, 8, 4, 8), config, null);
    Part first =
        ClosedLoopEvaluation.runSeeds(
            new ExpertChunkPolicy(20, 2, 8, 4, 8), config, new long[] {20, 21}, null);
    Part second =
        ClosedLoopEvaluation.runSeeds(
            new ExpertChunkPolicy(22, 2, 8, 4, 8), config, new long[] {22, 23}, null);
    // in any order
    Result parts = ClosedLoopEvaluation.combine(config, List.of(second, first), 1.5);
    assertThat(parts.perSeed()).isEqualTo(plain.perSeed());
    assertThat(parts.successRate()).isEqualTo(plain.successRate());
    assertThat(parts.meanMaxCoverage()).isEqualTo(plain.meanMaxCoverage());
    assertThat(parts.dreamPlanLatency().plans()).isEqualTo(plain.dreamPlanLatency().plans());
    assertThat(parts.wallSeconds()).isEqualTo(1.5);
    DreamQuality a = plain.dreamQuality(), b = parts.dreamQuality();
    assertThat(b.horizons()).isEqualTo(a.horizons());
    for (int i = 0; i < a.perHorizon().size(); i++) {
      DreamQuality.Horizon x = a.perHorizon().get(i), y = b.perHorizon().get(i);
      assertThat(y.samples()).isEqualTo(x.samples());
      assertThat(y.movingSamples()).isEqualTo(x.movingSamples());
      assertThat(y.agentMissing()).isEqualTo(x.agentMissing());
      assertThat(y.psnrDb()).isCloseTo(x.psnrDb(), within(1e-9));
      assertThat(y.blockIou()).isCloseTo(x.blockIou(), within(1e-12));
    }
  }

  @Test
  void combineNeedsEachSeedOnceAndRunSeedsTheConfigsSeeds() {
    Part first =
        ClosedLoopEvaluation.runSeeds(
            new ExpertChunkPolicy(20, 2, 8), config, new long[] {20, 21}, null);
    assertThatThrownBy(() -> ClosedLoopEvaluation.combine(config, List.of(first), 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("2 episodes of 4");
    assertThatThrownBy(() -> ClosedLoopEvaluation.combine(config, List.of(first, first), 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("once");
    assertThatThrownBy(
            () ->
                ClosedLoopEvaluation.runSeeds(
                    new ExpertChunkPolicy(24, 2, 8), config, new long[] {24}, null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("outside");
  }
}
