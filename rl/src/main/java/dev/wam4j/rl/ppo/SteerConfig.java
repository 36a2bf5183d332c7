package dev.wam4j.rl.ppo;

import dev.wam4j.model.steer.Steering;
import java.io.IOException;
import java.nio.file.Path;

/**
 * One run steering a frozen world action model with PPO ({@link WamSteering}): every
 * hyperparameter. A decision is one plan of the model (its executed steps are one transition, their
 * rewards summed), so the budget is counted in plans. Read from a JSON file whose fields override
 * {@link #defaults()}; echoed into the run folder, every checkpoint and the log.
 *
 * @param model the world action model checkpoint to steer (a file path, relative to the config
 *     file)
 * @param mode {@code noise} (the actor picks the flow's initial noise: DSRL), {@code residual} (it
 *     shifts the model's sampled chunk) or {@code residual-zero} (it shifts the chunk the model
 *     integrates from zero noise)
 * @param scene a built-in scene or a scene file to train in (the pushes are rendered as PushT
 *     looks)
 * @param cousins domain randomisation as {@link PpoConfig#cousins}: empty, a built-in cousin config
 *     or a file
 * @param cousinsShare with cousins, the share of episodes drawn from them; the others run in {@code
 *     scene} (a mixture keeps the reference physics in training: any damping above 0 already makes
 *     the block slide)
 * @param envs environments per rollout, stepped one after another (the model runs one plan at a
 *     time)
 * @param threads intra-op threads of the model's engine
 * @param totalPlans the budget, in plans (decisions) over all environments
 * @param rolloutPlans plans per environment per rollout
 * @param epochs passes over each batch
 * @param minibatches minibatches per epoch
 * @param gamma discount per plan
 * @param gaeLambda GAE's lambda
 * @param clip PPO's ratio clip
 * @param entropyCoef weight of the entropy bonus
 * @param valueCoef weight of the value loss
 * @param maxGradNorm global gradient-norm clip
 * @param learningRate Adam's step size, annealed linearly to 0 when {@code annealLearningRate}
 * @param annealLearningRate whether to anneal
 * @param hidden width of the actor's and critic's hidden layers
 * @param layers hidden layers
 * @param initialLogStd the actor's initial log standard deviation (noise mode: 0 samples exactly as
 *     the model does)
 * @param residualScalePixels residual mode: an output of 1 shifts every target this far, workspace
 *     pixels
 * @param noiseClip noise mode: outputs are clipped to +- this many standard deviations
 * @param reward the reward's weights, per simulator step ({@link PpoConfig.Reward})
 * @param checkpointEveryUpdates a checkpoint (and a restart of every episode) every this many
 *     updates
 * @param firstResetSeed training episodes reset from legacy seeds at or above this
 * @param seed seed of the initial weights, every environment's stream and the model's sampling
 */
public record SteerConfig(
    String model,
    String mode,
    String scene,
    String cousins,
    double cousinsShare,
    int envs,
    int threads,
    long totalPlans,
    int rolloutPlans,
    int epochs,
    int minibatches,
    double gamma,
    double gaeLambda,
    double clip,
    double entropyCoef,
    double valueCoef,
    double maxGradNorm,
    double learningRate,
    boolean annealLearningRate,
    int hidden,
    int layers,
    double initialLogStd,
    double residualScalePixels,
    double noiseClip,
    PpoConfig.Reward reward,
    int checkpointEveryUpdates,
    long firstResetSeed,
    long seed)
    implements PpoRun.RunConfig {

  /** The config's file name in a run folder. */
  static final String FILE = "steer.json";

  public SteerConfig {
    if (model == null || model.isBlank())
      throw new IllegalArgumentException(
          "steer config: model must name a world action model checkpoint");
    Steering.Mode.parse(mode);
    if (scene == null || scene.isBlank())
      throw new IllegalArgumentException(
          "steer config: scene must name a built-in scene or a scene file");
    cousins = cousins == null ? "" : cousins.strip();
    if (!(cousinsShare >= 0 && cousinsShare <= 1))
      throw new IllegalArgumentException(
          "steer config: cousinsShare must lie in [0, 1], got " + cousinsShare);
    for (long v :
        new long[] {
          envs, threads, rolloutPlans, epochs, minibatches, hidden, layers, checkpointEveryUpdates
        }) {
      if (v < 1)
        throw new IllegalArgumentException(
            "steer config: envs, threads, rolloutPlans, epochs, minibatches, hidden, layers and "
                + "checkpointEveryUpdates must be >= 1, got "
                + v);
    }
    if (totalPlans < (long) envs * rolloutPlans) {
      throw new IllegalArgumentException(
          "steer config: totalPlans "
              + totalPlans
              + " is less than one rollout (envs * rolloutPlans = "
              + (long) envs * rolloutPlans
              + ")");
    }
    if ((long) envs * rolloutPlans % minibatches != 0) {
      throw new IllegalArgumentException(
          "steer config: minibatches "
              + minibatches
              + " must divide the batch envs * rolloutPlans = "
              + (long) envs * rolloutPlans);
    }
    if (!(gamma > 0 && gamma <= 1) || !(gaeLambda > 0 && gaeLambda <= 1)) {
      throw new IllegalArgumentException(
          "steer config: gamma and gaeLambda must lie in (0, 1], got " + gamma + ", " + gaeLambda);
    }
    if (!(clip > 0 && clip < 1))
      throw new IllegalArgumentException("steer config: clip must lie in (0, 1), got " + clip);
    if (!(learningRate > 0 && learningRate < 1))
      throw new IllegalArgumentException(
          "steer config: learningRate must lie in (0, 1), got " + learningRate);
    if (!(entropyCoef >= 0) || !(valueCoef >= 0) || !(maxGradNorm > 0)) {
      throw new IllegalArgumentException(
          "steer config: entropyCoef and valueCoef must be >= 0 and maxGradNorm > 0");
    }
    if (!Double.isFinite(initialLogStd))
      throw new IllegalArgumentException(
          "steer config: initialLogStd must be finite, got " + initialLogStd);
    new Steering(
        Steering.Mode.parse(mode),
        hidden,
        layers,
        residualScalePixels,
        noiseClip,
        null); // its range checks
    if (reward == null) throw new IllegalArgumentException("steer config: reward is required");
    if (firstResetSeed < 1_000_000 || firstResetSeed > 3_000_000_000L) {
      throw new IllegalArgumentException(
          "steer config: firstResetSeed must lie in 1,000,000..3,000,000,000 (clear of the evaluation blocks), got "
              + firstResetSeed);
    }
  }

  /**
   * 16 environments x 16 plans per update, PPO's other settings as {@link PpoConfig#defaults()},
   * the state teacher's reward.
   */
  public static SteerConfig defaults() {
    return new SteerConfig(
        "models/pusht-wam",
        "noise",
        "pusht",
        "",
        1.0,
        16,
        1,
        200_000,
        16,
        4,
        4,
        0.99,
        0.95,
        0.2,
        0.0,
        0.5,
        0.5,
        3e-4,
        true,
        64,
        2,
        0.0,
        20,
        2.5,
        new PpoConfig.Reward(10, 10, 3, 3, 0.2),
        5,
        20_000_000,
        1);
  }

  /** The steering this config trains, without weights. */
  public Steering steering() {
    return new Steering(
        Steering.Mode.parse(mode), hidden, layers, residualScalePixels, noiseClip, null);
  }

  /** Plans per update. */
  public long batchPlans() {
    return (long) envs * rolloutPlans;
  }

  /** Updates in the run (a partial batch is not run). */
  public long updates() {
    return totalPlans / batchPlans();
  }

  PpoLearner.Objective objective() {
    return new PpoLearner.Objective(
        gamma,
        gaeLambda,
        epochs,
        minibatches,
        clip,
        false,
        entropyCoef,
        valueCoef,
        maxGradNorm,
        seed);
  }

  /** The same run with another budget or thread count. */
  public SteerConfig with(long plans, int threadCount) {
    return new SteerConfig(
        model,
        mode,
        scene,
        cousins,
        cousinsShare,
        envs,
        threadCount,
        plans,
        rolloutPlans,
        epochs,
        minibatches,
        gamma,
        gaeLambda,
        clip,
        entropyCoef,
        valueCoef,
        maxGradNorm,
        learningRate,
        annealLearningRate,
        hidden,
        layers,
        initialLogStd,
        residualScalePixels,
        noiseClip,
        reward,
        checkpointEveryUpdates,
        firstResetSeed,
        seed);
  }

  /**
   * The same run with its model, scene and cousin config written as other paths (relative ones, to
   * ship).
   */
  SteerConfig withPaths(String m, String s, String c) {
    return withFiles(m, s, c);
  }

  private SteerConfig withFiles(String m, String s, String c) {
    return new SteerConfig(
        m,
        mode,
        s,
        c,
        cousinsShare,
        envs,
        threads,
        totalPlans,
        rolloutPlans,
        epochs,
        minibatches,
        gamma,
        gaeLambda,
        clip,
        entropyCoef,
        valueCoef,
        maxGradNorm,
        learningRate,
        annealLearningRate,
        hidden,
        layers,
        initialLogStd,
        residualScalePixels,
        noiseClip,
        reward,
        checkpointEveryUpdates,
        firstResetSeed,
        seed);
  }

  @Override
  public String fileName() {
    return FILE;
  }

  @Override
  public String title() {
    return "PPO steering "
        + Path.of(model).getFileName()
        + " ("
        + mode
        + ")"
        + (cousins.isEmpty()
            ? ""
            : ", cousins "
                + Path.of(cousins).getFileName()
                + (cousinsShare < 1 ? " (share " + cousinsShare + ")" : ""));
  }

  /**
   * Only the budget may change on resume: the model engine's thread count changes its sums, and so
   * the run.
   */
  @Override
  public SteerConfig resumable() {
    return with(1L << 40, threads);
  }

  /**
   * Reads a config file over {@link #defaults()}; paths in it are relative to the file.
   *
   * @throws IllegalArgumentException naming the file and the field that is unknown or malformed
   */
  public static SteerConfig load(Path file) throws IOException {
    com.fasterxml.jackson.databind.node.ObjectNode tree =
        PpoConfig.readObject(file, "steer config");
    SteerConfig c = PpoConfig.parse(tree, defaults(), SteerConfig.class, file.toString());
    Path base = file.toAbsolutePath().getParent();
    // paths the file gives are relative to it; the default model, to the working folder (the
    // project)
    String model = tree.has("model") ? base.resolve(c.model()).normalize().toString() : c.model();
    String scene =
        c.scene().endsWith(".json") ? base.resolve(c.scene()).normalize().toString() : c.scene();
    String cousins =
        c.cousins().endsWith(".json")
            ? base.resolve(c.cousins()).normalize().toString()
            : c.cousins();
    return c.withFiles(model, scene, cousins);
  }
}
