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
    TuringJudge.Verdict v = TuringJudge.judge(x, robot, pairs(x.length), NAMES, 5, 7);
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
    TuringJudge.Verdict v = TuringJudge.judge(x, robot, pairs(x.length), NAMES, 5, 7);
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
    TuringJudge.Verdict a = TuringJudge.judge(x, robot, pairs(x.length), NAMES, 5, 11);
    TuringJudge.Verdict b = TuringJudge.judge(x, robot, pairs(x.length), NAMES, 5, 11);
    assertThat(a.scores()).containsExactly(b.scores());
    // a constant feature separates nothing and carries no weight
    TuringJudge.Feature c =
        a.features().stream().filter(f -> f.name().equals("c")).findFirst().get();
    assertThat(c.auc()).isEqualTo(0.5);
    assertThat(c.coefficient()).isCloseTo(0, within(1e-12));
  }

  @Test
  void aStartStatesHumanAndRobotShareTheirFold() {
    long[] group = pairs(46);
    int[] fold = TuringJudge.groupFolds(group, 5, 0);
    int[] perFold = new int[5];
    for (int i = 0; i < group.length; i += 2) {
      assertThat(fold[i]).isEqualTo(fold[i + 1]);
      perFold[fold[i]]++;
    }
    // 23 pairs dealt round 5 folds: 4 or 5 each
    for (int c : perFold) assertThat(c).isBetween(4, 5);
    // groups need not be adjacent or numbered from 0
    long[] scattered = {7, 3, 7, 3, 9, 9};
    int[] f = TuringJudge.groupFolds(scattered, 2, 1);
    assertThat(f[0]).isEqualTo(f[2]);
    assertThat(f[1]).isEqualTo(f[3]);
    assertThat(f[4]).isEqualTo(f[5]);
  }

  @Test
  void fewerGroupsThanFoldsIsAClearError() {
    double[][] x = new double[12][];
    boolean[] robot = new boolean[12];
    for (int i = 0; i < 12; i++) {
      x[i] = new double[] {i, i % 3, 1};
      robot[i] = i % 2 == 1;
    }
    long[] threeGroups = new long[12];
    for (int i = 0; i < 12; i++) threeGroups[i] = i / 4;
    assertThatThrownBy(() -> TuringJudge.judge(x, robot, threeGroups, NAMES, 5, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at least 5 groups");
  }

  @Test
  void tooFewEpisodesForTheFoldsIsAClearError() {
    double[][] x = {{1, 2, 3}, {2, 3, 4}, {3, 4, 5}, {4, 5, 6}};
    boolean[] robot = {true, false, true, false};
    assertThatThrownBy(() -> TuringJudge.judge(x, robot, pairs(x.length), NAMES, 5, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at least 5 episodes of each kind");
  }

  /** Episodes 2i (human) and 2i+1 (robot) from one start state. */
  private static long[] pairs(int n) {
    long[] g = new long[n];
    for (int i = 0; i < n; i++) g[i] = i / 2;
    return g;
  }

  private static double gauss(SplittableRandom rng) {
    double u1 = rng.nextDouble(), u2 = rng.nextDouble();
    return Math.sqrt(-2 * Math.log1p(-u1)) * Math.cos(2 * Math.PI * u2);
  }
}
