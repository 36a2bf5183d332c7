package dev.wam4j.eval;

import dev.wam4j.data.video.VideoCodec;
import dev.wam4j.data.video.VideoEncoding;
import dev.wam4j.model.policy.ChunkPolicy;
import dev.wam4j.sim.motion.MotionStyle;
import dev.wam4j.sim.scene.Scene;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

/**
 * Closed-loop evaluation of a {@link ChunkPolicy} on PushT, following the Diffusion Policy
 * protocol: one episode per seed from the legacy (numpy) reset, the configured scene (PushT's
 * reference unless {@link Config#scene} says otherwise) pushed by the robot, at most 300 control
 * steps, an episode ending early at success; the score of an episode is the maximum over its steps
 * of the reward {@code min(coverage / 0.95, 1)}, and the published "coverage" is the mean of those
 * maxima. Success is the environment's termination (coverage above 0.95).
 *
 * <p>The policy runs with a receding horizon: it plans from the last {@link
 * ChunkPolicy#historyFrames()} observations, the first {@link ChunkPolicy#executeSteps()} actions
 * of the plan run (fewer when the plan is shorter or the episode ends), then it plans again. An
 * observation is a 96 x 96 (the policy's {@link ChunkPolicy#imageSize()}) RGB frame drawn exactly
 * as the reference draws it, and the agent position; at an episode's start the history is the first
 * observation repeated.
 *
 * <p>Reproducible: episode {@code seed} resets the environment with {@code seed} and the policy
 * with {@link #episodePolicySeed(long, long)} of the config's policy seed and {@code seed}, so an
 * episode's outcome does not depend on which other seeds are in the range. Plan latency is the wall
 * time of each {@link ChunkPolicy#plan} call measured here, split by whether the plan carried dream
 * frames; each dream frame is compared with the observation it foretold ({@link DreamQuality}).
 *
 * <p>Stateless; a run uses the policy from the calling thread only (policies are not thread-safe).
 */
public final class ClosedLoopEvaluation {
  /**
   * LeRobot's AV1 quality and speed, but a keyframe every 5 s (50 frames) instead of every 2
   * frames: an evaluation video is watched, not sampled at random frames.
   */
  static final VideoEncoding VIDEO_ENCODING = new VideoEncoding(VideoCodec.AV1, 30, 50, 10);

  private ClosedLoopEvaluation() {}

  /**
   * What to evaluate.
   *
   * @param firstSeed first legacy reset seed, >= 0
   * @param lastSeed last seed, inclusive, in {@code firstSeed .. 2^32 - 1} (numpy's seed range)
   * @param maxSteps control steps per episode at most, 1 .. the scene's limit (300 for PushT)
   * @param dream whether to ask the policy to decode its predicted frames
   * @param video MP4 file for the side-by-side reality / dream video, or {@code null} for none
   * @param videoEpisodes how many episodes (the first ones) the video shows, >= 1
   * @param videoScale nearest-neighbour magnification of each half of the video, 1..8
   * @param policySeed seed of the policy's sampling noise, mixed with each episode's seed
   * @param disturbance external pushes of the block during episodes, or {@code null} for none (the
   *     protocol)
   * @param scene the scene the robot pushes in: PushT (the protocol; also for {@code null}) or
   *     another, e.g. a physics-shifted copy or a digital cousin, to measure robustness out of
   *     distribution
   * @param motion how the policy's targets are followed ({@code null}: {@link MotionStyle#NONE},
   *     passed through as the protocol does); a smoother hand moves more like a person
   */
  public record Config(
      long firstSeed,
      long lastSeed,
      int maxSteps,
      boolean dream,
      Path video,
      int videoEpisodes,
      int videoScale,
      long policySeed,
      Disturbance disturbance,
      Scene scene,
      MotionStyle motion) {
    /** Steps per episode in the published protocol. */
    public static final int PROTOCOL_MAX_STEPS = 300;

    /**
     * @throws IllegalArgumentException naming the field and value that is out of range
     */
    public Config {
      if (firstSeed < 0 || lastSeed < firstSeed || lastSeed > 0xFFFF_FFFFL) {
        throw new IllegalArgumentException(
            "seeds "
                + firstSeed
                + ".."
                + lastSeed
                + ": need 0 <= first <= last < 2^32 (numpy's seed range)");
      }
      if (maxSteps < 1)
        throw new IllegalArgumentException("maxSteps must be >= 1, got " + maxSteps);
      if (videoEpisodes < 1)
        throw new IllegalArgumentException("videoEpisodes must be >= 1, got " + videoEpisodes);
      if (videoScale < 1 || videoScale > 8)
        throw new IllegalArgumentException("videoScale must be in 1..8, got " + videoScale);
      if (scene == null) scene = Scene.pushT();
      if (motion == null) motion = MotionStyle.NONE;
    }

    /** On PushT. */
    public Config(
        long firstSeed,
        long lastSeed,
        int maxSteps,
        boolean dream,
        Path video,
        int videoEpisodes,
        int videoScale,
        long policySeed,
        Disturbance disturbance) {
      this(
          firstSeed,
          lastSeed,
          maxSteps,
          dream,
          video,
          videoEpisodes,
          videoScale,
          policySeed,
          disturbance,
          null,
          null);
    }

    /** Without disturbances. */
    public Config(
        long firstSeed,
        long lastSeed,
        int maxSteps,
        boolean dream,
        Path video,
        int videoEpisodes,
        int videoScale,
        long policySeed) {
      this(
          firstSeed,
          lastSeed,
          maxSteps,
          dream,
          video,
          videoEpisodes,
          videoScale,
          policySeed,
          null,
          null,
          null);
    }

    /**
     * The published protocol on seeds {@code first..last}: 300 steps, dream on, no video, policy
     * seed 0.
     */
    public static Config seeds(long first, long last) {
      return new Config(first, last, PROTOCOL_MAX_STEPS, true, null, 5, 2, 0);
    }

    /** The same run with the block pushed by someone else now and then ({@code null}: never). */
    public Config withDisturbance(Disturbance d) {
      return new Config(
          firstSeed,
          lastSeed,
          maxSteps,
          dream,
          video,
          videoEpisodes,
          videoScale,
          policySeed,
          d,
          scene,
          motion);
    }

    /** The same run in another scene. */
    public Config withScene(Scene s) {
      return new Config(
          firstSeed,
          lastSeed,
          maxSteps,
          dream,
          video,
          videoEpisodes,
          videoScale,
          policySeed,
          disturbance,
          s,
          motion);
    }

    /** Number of episodes. */
    public int episodes() {
      return Math.toIntExact(lastSeed - firstSeed + 1);
    }

    public Config withMaxSteps(int steps) {
      return new Config(
          firstSeed,
          lastSeed,
          steps,
          dream,
          video,
          videoEpisodes,
          videoScale,
          policySeed,
          disturbance,
          scene,
          motion);
    }

    public Config withDream(boolean on) {
      return new Config(
          firstSeed,
          lastSeed,
          maxSteps,
          on,
          video,
          videoEpisodes,
          videoScale,
          policySeed,
          disturbance,
          scene,
          motion);
    }

    /** Writes the first {@code episodes} episodes to {@code file} ({@code null}: no video). */
    public Config withVideo(Path file, int episodes) {
      return new Config(
          firstSeed,
          lastSeed,
          maxSteps,
          dream,
          file,
          episodes,
          videoScale,
          policySeed,
          disturbance,
          scene,
          motion);
    }

    public Config withVideoScale(int scale) {
      return new Config(
          firstSeed,
          lastSeed,
          maxSteps,
          dream,
          video,
          videoEpisodes,
          scale,
          policySeed,
          disturbance,
          scene,
          motion);
    }

    /**
     * The same run with the policy's targets followed by a hand of {@code style} ({@link
     * MotionStyle#NONE}: passed through, the protocol).
     */
    public Config withMotion(MotionStyle style) {
      return new Config(
          firstSeed,
          lastSeed,
          maxSteps,
          dream,
          video,
          videoEpisodes,
          videoScale,
          policySeed,
          disturbance,
          scene,
          style);
    }

    public Config withPolicySeed(long seed) {
      return new Config(
          firstSeed,
          lastSeed,
          maxSteps,
          dream,
          video,
          videoEpisodes,
          videoScale,
          seed,
          disturbance,
          scene,
          motion);
    }
  }

  /**
   * Someone else pushes the block: in a share of episodes, once, at a random step, the block is
   * moved and turned (as a person bumping the table would), the agent left where it is. Drawn from
   * the episode's seed alone, so the same episode is disturbed the same way whatever the policy
   * does.
   *
   * @param probability share of episodes disturbed, in [0, 1]
   * @param firstStep earliest control step of the push, >= 1
   * @param lastStep latest control step of the push, >= firstStep
   * @param distancePixels how far the block moves (uniform in [distance/2, distance]), workspace
   *     pixels
   * @param maxTurnRadians how far it turns at most (uniform in +-maxTurn)
   *     <p>The block is set down at the new pose at rest (its velocities zeroed, as when someone
   *     puts it down); it stays inside x, y in 100..412. A push may land it closer to the goal: the
   *     policy is then credited with what follows, as a real robot would be.
   */
  public record Disturbance(
      double probability,
      int firstStep,
      int lastStep,
      double distancePixels,
      double maxTurnRadians) {
    public Disturbance {
      if (!(probability >= 0 && probability <= 1))
        throw new IllegalArgumentException(
            "disturbance probability must lie in [0, 1], got " + probability);
      if (firstStep < 1 || lastStep < firstStep)
        throw new IllegalArgumentException(
            "disturbance steps " + firstStep + ".." + lastStep + ": need 1 <= first <= last");
      if (!(distancePixels >= 0 && distancePixels <= 200))
        throw new IllegalArgumentException(
            "disturbance distance must lie in [0, 200] pixels, got " + distancePixels);
      if (!(maxTurnRadians >= 0 && maxTurnRadians <= Math.PI))
        throw new IllegalArgumentException(
            "disturbance turn must lie in [0, pi], got " + maxTurnRadians);
    }

    /**
     * A push of 60-120 pixels and up to 0.8 rad, between steps 40 and 200, in {@code probability}
     * of episodes.
     */
    public static Disturbance pushes(double probability) {
      return new Disturbance(probability, 40, 200, 120, 0.8);
    }
  }

  /**
   * One episode's outcome.
   *
   * @param seed legacy reset seed
   * @param maxCoverage maximum over the episode's steps of {@code min(coverage / 0.95, 1)}, in [0,
   *     1] (the per-episode score of the published numbers)
   * @param success the episode ended with coverage above 0.95
   * @param steps control steps taken
   * @param plans calls to {@link ChunkPolicy#plan}
   * @param handedOver an {@link Rollout.Observer} stopped the episode before it ended (e.g. a
   *     failure alarm)
   * @param disturbedAtStep the control step after which the block was pushed by a {@link
   *     Disturbance}, or -1
   */
  public record Episode(
      long seed,
      double maxCoverage,
      boolean success,
      int steps,
      int plans,
      boolean handedOver,
      int disturbedAtStep) {}

  /**
   * Wall time of plan calls in milliseconds.
   *
   * @param plans number of calls measured, >= 1
   * @param p50Ms median (nearest rank)
   * @param p99Ms 99th percentile (nearest rank)
   * @param meanMs mean
   * @param maxMs slowest
   */
  public record Latency(int plans, double p50Ms, double p99Ms, double meanMs, double maxMs) {
    /**
     * Summary of {@code ms[0..n)}, or {@code null} when {@code n == 0}. The array is sorted in
     * place.
     */
    static Latency of(double[] ms, int n) {
      if (n == 0) return null;
      Arrays.sort(ms, 0, n);
      double sum = 0;
      for (int i = 0; i < n; i++) sum += ms[i];
      return new Latency(n, rank(ms, n, 0.50), rank(ms, n, 0.99), sum / n, ms[n - 1]);
    }

    private static double rank(double[] sorted, int n, double p) {
      return sorted[Math.max(0, (int) Math.ceil(p * n) - 1)];
    }
  }

  /**
   * The evaluation's outcome.
   *
   * @param config what was run
   * @param episodes number of episodes
   * @param successRate share of successful episodes, in [0, 1]
   * @param meanMaxCoverage mean over episodes of {@link Episode#maxCoverage()} (the published
   *     "coverage")
   * @param perSeed one entry per seed, in seed order
   * @param planLatency plans that returned no dream frames; {@code null} when every plan dreamed
   * @param dreamPlanLatency plans that returned dream frames; {@code null} when none did
   * @param wallSeconds wall time of the whole run, video included
   * @param dreamQuality how well the dreams foresaw the observations, per dream offset; {@code
   *     null} when no plan dreamed
   */
  public record Result(
      Config config,
      int episodes,
      double successRate,
      double meanMaxCoverage,
      List<Episode> perSeed,
      Latency planLatency,
      Latency dreamPlanLatency,
      double wallSeconds,
      DreamQuality dreamQuality) {}

  /**
   * A share of an evaluation run apart from the rest (on another thread, process or machine): the
   * episodes of some seeds under one config, with the raw wall time of each plan so that {@link
   * #combine} can summarise the whole as one run would.
   *
   * @param episodes one per seed run, in the order run
   * @param planMs wall time of each plan without dream frames, milliseconds
   * @param dreamPlanMs wall time of each plan with dream frames, milliseconds
   * @param dreamQuality how the share's dreams compared with reality, or {@code null} when no plan
   *     dreamed
   */
  public record Part(
      List<Episode> episodes, double[] planMs, double[] dreamPlanMs, DreamQuality dreamQuality) {
    public Part {
      episodes = List.copyOf(episodes);
      planMs = planMs.clone();
      dreamPlanMs = dreamPlanMs.clone();
    }
  }

  /**
   * Runs the episodes of {@code seeds} (each within the config's range; the config's video is not
   * written): each episode's outcome is the one {@link #run} gives for its seed, whichever other
   * seeds share the part.
   *
   * @param policy the policy; reset once per episode, not closed
   * @param progress called after each episode with its outcome, or {@code null}
   * @throws IllegalArgumentException as {@link #run}, or when a seed lies outside the config's
   *     range
   */
  public static Part runSeeds(
      ChunkPolicy policy, Config config, long[] seeds, Consumer<Episode> progress) {
    for (long seed : seeds) {
      if (seed < config.firstSeed() || seed > config.lastSeed())
        throw new IllegalArgumentException(
            "seed "
                + seed
                + " lies outside the evaluation's seeds "
                + config.firstSeed()
                + ".."
                + config.lastSeed());
    }
    Rollout rollout = new Rollout(policy, config, new Rollout.Observer() {});
    List<Episode> episodes = new ArrayList<>(seeds.length);
    for (long seed : seeds) {
      Episode e = rollout.episode(seed);
      episodes.add(e);
      if (progress != null) progress.accept(e);
    }
    return new Part(
        episodes, rollout.planMillis(), rollout.dreamPlanMillis(), rollout.dreamQuality());
  }

  /**
   * The result of an evaluation run in parts ({@link #runSeeds}): per-seed outcomes, success rate
   * and coverage exactly as {@link #run} reports them (episodes in seed order), plan latency over
   * every part's plans, dream quality merged ({@link DreamQuality#merge}).
   *
   * @param wallSeconds wall time of the whole run, as the caller measured it
   * @throws IllegalArgumentException unless the parts hold each of the config's seeds exactly once
   */
  public static Result combine(Config config, List<Part> parts, double wallSeconds) {
    List<Episode> episodes = new ArrayList<>(config.episodes());
    int plain = 0, dreamt = 0;
    for (Part p : parts) {
      episodes.addAll(p.episodes());
      plain += p.planMs().length;
      dreamt += p.dreamPlanMs().length;
    }
    episodes.sort(java.util.Comparator.comparingLong(Episode::seed));
    for (int i = 0; i < episodes.size(); i++) {
      if (i >= config.episodes() || episodes.get(i).seed() != config.firstSeed() + i)
        throw new IllegalArgumentException(
            "parts do not hold each seed of "
                + config.firstSeed()
                + ".."
                + config.lastSeed()
                + " once (at "
                + episodes.get(i).seed()
                + ")");
    }
    if (episodes.size() != config.episodes())
      throw new IllegalArgumentException(
          "parts hold " + episodes.size() + " episodes of " + config.episodes());
    double[] plainMs = new double[plain], dreamMs = new double[dreamt];
    int a = 0, b = 0;
    for (Part p : parts) {
      System.arraycopy(p.planMs(), 0, plainMs, a, p.planMs().length);
      a += p.planMs().length;
      System.arraycopy(p.dreamPlanMs(), 0, dreamMs, b, p.dreamPlanMs().length);
      b += p.dreamPlanMs().length;
    }
    return result(
        config,
        episodes,
        Latency.of(plainMs, plain),
        Latency.of(dreamMs, dreamt),
        wallSeconds,
        DreamQuality.merge(parts.stream().map(Part::dreamQuality).toList()));
  }

  /** The result of {@code episodes}: their success rate and mean max coverage with the rest. */
  private static Result result(
      Config config,
      List<Episode> episodes,
      Latency plan,
      Latency dreamPlan,
      double wallSeconds,
      DreamQuality dreamQuality) {
    long successes = episodes.stream().filter(Episode::success).count();
    double meanMax = episodes.stream().mapToDouble(Episode::maxCoverage).average().orElseThrow();
    return new Result(
        config,
        episodes.size(),
        successes / (double) episodes.size(),
        meanMax,
        List.copyOf(episodes),
        plan,
        dreamPlan,
        wallSeconds,
        dreamQuality);
  }

  /**
   * The seed the policy is reset with for the episode of {@code envSeed}: a 64-bit mix of both
   * seeds, so different episodes get unrelated noise and the same episode always gets the same.
   */
  public static long episodePolicySeed(long policySeed, long envSeed) {
    return mix(policySeed ^ mix(envSeed + 0x9E3779B97F4A7C15L));
  }

  // SplitMix64's finaliser
  static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  /**
   * Runs the evaluation.
   *
   * @param policy the policy; this method resets it once per episode but does not close it
   * @param progress called after each episode with its outcome, or {@code null}
   * @throws IllegalArgumentException when the policy's sizes are unusable, the config asks for more
   *     steps than the scene allows, or a plan is malformed (dream frames of the wrong size,
   *     targets out of range)
   * @throws IOException when the video cannot be written
   */
  public static Result run(ChunkPolicy policy, Config config, Consumer<Episode> progress)
      throws IOException {
    return run(policy, config, progress, new Rollout.Observer() {});
  }

  /**
   * Runs the evaluation under an observer that sees every plan and step and may hand an episode
   * over.
   *
   * @see #run(ChunkPolicy, Config, Consumer)
   */
  public static Result run(
      ChunkPolicy policy, Config config, Consumer<Episode> progress, Rollout.Observer observer)
      throws IOException {
    long t0 = System.nanoTime();
    Rollout rollout = new Rollout(policy, config, observer);
    int size = policy.imageSize();
    List<Episode> episodes = new ArrayList<>(config.episodes());
    try (SideBySideVideo video =
        config.video() == null
            ? null
            : SideBySideVideo.open(config.video(), size, config.videoScale(), VIDEO_ENCODING)) {
      for (int i = 0; i < config.episodes(); i++) {
        long seed = config.firstSeed() + i;
        Episode e =
            rollout.episode(seed, video != null && i < config.videoEpisodes() ? video : null);
        episodes.add(e);
        if (progress != null) progress.accept(e);
      }
      if (video != null) video.finish();
    }
    return result(
        config,
        episodes,
        rollout.planLatency(),
        rollout.dreamPlanLatency(),
        (System.nanoTime() - t0) / 1e9,
        rollout.dreamQuality());
  }
}
