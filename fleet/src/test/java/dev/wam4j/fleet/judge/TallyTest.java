package dev.wam4j.fleet.judge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** Wilson's interval against values worked by hand, and the verdict at the 100-judgement line. */
class TallyTest {
  @Test
  void wilsonMatchesHandComputedValues() {
    // 50/100: centre 0.5, half-width 1.96/(1+3.8415/100) * sqrt(0.0025 + 3.8415/40000) = 0.0962
    double[] half = Tally.wilson(50, 100);
    assertThat(half[0]).isCloseTo(0.4038, within(1e-4));
    assertThat(half[1]).isCloseTo(0.5962, within(1e-4));
    // 10/10: [z²/(n+z²)·…] = [n/(n+z²), 1] = [10/13.8415, 1] = [0.7225, 1]
    double[] all = Tally.wilson(10, 10);
    assertThat(all[0]).isCloseTo(0.7225, within(1e-4));
    assertThat(all[1]).isCloseTo(1.0, within(1e-12));
    // 0/10 mirrors it
    double[] none = Tally.wilson(0, 10);
    assertThat(none[0]).isCloseTo(0.0, within(1e-12));
    assertThat(none[1]).isCloseTo(0.2775, within(1e-4));
    // 8/10: centre (0.8+0.19207)/1.38415 = 0.7167, half 1.96/1.38415*sqrt(0.016+0.0096) = 0.2266
    double[] eight = Tally.wilson(8, 10);
    assertThat(eight[0]).isCloseTo(0.4902, within(1e-3));
    assertThat(eight[1]).isCloseTo(0.9433, within(1e-3));
    assertThat(Tally.wilson(0, 0)).containsExactly(0.0, 1.0);
    assertThatThrownBy(() -> Tally.wilson(3, 2)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void noJudgementsHaveNoAccuracyAndNoVerdict() {
    Tally t = Tally.of(0, 0, 0);
    assertThat(t.humanAccuracy()).isNull();
    assertThat(t.humanAccuracyCi95()).containsExactly(0.0, 1.0);
    assertThat(t.verdict()).isEqualTo(Tally.NOT_ENOUGH);
  }

  @Test
  void indistinguishableNeedsAHundredJudgementsAndAnIntervalHoldingAHalf() {
    assertThat(Tally.of(99, 50, 3).verdict()).isEqualTo(Tally.NOT_ENOUGH);
    assertThat(Tally.of(100, 50, 3).verdict()).isEqualTo(Tally.INDISTINGUISHABLE);
    assertThat(Tally.of(100, 50, 3).humanAccuracy()).isEqualTo(0.5);
    // 59/100: [0.492, 0.681] still holds 0.5; 61/100: [0.512, 0.699] does not
    assertThat(Tally.of(100, 59, 3).verdict()).isEqualTo(Tally.INDISTINGUISHABLE);
    assertThat(Tally.of(100, 61, 3).verdict()).isEqualTo(Tally.DISTINGUISHABLE);
    // a small panel always right is already distinguishable; one always wrong too
    assertThat(Tally.of(10, 10, 1).verdict()).isEqualTo(Tally.DISTINGUISHABLE);
    assertThat(Tally.of(10, 0, 1).verdict()).isEqualTo(Tally.DISTINGUISHABLE);
    assertThat(Tally.of(10, 8, 1).verdict()).isEqualTo(Tally.NOT_ENOUGH);
  }
}
