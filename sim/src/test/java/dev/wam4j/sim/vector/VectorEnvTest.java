package dev.wam4j.sim.vector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wam4j.sim.pusht.PushTEnv;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class VectorEnvTest {

  /** Runs 7 instances for 350 steps (one auto-reset each) and returns all states of every step. */
  private static double[] trajectory(int threads) {
    int n = 7, steps = 350;
    double[] all = new double[steps * n * 5];
    try (VectorEnv vec = new VectorEnv(n, threads, i -> PushTEnv.reference(), null, 0)) {
      vec.reset(100);
      SplittableRandom rng = new SplittableRandom(3);
      for (int s = 0; s < steps; s++) {
        for (int i = 0; i < 2 * n; i++) vec.actions()[i] = rng.nextDouble() * 512;
        vec.step();
        System.arraycopy(vec.states(), 0, all, s * n * 5, n * 5);
      }
      assertThat(vec.totalResets()).isEqualTo(n);
    }
    return all;
  }

  @Test
  void resultsAreIdenticalForAnyThreadCount() {
    double[] one = trajectory(1);
    assertThat(trajectory(2)).containsExactly(one);
    assertThat(trajectory(3)).containsExactly(one);
  }

  @Test
  void instanceStatesEqualASingleEnvironmentWithTheSameSeed() {
    try (VectorEnv vec = new VectorEnv(3, 2, i -> PushTEnv.reference(), null, 0)) {
      vec.reset(100000);
      PushTEnv single = PushTEnv.reference();
      single.reset(vec.seedOf(2, 0));
      for (int s = 0; s < 20; s++) {
        for (int i = 0; i < 3; i++) {
          vec.actions()[2 * i] = 300 + s;
          vec.actions()[2 * i + 1] = 200 + 3 * s;
        }
        vec.step();
        single.step(300 + s, 200 + 3 * s);
        double[] expected = single.state();
        for (int k = 0; k < 5; k++) assertThat(vec.states()[10 + k]).isEqualTo(expected[k]);
      }
    }
  }

  @org.junit.jupiter.params.ParameterizedTest(name = "{0} threads")
  @org.junit.jupiter.params.provider.ValueSource(ints = {1, 2, 3})
  void aBadActionIsReportedWithItsInstanceAndNothingIsSimulated(int threads) {
    try (VectorEnv vec = new VectorEnv(4, threads, i -> PushTEnv.reference(), null, 0)) {
      vec.reset(0);
      double[] before = vec.states().clone();
      java.util.Arrays.fill(vec.actions(), 256);
      vec.actions()[5] = Double.NaN;
      assertThatThrownBy(vec::step)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("actions[5] (instance 2) is NaN");
      for (int i = 0; i < 4; i++) assertThat(vec.env(i).stepCount()).isZero();
      assertThat(vec.states()).containsExactly(before);
      vec.actions()[5] = 1e300;
      assertThatThrownBy(vec::step).hasMessageContaining("instance 2");
      vec.actions()[5] = 256;
      vec.step(); // usable again
      assertThat(vec.env(2).stepCount()).isEqualTo(1);
    }
  }
}
