package dev.wam4j.sim.motion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class MotionShaperTest {
  @Test
  void noStylePassesTargetsThroughExactly() {
    MotionShaper h = MotionShaper.tenHz(MotionStyle.NONE);
    h.reset(100, 100);
    h.follow(412.25, 3.125);
    assertThat(h.x()).isEqualTo(412.25);
    assertThat(h.y()).isEqualTo(3.125);
    // targets whose difference does not round back: 300.1 -> 100.3 would give 100.30000000000001
    h.reset(300.1, 255.3);
    h.follow(100.3, 12.7);
    assertThat(h.x()).isEqualTo(100.3);
    assertThat(h.y()).isEqualTo(12.7);
  }

  @Test
  void aJumpOfTheTargetIsFollowedSmoothlyWithoutOvershoot() {
    MotionShaper h = MotionShaper.tenHz(new MotionStyle(0.2, Double.POSITIVE_INFINITY));
    h.reset(0, 0);
    double prev = 0, prevStep = 0;
    boolean slowing = false;
    for (int t = 0; t < 40; t++) {
      h.follow(100, 0);
      double step = h.x() - prev;
      assertThat(h.x()).isLessThanOrEqualTo(100); // critically damped from rest: no overshoot
      assertThat(step).isGreaterThanOrEqualTo(0);
      if (step < prevStep) slowing = true;
      else assertThat(slowing).as("speeds up only before it slows down").isFalse();
      prev = h.x();
      prevStep = step;
      assertThat(h.y()).isZero();
    }
    assertThat(h.x()).isCloseTo(100, within(0.1));
    // after one time constant a critically damped spring covers 1 - 2/e of the jump (~26 %)
    h.reset(0, 0);
    h.follow(100, 0);
    h.follow(100, 0);
    assertThat(h.x()).isCloseTo(100 * (1 - 2 / Math.E), within(1.5));
  }

  @Test
  void thePointerNeverExceedsItsTopSpeed() {
    for (double response : new double[] {0, 0.1, 0.3}) {
      MotionShaper h = MotionShaper.tenHz(new MotionStyle(response, 150));
      h.reset(0, 0);
      double px = 0, py = 0;
      for (int t = 0; t < 30; t++) {
        h.follow(t % 10 < 5 ? 400 : -50, 300); // a target that jumps back and forth
        assertThat(Math.hypot(h.x() - px, h.y() - py)).isLessThanOrEqualTo(15 + 1e-9);
        px = h.x();
        py = h.y();
      }
    }
  }

  @Test
  void resetStartsAtRest() {
    MotionShaper h = MotionShaper.tenHz(new MotionStyle(0.3, 200));
    h.reset(0, 0);
    for (int t = 0; t < 5; t++) h.follow(300, 300);
    h.reset(50, 60);
    h.follow(50, 60);
    assertThat(h.x()).isEqualTo(50);
    assertThat(h.y()).isEqualTo(60);
  }

  @Test
  void badInputIsAClearError() {
    MotionShaper h = MotionShaper.tenHz(new MotionStyle(0.3, 200));
    h.reset(0, 0);
    assertThatThrownBy(() -> h.follow(Double.NaN, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not finite");
    assertThatThrownBy(() -> new MotionStyle(-1, 100))
        .hasMessageContaining("responseSeconds must be finite and >= 0, got -1.0");
    assertThatThrownBy(() -> new MotionStyle(0.2, 0))
        .hasMessageContaining("maxSpeedPxPerS must be > 0, got 0.0");
    assertThatThrownBy(() -> MotionShaper.tenHz(new MotionStyle(0.001, 100)))
        .hasMessageContaining("under a tenth of the control period");
    assertThatThrownBy(() -> MotionStyle.parse("fast"))
        .hasMessageContaining(
            "motion 'fast': expected 'none' or RESPONSE_SECONDS,MAX_SPEED_PX_PER_S");
  }

  @Test
  void parsesWhatCommandLinesGive() {
    assertThat(MotionStyle.parse("none")).isEqualTo(MotionStyle.NONE);
    assertThat(MotionStyle.parse(" 0.25, 150 ")).isEqualTo(new MotionStyle(0.25, 150));
    assertThat(MotionStyle.parse(new MotionStyle(0.25, 150).toString()))
        .isEqualTo(new MotionStyle(0.25, 150));
    assertThat(MotionStyle.NONE.toString()).isEqualTo("none");
    assertThat(new MotionStyle(0.1, 1000).toString()).isEqualTo("0.1,1000");
    assertThat(new MotionStyle(0.1, 1e20).toString()).isEqualTo("0.1,1.0E20");
  }
}
