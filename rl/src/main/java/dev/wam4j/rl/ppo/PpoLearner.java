package dev.wam4j.rl.ppo;

import dev.wam4j.model.mlp.Adam;
import dev.wam4j.model.mlp.Mlp;
import dev.wam4j.model.mlp.SplitMix;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * PPO's learning half, whatever the environment: the rollout buffers ({@code [step][env]} rows that
 * a rollout fills), generalised advantage estimation, then {@code epochs} passes of
 * clipped-objective minibatch updates with the value loss, an entropy bonus, global-norm gradient
 * clipping and Adam. A minibatch's gradient is the sum of fixed chunks of {@link #CHUNK} rows in
 * order, spread over the workers, so the result does not depend on the number of threads.
 */
final class PpoLearner {
  /**
   * Rows per gradient chunk: a minibatch's gradient is the sum of its chunks' in order, whatever
   * the threads.
   */
  static final int CHUNK = 64;

  /**
   * What the learner optimises; see {@link PpoConfig} for each.
   *
   * @param seed seeds the minibatch shuffles (mixed with the update index)
   */
  record Objective(
      double gamma,
      double gaeLambda,
      int epochs,
      int minibatches,
      double clip,
      boolean clipValueLoss,
      double entropyCoef,
      double valueCoef,
      double maxGradNorm,
      long seed) {}

  final int n;
  final int steps;
  final float[] obs;
  final float[] actions;
  final float[] logProbs;
  final float[] values;
  final float[] rewards;
  final boolean[] dones;
  private final float[] advantages;
  private final float[] returns;
  private final Objective o;
  private final PpoNetworks nets;
  private final float[] params;
  private final Adam adam;
  private final Workers workers;
  private final Mlp.Workspace[] actorWs;
  private final Mlp.Workspace[] criticWs;
  // the weights transposed for backward, refreshed before each minibatch
  private final float[] actorT;
  private final float[] criticT;

  PpoLearner(
      Objective o,
      PpoNetworks nets,
      float[] params,
      Adam adam,
      int envs,
      int steps,
      Workers workers) {
    int batch = envs * steps;
    if (batch % o.minibatches() != 0)
      throw new IllegalArgumentException(
          "minibatches " + o.minibatches() + " must divide the batch " + batch);
    this.o = o;
    this.nets = nets;
    this.params = params;
    this.adam = adam;
    this.n = envs;
    this.steps = steps;
    this.workers = workers;
    obs = new float[batch * nets.observations];
    actions = new float[batch * nets.actions];
    logProbs = new float[batch];
    values = new float[batch];
    rewards = new float[batch];
    dones = new boolean[batch];
    advantages = new float[batch];
    returns = new float[batch];
    actorT = new float[nets.actor.transposedSize()];
    criticT = new float[nets.critic.transposedSize()];
    actorWs = new Mlp.Workspace[workers.threads()];
    criticWs = new Mlp.Workspace[workers.threads()];
    for (int w = 0; w < workers.threads(); w++) {
      actorWs[w] = nets.actor.workspace(CHUNK);
      criticWs[w] = nets.critic.workspace(CHUNK);
    }
  }

  /**
   * Learns from the filled buffers: advantages, then the epochs of minibatch updates at step size
   * {@code lr}.
   *
   * @param nextValues the critic's value of each environment's state after the rollout's last step
   * @return the last epoch's mean policy loss, value loss, entropy, approximate KL and clip
   *     fraction
   */
  double[] learn(float[] nextValues, long update, double lr) {
    gae(nextValues);
    return epochs(update, lr);
  }

  /**
   * Generalised advantage estimation (Schulman et al. 2016); an ended episode (success or step
   * limit) bootstraps nothing.
   */
  private void gae(float[] nextValues) {
    for (int e = 0; e < n; e++) {
      double last = 0;
      for (int t = steps - 1; t >= 0; t--) {
        int row = t * n + e;
        double next = t == steps - 1 ? nextValues[e] : values[row + n];
        double notDone = dones[row] ? 0 : 1;
        double delta = rewards[row] + o.gamma() * next * notDone - values[row];
        last = delta + o.gamma() * o.gaeLambda() * notDone * last;
        advantages[row] = (float) last;
        returns[row] = (float) (last + values[row]);
      }
    }
  }

  private double[] epochs(long update, double lr) {
    int batch = n * steps, size = batch / o.minibatches();
    int[] order = new int[batch];
    for (int i = 0; i < batch; i++) order[i] = i;
    SplitMix shuffle = new SplitMix(SplitMix.mix(o.seed() ^ 0x5EED, update));
    int chunks = (size + CHUNK - 1) / CHUNK, threads = workers.threads();
    float[][] chunkGrads = new float[chunks][nets.parameters];
    double[][] chunkStats = new double[chunks][5];
    float[] grad = new float[nets.parameters];
    double[] sums = new double[5];
    for (int epoch = 0; epoch < o.epochs(); epoch++) {
      for (int i = batch - 1; i > 0; i--) {
        int j = (int) Math.floorMod(shuffle.nextLong(), (long) (i + 1));
        int tmp = order[i];
        order[i] = order[j];
        order[j] = tmp;
      }
      Arrays.fill(sums, 0);
      for (int mb = 0; mb < o.minibatches(); mb++) {
        int start = mb * size;
        double[] advStats = advantageStats(order, start, size);
        nets.actor.transpose(params, 0, actorT);
        nets.critic.transpose(params, nets.criticOffset, criticT);
        List<Runnable> jobs = new ArrayList<>();
        for (int w = 0; w < threads; w++) {
          int worker = w;
          jobs.add(
              () -> {
                for (int ch = worker; ch < chunks; ch += threads) {
                  Arrays.fill(chunkGrads[ch], 0);
                  int from = start + ch * CHUNK, rows = Math.min(CHUNK, size - ch * CHUNK);
                  chunkGradient(
                      worker, order, from, rows, size, advStats, chunkGrads[ch], chunkStats[ch]);
                }
              });
        }
        workers.run(jobs);
        Arrays.fill(grad, 0);
        for (int ch = 0; ch < chunks; ch++) {
          float[] g = chunkGrads[ch];
          for (int p = 0; p < grad.length; p++) grad[p] += g[p];
          for (int s = 0; s < 5; s++) sums[s] += chunkStats[ch][s];
        }
        clipNorm(grad, o.maxGradNorm());
        adam.step(params, grad, lr);
      }
    }
    for (int s = 0; s < 5; s++) sums[s] /= batch;
    return sums;
  }

  /**
   * Mean and standard deviation of the minibatch's advantages (normalised per minibatch, as CleanRL
   * does).
   */
  private double[] advantageStats(int[] order, int start, int size) {
    double sum = 0, sq = 0;
    for (int i = start; i < start + size; i++) sum += advantages[order[i]];
    double mean = sum / size;
    for (int i = start; i < start + size; i++)
      sq += (advantages[order[i]] - mean) * (advantages[order[i]] - mean);
    return new double[] {mean, Math.sqrt(sq / Math.max(1, size - 1)) + 1e-8};
  }

  /**
   * The gradient of the minibatch loss (divided by the minibatch {@code size}) over {@code rows}
   * rows starting at {@code order[from]}, added to {@code g}; {@code stats}: summed policy loss,
   * value loss, entropy, approximate KL and clipped-ratio count over the rows.
   */
  private void chunkGradient(
      int worker,
      int[] order,
      int from,
      int rows,
      int size,
      double[] adv,
      float[] g,
      double[] stats) {
    int f = nets.observations, na = nets.actions;
    Mlp.Workspace aw = actorWs[worker], cw = criticWs[worker];
    for (int r = 0; r < rows; r++) {
      int row = order[from + r];
      System.arraycopy(obs, row * f, aw.input(), r * f, f);
      System.arraycopy(obs, row * f, cw.input(), r * f, f);
    }
    nets.actor.forward(params, 0, aw, rows);
    nets.critic.forward(params, nets.criticOffset, cw, rows);
    Arrays.fill(stats, 0);
    double entropyPerRow = 0;
    for (int a = 0; a < na; a++)
      entropyPerRow += params[nets.logStdOffset + a] + 0.5 * (1 + Math.log(2 * Math.PI));
    for (int r = 0; r < rows; r++) {
      int row = order[from + r];
      double logp = 0;
      for (int a = 0; a < na; a++) {
        double logStd = params[nets.logStdOffset + a],
            z = (actions[row * na + a] - aw.output()[r * na + a]) / Math.exp(logStd);
        logp += -0.5 * z * z - logStd - 0.5 * Math.log(2 * Math.PI);
      }
      double logRatio = logp - logProbs[row], ratio = Math.exp(logRatio);
      double advantage = (advantages[row] - adv[0]) / adv[1];
      double unclipped = -advantage * ratio,
          clipped = -advantage * Math.max(1 - o.clip(), Math.min(1 + o.clip(), ratio));
      // d loss / d logp: the unclipped branch carries the gradient when it is the larger (the
      // pessimistic bound)
      double dLogp = unclipped >= clipped ? -advantage * ratio / size : 0;
      for (int a = 0; a < na; a++) {
        double logStd = params[nets.logStdOffset + a], std = Math.exp(logStd);
        double diff = actions[row * na + a] - aw.output()[r * na + a];
        aw.outputGradient()[r * na + a] = (float) (dLogp * diff / (std * std));
        g[nets.logStdOffset + a] +=
            (float) (dLogp * (diff * diff / (std * std) - 1) - o.entropyCoef() / size);
      }
      // value loss 0.5 (v - R)^2; clipped: 0.5 * max((v - R)^2, (v_old + clip(v - v_old) - R)^2)
      double v = cw.output()[r], ret = returns[row], old = values[row];
      double lossU = (v - ret) * (v - ret), lossC = lossU, dV = v - ret;
      if (o.clipValueLoss()) {
        double vClipped = old + Math.max(-o.clip(), Math.min(o.clip(), v - old));
        lossC = (vClipped - ret) * (vClipped - ret);
        if (lossU < lossC) dV = Math.abs(v - old) < o.clip() ? vClipped - ret : 0;
      }
      cw.outputGradient()[r] = (float) (o.valueCoef() * dV / size);
      stats[0] += Math.max(unclipped, clipped);
      stats[1] += 0.5 * Math.max(lossU, lossC);
      stats[2] += entropyPerRow;
      stats[3] += (ratio - 1) - logRatio;
      stats[4] += Math.abs(ratio - 1) > o.clip() ? 1 : 0;
    }
    nets.actor.backward(actorT, aw, rows, g, 0);
    nets.critic.backward(criticT, cw, rows, g, nets.criticOffset);
  }

  private static void clipNorm(float[] g, double max) {
    double sq = 0;
    for (float x : g) sq += (double) x * x;
    double norm = Math.sqrt(sq);
    if (!Double.isFinite(norm))
      throw new IllegalStateException(
          "PPO gradient norm is " + norm + "; stopping before the update");
    if (norm > max) {
      float s = (float) (max / norm);
      for (int i = 0; i < g.length; i++) g[i] *= s;
    }
  }
}
