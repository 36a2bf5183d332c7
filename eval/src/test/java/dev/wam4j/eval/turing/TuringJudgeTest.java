package dev.wam4j.eval.turing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class TuringJudgeTest {
  private static final List<String> NAMES = List.of("a", "b", "c");

  @Test
  void rocAucMatchesAHandCountWithTies() {
    // positives 0.8, 0.4, 0.4; negatives 0.4, 0.1.
    // pairs: (0.8>0.4) 1, (0.8>0.1) 1, (0.4=0.4) 0.5, (0.4>0.1) 1, (0.4=0.4) 0.5, (0.4>0.1) 1
    // = 5 of 6.
    double[] s = {0.8, 0.4, 0.4, 0.4, 0.1};
    boolean[] p = {true, true, true, false, false};
    assertThat(TuringJudge.rocAuc(s, p)).isCloseTo(5.0 / 6, within(1e-12));
    // All tied: every pair counts half.
    assertThat(
            TuringJudge.rocAuc(new double[] {1, 1, 1, 1}, new boolean[] {true, false, true, false}))
        .isEqualTo(0.5);
    // Reversed: 0.
    assertThat(TuringJudge.rocAuc(new double[] {0, 1}, new boolean[] {true, false})).isZero();
  }

  @Test
  void clearlyDifferentDistributionsAreToldApart() {
    SplittableRandom rng = new SplittableRandom(1);
    int n = 100;
    double[][] x = new double[2 * n][];
    boolean[] robot = new boolean[2 * n];
    for (int i = 0; i < 2 * n; i++) {
      robot[i] = i % 2 == 1;
      // feature b differs by 4 standard deviations; a and c are the same noise for both
      x[i] = new double[] {gauss(rng), gauss(rng) + (robot[i] ? 4 : 0), gauss(rng)};
    }
    TuringJudge.Verdict v = TuringJudge.judge(x, robot, NAMES, 5, 7);
    assertThat(v.rocAuc()).isGreaterThan(0.97);
    assertThat(v.features().get(0).name()).isEqualTo("b");
    assertThat(v.features().get(0).auc()).isGreaterThan(0.97);
    assertThat(v.features().get(0).coefficient()).isPositive();
    assertThat(v.scores()).hasSize(2 * n);
  }

  @Test
  void identicalDistributionsAreNot() {
    // With 200 episodes per kind the AUC of a judge without signal has a standard deviation of
    // about sqrt((n+m+1)/(12nm)) = 0.029; 0.1 is more than three of them, and cross-validated
    // noise only pulls the AUC below 0.5, not above.
    SplittableRandom rng = new SplittableRandom(2);
    int n = 200;
    double[][] x = new double[2 * n][];
    boolean[] robot = new boolean[2 * n];
    for (int i = 0; i < 2 * n; i++) {
      robot[i] = i % 2 == 1;
      x[i] = new double[] {gauss(rng), gauss(rng), gauss(rng)};
    }
    TuringJudge.Verdict v = TuringJudge.judge(x, robot, NAMES, 5, 7);
    assertThat(v.rocAuc()).isCloseTo(0.5, within(0.1));
    for (TuringJudge.Feature f : v.features()) assertThat(f.auc()).isCloseTo(0.5, within(0.1));
  }

  @Test
  void sameSeedSameVerdict() {
    SplittableRandom rng = new SplittableRandom(3);
    double[][] x = new double[40][];
    boolean[] robot = new boolean[40];
    for (int i = 0; i < 40; i++) {
      robot[i] = i % 2 == 1;
      x[i] = new double[] {gauss(rng) + (robot[i] ? 1 : 0), gauss(rng), 3.0};
    }
    TuringJudge.Verdict a = TuringJudge.judge(x, robot, NAMES, 5, 11);
    TuringJudge.Verdict b = TuringJudge.judge(x, robot, NAMES, 5, 11);
    assertThat(a.scores()).containsExactly(b.scores());
    // a constant feature separates nothing and carries no weight
    TuringJudge.Feature c =
        a.features().stream().filter(f -> f.name().equals("c")).findFirst().get();
    assertThat(c.auc()).isEqualTo(0.5);
    assertThat(c.coefficient()).isCloseTo(0, within(1e-12));
  }

  @Test
  void foldsAreStratified() {
    boolean[] robot = new boolean[23];
    for (int i = 0; i < 10; i++) robot[i] = true;
    int[] fold = TuringJudge.stratifiedFolds(robot, 5, 0);
    for (int f = 0; f < 5; f++) {
      int r = 0, h = 0;
      for (int i = 0; i < robot.length; i++)
        if (fold[i] == f) {
          if (robot[i]) r++;
          else h++;
        }
      assertThat(r).isEqualTo(2);
      assertThat(h).isBetween(2, 3);
    }
  }

  @Test
  void tooFewEpisodesForTheFoldsIsAClearError() {
    double[][] x = {{1, 2, 3}, {2, 3, 4}, {3, 4, 5}, {4, 5, 6}};
    boolean[] robot = {true, false, true, false};
    assertThatThrownBy(() -> TuringJudge.judge(x, robot, NAMES, 5, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at least 5 episodes of each kind");
  }

  private static double gauss(SplittableRandom rng) {
    double u1 = rng.nextDouble(), u2 = rng.nextDouble();
    return Math.sqrt(-2 * Math.log1p(-u1)) * Math.cos(2 * Math.PI * u2);
  }
}
