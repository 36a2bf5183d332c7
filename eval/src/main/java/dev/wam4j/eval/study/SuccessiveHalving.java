package dev.wam4j.eval.study;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Asynchronous successive halving (ASHA: Li, Jamieson, Rostamizadeh et al., "A System for Massively
 * Parallel Hyperparameter Tuning", MLSys 2020): trials start on the smallest budget (rung 0); a
 * trial among the best {@code 1/eta} of those finished on rung k goes on to rung k+1 with {@code
 * eta} times the budget. Whenever a worker is free it takes the highest promotion on offer, else
 * starts a new trial, so no worker waits for a rung to fill. Scores: higher is better; a failed
 * trial reports {@code NaN} and is never promoted.
 *
 * <p>Only the schedule: what a trial is, how it trains and is scored, lives with the caller. The
 * state is plain data ({@link #trials()}, {@link #restore}) so a killed search resumes where it
 * stopped.
 */
public final class SuccessiveHalving {
  /**
   * @param eta the reduction factor: one in eta trials of a rung is promoted (ASHA's default 3)
   * @param minBudget the budget of rung 0 (e.g. training steps)
   * @param maxBudget the budget of the top rung; rungs are minBudget * eta^k up to it
   */
  public record Config(int eta, double minBudget, double maxBudget) {
    public Config {
      if (eta < 2) throw new IllegalArgumentException("eta must be >= 2, got " + eta);
      if (!(minBudget > 0))
        throw new IllegalArgumentException("minBudget must be > 0, got " + minBudget);
      if (!(maxBudget >= minBudget))
        throw new IllegalArgumentException(
            "maxBudget must be >= minBudget (" + minBudget + "), got " + maxBudget);
    }

    /** Rungs: 0 .. top. */
    public int rungs() {
      int k = 0;
      while (minBudget * Math.pow(eta, k + 1) <= maxBudget * (1 + 1e-9)) k++;
      return k + 1;
    }

    /** The budget of rung k. */
    public double budget(int rung) {
      return minBudget * Math.pow(eta, rung);
    }
  }

  /**
   * A trial's state: its score on each rung it finished ({@code NaN}: failed), and the rung it
   * runs.
   */
  public record Trial(int id, List<Double> scores, int runningRung) {
    public Trial {
      scores = List.copyOf(scores);
    }

    /** The highest rung it finished, or -1. */
    public int finishedRung() {
      return scores.size() - 1;
    }
  }

  /** What a free worker should do next. */
  public sealed interface Job {
    /** The trial to run. */
    int trial();

    /** The rung it runs on. */
    int rung();

    /** Its budget there. */
    double budget();

    /** Start a new trial (the caller draws its configuration) on rung 0. */
    record Start(int trial, int rung, double budget) implements Job {}

    /** Continue a trial on the next rung (resuming from its checkpoint where it can). */
    record Promote(int trial, int rung, double budget) implements Job {}
  }

  private final Config config;
  private final List<List<Double>> scores = new ArrayList<>(); // by trial id
  private final List<Integer> running = new ArrayList<>(); // by trial id: rung, or -1

  public SuccessiveHalving(Config config) {
    this.config = config;
  }

  /** A schedule continued from saved trials (ids 0..n-1, in order); running trials run again. */
  public static SuccessiveHalving restore(Config config, List<Trial> trials) {
    SuccessiveHalving s = new SuccessiveHalving(config);
    for (int i = 0; i < trials.size(); i++) {
      Trial t = trials.get(i);
      if (t.id() != i)
        throw new IllegalArgumentException("trial " + i + " is saved with id " + t.id());
      if (t.scores().size() > config.rungs())
        throw new IllegalArgumentException(
            "trial " + i + " has " + t.scores().size() + " rungs, the schedule " + config.rungs());
      s.scores.add(new ArrayList<>(t.scores()));
      s.running.add(-1); // interrupted work is offered again by next()
    }
    return s;
  }

  /**
   * The next job: the promotion from the highest rung on offer, else a new trial. Marks it as
   * running until {@link #report}.
   */
  public Job next() {
    for (int k = config.rungs() - 2; k >= 0; k--) {
      Optional<Integer> t = promotable(k);
      if (t.isPresent()) {
        running.set(t.get(), k + 1);
        return new Job.Promote(t.get(), k + 1, config.budget(k + 1));
      }
    }
    // an interrupted rung-0 trial (restored) runs again before a new one starts
    for (int i = 0; i < scores.size(); i++) {
      if (scores.get(i).isEmpty() && running.get(i) < 0) {
        running.set(i, 0);
        return new Job.Start(i, 0, config.budget(0));
      }
    }
    scores.add(new ArrayList<>());
    running.add(0);
    return new Job.Start(scores.size() - 1, 0, config.budget(0));
  }

  /** A trial among the top 1/eta of rung k, finished there, not yet on rung k+1 or beyond. */
  private Optional<Integer> promotable(int k) {
    List<Integer> done = new ArrayList<>();
    for (int i = 0; i < scores.size(); i++) {
      List<Double> s = scores.get(i);
      if (s.size() > k && !Double.isNaN(s.get(k))) done.add(i);
    }
    int finishedAtK = 0;
    for (List<Double> s : scores) if (s.size() > k) finishedAtK++; // failed ones count
    int top = finishedAtK / config.eta();
    done.sort(
        Comparator.comparingDouble((Integer i) -> -scores.get(i).get(k))
            .thenComparingInt(i -> i)); // ties: the earlier trial
    for (int i : done.subList(0, Math.min(top, done.size()))) {
      if (scores.get(i).size() == k + 1 && running.get(i) < 0) return Optional.of(i);
    }
    return Optional.empty();
  }

  /** A job's score ({@code NaN}: the trial failed there). */
  public void report(Job job, double score) {
    int t = job.trial();
    if (t < 0 || t >= scores.size() || running.get(t) != job.rung())
      throw new IllegalArgumentException(
          "trial " + t + " is not running on rung " + job.rung() + " (a report twice?)");
    List<Double> s = scores.get(t);
    if (s.size() != job.rung())
      throw new IllegalStateException("trial " + t + " has " + s.size() + " rung scores");
    s.add(score);
    running.set(t, -1);
  }

  /** Every trial so far, by id (what a notebook saves to resume). */
  public List<Trial> trials() {
    List<Trial> out = new ArrayList<>();
    for (int i = 0; i < scores.size(); i++) out.add(new Trial(i, scores.get(i), running.get(i)));
    return out;
  }

  /**
   * The best trial: the highest score on the highest rung any trial finished (ties: the earlier),
   * or empty before any score.
   */
  public Optional<Trial> best() {
    Trial best = null;
    for (Trial t : trials()) {
      int r = t.finishedRung();
      if (r < 0 || Double.isNaN(t.scores().get(r))) continue;
      if (best == null
          || r > best.finishedRung()
          || (r == best.finishedRung()
              && t.scores().get(r) > best.scores().get(best.finishedRung()))) best = t;
    }
    return Optional.ofNullable(best);
  }

  public Config config() {
    return config;
  }
}
