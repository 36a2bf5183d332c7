package dev.wam4j.rl.ppo;

import dev.wam4j.model.mlp.SplitMix;
import dev.wam4j.sim.Embodiment;
import dev.wam4j.sim.pusht.PushTEnv;
import dev.wam4j.sim.scene.Scene;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Throughput of the PPO loop against the raw simulator, side by side in one process: for each
 * thread count, the same environments stepped with random targets (the simulator alone), then PPO
 * updates (policy forward, sampling, stepping, rewards, advantages, learning). The first update and
 * the first {@link #RAW_WARMUP_SECONDS} of raw stepping are JIT warm-up and not timed; raw stepping
 * is then timed for at least {@link #RAW_SECONDS}.
 */
public final class PpoBench {
  /**
   * One thread count's figures.
   *
   * @param rawStepsPerSecond the simulator alone
   * @param loopStepsPerSecond the whole PPO loop
   * @param rolloutStepsPerSecond its rollouts alone (forward, sampling, stepping, rewards)
   * @param loopShareOfRaw loop / raw
   */
  public record Row(
      int threads,
      int envs,
      double rawStepsPerSecond,
      double loopStepsPerSecond,
      double rolloutStepsPerSecond,
      double loopShareOfRaw) {}

  static final double RAW_WARMUP_SECONDS = 1;
  static final double RAW_SECONDS = 3;

  private PpoBench() {}

  /**
   * Measures {@code updates} timed updates (after one untimed) per thread count; the runs go to a
   * temporary folder, deleted after.
   */
  public static List<Row> run(PpoConfig config, int[] threads, int updates) throws IOException {
    if (updates < 1)
      throw new IllegalArgumentException("bench updates must be >= 1, got " + updates);
    for (int t : threads)
      if (t < 1) throw new IllegalArgumentException("bench thread counts must be >= 1, got " + t);
    Path scratch = Files.createTempDirectory("wam4j-ppo-bench-");
    try {
      return run(config, threads, updates, scratch);
    } finally {
      try (var walk = Files.walk(scratch)) {
        for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList())
          Files.deleteIfExists(p);
      }
    }
  }

  private static List<Row> run(PpoConfig config, int[] threads, int updates, Path scratch)
      throws IOException {
    Scene scene = PpoRun.scene(config.scene());
    List<Row> rows = new ArrayList<>();
    for (int t : threads) {
      double raw = rawStepsPerSecond(scene, config.envs(), t, config.rolloutSteps(), config.seed());
      PpoConfig c = config.withThreads(t).withTotalSteps((updates + 1) * config.batchSteps());
      double[] time = new double[2]; // loop seconds, rollout seconds over the timed updates
      Path dir = Files.createTempDirectory(scratch, "ppo-bench-");
      Ppo.train(
          c,
          dir,
          (s, total) -> {
            if (s.update() > 1) {
              time[0] += s.rolloutSeconds() + s.learnSeconds();
              time[1] += s.rolloutSeconds();
            }
          });
      double steps = updates * (double) config.batchSteps();
      rows.add(
          new Row(t, config.envs(), raw, steps / time[0], steps / time[1], steps / time[0] / raw));
    }
    return rows;
  }

  /**
   * The steering loop ({@link WamSteering}: the model's perception and sampling, the actor,
   * stepping, rendering, learning) against the raw simulator on the same threads, in one process:
   * {@code threads} is the model engine's intra-op threads, fixed when the engine starts, so one
   * count per process.
   */
  public static Row steer(SteerConfig config, int threads, int updates) throws IOException {
    if (updates < 1)
      throw new IllegalArgumentException("bench updates must be >= 1, got " + updates);
    if (threads < 1)
      throw new IllegalArgumentException("bench thread count must be >= 1, got " + threads);
    double raw =
        rawStepsPerSecond(PpoRun.scene(config.scene()), config.envs(), threads, 128, config.seed());
    Path scratch = Files.createTempDirectory("wam4j-steer-bench-");
    try {
      double[] time = new double[2];
      long[] steps = new long[2]; // env steps after the untimed update, after the last
      SteerConfig c = config.with((updates + 1) * config.batchPlans(), threads);
      WamSteering.train(
          c,
          scratch.resolve("run"),
          (s, total) -> {
            if (s.update() == 1) steps[0] = s.envSteps();
            else {
              time[0] += s.rolloutSeconds() + s.learnSeconds();
              time[1] += s.rolloutSeconds();
              steps[1] = s.envSteps();
            }
          });
      double n = steps[1] - steps[0];
      return new Row(threads, config.envs(), raw, n / time[0], n / time[1], n / time[0] / raw);
    } finally {
      try (var walk = Files.walk(scratch)) {
        for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList())
          Files.deleteIfExists(p);
      }
    }
  }

  /**
   * The simulator alone: {@code envs} environments on {@code threads} threads, random targets near
   * the pusher, auto-reset, in rounds of {@code stepsPerEnv} steps per environment.
   */
  static double rawStepsPerSecond(Scene scene, int envs, int threads, int stepsPerEnv, long seed) {
    int k = Math.min(threads, envs);
    ExecutorService pool = Executors.newFixedThreadPool(k);
    try {
      List<Runnable> slices = new ArrayList<>();
      for (int w = 0; w < k; w++)
        slices.add(new Slice(scene, envs * w / k, envs * (w + 1) / k, stepsPerEnv, seed));
      long w0 = System.nanoTime();
      while (System.nanoTime() - w0 < RAW_WARMUP_SECONDS * 1e9) runAll(pool, slices);
      long t0 = System.nanoTime(), rounds = 0;
      while (System.nanoTime() - t0 < RAW_SECONDS * 1e9) {
        runAll(pool, slices);
        rounds++;
      }
      return (double) rounds * envs * stepsPerEnv / ((System.nanoTime() - t0) / 1e9);
    } finally {
      pool.shutdownNow();
    }
  }

  /**
   * One thread's environments, built and reset once; each run steps them {@code steps} more steps.
   */
  private static final class Slice implements Runnable {
    private final PushTEnv[] envs;
    private final SplitMix[] rng;
    private final int steps;

    Slice(Scene scene, int from, int to, int steps, long seed) {
      this.steps = steps;
      envs = new PushTEnv[to - from];
      rng = new SplitMix[to - from];
      for (int i = 0; i < envs.length; i++) {
        envs[i] = new PushTEnv(scene, Embodiment.RobotPusher.reference());
        rng[i] = new SplitMix(SplitMix.mix(seed, from + i));
        envs[i].reset(10_000_000 + from + i);
      }
    }

    @Override
    public void run() {
      for (int t = 0; t < steps; t++) {
        for (int i = 0; i < envs.length; i++) {
          PushTEnv e = envs[i];
          e.step(
              Math.max(0, Math.min(512, e.agentX() + 60 * (2 * rng[i].nextDouble() - 1))),
              Math.max(0, Math.min(512, e.agentY() + 60 * (2 * rng[i].nextDouble() - 1))));
          if (e.terminated() || e.truncated())
            e.reset(10_000_000 + Math.floorMod(rng[i].nextLong(), 1_000_000_000L));
        }
      }
    }
  }

  private static void runAll(ExecutorService pool, List<Runnable> tasks) {
    List<Future<?>> fs = new ArrayList<>();
    for (Runnable r : tasks) fs.add(pool.submit(r));
    for (Future<?> f : fs) {
      try {
        f.get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      } catch (java.util.concurrent.ExecutionException e) {
        throw new IllegalStateException(e.getCause());
      }
    }
  }
}
