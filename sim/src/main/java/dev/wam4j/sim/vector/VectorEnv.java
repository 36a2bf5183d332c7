package dev.wam4j.sim.vector;

import dev.wam4j.sim.pusht.PushTEnv;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntFunction;

/**
 * N PushT instances stepped together across worker threads, with actions, states, rewards and
 * episode flags in flat arrays (structure of arrays): {@code actions[2 * i .. 2 * i + 1]}, {@code
 * states[5 * i .. 5 * i + 4]}, and optional HWC RGB frames after each step.
 *
 * <p>Results do not depend on the thread count: each instance belongs to exactly one worker, the
 * instances are independent, and every episode's seed is a function of (base seed, instance,
 * episode number) only. An instance whose episode ends (success or step limit) is reset at the
 * start of its next step, so {@link #states()} after a step shows the final state of the episode.
 *
 * <p>Lifecycle: construct, {@link #reset(long)}, {@link #step()} repeatedly, {@link #close()} to
 * stop the workers. Call from one thread.
 */
public final class VectorEnv implements AutoCloseable {
  /** Renders one instance's frame: (env, frameOut, offset). Owned by one worker thread. */
  public interface FrameRenderer {
    void render(PushTEnv env, byte[] out, int offset);
  }

  private final PushTEnv[] envs;
  private final FrameRenderer[] renderers;
  private final int frameBytes;
  private final double[] actions;
  private final double[] states;
  private final double[] rewards;
  private final boolean[] terminated;
  private final boolean[] truncated;
  private final byte[] frames;
  private final long[] episodeCount;
  private final int threads;

  /** Helper threads; the caller's thread steps the first share itself. */
  private final Thread[] workers;

  /** Bumped by the caller to start a step; helpers spin briefly, then park, waiting for it. */
  private volatile long generation;

  private final AtomicInteger pending = new AtomicInteger();
  private volatile boolean running = true;
  private static final int SPINS_BEFORE_PARK = 20_000;
  private volatile Throwable failure;
  private long baseSeed;
  private long totalSteps;
  private long totalResets;

  /**
   * @param count number of instances
   * @param threads worker threads (1 = step on the caller's thread)
   * @param factory builds instance i
   * @param renderers builds a renderer per worker (null: no frames)
   * @param frameBytes bytes per frame when rendering
   */
  public VectorEnv(
      int count,
      int threads,
      IntFunction<PushTEnv> factory,
      IntFunction<FrameRenderer> renderers,
      int frameBytes) {
    if (count < 1) throw new IllegalArgumentException("count must be >= 1, got " + count);
    if (threads < 1) throw new IllegalArgumentException("threads must be >= 1, got " + threads);
    this.threads = Math.min(threads, count);
    envs = new PushTEnv[count];
    for (int i = 0; i < count; i++) envs[i] = factory.apply(i);
    actions = new double[2 * count];
    states = new double[5 * count];
    rewards = new double[count];
    terminated = new boolean[count];
    truncated = new boolean[count];
    episodeCount = new long[count];
    this.renderers = new FrameRenderer[this.threads];
    if (renderers != null) {
      for (int t = 0; t < this.threads; t++) this.renderers[t] = renderers.apply(t);
      this.frameBytes = frameBytes;
      frames = new byte[count * frameBytes];
    } else {
      this.frameBytes = 0;
      frames = null;
    }
    workers = new Thread[this.threads - 1];
    for (int t = 1; t < this.threads; t++) {
      int worker = t;
      workers[t - 1] =
          Thread.ofPlatform().daemon().name("wam4j-vector-" + t).start(() -> workerLoop(worker));
    }
  }

  public int size() {
    return envs.length;
  }

  public int threads() {
    return threads;
  }

  /** The seed of episode {@code episode} of instance {@code i}. */
  public long seedOf(int i, long episode) {
    return baseSeed + i + episode * envs.length;
  }

  /** Resets every instance: instance i starts episode 0 with seed {@code baseSeed + i}. */
  public void reset(long baseSeed) {
    this.baseSeed = baseSeed;
    for (int i = 0; i < envs.length; i++) {
      episodeCount[i] = 0;
      envs[i].reset(seedOf(i, 0));
      terminated[i] = false;
      truncated[i] = false;
      rewards[i] = envs[i].reward();
      envs[i].state(states, 5 * i);
    }
    if (frames != null) {
      for (int i = 0; i < envs.length; i++) renderers[0].render(envs[i], frames, i * frameBytes);
    }
  }

  /** Steps every instance with {@link #actions()}; throws if any action is not finite. */
  public void step() {
    if (!running) throw new IllegalStateException("vector env is closed");
    // Validate every action first, so a bad one stops the whole step before any instance moves.
    for (int i = 0; i < actions.length; i++) {
      if (!Double.isFinite(actions[i]) || Math.abs(actions[i]) > PushTEnv.MAX_TARGET) {
        throw new IllegalArgumentException(
            "actions["
                + i
                + "] (instance "
                + i / 2
                + ") is "
                + actions[i]
                + "; targets must be finite and within +-"
                + PushTEnv.MAX_TARGET);
      }
    }
    failure = null;
    if (threads > 1) {
      pending.set(threads - 1);
      generation++;
      for (Thread w : workers) LockSupport.unpark(w);
    }
    RuntimeException own = null;
    try {
      stepRange(0, 0, shareEnd(0));
    } catch (RuntimeException e) {
      own = e;
    }
    // Wait for the helpers even if our share failed, so no one is mid-step when we return.
    for (int spins = 0; pending.get() != 0; spins++) {
      if (spins < SPINS_BEFORE_PARK) Thread.onSpinWait();
      else Thread.yield();
    }
    Throwable f = failure;
    failure = null;
    if (own != null) {
      if (f != null) own.addSuppressed(f);
      throw own;
    }
    if (f != null)
      throw new IllegalStateException("vector env worker failed: " + f.getMessage(), f);
    totalSteps += envs.length;
  }

  private int shareEnd(int worker) {
    return (int) ((long) envs.length * (worker + 1) / threads);
  }

  private void workerLoop(int worker) {
    int from = shareEnd(worker - 1), to = shareEnd(worker);
    long seen = 0;
    while (true) {
      for (int spins = 0; generation == seen; spins++) {
        if (!running) return;
        if (spins < SPINS_BEFORE_PARK) Thread.onSpinWait();
        else LockSupport.park(this);
      }
      seen = generation;
      if (!running) return;
      try {
        stepRange(worker, from, to);
      } catch (Throwable t) {
        failure = t;
      } finally {
        pending.decrementAndGet();
      }
    }
  }

  private void stepRange(int worker, int from, int to) {
    FrameRenderer renderer = renderers[worker];
    long resets = 0;
    for (int i = from; i < to; i++) {
      PushTEnv env = envs[i];
      if (terminated[i] || truncated[i]) {
        episodeCount[i]++;
        env.reset(seedOf(i, episodeCount[i]));
        resets++;
      }
      env.step(actions[2 * i], actions[2 * i + 1]);
      rewards[i] = env.reward();
      terminated[i] = env.terminated();
      truncated[i] = env.truncated();
      env.state(states, 5 * i);
      if (renderer != null) renderer.render(env, frames, i * frameBytes);
    }
    if (resets > 0) addResets(resets);
  }

  private synchronized void addResets(long n) {
    totalResets += n;
  }

  /** Targets, written by the caller before {@link #step()}: x, y per instance. */
  public double[] actions() {
    return actions;
  }

  /** States after the last step: 5 values per instance. */
  public double[] states() {
    return states;
  }

  public double[] rewards() {
    return rewards;
  }

  public boolean[] terminated() {
    return terminated;
  }

  public boolean[] truncated() {
    return truncated;
  }

  /** Frames after the last step (HWC RGB, {@code frameBytes} each), or null without a renderer. */
  public byte[] frames() {
    return frames;
  }

  /** The instance itself (read-only use between steps). */
  public PushTEnv env(int i) {
    return envs[i];
  }

  public long totalSteps() {
    return totalSteps;
  }

  public synchronized long totalResets() {
    return totalResets;
  }

  @Override
  public void close() {
    if (running) {
      running = false;
      for (Thread t : workers) LockSupport.unpark(t);
      for (Thread t : workers) {
        try {
          t.join(1000);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    }
  }
}
