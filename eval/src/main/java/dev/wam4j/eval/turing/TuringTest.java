package dev.wam4j.eval.turing;

import com.fasterxml.jackson.annotation.JsonValue;
import dev.wam4j.eval.Rollout;
import dev.wam4j.model.load.ChunkPolicies;
import dev.wam4j.model.policy.ChunkPolicy;
import dev.wam4j.sim.expert.PushExpert;
import dev.wam4j.sim.motion.MotionShaper;
import dev.wam4j.sim.motion.MotionStyle;
import dev.wam4j.sim.pusht.PushTEnv;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The physical Turing test on PushT: the real human demonstrations against robot episodes started
 * from the same legacy resets (episode i of the Diffusion Policy buffer starts from seed i), each
 * described by {@link MotionFeatures} and judged by {@link TuringJudge}.
 *
 * <p>A human episode ends where its demonstration ends. A robot episode ends at success or after as
 * many steps as the human took from the same start, whichever comes first: the robot gets the
 * human's time budget, no more, so that a longer episode is never the robot's artefact of a fixed
 * 300-step horizon. Both are recorded the same way, the state before each action.
 *
 * <p>The robot is the scripted expert ({@link PushExpert}) or a checkpoint's policy run as
 * closed-loop evaluation runs it ({@link Rollout}, dreams off, policy seed 0). A policy's episode
 * also stops at the scene's 300-step limit, should a demonstration be longer.
 */
public final class TuringTest {
  private TuringTest() {}

  /** Told as episode pairs finish. */
  @FunctionalInterface
  public interface ProgressListener {
    /** {@code done} of {@code total} human/robot pairs are done. */
    void pairs(int done, int total);
  }

  /**
   * What to compare.
   *
   * @param demonstrations the Diffusion Policy zarr replay buffer of human demonstrations
   * @param episodes the first N demonstrations (all if {@code <= 0})
   * @param folds k of the judge's stratified k-fold cross-validation
   * @param seed seeds the fold split
   * @param checkpoint the robot's policy checkpoint, or {@code null} for the scripted expert
   * @param split which of those demonstrations: all, or one half to tune on and the other to report
   * @param motion how the robot's targets are followed ({@code null}: {@link MotionStyle#NONE})
   * @param plots a PNG to draw the most separating features' distributions in, or {@code null}
   */
  public record Config(
      Path demonstrations,
      int episodes,
      int folds,
      long seed,
      Path checkpoint,
      Split split,
      MotionStyle motion,
      Path plots) {
    /** Validates. */
    public Config {
      if (demonstrations == null)
        throw new IllegalArgumentException("the demonstrations' path is required");
      if (folds < 2) throw new IllegalArgumentException("folds must be >= 2, got " + folds);
      if (split == null) split = Split.ALL;
      if (motion == null) motion = MotionStyle.NONE;
    }

    /** Every demonstration, the robot's targets passed through. */
    public Config(Path demonstrations, int episodes, int folds, long seed, Path checkpoint) {
      this(demonstrations, episodes, folds, seed, checkpoint, Split.ALL, MotionStyle.NONE, null);
    }

    /** The same test on another split of the demonstrations. */
    public Config withSplit(Split s) {
      return new Config(demonstrations, episodes, folds, seed, checkpoint, s, motion, plots);
    }

    /** The same test with the robot's targets followed by a hand of {@code style}. */
    public Config withMotion(MotionStyle style) {
      return new Config(demonstrations, episodes, folds, seed, checkpoint, split, style, plots);
    }

    /** The same test, drawing the most separating features into {@code png}. */
    public Config withPlots(Path png) {
      return new Config(demonstrations, episodes, folds, seed, checkpoint, split, motion, png);
    }
  }

  /**
   * Which demonstrations take part. Anything tuned to fool the judge (a motion style, a policy) is
   * chosen on {@link #VALIDATION} and reported once on {@link #TEST}, as seeds are.
   */
  public enum Split {
    /** Every demonstration. */
    ALL,
    /** Even-numbered demonstrations (0, 2, 4, ...): tune on these. */
    VALIDATION,
    /** Odd-numbered demonstrations (1, 3, 5, ...): report on these. */
    TEST;

    /** The split's name as the command line and the JSON give it: all, validation, test. */
    @JsonValue
    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The split named {@code text} (all, validation or test, any case).
     *
     * @throws IllegalArgumentException naming the text when it is none of them
     */
    public static Split parse(String text) {
      for (Split s : values())
        if (s.label().equals(text.strip().toLowerCase(Locale.ROOT))) return s;
      throw new IllegalArgumentException("split '" + text + "': expected all, validation or test");
    }

    /** Whether demonstration {@code index} belongs to this split. */
    public boolean contains(int index) {
      return switch (this) {
        case ALL -> true;
        case VALIDATION -> index % 2 == 0;
        case TEST -> index % 2 == 1;
      };
    }
  }

  /** The scripted expert as the robot. */
  public static Config expert(Path demonstrations, int episodes, int folds, long seed) {
    return new Config(demonstrations, episodes, folds, seed, null);
  }

  /**
   * Features a robot's episode gets only from the human's: it is cut at the human's length, so its
   * duration and, when it never touches the block, its time to contact follow the person's. {@link
   * Result#judgeRocAucMotionOnly} leaves them out.
   */
  public static final List<String> BUDGET_FEATURES = List.of("duration", "time_to_contact");

  /**
   * The verdict.
   *
   * @param judgeRocAuc the judge's out-of-fold ROC-AUC (0.5: indistinguishable, 1: always told
   *     apart)
   * @param judgeRocAucMotionOnly the same judge without {@link #BUDGET_FEATURES}
   * @param episodesHuman human episodes judged
   * @param episodesRobot robot episodes judged
   * @param robot which robot: "expert", or the checkpoint's path as given
   * @param robotSuccesses robot episodes that reached the goal within the human's steps
   * @param humanStepsMean mean length of the human episodes, steps
   * @param robotStepsMean mean length of the robot episodes, steps
   * @param features every feature, most separating first
   * @param demonstrations the demonstrations' path as given
   * @param episodes the episode limit asked for (0: all)
   * @param folds k of the cross-validation
   * @param seed the fold split's seed
   * @param split which demonstrations
   * @param motion how the robot's targets were followed
   * @param plots the PNG drawn, or null
   */
  public record Result(
      double judgeRocAuc,
      double judgeRocAucMotionOnly,
      int episodesHuman,
      int episodesRobot,
      String robot,
      int robotSuccesses,
      double humanStepsMean,
      double robotStepsMean,
      List<TuringJudge.Feature> features,
      String demonstrations,
      int episodes,
      int folds,
      long seed,
      Split split,
      String motion,
      String plots) {}

  /**
   * Runs the test.
   *
   * @param progress told as pairs of episodes finish (may be null)
   * @throws IOException when the demonstrations or the checkpoint cannot be read
   * @throws IllegalArgumentException when there are too few episodes for the folds
   */
  public static Result run(Config config, ProgressListener progress) throws IOException {
    List<PusherTrace> human = humanTraces(config);
    if (config.checkpoint() == null) {
      PushTEnv env = PushTEnv.reference();
      PushExpert expert = PushExpert.of(env);
      MotionShaper hand = MotionShaper.tenHz(config.motion());
      return judge(
          config,
          "expert",
          human,
          (seed, limit) -> {
            PusherTrace t = expertTrace(env, expert, hand, seed, limit);
            return new Episode(t, env.terminated());
          },
          progress);
    }
    try (ChunkPolicy policy = ChunkPolicies.load(config.checkpoint())) {
      return judge(
          config,
          config.checkpoint().toString(),
          human,
          new PolicyRobot(policy, config.motion())::episode,
          progress);
    }
  }

  /**
   * Runs the test with an already loaded {@code policy} as the robot, named {@code name} in the
   * result (the config's checkpoint is not read); the caller closes the policy.
   *
   * @throws IOException when the demonstrations cannot be read
   */
  public static Result run(
      Config config, ChunkPolicy policy, String name, ProgressListener progress)
      throws IOException {
    List<PusherTrace> human = humanTraces(config);
    return judge(config, name, human, new PolicyRobot(policy, config.motion())::episode, progress);
  }

  /** A robot episode and whether it reached the goal. */
  record Episode(PusherTrace trace, boolean success) {}

  /** Runs the robot from a seed for at most a number of steps. */
  interface Robot {
    Episode episode(long seed, int limit);
  }

  /** Features drawn by {@link Config#plots}. */
  static final int PLOTTED_FEATURES = 4;

  private static Result judge(
      Config config, String name, List<PusherTrace> human, Robot robot, ProgressListener progress)
      throws IOException {
    MotionFeatures features = MotionFeatures.pushT();
    int n = human.size();
    double[][] x = new double[2 * n][];
    boolean[] isRobot = new boolean[2 * n];
    long[] group = new long[2 * n];
    int successes = 0;
    long humanSteps = 0, robotSteps = 0;
    for (int i = 0; i < n; i++) {
      PusherTrace h = human.get(i);
      Episode r = robot.episode(h.seed(), h.length());
      if (r.success()) successes++;
      x[2 * i] = features.of(h);
      x[2 * i + 1] = features.of(r.trace());
      isRobot[2 * i + 1] = true;
      group[2 * i] = h.seed();
      group[2 * i + 1] = h.seed();
      humanSteps += h.length();
      robotSteps += r.trace().length();
      if (progress != null) progress.pairs(i + 1, n);
    }
    TuringJudge.Verdict v =
        TuringJudge.judge(x, isRobot, group, MotionFeatures.NAMES, config.folds(), config.seed());
    TuringJudge.Verdict motionOnly = withoutBudgetFeatures(x, isRobot, group, config);
    if (config.plots() != null)
      TuringPlots.write(
          config.plots(), x, isRobot, MotionFeatures.NAMES, v.features(), PLOTTED_FEATURES, name);
    return new Result(
        v.rocAuc(),
        motionOnly.rocAuc(),
        n,
        n,
        name,
        successes,
        humanSteps / (double) n,
        robotSteps / (double) n,
        v.features(),
        config.demonstrations().toString(),
        Math.max(0, config.episodes()),
        config.folds(),
        config.seed(),
        config.split(),
        config.motion().toString(),
        config.plots() == null ? null : config.plots().toString());
  }

  private static TuringJudge.Verdict withoutBudgetFeatures(
      double[][] x, boolean[] isRobot, long[] group, Config config) {
    List<String> names = new ArrayList<>();
    List<Integer> keep = new ArrayList<>();
    for (int j = 0; j < MotionFeatures.NAMES.size(); j++) {
      if (BUDGET_FEATURES.contains(MotionFeatures.NAMES.get(j))) continue;
      names.add(MotionFeatures.NAMES.get(j));
      keep.add(j);
    }
    double[][] xs = new double[x.length][keep.size()];
    for (int i = 0; i < x.length; i++)
      for (int k = 0; k < keep.size(); k++) xs[i][k] = x[i][keep.get(k)];
    return TuringJudge.judge(xs, isRobot, group, names, config.folds(), config.seed());
  }

  /**
   * The first {@code limit} demonstrations (all if {@code <= 0}) as traces, the seed of each its
   * index.
   *
   * @throws IOException when the buffer cannot be read, holds no PushT states, or an episode does
   *     not start from its seed's legacy reset
   */
  public static List<PusherTrace> humanTraces(Path zarr, int limit) throws IOException {
    return HumanTraces.load(zarr, limit, Split.ALL);
  }

  /** The config's demonstrations: the first {@code episodes}, then those of its split. */
  static List<PusherTrace> humanTraces(Config config) throws IOException {
    List<PusherTrace> traces =
        HumanTraces.load(config.demonstrations(), config.episodes(), config.split());
    if (traces.size() < config.folds())
      throw new IllegalArgumentException(
          (config.split() == Split.ALL ? "" : "the " + config.split().label() + " split of ")
              + config.demonstrations()
              + (config.episodes() > 0 ? " (first " + config.episodes() + ")" : "")
              + " holds "
              + traces.size()
              + " demonstrations, fewer than the "
              + config.folds()
              + " folds");
    return traces;
  }

  /**
   * The expert from the legacy reset of {@code seed} for at most {@code limit} steps, stopping at
   * success; {@code env} is left in the episode's last state. The robot of {@link #run} with the
   * expert, and of the human judge's pairs.
   */
  public static PusherTrace expertTrace(PushTEnv env, PushExpert expert, long seed, int limit) {
    return expertTrace(env, expert, MotionShaper.tenHz(MotionStyle.NONE), seed, limit);
  }

  /**
   * As {@link #expertTrace(PushTEnv, PushExpert, long, int)}, the targets followed by {@code hand}.
   */
  public static PusherTrace expertTrace(
      PushTEnv env, PushExpert expert, MotionShaper hand, long seed, int limit) {
    env.reset(seed);
    expert.reset();
    hand.reset(env.agentX(), env.agentY());
    List<double[]> states = new ArrayList<>();
    double[] action = new double[2];
    while (states.size() < limit && !env.terminated()) {
      states.add(env.state());
      expert.act(env, action);
      if (hand.style().isNone()) { // the expert's own targets, exactly as before hands existed
        env.step(action[0], action[1]);
      } else {
        hand.follow(action[0], action[1]);
        env.step(hand.x(), hand.y());
      }
    }
    if (states.isEmpty()) states.add(env.state()); // solved at reset: one state to describe
    int len = states.size();
    double[][] c = new double[5][len];
    for (int t = 0; t < len; t++) for (int k = 0; k < 5; k++) c[k][t] = states.get(t)[k];
    return new PusherTrace("robot", seed, c[0], c[1], c[2], c[3], c[4]);
  }
}
