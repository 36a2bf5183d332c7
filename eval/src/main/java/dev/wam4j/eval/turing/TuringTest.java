package dev.wam4j.eval.turing;

import dev.wam4j.data.zarr.EpisodeRange;
import dev.wam4j.data.zarr.ReplayBuffer;
import dev.wam4j.data.zarr.ZarrArray;
import dev.wam4j.data.zarr.ZarrFormatException;
import dev.wam4j.eval.ClosedLoopEvaluation;
import dev.wam4j.eval.Rollout;
import dev.wam4j.model.load.ChunkPolicies;
import dev.wam4j.model.policy.ChunkPolicy;
import dev.wam4j.sim.expert.PushExpert;
import dev.wam4j.sim.pusht.PushTEnv;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

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
   */
  public record Config(Path demonstrations, int episodes, int folds, long seed, Path checkpoint) {
    /** Validates. */
    public Config {
      if (demonstrations == null)
        throw new IllegalArgumentException("the demonstrations' path is required");
      if (folds < 2) throw new IllegalArgumentException("folds must be >= 2, got " + folds);
    }
  }

  /** The scripted expert as the robot. */
  public static Config expert(Path demonstrations, int episodes, int folds, long seed) {
    return new Config(demonstrations, episodes, folds, seed, null);
  }

  /**
   * The verdict.
   *
   * @param judgeRocAuc the judge's out-of-fold ROC-AUC (0.5: indistinguishable, 1: always told
   *     apart)
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
   */
  public record Result(
      double judgeRocAuc,
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
      long seed) {}

  /**
   * Runs the test.
   *
   * @param progress told as pairs of episodes finish (may be null)
   * @throws IOException when the demonstrations or the checkpoint cannot be read
   * @throws IllegalArgumentException when there are too few episodes for the folds
   */
  public static Result run(Config config, ProgressListener progress) throws IOException {
    List<PusherTrace> human = humanTraces(config.demonstrations(), config.episodes());
    if (config.checkpoint() == null) {
      PushTEnv env = PushTEnv.reference();
      PushExpert expert = PushExpert.of(env);
      return judge(
          config,
          "expert",
          human,
          (seed, limit) -> {
            PusherTrace t = expertTrace(env, expert, seed, limit);
            return new Episode(t, env.terminated());
          },
          progress);
    }
    try (ChunkPolicy policy = ChunkPolicies.load(config.checkpoint())) {
      return judge(
          config,
          config.checkpoint().toString(),
          human,
          new PolicyRobot(policy)::episode,
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
    List<PusherTrace> human = humanTraces(config.demonstrations(), config.episodes());
    return judge(config, name, human, new PolicyRobot(policy)::episode, progress);
  }

  /** A robot episode and whether it reached the goal. */
  record Episode(PusherTrace trace, boolean success) {}

  /** Runs the robot from a seed for at most a number of steps. */
  interface Robot {
    Episode episode(long seed, int limit);
  }

  private static Result judge(
      Config config, String name, List<PusherTrace> human, Robot robot, ProgressListener progress) {
    MotionFeatures features = MotionFeatures.pushT();
    int n = human.size();
    double[][] x = new double[2 * n][];
    boolean[] isRobot = new boolean[2 * n];
    int successes = 0;
    long humanSteps = 0, robotSteps = 0;
    for (int i = 0; i < n; i++) {
      PusherTrace h = human.get(i);
      Episode r = robot.episode(h.seed(), h.length());
      if (r.success()) successes++;
      x[2 * i] = features.of(h);
      x[2 * i + 1] = features.of(r.trace());
      isRobot[2 * i + 1] = true;
      humanSteps += h.length();
      robotSteps += r.trace().length();
      if (progress != null) progress.pairs(i + 1, n);
    }
    TuringJudge.Verdict v =
        TuringJudge.judge(x, isRobot, MotionFeatures.NAMES, config.folds(), config.seed());
    return new Result(
        v.rocAuc(),
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
        config.seed());
  }

  /** A checkpoint's policy in closed loop, its states followed step by step. */
  static final class PolicyRobot implements Rollout.Observer {
    private final Rollout rollout;
    private final List<double[]> states = new ArrayList<>();
    private int limit = ClosedLoopEvaluation.Config.PROTOCOL_MAX_STEPS;

    PolicyRobot(ChunkPolicy policy) {
      // dreams off: only the actions matter here, and decoding frames costs time
      rollout = new Rollout(policy, ClosedLoopEvaluation.Config.seeds(0, 0).withDream(false), this);
    }

    Episode episode(long seed, int humanSteps) {
      limit = Math.min(humanSteps, ClosedLoopEvaluation.Config.PROTOCOL_MAX_STEPS);
      states.clear();
      ClosedLoopEvaluation.Episode e = rollout.episode(seed);
      // Keep the state before each action, as the demonstrations do: drop the one after the last.
      int len = Math.max(1, states.size() - 1);
      double[][] c = new double[5][len];
      for (int t = 0; t < len; t++) for (int k = 0; k < 5; k++) c[k][t] = states.get(t)[k];
      return new Episode(new PusherTrace("robot", seed, c[0], c[1], c[2], c[3], c[4]), e.success());
    }

    @Override
    public void episodeStart(long seed, byte[] frame, int offset, float agentX, float agentY) {
      record();
    }

    @Override
    public boolean stepped(
        int step, byte[] frame, int offset, float agentX, float agentY, double reward) {
      record();
      return step < limit; // the human's time budget
    }

    private void record() {
      double[] s = new double[5];
      rollout.state(s);
      states.add(s);
    }
  }

  /** How far, in px or rad, a demonstration's first state may lie from its legacy reset. */
  static final double START_TOLERANCE = 1e-2;

  /**
   * The first {@code limit} demonstrations (all if {@code <= 0}) as traces, the seed of each its
   * index.
   *
   * @throws IOException when the buffer cannot be read, holds no PushT states, or an episode does
   *     not start from its seed's legacy reset
   */
  public static List<PusherTrace> humanTraces(Path zarr, int limit) throws IOException {
    ReplayBuffer buffer = ReplayBuffer.open(zarr);
    ZarrArray stateArray = buffer.array("state");
    if (stateArray.rowSize() != 5)
      throw new ZarrFormatException(
          stateArray.path(),
          "data/state rows have " + stateArray.rowSize() + " values, PushT needs 5");
    if (buffer.episodeCount() == 0)
      throw new ZarrFormatException(buffer.root(), "the replay buffer holds no episodes");
    float[] s = stateArray.readFloats();
    int n = limit > 0 ? Math.min(limit, buffer.episodeCount()) : buffer.episodeCount();
    List<PusherTrace> out = new ArrayList<>(n);
    PushTEnv env = PushTEnv.reference();
    for (int e = 0; e < n; e++) {
      EpisodeRange range = buffer.episodeRange(e);
      int len = range.end() - range.start();
      double[][] c = new double[5][len];
      for (int t = 0; t < len; t++)
        for (int k = 0; k < 5; k++) c[k][t] = s[(range.start() + t) * 5 + k];
      // the robot starts from the legacy reset of seed e: the person must have started there too
      env.reset(e);
      double[] reset = {env.agentX(), env.agentY(), env.blockX(), env.blockY(), env.blockAngle()};
      for (int k = 0; k < 5; k++) {
        double off = reset[k] - c[k][0];
        if (k == 4) off = Math.IEEEremainder(off, 2 * Math.PI); // angles are recorded unwrapped
        if (len > 0 && Math.abs(off) > START_TOLERANCE) {
          throw new ZarrFormatException(
              buffer.root(),
              String.format(
                  "episode %d does not start from the legacy reset of seed %d (state[%d] %.3f, the"
                      + " reset %.3f): robot and person would start apart (a subset or reordered"
                      + " buffer?)",
                  e, e, k, c[k][0], reset[k]));
        }
      }
      out.add(new PusherTrace("human", e, c[0], c[1], c[2], c[3], c[4]));
    }
    return out;
  }

  /**
   * The expert from the legacy reset of {@code seed} for at most {@code limit} steps, stopping at
   * success; {@code env} is left in the episode's last state. The robot of {@link #run} with the
   * expert, and of the human judge's pairs.
   */
  public static PusherTrace expertTrace(PushTEnv env, PushExpert expert, long seed, int limit) {
    env.reset(seed);
    expert.reset();
    List<double[]> states = new ArrayList<>();
    double[] action = new double[2];
    while (states.size() < limit && !env.terminated()) {
      states.add(env.state());
      expert.act(env, action);
      env.step(action[0], action[1]);
    }
    if (states.isEmpty()) states.add(env.state()); // solved at reset: one state to describe
    int len = states.size();
    double[][] c = new double[5][len];
    for (int t = 0; t < len; t++) for (int k = 0; k < 5; k++) c[k][t] = states.get(t)[k];
    return new PusherTrace("robot", seed, c[0], c[1], c[2], c[3], c[4]);
  }
}
