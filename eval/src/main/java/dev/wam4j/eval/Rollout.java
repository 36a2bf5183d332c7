package dev.wam4j.eval;

import dev.wam4j.eval.ClosedLoopEvaluation.Disturbance;
import dev.wam4j.eval.ClosedLoopEvaluation.Episode;
import dev.wam4j.model.policy.ChunkPolicy;
import dev.wam4j.model.policy.Plan;
import dev.wam4j.sim.Embodiment;
import dev.wam4j.sim.motion.MotionShaper;
import dev.wam4j.sim.pusht.PushTEnv;
import dev.wam4j.sim.render.SceneLook;
import dev.wam4j.sim.scene.Scene;
import java.io.IOException;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * One episode of a {@link ChunkPolicy} in the simulator, again and again: the control loop (plan
 * from the observation history, run the first actions of the plan, observe, plan again) and the
 * {@link Observer} that watches it and may hand an episode over. Closed-loop evaluation runs one
 * per seed, the robot agent one per task; both see the same loop. Keeps its buffers between
 * episodes (allocation stays flat), the latency of every plan and the quality of every dream.
 *
 * <p>Not thread-safe: one rollout, one thread (its policy is not thread-safe either).
 */
public final class Rollout {
  /**
   * Watches episodes as they run and may stop one early (hand it over): a failure monitor. Frames
   * are {@code [size][size][3]} RGB bytes at an offset in an array the rollout reuses: copy what
   * you keep. Called on the evaluating thread.
   */
  public interface Observer {
    /**
     * An episode starts from its first observation: the frame and the agent's position (workspace
     * pixels).
     */
    default void episodeStart(long seed, byte[] frame, int offset, float agentX, float agentY) {}

    /**
     * The policy planned at control step {@code step} (steps taken so far); false stops the episode
     * before it acts.
     */
    default boolean planned(int step, Plan plan) {
      return true;
    }

    /**
     * Control step {@code step} (1-based) ran; {@code frame} and the agent position are the new
     * observation, {@code reward} its {@code min(coverage / 0.95, 1)}; false stops the episode
     * here.
     */
    default boolean stepped(
        int step, byte[] frame, int offset, float agentX, float agentY, double reward) {
      return true;
    }

    /** The episode ended (or was handed over). */
    default void episodeEnd(Episode episode) {}
  }

  private final ChunkPolicy policy;
  private final ClosedLoopEvaluation.Config config;
  private final Observer observer;
  private final int frameBytes;
  private final int history;
  private final int execute;
  private final PushTEnv env;
  private final MotionShaper hand; // null: the policy's targets go to the simulator unchanged
  private final ObservationHistory seen;
  // [history][size][size][3] and [history][2], oldest first: the policy's input, shifted each step
  private final byte[] images;
  private final float[] positions;
  private final int lastImage;
  private final int lastPosition;
  private double[] plainMs = new double[64];
  private double[] dreamMs = new double[64];
  private int plainCount;
  private int dreamCount;
  private final DreamQuality.Accumulator dreamQuality;

  /**
   * A rollout of {@code policy} under {@code config} (its steps, dream, policy seed, disturbance
   * and scene; the config's seed range is the caller's business).
   *
   * @throws IllegalArgumentException when the policy's sizes are unusable or the config asks for
   *     more steps than the scene allows
   */
  public Rollout(ChunkPolicy policy, ClosedLoopEvaluation.Config config, Observer observer) {
    int size = policy.imageSize(),
        history = policy.historyFrames(),
        execute = policy.executeSteps();
    if (size < 1 || history < 1 || execute < 1) {
      throw new IllegalArgumentException(
          "policy: imageSize "
              + size
              + ", historyFrames "
              + history
              + ", executeSteps "
              + execute
              + " must all be >= 1");
    }
    Scene scene = config.scene();
    if (config.maxSteps() > scene.physics().maxSteps()) {
      throw new IllegalArgumentException(
          "maxSteps "
              + config.maxSteps()
              + " exceeds the scene's step limit "
              + scene.physics().maxSteps());
    }
    this.policy = policy;
    this.config = config;
    this.observer = observer;
    this.history = history;
    this.execute = execute;
    this.frameBytes = size * size * 3;
    this.env = new PushTEnv(scene, Embodiment.RobotPusher.reference());
    this.hand = config.motion().isNone() ? null : MotionShaper.tenHz(config.motion());
    // the reference observation: PushT look with the robot agent, whole world, reference sampling
    this.seen = new ObservationHistory(scene, size, history);
    this.dreamQuality = new DreamQuality.Accumulator(size, SceneLook.of(scene));
    this.images = seen.images();
    this.positions = seen.positions();
    this.lastImage = (history - 1) * frameBytes;
    this.lastPosition = (history - 1) * 2;
  }

  /**
   * Runs the episode of reset seed {@code seed}: the environment reset with it, the policy with
   * {@link ClosedLoopEvaluation#episodePolicySeed} of the config's policy seed and it.
   *
   * @throws IllegalArgumentException when a plan is malformed (dream frames of the wrong size,
   *     offsets out of order)
   */
  public Episode episode(long seed) {
    try {
      return episode(seed, null);
    } catch (IOException e) { // only the video writes
      throw new java.io.UncheckedIOException(e);
    }
  }

  /**
   * The episode, its frames (and the dream beside them) appended to {@code video} unless it is
   * null.
   */
  Episode episode(long seed, SideBySideVideo video) throws IOException {
    env.reset(seed);
    if (hand != null) hand.reset(env.agentX(), env.agentY());
    policy.reset(ClosedLoopEvaluation.episodePolicySeed(config.policySeed(), seed));
    seen.start(env);
    if (video != null) {
      video.beginEpisode(seed);
      video.frame(images, lastImage, null, 0, 0);
    }
    int disturbAt = -1;
    double pushX = 0, pushY = 0, turn = 0;
    if (config.disturbance() != null) {
      Disturbance d = config.disturbance();
      SplittableRandom r =
          new SplittableRandom(ClosedLoopEvaluation.mix(seed ^ 0x6469_7374_7572_62L));
      if (r.nextDouble() < d.probability()) {
        disturbAt = r.nextInt(d.firstStep(), d.lastStep() + 1);
        double angle = r.nextDouble(2 * Math.PI),
            distance = r.nextDouble(d.distancePixels() / 2, d.distancePixels() + 1e-9);
        pushX = distance * Math.cos(angle);
        pushY = distance * Math.sin(angle);
        turn = d.maxTurnRadians() == 0 ? 0 : r.nextDouble(-d.maxTurnRadians(), d.maxTurnRadians());
      }
    }
    int disturbedAt = -1;
    dreamQuality.startEpisode();
    observer.episodeStart(
        seed, images, lastImage, positions[lastPosition], positions[lastPosition + 1]);
    double maxReward = 0;
    int steps = 0, plans = 0;
    boolean done = false, handedOver = false;
    // As the reference runner: the reset state earns no reward and the policy always acts at least
    // once.
    while (!done && steps < config.maxSteps()) {
      long p0 = System.nanoTime();
      Plan plan = policy.plan(images, positions, config.dream());
      double ms = (System.nanoTime() - p0) / 1e6;
      plans++;
      checkDream(plan, seed, steps);
      if (!observer.planned(steps, plan)) {
        handedOver = true;
        break;
      }
      dreamQuality.planned(steps, plan, images, lastImage);
      if (plan.hasDream()) {
        if (dreamCount == dreamMs.length) dreamMs = Arrays.copyOf(dreamMs, 2 * dreamCount);
        dreamMs[dreamCount++] = ms;
      } else {
        if (plainCount == plainMs.length) plainMs = Arrays.copyOf(plainMs, 2 * plainCount);
        plainMs[plainCount++] = ms;
      }
      float[] actions = plan.actions();
      int n = Math.min(execute, plan.horizon());
      for (int j = 0; j < n && !done && steps < config.maxSteps(); j++) {
        if (hand == null) {
          env.step(actions[2 * j], actions[2 * j + 1]);
        } else {
          hand.follow(actions[2 * j], actions[2 * j + 1]);
          env.step(hand.x(), hand.y());
        }
        steps++;
        if (steps == disturbAt && !env.terminated()) {
          // the block lands inside the walls (the workspace is 512 px; the T spans ~120 px)
          env.setState(
              env.agentX(),
              env.agentY(),
              Math.clamp(env.blockX() + pushX, 100, 412),
              Math.clamp(env.blockY() + pushY, 100, 412),
              env.blockAngle() + turn);
          disturbedAt = steps;
        }
        maxReward = Math.max(maxReward, env.reward());
        done = env.terminated();
        seen.step(env);
        dreamQuality.observed(steps, images, lastImage);
        if (video != null) video.frame(images, lastImage, plan, j + 1, steps);
        // an alarm on the episode's last step stops nothing: the episode ends there anyway
        if (!observer.stepped(
                steps,
                images,
                lastImage,
                positions[lastPosition],
                positions[lastPosition + 1],
                env.reward())
            && !done
            && steps < config.maxSteps()) {
          handedOver = true;
          break;
        }
      }
      if (handedOver) break;
    }
    Episode e =
        new Episode(seed, maxReward, env.terminated(), steps, plans, handedOver, disturbedAt);
    observer.episodeEnd(e);
    return e;
  }

  /**
   * The simulator's state now, as {@link PushTEnv#state(double[], int)}: agent x, y, block x, y,
   * angle. An observer reads it to follow the block, which the observation only shows as pixels.
   */
  public void state(double[] out) {
    env.state(out, 0);
  }

  /** Wall time of the plans without dream frames so far, or null when there were none. */
  ClosedLoopEvaluation.Latency planLatency() {
    return ClosedLoopEvaluation.Latency.of(plainMs, plainCount);
  }

  /** Wall time of the plans with dream frames so far, or null when there were none. */
  ClosedLoopEvaluation.Latency dreamPlanLatency() {
    return ClosedLoopEvaluation.Latency.of(dreamMs, dreamCount);
  }

  /** Wall time of each plan without dream frames so far, in milliseconds, in call order. */
  double[] planMillis() {
    return Arrays.copyOf(plainMs, plainCount);
  }

  /** Wall time of each plan with dream frames so far, in milliseconds, in call order. */
  double[] dreamPlanMillis() {
    return Arrays.copyOf(dreamMs, dreamCount);
  }

  /** How the dreams so far compared with what came to pass. */
  DreamQuality dreamQuality() {
    return dreamQuality.result();
  }

  private void checkDream(Plan plan, long seed, int step) {
    int[] offsets = plan.dreamOffsets();
    if (offsets == null || plan.dreamFrames() == null) {
      throw new IllegalArgumentException(
          "plan at seed "
              + seed
              + " step "
              + step
              + ": dream frames and offsets must not be null (empty for none)");
    }
    if ((long) offsets.length * frameBytes != plan.dreamFrames().length) {
      throw new IllegalArgumentException(
          "plan at seed "
              + seed
              + " step "
              + step
              + ": "
              + plan.dreamFrames().length
              + " dream bytes for "
              + offsets.length
              + " offsets of "
              + frameBytes
              + "-byte frames");
    }
    for (int i = 0; i < offsets.length; i++) {
      if (offsets[i] < 1 || (i > 0 && offsets[i] <= offsets[i - 1])) {
        throw new IllegalArgumentException(
            "plan at seed "
                + seed
                + " step "
                + step
                + ": dream offsets "
                + Arrays.toString(offsets)
                + " must be ascending and >= 1");
      }
    }
  }
}
