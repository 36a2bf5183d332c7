package dev.wam4j.eval.study;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** The two scaling laws are recovered from data that follows them. */
class ScalingFitTest {
  @Test
  void recoversEgoScalesLogLinearLawExactly() {
    double[] hours = {1000, 2000, 4000, 8000, 16000};
    double[] loss = new double[hours.length];
    for (int i = 0; i < hours.length; i++)
      loss[i] = 0.024 - 0.003 * Math.log(hours[i]) + 0.03; // kept > 0
    ScalingFit f = ScalingFit.fit(hours, loss);
    assertThat(f.a()).isCloseTo(0.054, within(1e-12));
    assertThat(f.b()).isCloseTo(0.003, within(1e-12));
    assertThat(f.r2LogLinear()).isCloseTo(1.0, within(1e-12));
    assertThat(f.r2Power()).isLessThan(1.0);
  }

  @Test
  void recoversAPowerLawExactly() {
    double[] hours = {0.1, 0.2, 0.4, 0.8, 1.6};
    double[] loss = new double[hours.length];
    for (int i = 0; i < hours.length; i++) loss[i] = 0.05 * Math.pow(hours[i], -0.3);
    ScalingFit f = ScalingFit.fit(hours, loss);
    assertThat(f.c()).isCloseTo(0.05, within(1e-12));
    assertThat(f.alpha()).isCloseTo(0.3, within(1e-12));
    assertThat(f.r2Power()).isCloseTo(1.0, within(1e-12));
    assertThat(f.power(0.4)).isCloseTo(loss[2], within(1e-15));
  }

  @Test
  void badInputIsNamed() {
    assertThatThrownBy(() -> ScalingFit.fit(new double[] {1, 1}, new double[] {0.1, 0.2}))
        .hasMessageContaining("all data sizes are equal");
    assertThatThrownBy(() -> ScalingFit.fit(new double[] {1, -2}, new double[] {0.1, 0.2}))
        .hasMessageContaining("hours[1] = -2.0");
    assertThatThrownBy(() -> ScalingFit.fit(new double[] {1, 2}, new double[] {0.1, Double.NaN}))
        .hasMessageContaining("loss[1] = NaN");
    assertThatThrownBy(() -> ScalingFit.fit(new double[] {1}, new double[] {0.1}))
        .hasMessageContaining("at least 2");
  }
}
