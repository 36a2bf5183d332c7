package dev.wam4j.eval.stats;

/**
 * A success rate's bounds, {@code lower <= rate <= upper}: from a {@link ConfidenceSequence} (any
 * number of looks), or Wilson's interval for one look at a fixed number of trials ({@link
 * #wilson95}).
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

  private static final double Z95 = 1.959963984540054;

  /**
   * Wilson's 95 % score interval of {@code successes} in {@code trials} (one look); [0, 1] with no
   * trial.
   */
  public static RateBounds wilson95(long successes, long trials) {
    if (trials < 0 || successes < 0 || successes > trials)
      throw new IllegalArgumentException(
          "wilson: " + successes + " successes of " + trials + " trials");
    if (trials == 0) return new RateBounds(0, 0, 0, 1);
    double n = trials, p = successes / n, z2 = Z95 * Z95;
    double denominator = 1 + z2 / n;
    double centre = (p + z2 / (2.0 * n)) / denominator;
    double half = Z95 / denominator * Math.sqrt(p * (1 - p) / n + z2 / (4.0 * n * n));
    return new RateBounds(
        successes, trials, Math.max(0, centre - half), Math.min(1, centre + half));
  }
}
