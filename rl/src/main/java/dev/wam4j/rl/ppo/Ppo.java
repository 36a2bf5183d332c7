package dev.wam4j.rl.ppo;

import dev.wam4j.sim.Embodiment;
import dev.wam4j.sim.pusht.PushTEnv;
import dev.wam4j.sim.scene.Scene;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Proximal Policy Optimization (Schulman et al. 2017) on PushT's privileged state, CleanRL-style: one
 * class reads top to bottom as the algorithm — roll out {@code envs x rolloutSteps} steps with a
 * Gaussian policy, compute GAE advantages, then {@code epochs} passes of clipped-objective minibatch
 * updates with a clipped value loss, Adam, global-norm gradient clipping and a linearly annealed step
 * size. Networks and optimiser run on flat float arrays in plain Java ({@link Mlp}); environments are
 * spread over {@code threads} workers, and a minibatch's gradient is summed over fixed chunks of rows,
 * so the run is the same on any number of threads.
 *
 * <p>The run folder holds {@code ppo.json} (the config), {@code log.csv} (one row per update),
 * {@code curves.png} and {@code checkpoints/update-NNNNNN/} (written atomically). Every
 * {@link PpoConfig#checkpointEveryUpdates()} updates the run checkpoints and restarts every episode in
 * flight, so that a run resumed after a kill continues exactly as an uninterrupted one would.
 */
public final class Ppo {
  /** Rows per gradient chunk: a minibatch's gradient is the sum of its chunks' in order, whatever the threads. */
  static final int CHUNK = 64;

  /**
   * One update's figures.
   *
   * @param update 1-based update index
   * @param envSteps environment steps so far
   * @param seconds wall time of the run so far (this process and the ones before it)
   * @param stepsPerSecond environment steps per second of this update, rollout and learning together
   * @param episodes episodes that ended during this update's rollout
   * @param meanReturn their mean undiscounted return (NaN without any)
   * @param successRate their share reaching the goal (NaN without any)
   * @param meanFinalCoverage their mean coverage at the end
   * @param meanLength their mean length in steps
   * @param rolloutSeconds wall time of this update's rollout (policy forward, sampling, stepping, rewards)
   * @param learnSeconds wall time of this update's advantages and minibatch updates
   */
  public record UpdateStats(long update, long envSteps, double seconds, double stepsPerSecond, int episodes, double meanReturn,
      double successRate, double meanFinalCoverage, double meanLength, double policyLoss, double valueLoss, double entropy, double approxKl,
      double clipFraction, double learningRate, double meanStd, double rolloutSeconds, double learnSeconds) {}

  /** Progress of a run. */
  public interface Listener {
    void update(UpdateStats stats, long totalUpdates);

    default void resumed(long update) {}
  }

  /** What a run did. */
  public record Result(Path dir, long updates, long envSteps, double seconds, UpdateStats last) {}

  private final PpoConfig c;
  private final Scene scene;
  private final PpoNetworks nets;
  private final float[] params;
  private final Adam adam;
  // the rollout buffers, [step][env] row-major
  private final int n;
  private final int steps;
  private final float[] obs;
  private final float[] actions;
  private final float[] logProbs;
  private final float[] values;
  private final float[] rewards;
  private final boolean[] dones;
  private final float[] advantages;
  private final float[] returns;
  private final Worker[] workers;
  private final ExecutorService pool;
  // the weights transposed for backward, refreshed before each minibatch
  private final float[] actorT;
  private final float[] criticT;
  // no episode runs yet in this process: the first update starts them whatever its index
  private boolean fresh = true;

  private Ppo(PpoConfig c, Scene scene, float[] params, Adam adam) {
    this.c = c;
    this.scene = scene;
    this.nets = new PpoNetworks(c.hidden(), c.layers());
    this.params = params;
    this.adam = adam;
    n = c.envs();
    steps = c.rolloutSteps();
    int batch = n * steps;
    obs = new float[batch * PushTask.OBSERVATIONS];
    actions = new float[batch * PpoNetworks.ACTIONS];
    logProbs = new float[batch];
    values = new float[batch];
    rewards = new float[batch];
    dones = new boolean[batch];
    advantages = new float[batch];
    returns = new float[batch];
    actorT = new float[nets.actor.transposedSize()];
    criticT = new float[nets.critic.transposedSize()];
    int threads = Math.min(c.threads(), n);
    workers = new Worker[threads];
    for (int t = 0; t < threads; t++) workers[t] = new Worker(n * t / threads, n * (t + 1) / threads);
    pool = threads > 1 ? Executors.newFixedThreadPool(threads, r -> {
      Thread th = new Thread(r, "ppo-worker");
      th.setDaemon(true);
      return th;
    }) : null;
  }

  /** One worker's environments and scratch: a contiguous slice of the environments. */
  private final class Worker {
    final int from;
    final int to;
    final PushTEnv[] envs;
    final PushTask[] tasks;
    final SplitMix[] rngs;
    final long[] episodeCount;
    final double[] episodeReturn;
    final Mlp.Workspace actorWs;
    final Mlp.Workspace criticWs;
    final Mlp.Workspace gradActorWs;
    final Mlp.Workspace gradCriticWs;
    // this rollout's ended episodes
    int episodes;
    double sumReturn;
    int successes;
    double sumCoverage;
    long sumLength;

    Worker(int from, int to) {
      this.from = from;
      this.to = to;
      int k = to - from;
      envs = new PushTEnv[k];
      tasks = new PushTask[k];
      rngs = new SplitMix[k];
      episodeCount = new long[k];
      episodeReturn = new double[k];
      for (int i = 0; i < k; i++) {
        envs[i] = new PushTEnv(scene, Embodiment.RobotPusher.reference());
        tasks[i] = new PushTask(scene.goal().pose(), c.reward());
        rngs[i] = new SplitMix(SplitMix.mix(c.seed(), from + i));
      }
      actorWs = nets.actor.workspace(k);
      criticWs = nets.critic.workspace(k);
      gradActorWs = nets.actor.workspace(CHUNK);
      gradCriticWs = nets.critic.workspace(CHUNK);
    }

    void resetAll() {
      for (int i = 0; i < envs.length; i++) startEpisode(i);
    }

    private void startEpisode(int i) {
      long seed = c.firstResetSeed() + Math.floorMod(rngs[i].nextLong(), 1_000_000_000L);
      envs[i].reset(seed);
      tasks[i].start(envs[i]);
      episodeCount[i]++;
      episodeReturn[i] = 0;
    }

    /** Rolls this slice's environments {@code steps} steps with the current policy; then the values of the states reached. */
    void rollout(float[] nextValues) {
      episodes = 0;
      sumReturn = 0;
      successes = 0;
      sumCoverage = 0;
      sumLength = 0;
      int k = to - from;
      for (int t = 0; t < steps; t++) {
        evaluate(t);
        for (int i = 0; i < k; i++) {
          int row = t * n + from + i;
          double ax = 0, ay = 0, lp = 0;
          for (int a = 0; a < PpoNetworks.ACTIONS; a++) {
            double mean = actorWs.output()[i * PpoNetworks.ACTIONS + a], logStd = params[nets.logStdOffset + a];
            double eps = rngs[i].nextGaussian();
            double act = mean + Math.exp(logStd) * eps;
            actions[row * PpoNetworks.ACTIONS + a] = (float) act;
            lp += -0.5 * eps * eps - logStd - 0.5 * Math.log(2 * Math.PI);
            double clipped = Math.max(-1, Math.min(1, act));
            if (a == 0) ax = clipped;
            else ay = clipped;
          }
          logProbs[row] = (float) lp;
          values[row] = criticWs.output()[i];
          PushTEnv env = envs[i];
          double tx = clamp(env.agentX() + c.actionScalePixels() * ax), ty = clamp(env.agentY() + c.actionScalePixels() * ay);
          env.step(tx, ty);
          double r = tasks[i].reward(env);
          rewards[row] = (float) r;
          episodeReturn[i] += r;
          boolean done = env.terminated() || env.truncated();
          dones[row] = done;
          if (done) {
            episodes++;
            sumReturn += episodeReturn[i];
            if (env.terminated()) successes++;
            sumCoverage += env.coverage();
            sumLength += env.stepCount();
            startEpisode(i);
          }
        }
      }
      evaluate(-1);
      for (int i = 0; i < k; i++) nextValues[from + i] = criticWs.output()[i];
    }

    /** Observes every environment of the slice (into the buffer at step {@code t} unless t < 0) and runs actor and critic on them. */
    private void evaluate(int t) {
      int k = to - from, f = PushTask.OBSERVATIONS;
      for (int i = 0; i < k; i++) {
        tasks[i].observe(actorWs.input(), i * f);
        if (t >= 0) System.arraycopy(actorWs.input(), i * f, obs, (t * n + from + i) * f, f);
      }
      System.arraycopy(actorWs.input(), 0, criticWs.input(), 0, k * f);
      nets.actor.forward(params, 0, actorWs, k);
      nets.critic.forward(params, nets.criticOffset, criticWs, k);
    }
  }

  private static double clamp(double v) {
    return Math.max(0, Math.min(512, v));
  }

  private void parallel(List<Runnable> tasks) {
    if (pool == null) {
      tasks.forEach(Runnable::run);
      return;
    }
    List<Future<?>> futures = new ArrayList<>();
    for (Runnable t : tasks) futures.add(pool.submit(t));
    for (Future<?> f : futures) {
      try {
        f.get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted", e);
      } catch (java.util.concurrent.ExecutionException e) {
        if (e.getCause() instanceof RuntimeException re) throw re;
        if (e.getCause() instanceof Error err) throw err;
        throw new IllegalStateException(e.getCause());
      }
    }
  }

  /** Rolls out, computes advantages, learns: one update. */
  private UpdateStats update(long update, double elapsedBefore, long t0) {
    float[] nextValues = new float[n];
    if (fresh || (update - 1) % c.checkpointEveryUpdates() == 0) for (Worker w : workers) w.resetAll();
    fresh = false;
    List<Runnable> rollouts = new ArrayList<>();
    for (Worker w : workers) rollouts.add(() -> w.rollout(nextValues));
    long tr = System.nanoTime();
    parallel(rollouts);
    long tl = System.nanoTime();
    gae(nextValues);
    double lr = c.annealLearningRate() ? c.learningRate() * (1.0 - (update - 1.0) / c.updates()) : c.learningRate();
    double[] losses = learn(update, lr);
    int episodes = 0, successes = 0;
    double sumReturn = 0, sumCoverage = 0;
    long sumLength = 0;
    for (Worker w : workers) {
      episodes += w.episodes;
      successes += w.successes;
      sumReturn += w.sumReturn;
      sumCoverage += w.sumCoverage;
      sumLength += w.sumLength;
    }
    long end = System.nanoTime();
    double seconds = (end - t0) / 1e9;
    double meanStd = 0;
    for (int a = 0; a < PpoNetworks.ACTIONS; a++) meanStd += Math.exp(params[nets.logStdOffset + a]) / PpoNetworks.ACTIONS;
    return new UpdateStats(update, update * c.batchSteps(), elapsedBefore + seconds, c.batchSteps() / ((end - tr) / 1e9), episodes,
        episodes == 0 ? Double.NaN : sumReturn / episodes, episodes == 0 ? Double.NaN : successes / (double) episodes,
        episodes == 0 ? Double.NaN : sumCoverage / episodes, episodes == 0 ? Double.NaN : sumLength / (double) episodes,
        losses[0], losses[1], losses[2], losses[3], losses[4], lr, meanStd, (tl - tr) / 1e9, (end - tl) / 1e9);
  }

  /** Generalised advantage estimation (Schulman et al. 2016); an ended episode (success or step limit) bootstraps nothing. */
  private void gae(float[] nextValues) {
    for (int e = 0; e < n; e++) {
      double last = 0;
      for (int t = steps - 1; t >= 0; t--) {
        int row = t * n + e;
        double next = t == steps - 1 ? nextValues[e] : values[row + n];
        double notDone = dones[row] ? 0 : 1;
        double delta = rewards[row] + c.gamma() * next * notDone - values[row];
        last = delta + c.gamma() * c.gaeLambda() * notDone * last;
        advantages[row] = (float) last;
        returns[row] = (float) (last + values[row]);
      }
    }
  }

  /**
   * {@code epochs} passes of minibatch updates over the batch; returns the last epoch's mean policy loss,
   * value loss, entropy, approximate KL and clip fraction.
   */
  private double[] learn(long update, double lr) {
    int batch = n * steps, size = batch / c.minibatches();
    int[] order = new int[batch];
    for (int i = 0; i < batch; i++) order[i] = i;
    SplitMix shuffle = new SplitMix(SplitMix.mix(c.seed() ^ 0x5EED, update));
    int chunks = (size + CHUNK - 1) / CHUNK;
    float[][] chunkGrads = new float[chunks][nets.parameters];
    double[][] chunkStats = new double[chunks][5];
    float[] grad = new float[nets.parameters];
    double[] sums = new double[5];
    for (int epoch = 0; epoch < c.epochs(); epoch++) {
      for (int i = batch - 1; i > 0; i--) {
        int j = (int) Math.floorMod(shuffle.nextLong(), (long) (i + 1));
        int tmp = order[i];
        order[i] = order[j];
        order[j] = tmp;
      }
      java.util.Arrays.fill(sums, 0);
      for (int mb = 0; mb < c.minibatches(); mb++) {
        int start = mb * size;
        double[] advStats = advantageStats(order, start, size);
        nets.actor.transpose(params, 0, actorT);
        nets.critic.transpose(params, nets.criticOffset, criticT);
        List<Runnable> jobs = new ArrayList<>();
        for (int w = 0; w < workers.length; w++) {
          int worker = w;
          jobs.add(() -> {
            for (int ch = worker; ch < chunks; ch += workers.length) {
              java.util.Arrays.fill(chunkGrads[ch], 0);
              int from = start + ch * CHUNK, rows = Math.min(CHUNK, size - ch * CHUNK);
              chunkGradient(workers[worker], order, from, rows, size, advStats, chunkGrads[ch], chunkStats[ch]);
            }
          });
        }
        parallel(jobs);
        java.util.Arrays.fill(grad, 0);
        for (int ch = 0; ch < chunks; ch++) {
          float[] g = chunkGrads[ch];
          for (int p = 0; p < grad.length; p++) grad[p] += g[p];
          for (int s = 0; s < 5; s++) sums[s] += chunkStats[ch][s];
        }
        clipNorm(grad, c.maxGradNorm());
        adam.step(params, grad, lr);
      }
    }
    for (int s = 0; s < 5; s++) sums[s] /= batch;
    return sums;
  }

  /** Mean and standard deviation of the minibatch's advantages (normalised per minibatch, as CleanRL does). */
  private double[] advantageStats(int[] order, int start, int size) {
    double sum = 0, sq = 0;
    for (int i = start; i < start + size; i++) sum += advantages[order[i]];
    double mean = sum / size;
    for (int i = start; i < start + size; i++) sq += (advantages[order[i]] - mean) * (advantages[order[i]] - mean);
    return new double[] {mean, Math.sqrt(sq / Math.max(1, size - 1)) + 1e-8};
  }

  /**
   * The gradient of the minibatch loss (divided by the minibatch {@code size}) over {@code rows} rows
   * starting at {@code order[from]}, added to {@code g}; {@code stats}: summed policy loss, value loss,
   * entropy, approximate KL and clipped-ratio count over the rows.
   */
  private void chunkGradient(Worker w, int[] order, int from, int rows, int size, double[] adv, float[] g, double[] stats) {
    int f = PushTask.OBSERVATIONS, na = PpoNetworks.ACTIONS;
    Mlp.Workspace aw = w.gradActorWs, cw = w.gradCriticWs;
    for (int r = 0; r < rows; r++) {
      int row = order[from + r];
      System.arraycopy(obs, row * f, aw.input(), r * f, f);
      System.arraycopy(obs, row * f, cw.input(), r * f, f);
    }
    nets.actor.forward(params, 0, aw, rows);
    nets.critic.forward(params, nets.criticOffset, cw, rows);
    java.util.Arrays.fill(stats, 0);
    double entropyPerRow = 0;
    for (int a = 0; a < na; a++) entropyPerRow += params[nets.logStdOffset + a] + 0.5 * (1 + Math.log(2 * Math.PI));
    for (int r = 0; r < rows; r++) {
      int row = order[from + r];
      double logp = 0;
      for (int a = 0; a < na; a++) {
        double logStd = params[nets.logStdOffset + a], z = (actions[row * na + a] - aw.output()[r * na + a]) / Math.exp(logStd);
        logp += -0.5 * z * z - logStd - 0.5 * Math.log(2 * Math.PI);
      }
      double logRatio = logp - logProbs[row], ratio = Math.exp(logRatio);
      double advantage = (advantages[row] - adv[0]) / adv[1];
      double unclipped = -advantage * ratio, clipped = -advantage * Math.max(1 - c.clip(), Math.min(1 + c.clip(), ratio));
      // d loss / d logp: the unclipped branch carries the gradient when it is the larger (the pessimistic bound)
      double dLogp = unclipped >= clipped ? -advantage * ratio / size : 0;
      for (int a = 0; a < na; a++) {
        double logStd = params[nets.logStdOffset + a], std = Math.exp(logStd);
        double diff = actions[row * na + a] - aw.output()[r * na + a];
        aw.outputGradient()[r * na + a] = (float) (dLogp * diff / (std * std));
        g[nets.logStdOffset + a] += (float) (dLogp * (diff * diff / (std * std) - 1) - c.entropyCoef() / size);
      }
      // value loss 0.5 (v - R)^2; clipped: 0.5 * max((v - R)^2, (v_old + clip(v - v_old) - R)^2)
      double v = cw.output()[r], ret = returns[row], old = values[row];
      double lossU = (v - ret) * (v - ret), lossC = lossU, dV = v - ret;
      if (c.clipValueLoss()) {
        double vClipped = old + Math.max(-c.clip(), Math.min(c.clip(), v - old));
        lossC = (vClipped - ret) * (vClipped - ret);
        if (lossU < lossC) dV = Math.abs(v - old) < c.clip() ? vClipped - ret : 0;
      }
      cw.outputGradient()[r] = (float) (c.valueCoef() * dV / size);
      stats[0] += Math.max(unclipped, clipped);
      stats[1] += 0.5 * Math.max(lossU, lossC);
      stats[2] += entropyPerRow;
      stats[3] += (ratio - 1) - logRatio;
      stats[4] += Math.abs(ratio - 1) > c.clip() ? 1 : 0;
    }
    nets.actor.backward(actorT, aw, rows, g, 0);
    nets.critic.backward(criticT, cw, rows, g, nets.criticOffset);
  }

  private static void clipNorm(float[] g, double max) {
    double sq = 0;
    for (float x : g) sq += (double) x * x;
    double norm = Math.sqrt(sq);
    if (!Double.isFinite(norm)) throw new IllegalStateException("PPO gradient norm is " + norm + "; stopping before the update");
    if (norm > max) {
      float s = (float) (max / norm);
      for (int i = 0; i < g.length; i++) g[i] *= s;
    }
  }

  /**
   * Trains (or resumes) {@code config} in {@code dir}.
   *
   * @throws IllegalArgumentException when {@code dir} holds a run of another config (other than its
   *     {@code totalSteps} or {@code threads}), or checkpoints would restart episodes before they can end.
   *     Raising {@code totalSteps} of a finished run continues it, but not as one longer run would have: the
   *     step size's anneal restarts from the new total, and episodes restart unless the old total fell on a
   *     checkpoint period.
   */
  public static Result train(PpoConfig config, Path dir, Listener listener) throws IOException {
    Scene scene = PpoRun.scene(config); // a wrong scene fails before the folder records the config
    int maxSteps = scene.physics().maxSteps();
    if ((long) config.checkpointEveryUpdates() * config.rolloutSteps() < maxSteps) {
      throw new IllegalArgumentException("ppo config: checkpointEveryUpdates x rolloutSteps = " + (long) config.checkpointEveryUpdates()
          * config.rolloutSteps() + " steps, fewer than the scene's " + maxSteps + "-step episodes: every checkpoint restarts the episodes "
          + "in flight, so none would ever reach the step limit");
    }
    PpoRun run = PpoRun.open(config, dir);
    PpoNetworks nets = new PpoNetworks(config.hidden(), config.layers());
    PpoRun.Checkpoint from = run.latest();
    float[] params;
    Adam adam;
    long done;
    double elapsed;
    if (from == null) {
      params = nets.initialise(new SplitMix(SplitMix.mix(config.seed(), -1)), config.initialLogStd());
      adam = new Adam(params.length);
      done = 0;
      elapsed = 0;
    } else {
      params = from.params();
      adam = from.adam();
      done = from.update();
      elapsed = from.seconds();
      listener.resumed(done);
    }
    Ppo ppo = new Ppo(config, scene, params, adam);
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
        if (u % config.checkpointEveryUpdates() == 0 || u == total) run.checkpoint(u, s, params, adam, ppo.streams());
      }
      return new Result(run.dir(), total, total * config.batchSteps(), last == null ? elapsed : last.seconds(), last);
    } finally {
      if (ppo.pool != null) ppo.pool.shutdownNow();
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
    if (s.length != 2 * n) throw new IllegalArgumentException("checkpoint holds " + s.length / 2 + " environments' streams, the config " + n);
    for (Worker w : workers) {
      for (int i = 0; i < w.to - w.from; i++) {
        w.rngs[i].setState(s[2 * (w.from + i)]);
        w.episodeCount[i] = s[2 * (w.from + i) + 1];
      }
    }
  }
}
