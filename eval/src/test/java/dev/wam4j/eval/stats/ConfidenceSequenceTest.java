package dev.wam4j.eval.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The confidence sequence's promise, checked by simulation: watched after every trial, the bounds
 * miss the true rate at some moment in at most alpha of the runs; a fixed-n interval watched the
 * same way misses far more often (the reason for the sequence).
 */
class ConfidenceSequenceTest {
  private static final int RUNS = 1000, TRIALS = 2000;

  @Test
  void watchedAfterEveryTrialTheBoundsMissTheTrueRateInAtMostAlphaOfRuns() {
    for (double p : new double[] {0.05, 0.5, 0.8}) {
      SplittableRandom rng = new SplittableRandom(7);
      int missed = 0, missedFixedN = 0;
      for (int run = 0; run < RUNS; run++) {
        long s = 0;
        boolean miss = false, missFixedN = false;
        for (int t = 1; t <= TRIALS; t++) {
          if (rng.nextDouble() < p) s++;
          RateBounds b = ConfidenceSequence.successRate(s, t, 0.1, 100);
          if (p < b.lower() || p > b.upper()) miss = true;
          // the usual 90 % normal interval, looked at every trial from 30 on
          double rate = s / (double) t, half = 1.645 * Math.sqrt(rate * (1 - rate) / t);
          if (t >= 30 && (p < rate - half || p > rate + half)) missFixedN = true;
        }
        if (miss) missed++;
        if (missFixedN) missedFixedN++;
      }
      assertThat(missed / (double) RUNS).as("p = %s", p).isLessThanOrEqualTo(0.1);
      if (p == 0.5) assertThat(missedFixedN / (double) RUNS).isGreaterThan(0.3);
    }
  }

  @Test
  void boundsShrinkWithTrialsAndHoldTheObservedRate() {
    RateBounds few = ConfidenceSequence.successRate(8, 10, 0.05, 100),
        many = ConfidenceSequence.successRate(800, 1000, 0.05, 100);
    assertThat(few.lower()).isLessThan(0.8);
    assertThat(few.upper()).isEqualTo(1.0); // clamped
    assertThat(many.lower()).isBetween(0.7, 0.8);
    assertThat(many.upper()).isBetween(0.8, 0.9);
    assertThat(many.upper() - many.lower()).isLessThan(few.upper() - few.lower());
    assertThat(many.rate()).isEqualTo(0.8);
  }

  @Test
  void theBoundaryIsRobbinsNormalMixtureAndTightestWhereItIsTuned() {
    // t = 100, alpha = 0.05, rho = 25: sqrt((25 + 25) (2 ln 20 + ln 2)) = 18.2819 (by hand)
    assertThat(ConfidenceSequence.radius(100, 0.05, 25)).isCloseTo(18.2819, within(1e-4));
    for (double alpha : new double[] {0.025, 0.05, 0.1}) {
      double rho = ConfidenceSequence.tunedRho(100, alpha),
          at = ConfidenceSequence.radius(100, alpha, rho);
      assertThat(at).isLessThan(ConfidenceSequence.radius(100, alpha, rho * 0.9));
      assertThat(at).isLessThan(ConfidenceSequence.radius(100, alpha, rho * 1.1));
      assertThat(at).isLessThan(ConfidenceSequence.radius(100, alpha, 25)); // rho = t/4: untuned
    }
  }

  @Test
  void noTrialsBoundNothing() {
    RateBounds none = ConfidenceSequence.successRate(0, 0, 0.05, 100);
    assertThat(none.lower()).isZero();
    assertThat(none.upper()).isEqualTo(1.0);
    assertThat(none.rate()).isNaN();
  }

  @Test
  void badArgumentsAreNamed() {
    assertThatThrownBy(() -> ConfidenceSequence.successRate(5, 4, 0.05, 100))
        .hasMessageContaining("5 of 4");
    assertThatThrownBy(() -> ConfidenceSequence.successRate(1, 4, 1.0, 100))
        .hasMessageContaining("alpha must lie in (0, 1), got 1.0");
    assertThatThrownBy(() -> ConfidenceSequence.successRate(1, 4, Double.NaN, 100))
        .hasMessageContaining("alpha");
    assertThatThrownBy(() -> ConfidenceSequence.successRate(1, 4, 0.05, 0))
        .hasMessageContaining("tunedForTrials must be >= 1, got 0.0");
  }
}
