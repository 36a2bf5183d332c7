package dev.wam4j.eval.study;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * ASHA's schedule on a synthetic search: trial i has a true quality q_i, and its score on a budget
 * b is q_i plus noise that shrinks with b. Pinned down: rungs and budgets, at most 1/eta of a rung
 * promoted at any time, failed trials never promoted, the best found among the best drawn, workers
 * reporting out of order, and a restored schedule continuing where the saved one stopped.
 */
class SuccessiveHalvingTest {
  private static final SuccessiveHalving.Config CONFIG = new SuccessiveHalving.Config(3, 1, 27);

  @Test
  void rungsGrowByEtaUpToTheMaximumBudget() {
    assertThat(CONFIG.rungs()).isEqualTo(4);
    assertThat(CONFIG.budget(3)).isEqualTo(27.0);
    assertThat(new SuccessiveHalving.Config(3, 1, 30).rungs()).isEqualTo(4);
    assertThat(new SuccessiveHalving.Config(2, 100, 100).rungs()).isEqualTo(1);
  }

  /** Runs jobs on {@code workers} workers, reporting the oldest running job each time. */
  private static List<Double> search(
      SuccessiveHalving s, int jobs, int workers, SplittableRandom rng, List<Double> quality) {
    List<SuccessiveHalving.Job> runningJobs = new ArrayList<>();
    for (int j = 0; j < jobs; j++) {
      while (runningJobs.size() < workers) {
        SuccessiveHalving.Job job = s.next();
        if (job instanceof SuccessiveHalving.Job.Start st) {
          assertThat(st.trial()).isEqualTo(quality.size());
          quality.add(rng.nextDouble());
        } else {
          assertPromotedFromTheTopOneInEta(s, job);
        }
        runningJobs.add(job);
      }
      SuccessiveHalving.Job job = runningJobs.remove(0);
      double q = quality.get(job.trial());
      double score = q < 0.05 ? Double.NaN : q + (rng.nextDouble() - 0.5) * 0.2 / job.budget();
      s.report(job, score);
    }
    return quality;
  }

  /** A promotion to rung k+1 takes a trial ranked among the top 1/eta finished on rung k. */
  private static void assertPromotedFromTheTopOneInEta(
      SuccessiveHalving s, SuccessiveHalving.Job job) {
    int k = job.rung() - 1;
    List<SuccessiveHalving.Trial> trials = s.trials();
    double own = trials.get(job.trial()).scores().get(k);
    assertThat(own).as("a failed trial is never promoted").isNotNaN();
    long finished = trials.stream().filter(t -> t.scores().size() > k).count();
    long ahead =
        trials.stream()
            .filter(t -> t.scores().size() > k && t.scores().get(k) > own) // NaN never ahead
            .count();
    assertThat(ahead).as("rung %d", k).isLessThan(finished / CONFIG.eta());
  }

  @Test
  void oneWorkerFindsATrialAmongTheBestDrawnAndPromotesAtMostOneInEta() {
    SuccessiveHalving s = new SuccessiveHalving(CONFIG);
    List<Double> quality = search(s, 200, 1, new SplittableRandom(3), new ArrayList<>());
    SuccessiveHalving.Trial best = s.best().orElseThrow();
    assertThat(best.finishedRung()).isEqualTo(CONFIG.rungs() - 1);
    long better = quality.stream().filter(q -> q > quality.get(best.id())).count();
    assertThat(better / (double) quality.size())
        .as("share of trials better than the best found")
        .isLessThan(0.05);
    assertThat(quality.size()).as("most jobs were cheap rung-0 starts").isGreaterThan(100);
  }

  @Test
  void twoWorkersReportingOutOfOrderKeepTheRules() {
    SuccessiveHalving s = new SuccessiveHalving(CONFIG);
    search(s, 200, 2, new SplittableRandom(4), new ArrayList<>());
    assertThat(s.trials().stream().filter(t -> t.finishedRung() == 3).count()).isPositive();
  }

  @Test
  void aRestoredScheduleOffersTheInterruptedJobAgainThenGoesOnAsTheSavedOneWould() {
    SuccessiveHalving a = new SuccessiveHalving(CONFIG);
    List<Double> quality = search(a, 40, 1, new SplittableRandom(5), new ArrayList<>());
    SuccessiveHalving.Job interrupted = a.next(); // killed while it ran
    SuccessiveHalving b = SuccessiveHalving.restore(CONFIG, a.trials());
    SuccessiveHalving.Job again = b.next();
    assertThat(again.trial()).isEqualTo(interrupted.trial());
    assertThat(again.rung()).isEqualTo(interrupted.rung());
    a.report(interrupted, 0.5);
    b.report(again, 0.5);
    for (int j = 0; j < 20; j++) {
      SuccessiveHalving.Job x = a.next(), y = b.next();
      assertThat(y).isEqualTo(x);
      double score = x.trial() < quality.size() ? quality.get(x.trial()) : 0.3;
      a.report(x, score);
      b.report(y, score);
    }
    assertThat(b.trials()).isEqualTo(a.trials());
  }

  @Test
  void misuseIsRefusedWithItsReason() {
    SuccessiveHalving s = new SuccessiveHalving(CONFIG);
    SuccessiveHalving.Job job = s.next();
    s.report(job, 0.4);
    assertThatThrownBy(() -> s.report(job, 0.4)).hasMessageContaining("a report twice?");
    assertThatThrownBy(() -> new SuccessiveHalving.Config(1, 1, 9))
        .hasMessageContaining("eta must be >= 2, got 1");
    assertThatThrownBy(() -> new SuccessiveHalving.Config(3, 10, 9))
        .hasMessageContaining("maxBudget must be >= minBudget");
    assertThatThrownBy(
            () ->
                SuccessiveHalving.restore(
                    CONFIG, List.of(new SuccessiveHalving.Trial(1, List.of(0.1), -1))))
        .hasMessageContaining("trial 0 is saved with id 1");
  }
}
