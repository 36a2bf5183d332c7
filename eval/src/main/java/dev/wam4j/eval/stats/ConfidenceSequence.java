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
 * probability >= 1 - alpha. The precision rho is chosen to make the bound tightest at {@code
 * tunedForTrials} ({@link #tunedRho}); it stays valid at every other number of trials.
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
    double r = radius(trials, alpha, tunedRho(tunedForTrials, alpha)) / trials;
    return new RateBounds(successes, trials, Math.max(0.0, rate - r), Math.min(1.0, rate + r));
  }

  /**
   * The rho that minimises the boundary at t trials: with v = t/4 and x = (v + rho) / rho, the
   * derivative of (v + rho)(2 log(1/alpha) + log x) in rho vanishes where x - log x = 2
   * log(1/alpha) + 1 (solved by Newton's method from x = 2L + 1 + log(2L + 1), which is close), rho
   * = v / (x - 1).
   */
  static double tunedRho(double t, double alpha) {
    double c = 2 * Math.log(1 / alpha) + 1, x = c + Math.log(c);
    for (int i = 0; i < 50; i++) {
      double step = (x - Math.log(x) - c) / (1 - 1 / x);
      x -= step;
      if (Math.abs(step) < 1e-12) break;
    }
    return t / 4.0 / (x - 1);
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
