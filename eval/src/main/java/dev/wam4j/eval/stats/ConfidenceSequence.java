package dev.wam4j.eval.stats;

/**
 * An anytime-valid confidence sequence for a success rate: bounds that hold, with probability at
 * least {@code 1 - alpha}, at every number of trials at once, so they may be looked at after each
 * trial and acted on the first time they say enough (a fixed-n interval looked at that way is wrong
 * far more often than its alpha).
 *
 * <p>The boundary is Robbins' normal mixture for sub-Gaussian sums (Howard, Ramdas, McAuliffe and
 * Sekhon, "Time-uniform, nonparametric, nonasymptotic confidence sequences", 2021): a success is
 * bounded in [0, 1], so its centred sum S_t is sub-Gaussian with variance proxy v = t/4, and mixing
 * the exponential supermartingale over a normal prior of precision rho gives, by Ville's
 * inequality, |S_t| < sqrt((v + rho) (2 log(1/alpha) + log((v + rho) / rho))) for all t with
 * probability >= 1 - alpha. {@code rho = tunedForTrials / 4} makes the bounds tightest near that
 * many trials; they stay valid at every other.
 */
public final class ConfidenceSequence {
  private ConfidenceSequence() {}

  /**
   * Bounds on a success rate after {@code trials} trials with {@code successes} successes.
   *
   * @param alpha the chance, over the whole sequence, that the bounds ever miss the true rate
   * @param tunedForTrials where the bounds are tightest (e.g. the episodes a canary usually runs)
   */
  public static RateBounds successRate(
      long successes, long trials, double alpha, double tunedForTrials) {
    if (trials < 0 || successes < 0 || successes > trials)
      throw new IllegalArgumentException(
          "successes must lie in 0..trials, got " + successes + " of " + trials);
    checkAlpha(alpha);
    if (!(tunedForTrials >= 1))
      throw new IllegalArgumentException("tunedForTrials must be >= 1, got " + tunedForTrials);
    if (trials == 0) return new RateBounds(0, 0, 0.0, 1.0);
    double rate = successes / (double) trials;
    double r = radius(trials, alpha, tunedForTrials / 4.0) / trials;
    return new RateBounds(successes, trials, Math.max(0.0, rate - r), Math.min(1.0, rate + r));
  }

  /** The boundary on |S_t| (variance proxy t/4, mixture precision rho). */
  static double radius(long trials, double alpha, double rho) {
    double v = trials / 4.0;
    return Math.sqrt((v + rho) * (2 * Math.log(1 / alpha) + Math.log((v + rho) / rho)));
  }

  static void checkAlpha(double alpha) {
    if (!(alpha > 0 && alpha < 1))
      throw new IllegalArgumentException("alpha must lie in (0, 1), got " + alpha);
  }
}
