package dev.wam4j.fleet.judge;

/**
 * The human judges' score: how often they picked the robot, with a 95 % binomial interval, and what
 * that says.
 *
 * <p>The interval is Wilson's score interval, not the normal ("Wald") one: at the small counts a
 * panel of judges produces, and at accuracies near 0 or 1 (a judge always right), the Wald interval
 * collapses to a point or leaves [0, 1], while Wilson's keeps close to its nominal 95 % coverage,
 * stays within [0, 1], and is defined (as [0, 1]) with no judgements at all.
 *
 * @param humanJudgements answers given
 * @param humanCorrect answers that picked the robot
 * @param humanAccuracy the share of correct answers, {@code null} before the first
 * @param humanAccuracyCi95 the 95 % Wilson score interval of the accuracy, {low, high}
 * @param verdict "indistinguishable" only when the interval contains 0.5 and there are at least
 *     {@link #MIN_JUDGEMENTS} judgements; "distinguishable" when the interval excludes 0.5 (above:
 *     the judges spot the robot; below: they consistently take it for the person, which also tells
 *     the two apart); else "not enough judgements"
 * @param judges how many judges answered
 */
public record Tally(
    int humanJudgements,
    int humanCorrect,
    Double humanAccuracy,
    double[] humanAccuracyCi95,
    String verdict,
    int judges) {
  /** Judgements needed before "indistinguishable" may be said. */
  public static final int MIN_JUDGEMENTS = 100;

  /** The verdicts. */
  public static final String INDISTINGUISHABLE = "indistinguishable",
      DISTINGUISHABLE = "distinguishable",
      NOT_ENOUGH = "not enough judgements";

  /** Validates the counts. */
  public Tally {
    if (humanJudgements < 0 || humanCorrect < 0 || humanCorrect > humanJudgements)
      throw new IllegalArgumentException(
          "tally: " + humanCorrect + " correct of " + humanJudgements + " judgements");
    humanAccuracyCi95 = humanAccuracyCi95.clone();
  }

  /** The tally of {@code correct} right answers out of {@code n} from {@code judges} judges. */
  public static Tally of(int n, int correct, int judges) {
    if (n < 0 || correct < 0 || correct > n)
      throw new IllegalArgumentException("tally: " + correct + " correct of " + n + " judgements");
    double[] ci = wilson(correct, n);
    String verdict;
    if (ci[0] > 0.5 || ci[1] < 0.5) verdict = DISTINGUISHABLE;
    else if (n >= MIN_JUDGEMENTS) verdict = INDISTINGUISHABLE;
    else verdict = NOT_ENOUGH;
    return new Tally(n, correct, n == 0 ? null : correct / (double) n, ci, verdict, judges);
  }

  /**
   * Wilson's 95 % score interval of a binomial proportion: {@code k} successes in {@code n} trials;
   * [0, 1] when {@code n == 0}.
   */
  public static double[] wilson(int k, int n) {
    dev.wam4j.eval.stats.RateBounds b = dev.wam4j.eval.stats.RateBounds.wilson95(k, n);
    return new double[] {b.lower(), b.upper()};
  }
}
