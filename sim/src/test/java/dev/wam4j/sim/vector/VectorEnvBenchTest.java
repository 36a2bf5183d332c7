package dev.wam4j.sim.vector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class VectorEnvBenchTest {
  @Test
  void countsWholeVectorStepsAndTheirRate() {
    VectorEnvBench.Result r = VectorEnvBench.run(new VectorEnvBench.Config(3, 8, 0.05, 0, true, 1));
    assertThat(r.threads()).isEqualTo(3); // at most one worker per instance
    assertThat(r.steps()).isPositive();
    assertThat(r.steps() % 3).isZero(); // every step moves every instance
    assertThat(r.seconds()).isGreaterThanOrEqualTo(0.05);
    assertThat((double) r.envStepsPerSecond())
        .isCloseTo(r.steps() / r.seconds(), within(0.05 * r.steps() / r.seconds() + 1));
    assertThat(r.resets())
        .isLessThanOrEqualTo(
            r.steps() / 300 + 3); // random actions end an episode only at the step limit
    assertThat(r.substepsPerEnvStep()).isPositive();
  }
}
