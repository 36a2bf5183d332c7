package dev.wam4j.eval.stats;

/**
 * A sequential comparison of two success rates, a candidate's (e.g. a canary robot's) against a
 * reference's (the rest of its group), that may be checked after every episode of either: each rate
 * gets a {@link ConfidenceSequence} at {@code alpha / 2}, so with probability at least {@code 1 -
 * alpha} both hold at every moment, and a decision taken the first time the bounds separate is
 * wrong with probability at most {@code alpha}, however often it was checked. Conservative (the
 * union bound), and simple enough to state in one line of a decision's evidence.
 */
public final class RateComparison {
  /**
   * @param alpha the chance of ever deciding wrongly (e.g. 0.05)
   * @param tunedForEpisodes where the bounds are tightest (the candidate's usual episode count)
   * @param minEpisodes episodes each side needs before any decision (guards against a decision
   *     resting on a handful of early episodes of a different kind of task)
   */
  public record Config(double alpha, double tunedForEpisodes, long minEpisodes) {
    public Config {
      ConfidenceSequence.checkAlpha(alpha);
      if (!(tunedForEpisodes >= 1))
        throw new IllegalArgumentException(
            "tunedForEpisodes must be >= 1, got " + tunedForEpisodes);
      if (minEpisodes < 0)
        throw new IllegalArgumentException("minEpisodes must be >= 0, got " + minEpisodes);
    }

    /** alpha 0.05, tightest near 100 episodes, at least 20 episodes a side. */
    public static Config defaults() {
      return new Config(0.05, 100, 20);
    }
  }

  /** What the comparison says now, with the bounds it rests on. */
  public sealed interface Outcome {
    /** The candidate's bounds. */
    RateBounds candidate();

    /** The reference's bounds. */
    RateBounds reference();

    /** The candidate's rate is higher: its lower bound lies above the reference's upper bound. */
    record Better(RateBounds candidate, RateBounds reference) implements Outcome {}

    /** The candidate's rate is lower: its upper bound lies below the reference's lower bound. */
    record Worse(RateBounds candidate, RateBounds reference) implements Outcome {}

    /** Not yet either: keep watching. */
    record Undecided(RateBounds candidate, RateBounds reference) implements Outcome {}
  }

  private RateComparison() {}

  /** Compares the candidate's successes of its episodes with the reference's. */
  public static Outcome compare(
      Config c,
      long candidateSuccesses,
      long candidateEpisodes,
      long referenceSuccesses,
      long referenceEpisodes) {
    RateBounds a =
        ConfidenceSequence.successRate(
            candidateSuccesses, candidateEpisodes, c.alpha() / 2, c.tunedForEpisodes());
    RateBounds b =
        ConfidenceSequence.successRate(
            referenceSuccesses, referenceEpisodes, c.alpha() / 2, c.tunedForEpisodes());
    if (candidateEpisodes < c.minEpisodes() || referenceEpisodes < c.minEpisodes())
      return new Outcome.Undecided(a, b);
    if (a.lower() > b.upper()) return new Outcome.Better(a, b);
    if (a.upper() < b.lower()) return new Outcome.Worse(a, b);
    return new Outcome.Undecided(a, b);
  }
}
