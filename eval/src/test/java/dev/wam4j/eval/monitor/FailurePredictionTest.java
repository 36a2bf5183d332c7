package dev.wam4j.eval.monitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class FailurePredictionTest {
  private static final boolean T = true, F = false;

  @Test
  void rocAucIsTheChanceAFailedEpisodeOutscoresASuccessfulOne() {
    assertThat(
            FailurePrediction.rocAuc(new double[] {0.1, 0.2, 0.8, 0.9}, new boolean[] {F, F, T, T}))
        .isEqualTo(1.0);
    assertThat(
            FailurePrediction.rocAuc(new double[] {0.1, 0.2, 0.8, 0.9}, new boolean[] {T, T, F, F}))
        .isEqualTo(0.0);
    assertThat(FailurePrediction.rocAuc(new double[] {0.5, 0.5, 0.5}, new boolean[] {T, F, T}))
        .isEqualTo(0.5);
    // 2 failed x 2 succeeded: 0.3 beats 0.2 but not 0.4; 0.9 beats both -> 3/4
    assertThat(
            FailurePrediction.rocAuc(new double[] {0.2, 0.4, 0.3, 0.9}, new boolean[] {F, F, T, T}))
        .isEqualTo(0.75);
    assertThat(FailurePrediction.rocAuc(new double[] {0.2, 0.4}, new boolean[] {T, T})).isNaN();
  }

  @Test
  void theCalibratedThresholdSeparatesWhenTheScoresDo() {
    assertThat(
            FailurePrediction.youdenThreshold(
                new double[] {0.1, 0.2, 0.8, 0.9}, new boolean[] {F, F, T, T}))
        .isEqualTo(0.8);
    assertThat(FailurePrediction.youdenThreshold(new double[] {0.1, 0.2}, new boolean[] {F, F}))
        .isNaN();
    assertThatThrownBy(
            () -> FailurePrediction.youdenThreshold(new double[] {Double.NaN}, new boolean[] {T}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("score 0 is NaN");
  }

  @Test
  void theRocCurveRunsFromNoAlarmsToAllAlarms() {
    double[][] roc =
        FailurePrediction.rocCurve(new double[] {0.1, 0.2, 0.8, 0.9}, new boolean[] {F, F, T, T});
    assertThat(roc[0][0]).isZero();
    assertThat(roc[1][0]).isZero();
    assertThat(roc[0][roc[0].length - 1]).isEqualTo(1);
    assertThat(roc[1][roc[1].length - 1]).isEqualTo(1);
    assertThat(roc[1][2])
        .isEqualTo(
            1.0); // the two highest scores are the failures: full detection before any false alarm
    assertThat(roc[0][2]).isZero();
  }
}
