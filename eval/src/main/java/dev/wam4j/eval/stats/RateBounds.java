package dev.wam4j.eval.stats;

/**
 * A success rate's bounds from a {@link ConfidenceSequence}: {@code lower <= rate <= upper}.
 *
 * @param successes successes seen
 * @param trials trials seen
 * @param lower lower bound on the true rate
 * @param upper upper bound on the true rate
 */
public record RateBounds(long successes, long trials, double lower, double upper) {
  /** The observed rate ({@code NaN} before any trial). */
  public double rate() {
    return trials == 0 ? Double.NaN : successes / (double) trials;
  }
}
