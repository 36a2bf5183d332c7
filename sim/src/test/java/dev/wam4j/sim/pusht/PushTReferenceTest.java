package dev.wam4j.sim.pusht;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** PushT against the numbers of specs/pusht.md. */
class PushTReferenceTest {

  @ParameterizedTest(name = "seed {0}")
  @CsvSource({
    "0, 222, 97, 217, 292, 3.0079994677219553",
    "1, 87, 285, 172, 355, -6.595749753457083",
    "42, 152, 398, 370, 206, -0.16423722535645258",
    "100000, 235, 124, 335, 128, -0.9049274284249247",
    "100001, 365, 182, 275, 280, -1.0981131397099535",
    "100049, 143, 388, 104, 324, -13.41298796393892",
  })
  void legacyResetDrawsEqualNumpyBitForBit(
      long seed, double ax, double ay, double bx, double by, double angle) {
    double[] d = PushTEnv.legacyResetDraw(seed);
    assertThat(d).containsExactly(ax, ay, bx, by, angle);
  }

  @ParameterizedTest(name = "block at ({0}, {1}, {2}) covers {3}")
  @CsvSource({
    "256, 300, 0, 0.167002",
    "260, 250, 0.8853981633974483, 0.735519",
    "256, 256, 0.7853981633974483, 1.0",
  })
  void coverageMatchesReferenceValues(double x, double y, double angle, double expected) {
    PushTEnv env = PushTEnv.reference();
    Coverage c = new Coverage(env.scene().goalObject().parts(), env.scene().goal().pose());
    assertThat(c.of(x, y, angle)).isCloseTo(expected, within(5e-7));
  }

  @Test
  void legacySetStateRotatesAboutTheCentreOfGravityThenSteps() {
    PushTEnv env = PushTEnv.reference();
    env.setState(0, 10, 20, 30, 1);
    double[] s = env.state();
    assertThat(s[0]).isEqualTo(0.0);
    assertThat(s[1]).isEqualTo(10.0);
    // The spec prints the float32 observation of gym-pusht.
    assertThat((float) s[2]).isEqualTo(57.866196f);
    assertThat((float) s[3]).isEqualTo(50.686398f);
    assertThat(s[4]).isCloseTo(1.0, within(1e-12));
  }

  @Test
  void resetOfSeed100000PlacesTheBlockOriginAsTheReference() {
    PushTEnv env = PushTEnv.reference();
    env.reset(100000);
    assertThat(env.blockX()).isCloseTo(299.61, within(0.005));
    assertThat(env.blockY()).isCloseTo(145.20, within(0.005));
  }

  @Test
  void fiveStepRolloutFollowsChipmunk() {
    // specs/pusht.md, "Short reference rollout" (printed with 6 decimals).
    double[][] actions = {{300, 200}, {320, 220}, {330, 240}, {335, 260}, {340, 280}};
    double[][] expected = {
      {235.000000, 124.000000, 299.612885, 145.201581, 5.378258},
      {254.218666, 146.471056, 299.612885, 145.201581, 5.378258},
      {280.947647, 176.722667, 308.052234, 159.352870, 5.225382},
      {302.770145, 203.610667, 324.854113, 177.729358, 5.001305},
      {317.744979, 227.316189, 337.573217, 188.307441, 4.832373},
      {327.898876, 249.162219, 343.544123, 193.328043, 4.731359},
    };
    PushTEnv env = PushTEnv.reference();
    env.reset(100000);
    for (int t = 0; t <= 5; t++) {
      double[] s = env.state();
      for (int k = 0; k < 5; k++)
        assertThat(s[k]).as("t=%d value %d", t, k).isCloseTo(expected[t][k], within(1.5e-6));
      if (t < 5) env.step(actions[t][0], actions[t][1]);
    }
  }

  @Test
  void episodesAreCutAtThreeHundredSteps() {
    PushTEnv env = PushTEnv.reference();
    env.reset(0);
    for (int i = 0; i < 299; i++) env.step(256, 400);
    assertThat(env.truncated()).isFalse();
    env.step(256, 400);
    assertThat(env.truncated()).isTrue();
  }

  @Test
  void rewardIsCoverageOverTheThresholdClipped() {
    PushTEnv env = PushTEnv.reference();
    // Legacy set-state rotates about the centre of gravity: place the origin on the goal by
    // setting the position that the rotation maps onto (256, 256).
    double a = Math.PI / 4;
    double ox = 256 - 45 * Math.sin(a), oy = 256 - 45 * (1 - Math.cos(a));
    env.setState(100, 100, ox, oy, a);
    assertThat(env.coverage()).isCloseTo(1.0, within(1e-9));
    assertThat(env.reward()).isEqualTo(1.0);
    assertThat(env.terminated()).isTrue();
    env.setState(100, 100, 256, 300, 0);
    assertThat(env.reward()).isCloseTo(0.167002 / 0.95, within(1e-6));
    assertThat(env.terminated()).isFalse();
  }
}
