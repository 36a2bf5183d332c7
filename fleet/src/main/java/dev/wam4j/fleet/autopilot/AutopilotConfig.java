package dev.wam4j.fleet.autopilot;

import dev.wam4j.eval.SeedRange;
import dev.wam4j.eval.stats.RateComparison;

/**
 * What the autopilot does for one task and robot group, every setting with its default.
 *
 * @param task the task whose data feeds candidates
 * @param group the robot group candidates are deployed to
 * @param hoursPerCandidate hours of new data that start a candidate (1.0)
 * @param successfulOnly fine-tune on successful episodes only: self-imitation (true)
 * @param validationSeeds simulation seeds candidate and deployed model are compared on
 *     (200000..200049)
 * @param minSimGain the candidate's validation success rate must beat the deployed model's by this
 *     much to reach a canary (0.0: strictly better is not required, equal is not enough)
 * @param canary the sequential test of canary against group
 * @param maxCanaryEpisodes canary episodes after which an undecided canary is rolled back (500)
 */
public record AutopilotConfig(
    String task,
    String group,
    double hoursPerCandidate,
    boolean successfulOnly,
    SeedRange validationSeeds,
    double minSimGain,
    RateComparison.Config canary,
    long maxCanaryEpisodes) {
  public AutopilotConfig {
    if (task == null || task.isBlank()) throw new IllegalArgumentException("task is required");
    if (group == null || group.isBlank()) throw new IllegalArgumentException("group is required");
    if (!(hoursPerCandidate > 0))
      throw new IllegalArgumentException("hoursPerCandidate must be > 0, got " + hoursPerCandidate);
    if (!(minSimGain >= 0 && minSimGain < 1))
      throw new IllegalArgumentException("minSimGain must lie in [0, 1), got " + minSimGain);
    if (maxCanaryEpisodes < canary.minEpisodes())
      throw new IllegalArgumentException(
          "maxCanaryEpisodes ("
              + maxCanaryEpisodes
              + ") must be >= the canary test's minEpisodes ("
              + canary.minEpisodes()
              + ")");
  }

  /** The defaults for a task and group. */
  public static AutopilotConfig of(String task, String group) {
    return new AutopilotConfig(
        task,
        group,
        1.0,
        true,
        new SeedRange(200000, 200049),
        0.0,
        RateComparison.Config.defaults(),
        500);
  }
}
