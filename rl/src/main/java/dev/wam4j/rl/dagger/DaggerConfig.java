package dev.wam4j.rl.dagger;

/**
 * One DAgger run: what it trains, on what, for how long. Read from a JSON file whose fields
 * override {@link #defaults()} ({@link Dagger#loadConfig}); echoed into the run folder.
 *
 * @param train the world action model's training config file (a {@code train finetune} config): the
 *     base data (e.g. simulated expert demonstrations), the architecture and optimiser, and in
 *     {@code init} the weights before round 0; its {@code steps} is replaced by {@code
 *     stepsPerRound}
 * @param student the checkpoint that drives round 0's rollouts, or null: round 0 records the expert
 *     itself (beta 1) and trains from the train config's {@code init}
 * @param rounds DAgger rounds: roll out, label, aggregate, retrain
 * @param episodesPerRound episodes rolled out per round
 * @param firstSeed legacy reset seed of round 0's first episode; round r uses the next {@code
 *     episodesPerRound} seeds after round r-1's (keep clear of the evaluation blocks 100000.. and
 *     200000..)
 * @param beta probability per plan that the teacher's chunk runs instead of the student's, in round
 *     0
 * @param betaDecay beta of round r is {@code beta * betaDecay^r}
 * @param stepsPerRound training steps per round, from the previous round's weights, on all data so
 *     far
 * @param validationFirstSeed first seed of the validation block each round is scored on (never the
 *     protocol's)
 * @param validationEpisodes episodes of that block (0: no validation)
 * @param threads intra-op threads for training and rollouts
 * @param seed seed of the mixing draws and the student's sampling noise
 */
public record DaggerConfig(
    String train,
    String student,
    int rounds,
    int episodesPerRound,
    long firstSeed,
    double beta,
    double betaDecay,
    int stepsPerRound,
    long validationFirstSeed,
    int validationEpisodes,
    int threads,
    long seed) {
  public DaggerConfig {
    if (train == null || train.isBlank())
      throw new IllegalArgumentException(
          "dagger config: 'train' (a train finetune config file) is required");
    if (rounds < 1)
      throw new IllegalArgumentException("dagger config: rounds must be >= 1, got " + rounds);
    if (episodesPerRound < 1)
      throw new IllegalArgumentException(
          "dagger config: episodesPerRound must be >= 1, got " + episodesPerRound);
    if (firstSeed < 0)
      throw new IllegalArgumentException("dagger config: firstSeed must be >= 0, got " + firstSeed);
    if (!(beta >= 0 && beta <= 1))
      throw new IllegalArgumentException("dagger config: beta must lie in [0, 1], got " + beta);
    if (!(betaDecay >= 0 && betaDecay <= 1))
      throw new IllegalArgumentException(
          "dagger config: betaDecay must lie in [0, 1], got " + betaDecay);
    if (stepsPerRound < 1)
      throw new IllegalArgumentException(
          "dagger config: stepsPerRound must be >= 1, got " + stepsPerRound);
    if (validationEpisodes < 0)
      throw new IllegalArgumentException(
          "dagger config: validationEpisodes must be >= 0, got " + validationEpisodes);
    if (threads < 1)
      throw new IllegalArgumentException("dagger config: threads must be >= 1, got " + threads);
    long lastSeed = firstSeed + (long) rounds * episodesPerRound - 1;
    for (long block :
        new long[] {
          100_000, 200_000
        }) { // the protocol block and the validation block: never trained on
      if (firstSeed < block + 100 && lastSeed >= block) {
        throw new IllegalArgumentException(
            "dagger config: rollout seeds "
                + firstSeed
                + ".."
                + lastSeed
                + " overlap the evaluation block "
                + block
                + ".."
                + (block + 99));
      }
    }
  }

  /** The defaults' {@code train}: a config file must name its own. */
  static final String UNSET = "(unset)";

  /**
   * Defaults: 4 rounds of 50 episodes from seed 7,000,000, beta 0.5 halving each round, 3,000 steps
   * per round, validation on 200000..200049.
   */
  public static DaggerConfig defaults() {
    return new DaggerConfig(UNSET, null, 4, 50, 7_000_000, 0.5, 0.5, 3000, 200_000, 50, 2, 0);
  }

  /** The same run on another number of threads. */
  public DaggerConfig withThreads(int n) {
    return new DaggerConfig(
        train,
        student,
        rounds,
        episodesPerRound,
        firstSeed,
        beta,
        betaDecay,
        stepsPerRound,
        validationFirstSeed,
        validationEpisodes,
        n,
        seed);
  }

  /** The same run with another number of rounds (a run is extended by raising it). */
  public DaggerConfig withRounds(int n) {
    return new DaggerConfig(
        train,
        student,
        n,
        episodesPerRound,
        firstSeed,
        beta,
        betaDecay,
        stepsPerRound,
        validationFirstSeed,
        validationEpisodes,
        threads,
        seed);
  }

  /** Beta of round {@code r}: 1 when no student drives round 0. */
  public double betaOf(int r) {
    if (r == 0 && student == null) return 1;
    return beta * Math.pow(betaDecay, r);
  }

  /** First rollout seed of round {@code r}. */
  public long firstSeedOf(int r) {
    return firstSeed + (long) r * episodesPerRound;
  }
}
