package dev.wam4j.rl.ppo;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One PPO run on privileged state: every hyperparameter. The defaults follow CleanRL's PPO where
 * PushT does not ask for others: its Atari layout of many short rollouts (64 environments x 128
 * steps, 4 epochs, 8 minibatches) rather than {@code ppo_continuous_action}'s one environment x
 * 2,048 steps, because environments are cheap here; no observation or reward normalisation (the
 * features are scaled by hand). Read from a JSON file whose fields override {@link #defaults()}
 * ({@link #load}); echoed into the run folder, every checkpoint and the log.
 *
 * @param scene a built-in scene name ({@code pusht}, the reference) or a scene file
 * @param cousins domain randomisation: empty for none, else a built-in cousin config ({@code wide})
 *     or a cousin config file ({@link dev.wam4j.sim.cousins.CousinConfig}: shape, size, mass,
 *     friction, damping, kp/kv, ...) from which every episode of every environment draws its own
 *     scene, seeded from that environment's stream; it replaces {@code scene}. The state policy
 *     sees no shape, so a config for it keeps the T
 * @param cousinsShare with cousins, the share of episodes drawn from them (default 1); the others
 *     run in {@code scene}
 * @param init empty to start from random weights, else a PPO run folder whose newest checkpoint's
 *     weights (same network shape) start this run, its exploration reset to {@code initialLogStd}:
 *     fine-tuning a teacher on new physics
 * @param observation {@code state}: the privileged state (the teacher); {@code pixels}: two 32 x 32
 *     grey frames and the agent's positions, a policy learning to see from scratch ({@link
 *     PpoObservation})
 * @param envs environments stepped per rollout
 * @param threads worker threads: each steps its share of the environments and computes its share of
 *     a minibatch's gradient (the result does not depend on the count)
 * @param totalSteps environment steps to train for
 * @param rolloutSteps steps per environment per rollout (a batch is {@code envs * rolloutSteps})
 * @param epochs passes over each batch
 * @param minibatches minibatches per epoch
 * @param gamma discount
 * @param gaeLambda GAE's lambda
 * @param clip PPO's ratio clip
 * @param clipValueLoss whether the value loss is clipped like the ratio (CleanRL's {@code
 *     clip_vloss}); off by default, since the returns here are not normalised (tens) and a clip of
 *     0.2 would let the critic move only 0.2 per update
 * @param entropyCoef weight of the entropy bonus
 * @param valueCoef weight of the value loss
 * @param maxGradNorm global gradient-norm clip
 * @param learningRate Adam's step size, annealed linearly to 0 over the run when {@code
 *     annealLearningRate}
 * @param annealLearningRate whether to anneal
 * @param hidden width of the hidden layers (actor and critic alike)
 * @param layers hidden layers
 * @param initialLogStd the policy's initial log standard deviation per action axis
 * @param actionScalePixels an action in [-1, 1]^2 moves the pusher's target this far from the
 *     pusher, workspace px
 * @param reward the reward's weights
 * @param checkpointEveryUpdates a checkpoint (and a restart of every episode in flight, so that a
 *     resumed run is bit-identical to an uninterrupted one) every this many updates
 * @param firstResetSeed training episodes reset from legacy seeds at or above this (clear of every
 *     evaluation block, which lie below 1,000,000)
 * @param seed seed of the initial weights and of every environment's stream
 */
public record PpoConfig(
    String scene,
    String cousins,
    Double cousinsShare,
    String init,
    String observation,
    int envs,
    int threads,
    long totalSteps,
    int rolloutSteps,
    int epochs,
    int minibatches,
    double gamma,
    double gaeLambda,
    double clip,
    boolean clipValueLoss,
    double entropyCoef,
    double valueCoef,
    double maxGradNorm,
    double learningRate,
    boolean annealLearningRate,
    int hidden,
    int layers,
    double initialLogStd,
    double actionScalePixels,
    Reward reward,
    int checkpointEveryUpdates,
    long firstResetSeed,
    long seed)
    implements PpoRun.RunConfig {

  /**
   * The reward: {@code coverage * (coverage' - coverage) + phi(s') - phi(s) + success * [success]},
   * with {@code phi = -blockDistance * |block - goal| / 100 px - blockAngle * |angle - goal angle|
   * / pi - reach * max(0, |pusher - block| - 30 px) / 100 px}.
   */
  public record Reward(
      double coverage, double success, double blockDistance, double blockAngle, double reach) {
    public Reward {
      for (double w : new double[] {coverage, success, blockDistance, blockAngle, reach}) {
        if (!Double.isFinite(w) || w < 0)
          throw new IllegalArgumentException(
              "ppo config: reward weights must be finite and >= 0, got " + w);
      }
    }
  }

  public PpoConfig {
    if (scene == null || scene.isBlank())
      throw new IllegalArgumentException(
          "ppo config: scene must name a built-in scene or a scene file");
    cousins =
        cousins == null
            ? ""
            : cousins.strip(); // configs echoed before randomisation existed have neither field
    init = init == null ? "" : init.strip();
    cousinsShare = cousinsShare == null ? 1.0 : cousinsShare;
    if (!(cousinsShare >= 0 && cousinsShare <= 1))
      throw new IllegalArgumentException(
          "ppo config: cousinsShare must lie in [0, 1], got " + cousinsShare);
    observation = observation == null ? "state" : observation;
    if (!observation.equals("state") && !observation.equals("pixels")) {
      throw new IllegalArgumentException(
          "ppo config: observation must be 'state' or 'pixels', got '" + observation + "'");
    }
    positive("envs", envs);
    positive("threads", threads);
    positive("rolloutSteps", rolloutSteps);
    positive("epochs", epochs);
    positive("minibatches", minibatches);
    positive("hidden", hidden);
    positive("layers", layers);
    positive("checkpointEveryUpdates", checkpointEveryUpdates);
    if (totalSteps < (long) envs * rolloutSteps) {
      throw new IllegalArgumentException(
          "ppo config: totalSteps "
              + totalSteps
              + " is less than one rollout (envs * rolloutSteps = "
              + (long) envs * rolloutSteps
              + ")");
    }
    if ((long) envs * rolloutSteps % minibatches != 0) {
      throw new IllegalArgumentException(
          "ppo config: minibatches "
              + minibatches
              + " must divide the batch envs * rolloutSteps = "
              + (long) envs * rolloutSteps);
    }
    unit("gamma", gamma);
    unit("gaeLambda", gaeLambda);
    if (!(clip > 0 && clip < 1))
      throw new IllegalArgumentException("ppo config: clip must lie in (0, 1), got " + clip);
    nonNegative("entropyCoef", entropyCoef);
    nonNegative("valueCoef", valueCoef);
    if (!(maxGradNorm > 0))
      throw new IllegalArgumentException("ppo config: maxGradNorm must be > 0, got " + maxGradNorm);
    if (!(learningRate > 0 && learningRate < 1))
      throw new IllegalArgumentException(
          "ppo config: learningRate must lie in (0, 1), got " + learningRate);
    if (!Double.isFinite(initialLogStd))
      throw new IllegalArgumentException(
          "ppo config: initialLogStd must be finite, got " + initialLogStd);
    if (!(actionScalePixels > 0 && actionScalePixels <= 512)) {
      throw new IllegalArgumentException(
          "ppo config: actionScalePixels must lie in (0, 512], got " + actionScalePixels);
    }
    if (reward == null) throw new IllegalArgumentException("ppo config: reward is required");
    if (firstResetSeed < 1_000_000 || firstResetSeed > 3_000_000_000L) {
      throw new IllegalArgumentException(
          "ppo config: firstResetSeed must lie in 1,000,000..3,000,000,000 (clear of the evaluation blocks, "
              + "inside numpy's 32-bit seeds), got "
              + firstResetSeed);
    }
  }

  /** CleanRL's continuous-action PPO, 64 environments, 20 M steps on PushT. */
  public static PpoConfig defaults() {
    return new PpoConfig(
        "pusht",
        "",
        1.0,
        "",
        "state",
        64,
        1,
        20_000_000,
        128,
        4,
        8,
        0.99,
        0.95,
        0.2,
        false,
        0.0,
        0.5,
        0.5,
        3e-4,
        true,
        64,
        2,
        -0.5,
        60,
        new Reward(10, 10, 1, 1, 0.5),
        20,
        10_000_000,
        1);
  }

  @Override
  public String fileName() {
    return PpoRun.CONFIG;
  }

  /** Weights in one of its checkpoints. */
  int parameters() {
    return networks().parameters;
  }

  @Override
  public String title() {
    String where =
        cousins.isEmpty()
            ? Path.of(scene).getFileName().toString()
            : "cousins "
                + Path.of(cousins).getFileName()
                + (cousinsShare < 1 ? " (share " + cousinsShare + ")" : "");
    return "PPO (" + observation + ") on " + where;
  }

  @Override
  public PpoConfig resumable() {
    return withThreads(1).withTotalSteps(1L << 40);
  }

  /** The actor and critic this config trains. */
  PpoNetworks networks() {
    return new PpoNetworks(PpoObservation.size(observation), 2, hidden, layers);
  }

  /** What the learner optimises. */
  PpoLearner.Objective objective() {
    return new PpoLearner.Objective(
        gamma,
        gaeLambda,
        epochs,
        minibatches,
        clip,
        clipValueLoss,
        entropyCoef,
        valueCoef,
        maxGradNorm,
        seed);
  }

  /** Environment steps per update. */
  public long batchSteps() {
    return (long) envs * rolloutSteps;
  }

  /**
   * Updates in the run: {@code totalSteps / batchSteps()}, rounded down (a partial batch is not
   * run).
   */
  public long updates() {
    return totalSteps / batchSteps();
  }

  /** The same run on another number of threads (the result is the same). */
  public PpoConfig withThreads(int n) {
    return new PpoConfig(
        scene,
        cousins,
        cousinsShare,
        init,
        observation,
        envs,
        n,
        totalSteps,
        rolloutSteps,
        epochs,
        minibatches,
        gamma,
        gaeLambda,
        clip,
        clipValueLoss,
        entropyCoef,
        valueCoef,
        maxGradNorm,
        learningRate,
        annealLearningRate,
        hidden,
        layers,
        initialLogStd,
        actionScalePixels,
        reward,
        checkpointEveryUpdates,
        firstResetSeed,
        seed);
  }

  /** The same run for another number of steps (a finished run is extended by raising it). */
  public PpoConfig withTotalSteps(long n) {
    return new PpoConfig(
        scene,
        cousins,
        cousinsShare,
        init,
        observation,
        envs,
        threads,
        n,
        rolloutSteps,
        epochs,
        minibatches,
        gamma,
        gaeLambda,
        clip,
        clipValueLoss,
        entropyCoef,
        valueCoef,
        maxGradNorm,
        learningRate,
        annealLearningRate,
        hidden,
        layers,
        initialLogStd,
        actionScalePixels,
        reward,
        checkpointEveryUpdates,
        firstResetSeed,
        seed);
  }

  static final ObjectMapper JSON = new ObjectMapper();

  /**
   * Reads a config file: its fields override {@link #defaults()} (the {@code reward} object field
   * by field).
   *
   * @throws IllegalArgumentException naming the file and the field that is unknown or malformed
   */
  public static PpoConfig load(Path file) throws IOException {
    PpoConfig c = parse(readObject(file, "ppo config"), file.toString());
    // files are named relative to the config
    Path base = file.toAbsolutePath().getParent();
    String scene =
        c.scene().endsWith(".json") ? base.resolve(c.scene()).normalize().toString() : c.scene();
    String cousins =
        c.cousins().endsWith(".json")
            ? base.resolve(c.cousins()).normalize().toString()
            : c.cousins();
    String init = c.init().isEmpty() ? "" : base.resolve(c.init()).normalize().toString();
    return c.withFiles(scene, cousins, init);
  }

  /** A config file's JSON object; errors name the file. */
  static ObjectNode readObject(Path file, String what) throws IOException {
    if (!Files.isRegularFile(file))
      throw new IllegalArgumentException(what + " file " + file + " does not exist");
    JsonNode tree;
    try {
      tree = JSON.readTree(file.toFile());
    } catch (JacksonException e) {
      throw new IllegalArgumentException(file + ": not valid JSON: " + e.getOriginalMessage(), e);
    }
    if (tree == null || !tree.isObject())
      throw new IllegalArgumentException(file + ": a " + what + " must be a JSON object");
    return (ObjectNode) tree;
  }

  /** Parses a config object over the defaults; {@code source} names it in errors. */
  static PpoConfig parse(ObjectNode tree, String source) {
    return parse(tree, defaults(), PpoConfig.class, source);
  }

  /**
   * Parses a config object over {@code defaults} (object fields merged field by field); {@code
   * source} names it in errors.
   *
   * @throws IllegalArgumentException naming the source and the field that is unknown or malformed
   */
  static <T> T parse(ObjectNode tree, T defaults, Class<T> type, String source) {
    ObjectNode merged = JSON.valueToTree(defaults);
    merge(merged, tree, source, "");
    try {
      return JSON.treeToValue(merged, type);
    } catch (JacksonException e) {
      Throwable cause = e.getCause();
      while (cause != null && !(cause instanceof IllegalArgumentException))
        cause = cause.getCause();
      throw new IllegalArgumentException(
          source + ": " + (cause != null ? cause.getMessage() : e.getOriginalMessage()), e);
    }
  }

  private static void merge(ObjectNode into, JsonNode from, String source, String prefix) {
    for (Map.Entry<String, JsonNode> f : from.properties()) {
      String key = f.getKey();
      if ("comment".equals(key) && prefix.isEmpty()) continue;
      JsonNode known = into.get(key);
      if (known == null) {
        List<String> names = new ArrayList<>();
        into.fieldNames().forEachRemaining(names::add);
        throw new IllegalArgumentException(
            source
                + ": unknown field '"
                + prefix
                + key
                + "' (known: "
                + String.join(", ", names)
                + ")");
      }
      if (known.isObject()) {
        if (!f.getValue().isObject())
          throw new IllegalArgumentException(
              source + ": field '" + prefix + key + "' must be an object");
        merge((ObjectNode) known, f.getValue(), source, prefix + key + ".");
      } else {
        into.set(key, f.getValue());
      }
    }
  }

  private PpoConfig withFiles(String s, String cousins, String init) {
    return new PpoConfig(
        s,
        cousins,
        cousinsShare,
        init,
        observation,
        envs,
        threads,
        totalSteps,
        rolloutSteps,
        epochs,
        minibatches,
        gamma,
        gaeLambda,
        clip,
        clipValueLoss,
        entropyCoef,
        valueCoef,
        maxGradNorm,
        learningRate,
        annealLearningRate,
        hidden,
        layers,
        initialLogStd,
        actionScalePixels,
        reward,
        checkpointEveryUpdates,
        firstResetSeed,
        seed);
  }

  private static void positive(String name, long v) {
    if (v < 1)
      throw new IllegalArgumentException("ppo config: " + name + " must be >= 1, got " + v);
  }

  private static void nonNegative(String name, double v) {
    if (!(v >= 0) || !Double.isFinite(v))
      throw new IllegalArgumentException(
          "ppo config: " + name + " must be finite and >= 0, got " + v);
  }

  private static void unit(String name, double v) {
    if (!(v > 0 && v <= 1))
      throw new IllegalArgumentException("ppo config: " + name + " must lie in (0, 1], got " + v);
  }
}
