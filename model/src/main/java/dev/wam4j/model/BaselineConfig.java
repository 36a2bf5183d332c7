package dev.wam4j.model;

import dev.wam4j.data.loader.LoaderConfig;

/**
 * Every hyperparameter of the {@link BaselineTrainer MLP baseline}. A checkpoint echoes its config
 * and only loads under an equal one. Defaults ({@link #defaults()}) follow LeRobot's PushT setup
 * for the shapes: 2 frames of state history, a 16-action chunk, batch 64.
 *
 * @param stateKey dataset feature fed to the model, flattened over the history (default {@code
 *     observation.state})
 * @param actionKey dataset feature predicted (default {@code action})
 * @param historyFrames state frames per sample, the current one last (default 2)
 * @param actionHorizon actions predicted per sample, from the current frame on (default 16)
 * @param hiddenSize width of each hidden layer (default 256)
 * @param hiddenLayers number of hidden ReLU layers, >= 1 (default 2)
 * @param learningRate Adam's fixed step size (default 1e-3)
 * @param batchSize samples per step (default 64)
 * @param steps optimizer steps of a full run (default 5000)
 * @param normalizationBatches batches drawn before training to estimate per-dimension mean and std
 *     of states and actions (default 16)
 * @param seed seeds the batch order and the weight initialisation (default 0)
 */
public record BaselineConfig(
    String stateKey,
    String actionKey,
    int historyFrames,
    int actionHorizon,
    int hiddenSize,
    int hiddenLayers,
    double learningRate,
    int batchSize,
    int steps,
    int normalizationBatches,
    long seed) {

  public BaselineConfig {
    if (stateKey == null || stateKey.isBlank())
      throw new IllegalArgumentException("baseline config: stateKey must be set");
    if (actionKey == null || actionKey.isBlank())
      throw new IllegalArgumentException("baseline config: actionKey must be set");
    positive("historyFrames", historyFrames);
    positive("actionHorizon", actionHorizon);
    positive("hiddenSize", hiddenSize);
    positive("hiddenLayers", hiddenLayers);
    positive("batchSize", batchSize);
    positive("steps", steps);
    positive("normalizationBatches", normalizationBatches);
    if (!(learningRate > 0 && Double.isFinite(learningRate))) {
      throw new IllegalArgumentException(
          "baseline config: learningRate must be finite and > 0, got " + learningRate);
    }
  }

  private static void positive(String name, int value) {
    if (value < 1)
      throw new IllegalArgumentException(
          "baseline config: " + name + " must be >= 1, got " + value);
  }

  /** The defaults listed on the record's components. */
  public static BaselineConfig defaults() {
    return new BaselineConfig("observation.state", "action", 2, 16, 256, 2, 1e-3, 64, 5000, 16, 0);
  }

  /** The same config with a different model size. */
  public BaselineConfig withModel(int hiddenSize, int hiddenLayers) {
    return new BaselineConfig(
        stateKey,
        actionKey,
        historyFrames,
        actionHorizon,
        hiddenSize,
        hiddenLayers,
        learningRate,
        batchSize,
        steps,
        normalizationBatches,
        seed);
  }

  /** The same config with different optimisation settings. */
  public BaselineConfig withTraining(double learningRate, int batchSize, int steps) {
    return new BaselineConfig(
        stateKey,
        actionKey,
        historyFrames,
        actionHorizon,
        hiddenSize,
        hiddenLayers,
        learningRate,
        batchSize,
        steps,
        normalizationBatches,
        seed);
  }

  /** The same config with a different seed. */
  public BaselineConfig withSeed(long seed) {
    return new BaselineConfig(
        stateKey,
        actionKey,
        historyFrames,
        actionHorizon,
        hiddenSize,
        hiddenLayers,
        learningRate,
        batchSize,
        steps,
        normalizationBatches,
        seed);
  }

  /**
   * The loader this config trains from: states and actions only (no images, no future frames), one
   * decode thread.
   */
  public LoaderConfig loaderConfig() {
    return new LoaderConfig(
        null, stateKey, actionKey, historyFrames, actionHorizon, batchSize, seed, 1, 0, 0);
  }
}
