package dev.wam4j.sim.pusht;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PushTBadInputTest {

  @Test
  void nanAndInfiniteActionsAreRejectedAndLeaveTheStateUntouched() {
    PushTEnv env = PushTEnv.reference();
    env.reset(7);
    double[] before = env.state();
    assertThatThrownBy(() -> env.step(Double.NaN, 10))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("NaN");
    assertThatThrownBy(() -> env.step(10, Double.POSITIVE_INFINITY))
        .hasMessageContaining("Infinity");
    assertThat(env.state()).containsExactly(before);
    assertThat(env.stepCount()).isZero();
  }

  @Test
  void nonFiniteStatesAreRejected() {
    PushTEnv env = PushTEnv.reference();
    assertThatThrownBy(() -> env.setState(1, 2, Double.NaN, 4, 5))
        .hasMessageContaining("must be finite")
        .hasMessageContaining("NaN");
  }

  @Test
  void seedsOutsideNumpysRangeAreRejected() {
    assertThatThrownBy(() -> new NumpyLegacyRandom(-1)).hasMessageContaining("seed");
    assertThatThrownBy(() -> new NumpyLegacyRandom(1L << 32)).hasMessageContaining("seed");
  }

  @Test
  void hugeFiniteActionsAreRejectedBeforeTheyCorruptTheState() {
    PushTEnv env = PushTEnv.reference();
    env.reset(3);
    double[] before = env.state();
    assertThatThrownBy(() -> env.step(1e308, 256))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("1.0E308");
    assertThat(env.state()).containsExactly(before);
    env.step(300, 300);
    for (double v : env.state()) assertThat(v).isFinite();
  }

  @Test
  void farOffActionsStillGiveFiniteStates() {
    PushTEnv env = PushTEnv.reference();
    env.reset(3);
    for (int i = 0; i < 20; i++) env.step(i % 2 == 0 ? 1e6 : -1e6, 256);
    for (double v : env.state()) assertThat(v).isFinite();
  }
}
