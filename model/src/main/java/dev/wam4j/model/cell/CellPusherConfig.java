package dev.wam4j.model.cell;

/**
 * Everything a cell pusher's training does, with its defaults ({@link #defaults()}); echoed into
 * the run's files and the shipped model's card.
 *
 * @param hidden width of each hidden layer (tanh)
 * @param layers hidden layers
 * @param learningRate Adam's step size
 * @param batch states per gradient step (each scores every contact of its part)
 * @param rounds DAgger rounds (round 0 is the expert's own pushes)
 * @param scenesFirstRound scenes the expert pushes alone in round 0
 * @param scenesPerRound scenes of every later round
 * @param gradientStepsPerRound gradient steps after each round's collection, on all data so far
 * @param beta probability, in round 1, that a step executes the teacher's action rather than the
 *     student's; halved every round after
 * @param maxPushSteps control steps a push may take before it is cut
 * @param placedCoverage coverage (from the simulator) at which a training push counts as done
 * @param validationPushes pushes by the student alone after every round, for the log
 * @param validationSeed first seed of the validation pushes (never a training seed)
 * @param seed the run's seed (scenes, sampling, initial weights)
 * @param switchMarginNats how much more (in logits) another contact must score than the one being
 *     pushed at before the pusher switches to it
 */
public record CellPusherConfig(
    int hidden,
    int layers,
    double learningRate,
    int batch,
    int rounds,
    int scenesFirstRound,
    int scenesPerRound,
    int gradientStepsPerRound,
    double beta,
    int maxPushSteps,
    double placedCoverage,
    int validationPushes,
    long validationSeed,
    long seed,
    double switchMarginNats) {
  public CellPusherConfig {
    positive("hidden", hidden);
    positive("layers", layers);
    positive("batch", batch);
    positive("rounds", rounds);
    positive("scenesFirstRound", scenesFirstRound);
    positive("maxPushSteps", maxPushSteps);
    if (!(learningRate > 0 && learningRate < 1))
      throw new IllegalArgumentException("learningRate must be in (0, 1), got " + learningRate);
    if (!(beta >= 0 && beta <= 1))
      throw new IllegalArgumentException("beta must be in [0, 1], got " + beta);
    if (!(placedCoverage > 0 && placedCoverage <= 1))
      throw new IllegalArgumentException("placedCoverage must be in (0, 1], got " + placedCoverage);
    if (!(switchMarginNats >= 0))
      throw new IllegalArgumentException("switchMarginNats must be >= 0, got " + switchMarginNats);
    if (scenesPerRound < 0 || gradientStepsPerRound < 0 || validationPushes < 0)
      throw new IllegalArgumentException(
          "scenesPerRound, gradientStepsPerRound and validationPushes must be >= 0");
  }

  private static void positive(String name, int v) {
    if (v < 1) throw new IllegalArgumentException(name + " must be >= 1, got " + v);
  }

  /** The defaults: the recipe of the shipped {@code models/cell-pusher}. */
  public static CellPusherConfig defaults() {
    return new CellPusherConfig(
        64, 2, 1e-3, 32, 8, 60, 30, 2000, 0.5, 300, 0.95, 60, 200000, 1, 0.5);
  }

  /** The same with {@code rounds} rounds. */
  public CellPusherConfig withRounds(int r) {
    return new CellPusherConfig(
        hidden,
        layers,
        learningRate,
        batch,
        r,
        scenesFirstRound,
        scenesPerRound,
        gradientStepsPerRound,
        beta,
        maxPushSteps,
        placedCoverage,
        validationPushes,
        validationSeed,
        seed,
        switchMarginNats);
  }

  /** The same with another switch margin (an inference setting: the weights do not change). */
  public CellPusherConfig withSwitchMarginNats(double m) {
    return new CellPusherConfig(
        hidden,
        layers,
        learningRate,
        batch,
        rounds,
        scenesFirstRound,
        scenesPerRound,
        gradientStepsPerRound,
        beta,
        maxPushSteps,
        placedCoverage,
        validationPushes,
        validationSeed,
        seed,
        m);
  }

  /** The network's layer sizes, input to output. */
  int[] sizes() {
    int[] s = new int[layers + 2];
    s[0] = PushFeatures.SIZE;
    for (int l = 1; l <= layers; l++) s[l] = hidden;
    s[layers + 1] = 1; // a contact's score
    return s;
  }
}
