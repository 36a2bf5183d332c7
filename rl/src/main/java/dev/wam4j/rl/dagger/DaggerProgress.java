package dev.wam4j.rl.dagger;

import dev.wam4j.data.AtomicFiles;
import dev.wam4j.model.chart.LineChart;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * The plot of a DAgger run: validation coverage and success after each round against the compute
 * minutes behind the round's checkpoint (the student's own lineage, then every round's rollouts,
 * training and validation), with the published anchors and the goal drawn in. Written into the run
 * folder as {@code progress.png} after every round.
 */
final class DaggerProgress {
  /** Published PushT-from-images anchors (mean max coverage unless named), for the reader's eye. */
  static final double DIFFUSION_POLICY_COVERAGE = 0.91,
      UVA_COVERAGE = 0.98,
      LEROBOT_SUCCESS = 0.65,
      GOAL_SUCCESS = 0.70;

  /** The compute a shipped model may have behind it (issue 13), minutes. */
  static final double BUDGET_MINUTES = 180;

  private DaggerProgress() {}

  /**
   * The chart of {@code rounds}.
   *
   * @param startMinutes compute behind the first round's student, minutes (0 when it is unknown)
   */
  static LineChart chart(List<Dagger.Round> rounds, double startMinutes) {
    int n = rounds.size();
    double[] minutes = minutes(rounds, startMinutes),
        coverage = new double[n],
        success = new double[n];
    for (int i = 0; i < n; i++) {
      coverage[i] = rounds.get(i).validationCoverage();
      success[i] = rounds.get(i).validationSuccess();
    }
    double[] span =
        n == 0
            ? new double[] {startMinutes, startMinutes + 1}
            : new double[] {startMinutes, Math.max(minutes[n - 1], BUDGET_MINUTES)};
    return new LineChart(
            "DAgger: validation score vs compute behind the policy",
            "CPU minutes (2 cores) behind the checkpoint",
            "mean max coverage / success rate (validation seeds)")
        .series("mean max coverage", minutes, coverage)
        .series("success rate", minutes, success)
        .curve(
            "Diffusion Policy 0.91 cov.",
            span,
            new double[] {DIFFUSION_POLICY_COVERAGE, DIFFUSION_POLICY_COVERAGE})
        .curve("UVA 0.98 cov.", span, new double[] {UVA_COVERAGE, UVA_COVERAGE})
        .curve("LeRobot DP 65% success", span, new double[] {LEROBOT_SUCCESS, LEROBOT_SUCCESS})
        .curve("goal: 70% success", span, new double[] {GOAL_SUCCESS, GOAL_SUCCESS})
        .curve(
            "3 h compute budget",
            new double[] {BUDGET_MINUTES, BUDGET_MINUTES},
            new double[] {0, 1});
  }

  /** Compute behind each round's checkpoint, minutes: the student's, then every round so far. */
  static double[] minutes(List<Dagger.Round> rounds, double startMinutes) {
    double[] out = new double[rounds.size()];
    double seconds = startMinutes * 60;
    for (int i = 0; i < out.length; i++) {
      seconds += rounds.get(i).seconds();
      out[i] = seconds / 60;
    }
    return out;
  }

  /** Writes {@link #chart} as a PNG, atomically. */
  static void write(List<Dagger.Round> rounds, double startMinutes, Path png) throws IOException {
    AtomicFiles.write(png, chart(rounds, startMinutes).png());
  }
}
