package dev.wam4j.rl.ppo;

import dev.wam4j.sim.pusht.PushTEnv;

/**
 * The episodes that ended in one rollout: how many, their returns, successes, final coverage and
 * lengths.
 */
final class EpisodeTally {
  int episodes;
  double sumReturn;
  int successes;
  double sumCoverage;
  long sumLength;

  void clear() {
    episodes = 0;
    sumReturn = 0;
    successes = 0;
    sumCoverage = 0;
    sumLength = 0;
  }

  /**
   * Counts an episode that just ended in {@code env} with undiscounted return {@code
   * episodeReturn}.
   */
  void ended(PushTEnv env, double episodeReturn) {
    episodes++;
    sumReturn += episodeReturn;
    if (env.terminated()) successes++;
    sumCoverage += env.coverage();
    sumLength += env.stepCount();
  }

  /** Adds another tally's (a worker's) to this one. */
  void add(EpisodeTally o) {
    episodes += o.episodes;
    successes += o.successes;
    sumReturn += o.sumReturn;
    sumCoverage += o.sumCoverage;
    sumLength += o.sumLength;
  }

  double meanReturn() {
    return episodes == 0 ? Double.NaN : sumReturn / episodes;
  }

  double successRate() {
    return episodes == 0 ? Double.NaN : successes / (double) episodes;
  }

  double meanFinalCoverage() {
    return episodes == 0 ? Double.NaN : sumCoverage / episodes;
  }

  double meanLength() {
    return episodes == 0 ? Double.NaN : sumLength / (double) episodes;
  }
}
