package dev.wam4j.eval.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The sequential comparison, checked by simulation of a canary against its group, compared after
 * every episode: when both succeed equally often it rarely decides at all (at most alpha of runs);
 * when the canary is clearly better or worse it says so, the right way, within a few hundred of its
 * episodes.
 */
class RateComparisonTest {
  private static final RateComparison.Config CONFIG = RateComparison.Config.defaults();

  /** The first decision of a run (or Undecided after {@code episodes} canary episodes). */
  private static RateComparison.Outcome firstDecision(
      SplittableRandom rng, double canary, double group, int episodes, int groupPerCanary) {
    long cs = 0, cn = 0, gs = 0, gn = 0;
    RateComparison.Outcome o = null;
    for (int e = 0; e < episodes; e++) {
      cn++;
      if (rng.nextDouble() < canary) cs++;
      for (int g = 0; g < groupPerCanary; g++) {
        gn++;
        if (rng.nextDouble() < group) gs++;
      }
      o = RateComparison.compare(CONFIG, cs, cn, gs, gn);
      if (!(o instanceof RateComparison.Outcome.Undecided)) return o;
    }
    return o;
  }

  @Test
  void equalRatesWatchedAfterEveryEpisodeDecideInAtMostAlphaOfRuns() {
    SplittableRandom rng = new SplittableRandom(11);
    int decided = 0, runs = 500;
    for (int run = 0; run < runs; run++) {
      if (!(firstDecision(rng, 0.7, 0.7, 1000, 4) instanceof RateComparison.Outcome.Undecided))
        decided++;
    }
    assertThat(decided / (double) runs).isLessThanOrEqualTo(CONFIG.alpha());
  }

  @Test
  void aClearlyBetterCanaryIsFoundBetterAndAWorseOneWorse() {
    SplittableRandom rng = new SplittableRandom(12);
    int better = 0, worse = 0, runs = 200;
    for (int run = 0; run < runs; run++) {
      if (firstDecision(rng, 0.9, 0.6, 300, 4) instanceof RateComparison.Outcome.Better) better++;
      if (firstDecision(rng, 0.3, 0.6, 300, 4) instanceof RateComparison.Outcome.Worse) worse++;
    }
    assertThat(better / (double) runs).as("better found within 300 episodes").isGreaterThan(0.95);
    assertThat(worse / (double) runs).as("worse found within 300 episodes").isGreaterThan(0.95);
  }

  @Test
  void noDecisionBeforeEachSideHasItsMinimumEpisodes() {
    RateComparison.Outcome o = RateComparison.compare(CONFIG, 19, 19, 0, 500);
    assertThat(o).isInstanceOf(RateComparison.Outcome.Undecided.class);
    assertThat(RateComparison.compare(CONFIG, 20, 20, 0, 500))
        .isInstanceOf(RateComparison.Outcome.Better.class);
    assertThat(o.candidate().trials()).isEqualTo(19);
    assertThat(o.reference().successes()).isZero();
  }

  @Test
  void badConfigurationIsNamed() {
    assertThatThrownBy(() -> new RateComparison.Config(0, 100, 20)).hasMessageContaining("alpha");
    assertThatThrownBy(() -> new RateComparison.Config(0.05, 0.5, 20))
        .hasMessageContaining("tunedForEpisodes");
    assertThatThrownBy(() -> new RateComparison.Config(0.05, 100, -1))
        .hasMessageContaining("minEpisodes must be >= 0, got -1");
  }
}
