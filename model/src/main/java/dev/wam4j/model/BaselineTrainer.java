package dev.wam4j.model;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import dev.wam4j.data.loader.LoaderConfig;
import dev.wam4j.data.loader.TrainingBatch;
import dev.wam4j.data.loader.TrainingLoader;

/**
 * Trains the {@link BaselinePolicy MLP baseline} by plain regression: Adam on the mean squared
 * error between the predicted and the demonstrated action chunk (padding masked out), in normalised
 * units. This proves the training path (loader -> NDArrays -> gradients -> checkpoint); the world
 * action model replaces the loss with flow matching, since MSE averages multimodal demonstrations.
 *
 * <p>Each {@link #step()} draws one batch from the loader, copies it into NDArrays of a per-step
 * NDManager scope, and closes that scope before returning, so native memory stays flat however long
 * it runs. The trainer owns its policy; close the trainer (which closes the policy) when done. Not
 * thread-safe: call from one platform thread (JNI pins virtual threads).
 */
public final class BaselineTrainer implements AutoCloseable {
  private final BaselineConfig config;
  private final TrainingLoader loader;
  private final TrainingBatch batch;
  private final BaselinePolicy policy;
  private final Trainer trainer;
  private final float[] x; // [batch][history * stateDim], normalised, reused every step
  private final float[] y; // [batch][horizon][actionDim], normalised
  private final float[] mask; // [batch][horizon], 1 for a real action, 0 for padding
  private int steps;

  private BaselineTrainer(
      BaselineConfig config,
      TrainingLoader loader,
      TrainingBatch batch,
      BaselinePolicy policy,
      Trainer trainer) {
    this.config = config;
    this.loader = loader;
    this.batch = batch;
    this.policy = policy;
    this.trainer = trainer;
    this.x = new float[batch.states.length];
    this.y = new float[batch.actions.length];
    this.mask = new float[batch.actionIsPad.length];
  }

  /**
   * A trainer for a fresh policy: seeds the engine, estimates the normalisation from {@link
   * BaselineConfig#normalizationBatches()} batches, and initialises the weights.
   *
   * @param loader loads with {@link BaselineConfig#loaderConfig()} (any decode thread count)
   * @throws IllegalArgumentException when the loader's keys or shapes differ from the config's
   */
  public static BaselineTrainer create(BaselineConfig config, TrainingLoader loader) {
    LoaderConfig want = config.loaderConfig(), have = loader.config();
    if (!want.stateKey().equals(have.stateKey())
        || !want.actionKey().equals(have.actionKey())
        || want.historyFrames() != have.historyFrames()
        || want.actionHorizon() != have.actionHorizon()
        || want.batchSize() != have.batchSize()) {
      throw new IllegalArgumentException(
          "baseline trainer: loader config " + have + " does not match the baseline's " + want);
    }
    Engines.pytorch().setRandomSeed(Long.hashCode(config.seed()));
    TrainingBatch batch = loader.newBatch();
    int rows = config.batchSize() * config.historyFrames();
    int stateDim = batch.states.length / rows,
        actionDim = batch.actions.length / batch.actionIsPad.length;
    Normalization norm =
        Normalization.estimate(loader, batch, config.normalizationBatches(), stateDim, actionDim);
    BaselinePolicy policy = new BaselinePolicy(config, stateDim, actionDim, norm);
    try {
      DefaultTrainingConfig tc =
          new DefaultTrainingConfig(new MaskedMse())
              .optOptimizer(
                  Optimizer.adam()
                      .optLearningRateTracker(Tracker.fixed((float) config.learningRate()))
                      .build())
              .optDevices(new Device[] {Device.cpu()});
      Trainer trainer = policy.model().newTrainer(tc);
      trainer.initialize(new Shape(config.batchSize(), policy.inputSize()));
      return new BaselineTrainer(config, loader, batch, policy, trainer);
    } catch (RuntimeException e) {
      policy.close();
      throw e;
    }
  }

  /**
   * One optimizer step on a fresh batch.
   *
   * @return the batch's loss before the update (mean squared error in normalised units)
   * @throws IllegalStateException when the loss is NaN or infinite; the weights are left as they
   *     were
   */
  public float step() {
    loader.sample(batch);
    Normalization norm = policy.normalization();
    norm.normalizeStates(batch.states, x);
    norm.normalizeActions(batch.actions, y);
    for (int i = 0; i < mask.length; i++) mask[i] = batch.actionIsPad[i] ? 0f : 1f;
    int b = config.batchSize(), h = config.actionHorizon();
    float loss;
    try (NDManager scope = trainer.getManager().newSubManager()) {
      NDArray input = scope.create(x, new Shape(b, policy.inputSize()));
      NDArray target = scope.create(y, new Shape(b, h, policy.actionDim()));
      NDArray weight = scope.create(mask, new Shape(b, h, 1));
      try (GradientCollector collector = trainer.newGradientCollector()) {
        NDArray pred =
            trainer.forward(new NDList(input)).singletonOrThrow().reshape(b, h, policy.actionDim());
        NDArray l = trainer.getLoss().evaluate(new NDList(target, weight), new NDList(pred));
        loss = l.getFloat();
        if (!Float.isFinite(loss)) {
          throw new IllegalStateException(
              "baseline trainer: loss is "
                  + loss
                  + " at step "
                  + (steps + 1)
                  + "; stopped before updating the weights (lower learningRate "
                  + config.learningRate()
                  + "?)");
        }
        collector.backward(l);
      }
      trainer.step();
    }
    steps++;
    policy.trainedSteps(steps);
    return loss;
  }

  /** Steps taken so far. */
  public int steps() {
    return steps;
  }

  /** The policy being trained (owned by this trainer; valid until {@link #close()}). */
  public BaselinePolicy policy() {
    return policy;
  }

  public BaselineConfig config() {
    return config;
  }

  /**
   * NDArrays alive under the model's manager (weights, gradients, optimizer state, and any leak).
   */
  int liveArrays() {
    return policy.model().getNDManager().getManagedArrays().size();
  }

  @Override
  public void close() {
    trainer.close();
    policy.close();
  }
}
