package dev.wam4j.rl.ppo;

import dev.wam4j.model.mlp.Adam;
import dev.wam4j.model.mlp.Mlp;
import dev.wam4j.model.mlp.SplitMix;
import dev.wam4j.sim.Embodiment;
import dev.wam4j.sim.cousins.CousinConfig;
import dev.wam4j.sim.cousins.Cousins;
import dev.wam4j.sim.pusht.PushTEnv;
import dev.wam4j.sim.scene.Scene;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Proximal Policy Optimization (Schulman et al. 2017) on PushT's privileged state, CleanRL-style:
 * roll out {@code envs x rolloutSteps} steps with a Gaussian policy (this class), then learn from
 * the batch ({@link PpoLearner}: GAE advantages, {@code epochs} passes of clipped-objective
 * minibatch updates, Adam, global-norm gradient clipping) at a linearly annealed step size.
 * Networks and optimiser run on flat float arrays in plain Java ({@link Mlp}); environments are
 * spread over {@code threads} workers, and a minibatch's gradient is summed over fixed chunks of
 * rows, so the run is the same on any number of threads.
 *
 * <p>The run folder holds {@code ppo.json} (the config), {@code log.csv} (one row per update),
 * {@code curves.png} and {@code checkpoints/update-NNNNNN/} (written atomically). Every {@link
 * PpoConfig#checkpointEveryUpdates()} updates the run checkpoints and restarts every episode in
 * flight, so that a run resumed after a kill continues exactly as an uninterrupted one would.
 */
public final class Ppo {
  /**
   * One update's figures.
   *
   * @param update 1-based update index
   * @param envSteps environment steps so far
   * @param seconds wall time of the run so far (this process and the ones before it)
   * @param stepsPerSecond environment steps per second of this update, rollout and learning
   *     together
   * @param episodes episodes that ended during this update's rollout
   * @param meanReturn their mean undiscounted return (NaN without any)
   * @param successRate their share reaching the goal (NaN without any)
   * @param meanFinalCoverage their mean coverage at the end
   * @param meanLength their mean length in steps
   * @param rolloutSeconds wall time of this update's rollout (policy forward, sampling, stepping,
   *     rewards)
   * @param learnSeconds wall time of this update's advantages and minibatch updates
   */
  public record UpdateStats(
      long update,
      long envSteps,
      double seconds,
      double stepsPerSecond,
      int episodes,
      double meanReturn,
      double successRate,
      double meanFinalCoverage,
      double meanLength,
      double policyLoss,
      double valueLoss,
      double entropy,
      double approxKl,
      double clipFraction,
      double learningRate,
      double meanStd,
      double rolloutSeconds,
      double learnSeconds) {}

  /** Progress of a run. */
  public interface Listener {
    void update(UpdateStats stats, long totalUpdates);

    default void resumed(long update) {}
  }

  /** What a run did. */
  public record Result(Path dir, long updates, long envSteps, double seconds, UpdateStats last) {}

  private final PpoConfig c;
  private final Scene scene;
  private final CousinConfig cousins; // null: every episode on {@code scene}
  private final PpoNetworks nets;
  private final float[] params;
  private final int n;
  private final int steps;
  private final PpoLearner learner; // holds the rollout buffers, [step][env] row-major
  private final Worker[] workers;
  private final Workers pool;
  // no episode runs yet in this process: the first update starts them whatever its index
  private boolean fresh = true;

  private Ppo(PpoConfig c, Scene scene, CousinConfig cousins, float[] params, Adam adam) {
    this.c = c;
    this.scene = scene;
    this.cousins = cousins;
    this.nets = c.networks();
    this.params = params;
    n = c.envs();
    steps = c.rolloutSteps();
    int threads = Math.min(c.threads(), n);
    pool = new Workers(threads, "ppo-worker");
    learner = new PpoLearner(c.objective(), nets, params, adam, n, steps, pool);
    workers = new Worker[threads];
    for (int t = 0; t < threads; t++)
      workers[t] = new Worker(n * t / threads, n * (t + 1) / threads);
  }

  /** One worker's environments and scratch: a contiguous slice of the environments. */
  private final class Worker {
    final int from;
    final int to;
    final PushTEnv[] envs;
    final PushTask[] tasks;
    final PpoObservation[] seen;
    final SplitMix[] rngs;
    final long[] episodeCount;
    final double[] episodeReturn;
    final Mlp.Workspace actorWs;
    final Mlp.Workspace criticWs;
    final EpisodeTally ended = new EpisodeTally(); // this rollout's

    Worker(int from, int to) {
      this.from = from;
      this.to = to;
      int k = to - from;
      envs = new PushTEnv[k];
      tasks = new PushTask[k];
      seen = new PpoObservation[k];
      rngs = new SplitMix[k];
      episodeCount = new long[k];
      episodeReturn = new double[k];
      for (int i = 0; i < k; i++) {
        envs[i] = new PushTEnv(scene, Embodiment.RobotPusher.reference());
        tasks[i] = new PushTask(scene.goal().pose(), c.reward());
        seen[i] = PpoObservation.of(c.observation(), scene);
        rngs[i] = new SplitMix(SplitMix.mix(c.seed(), from + i));
      }
      actorWs = nets.actor.workspace(k);
      criticWs = nets.critic.workspace(k);
    }

    void resetAll() {
      for (int i = 0; i < envs.length; i++) startEpisode(i);
    }

    private void startEpisode(int i) {
      if (cousins != null) { // domain randomisation: this episode's physics and goal
        long draw = rngs[i].nextLong();
        // a share below 1 mixes in the scene's own episodes (drawn only then: runs with every
        // episode a cousin keep their streams)
        Scene drawn =
            c.cousinsShare() < 1 && rngs[i].nextDouble() >= c.cousinsShare()
                ? scene
                : Cousins.sample(cousins, draw).scene();
        envs[i] = new PushTEnv(drawn, Embodiment.RobotPusher.reference());
        tasks[i] = new PushTask(drawn.goal().pose(), c.reward());
      }
      long seed = c.firstResetSeed() + Math.floorMod(rngs[i].nextLong(), 1_000_000_000L);
      envs[i].reset(seed);
      tasks[i].start(envs[i]);
      seen[i].start(envs[i]);
      episodeCount[i]++;
      episodeReturn[i] = 0;
    }

    /**
     * Rolls this slice's environments {@code steps} steps with the current policy; then the values
     * of the states reached.
     */
    void rollout(float[] nextValues) {
      ended.clear();
      int k = to - from;
      for (int t = 0; t < steps; t++) {
        evaluate(t);
        for (int i = 0; i < k; i++) {
          int row = t * n + from + i;
          double ax = 0, ay = 0, lp = 0;
          for (int a = 0; a < nets.actions; a++) {
            double mean = actorWs.output()[i * nets.actions + a],
                logStd = params[nets.logStdOffset + a];
            double eps = rngs[i].nextGaussian();
            double act = mean + Math.exp(logStd) * eps;
            learner.actions[row * nets.actions + a] = (float) act;
            lp += -0.5 * eps * eps - logStd - 0.5 * Math.log(2 * Math.PI);
            double clipped = Math.max(-1, Math.min(1, act));
            if (a == 0) ax = clipped;
            else ay = clipped;
          }
          learner.logProbs[row] = (float) lp;
          learner.values[row] = criticWs.output()[i];
          PushTEnv env = envs[i];
          double tx = clamp(env.agentX() + c.actionScalePixels() * ax),
              ty = clamp(env.agentY() + c.actionScalePixels() * ay);
          env.step(tx, ty);
          double r = tasks[i].reward(env);
          seen[i].step(env);
          learner.rewards[row] = (float) r;
          episodeReturn[i] += r;
          boolean done = env.terminated() || env.truncated();
          learner.dones[row] = done;
          if (done) {
            ended.ended(env, episodeReturn[i]);
            startEpisode(i);
          }
        }
      }
      evaluate(-1);
      for (int i = 0; i < k; i++) nextValues[from + i] = criticWs.output()[i];
    }

    /**
     * Observes every environment of the slice (into the buffer at step {@code t} unless t < 0) and
     * runs actor and critic on them.
     */
    private void evaluate(int t) {
      int k = to - from, f = nets.observations;
      for (int i = 0; i < k; i++) {
        seen[i].write(tasks[i], actorWs.input(), i * f);
        if (t >= 0)
          System.arraycopy(actorWs.input(), i * f, learner.obs, (t * n + from + i) * f, f);
      }
      System.arraycopy(actorWs.input(), 0, criticWs.input(), 0, k * f);
      nets.actor.forward(params, 0, actorWs, k);
      nets.critic.forward(params, nets.criticOffset, criticWs, k);
    }
  }

  private static double clamp(double v) {
    return Math.max(0, Math.min(512, v));
  }

  /** Rolls out, computes advantages, learns: one update. */
  private UpdateStats update(long update, double elapsedBefore, long t0) {
    float[] nextValues = new float[n];
    if (fresh || (update - 1) % c.checkpointEveryUpdates() == 0)
      for (Worker w : workers) w.resetAll();
    fresh = false;
    List<Runnable> rollouts = new ArrayList<>();
    for (Worker w : workers) rollouts.add(() -> w.rollout(nextValues));
    long tr = System.nanoTime();
    pool.run(rollouts);
    long tl = System.nanoTime();
    double lr =
        c.annealLearningRate()
            ? c.learningRate() * (1.0 - (update - 1.0) / c.updates())
            : c.learningRate();
    double[] losses = learner.learn(nextValues, update, lr);
    EpisodeTally all = new EpisodeTally();
    for (Worker w : workers) all.add(w.ended);
    long end = System.nanoTime();
    double seconds = (end - t0) / 1e9;
    double meanStd = 0;
    for (int a = 0; a < nets.actions; a++)
      meanStd += Math.exp(params[nets.logStdOffset + a]) / nets.actions;
    return new UpdateStats(
        update,
        update * c.batchSteps(),
        elapsedBefore + seconds,
        c.batchSteps() / ((end - tr) / 1e9),
        all.episodes,
        all.meanReturn(),
        all.successRate(),
        all.meanFinalCoverage(),
        all.meanLength(),
        losses[0],
        losses[1],
        losses[2],
        losses[3],
        losses[4],
        lr,
        meanStd,
        (tl - tr) / 1e9,
        (end - tl) / 1e9);
  }

  /**
   * Trains (or resumes) {@code config} in {@code dir}.
   *
   * @throws IllegalArgumentException when {@code dir} holds a run of another config (other than its
   *     {@code totalSteps} or {@code threads}), or checkpoints would restart episodes before they
   *     can end. Raising {@code totalSteps} of a finished run continues it, but not as one longer
   *     run would have: the step size's anneal restarts from the new total, and episodes restart
   *     unless the old total fell on a checkpoint period.
   */
  public static Result train(PpoConfig config, Path dir, Listener listener) throws IOException {
    Scene scene =
        PpoRun.scene(
            config.scene()); // a wrong scene or cousin config fails before the folder records the
    // config
    CousinConfig cousins = PpoRun.cousins(config.scene(), config.cousins());
    // a pixel policy sees the scene as PushT looks: its cousins may vary physics only
    if (config.observation().equals("pixels"))
      PpoRun.physicsOnly(cousins, "ppo config with pixels");
    int maxSteps = scene.physics().maxSteps();
    if ((long) config.checkpointEveryUpdates() * config.rolloutSteps() < maxSteps) {
      throw new IllegalArgumentException(
          "ppo config: checkpointEveryUpdates x rolloutSteps = "
              + (long) config.checkpointEveryUpdates() * config.rolloutSteps()
              + " steps, fewer than the scene's "
              + maxSteps
              + "-step episodes: every checkpoint restarts the episodes "
              + "in flight, so none would ever reach the step limit");
    }
    PpoRun run = PpoRun.open(config, dir);
    PpoNetworks nets = config.networks();
    PpoRun.Checkpoint from = run.latest(nets.parameters);
    float[] params;
    Adam adam;
    long done;
    double elapsed;
    if (from == null) {
      params =
          config.init().isEmpty()
              ? nets.initialise(
                  new SplitMix(SplitMix.mix(config.seed(), -1)), config.initialLogStd())
              : PpoRun.initialWeights(config, nets);
      adam = new Adam(params.length);
      done = 0;
      elapsed = 0;
    } else {
      params = from.params();
      adam = from.adam();
      done = from.update();
      elapsed = from.seconds();
      listener.resumed(done);
      if (done >= config.updates())
        run.redrawCurves(); // a finished run: only the curves, as drawn now
    }
    Ppo ppo = new Ppo(config, scene, cousins, params, adam);
    try {
      if (from != null) ppo.restoreStreams(from.streams());
      long total = config.updates();
      UpdateStats last = from == null ? null : from.last();
      long t0 = System.nanoTime();
      for (long u = done + 1; u <= total; u++) {
        UpdateStats s = ppo.update(u, elapsed, t0);
        run.log(s);
        last = s;
        listener.update(s, total);
        if (u % config.checkpointEveryUpdates() == 0 || u == total)
          run.checkpoint(u, s, params, adam, ppo.streams());
      }
      return new Result(
          run.dir(),
          total,
          total * config.batchSteps(),
          last == null ? elapsed : last.seconds(),
          last);
    } finally {
      ppo.pool.close();
    }
  }

  /** Every environment's random stream state and episode count, in environment order. */
  private long[] streams() {
    long[] s = new long[2 * n];
    for (Worker w : workers) {
      for (int i = 0; i < w.to - w.from; i++) {
        s[2 * (w.from + i)] = w.rngs[i].state();
        s[2 * (w.from + i) + 1] = w.episodeCount[i];
      }
    }
    return s;
  }

  private void restoreStreams(long[] s) {
    if (s.length != 2 * n)
      throw new IllegalArgumentException(
          "checkpoint holds " + s.length / 2 + " environments' streams, the config " + n);
    for (Worker w : workers) {
      for (int i = 0; i < w.to - w.from; i++) {
        w.rngs[i].setState(s[2 * (w.from + i)]);
        w.episodeCount[i] = s[2 * (w.from + i) + 1];
      }
    }
  }
}
