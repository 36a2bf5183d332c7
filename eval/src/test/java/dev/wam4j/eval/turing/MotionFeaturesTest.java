package dev.wam4j.eval.turing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class MotionFeaturesTest {
  private final MotionFeatures features = MotionFeatures.pushT();

  private double feature(double[] f, String name) {
    return f[MotionFeatures.NAMES.indexOf(name)];
  }

  @Test
  void straightLineAtConstantSpeedHasNoCurvatureNoAccelerationNoPause() {
    int n = 21;
    double[] x = new double[n], y = new double[n];
    for (int t = 0; t < n; t++) {
      x[t] = 50 + 5 * t; // 5 px per step = 50 px/s, along a diagonal
      y[t] = 60 + 5 * t;
    }
    // the block far away in a corner: never touched
    double[] f = features.of(PusherTrace.withFixedBlock("robot", 0, x, y, 450, 80, 0));
    double speed = 50 * Math.sqrt(2);
    assertThat(feature(f, "speed_mean")).isCloseTo(speed, within(1e-9));
    assertThat(feature(f, "speed_std")).isCloseTo(0, within(1e-9));
    assertThat(feature(f, "speed_p90")).isCloseTo(speed, within(1e-9));
    assertThat(feature(f, "accel_mean")).isCloseTo(0, within(1e-9));
    assertThat(feature(f, "jerk_mean")).isCloseTo(0, within(1e-9));
    assertThat(feature(f, "curvature")).isCloseTo(0, within(1e-12));
    assertThat(feature(f, "pause_fraction")).isZero();
    assertThat(feature(f, "pause_count")).isZero();
    assertThat(feature(f, "time_to_contact")).isCloseTo(2.1, within(1e-9)); // never: duration
    assertThat(feature(f, "near_contact_speed_ratio")).isEqualTo(1.0);
    assertThat(feature(f, "duration")).isCloseTo(2.1, within(1e-9));
    assertThat(f).hasSize(MotionFeatures.NAMES.size());
  }

  @Test
  void aPauseIsCountedAndARightAngleTurnMeasured() {
    // 5 steps right at 50 px/s, stand still 3 steps, then 5 steps down.
    double[] x = {100, 105, 110, 115, 120, 125, 125, 125, 125, 125, 125, 125, 125, 125};
    double[] y = {100, 100, 100, 100, 100, 100, 100, 100, 100, 105, 110, 115, 120, 125};
    double[] f = features.of(PusherTrace.withFixedBlock("human", 0, x, y, 450, 450, 0));
    assertThat(feature(f, "pause_count")).isEqualTo(1);
    assertThat(feature(f, "pause_fraction")).isCloseTo(3.0 / 13, within(1e-12));
    // one turn of pi/2 over 50 px of path
    assertThat(feature(f, "curvature")).isCloseTo(Math.PI / 2 / 50, within(1e-12));
    assertThat(feature(f, "accel_mean")).isPositive();
  }

  @Test
  void contactIsTimedAndSlowingNearTheBlockShows() {
    // The T at (256, 256), angle 0: its bar spans local x -60..60, y 0..30. Come down from above
    // at 100 px/s, slowing to 20 px/s for the last 20 px.
    double[] y = new double[20];
    for (int t = 0; t < 20; t++) y[t] = t < 10 ? 130 + 10 * t : 222 + 2 * (t - 10);
    double[] x = new double[20];
    java.util.Arrays.fill(x, 256);
    PusherTrace trace = PusherTrace.withFixedBlock("human", 0, x, y, 256, 256, 0);
    double[] f = features.of(trace);
    // The bar's top edge is at y 256 and the disc's radius 15: contact once y >= 256 - 15 - 2.
    int first = 0;
    while (y[first] < 256 - 15 - MotionFeatures.CONTACT_GAP) first++;
    assertThat(feature(f, "time_to_contact")).isCloseTo(first / 10.0, within(1e-9));
    assertThat(feature(f, "near_contact_speed_ratio")).isLessThan(0.5);
    assertThat(features.gap(trace, 0)).isCloseTo(256 - 130 - 15, within(1e-9));
  }
}
