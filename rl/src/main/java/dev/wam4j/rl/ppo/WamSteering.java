package dev.wam4j.rl.ppo;

import dev.wam4j.eval.ObservationHistory;
import dev.wam4j.model.Engines;
import dev.wam4j.model.mlp.Adam;
import dev.wam4j.model.mlp.Mlp;
import dev.wam4j.model.mlp.SplitMix;
import dev.wam4j.model.steer.PoseFeatures;
import dev.wam4j.model.steer.Steering;
import dev.wam4j.model.wam.WamPolicy;
import dev.wam4j.sim.Embodiment;
import dev.wam4j.sim.cousins.CousinConfig;
import dev.wam4j.sim.cousins.Cousins;
import dev.wam4j.sim.pusht.PushTEnv;
import dev.wam4j.sim.scene.Scene;
import java.io.IOException;
import java.nio.file.Path;

/**
 * PPO on the vision policy itself: a small actor steers a frozen world action model in the rendered
 * simulator ({@link Steering}: the flow's initial noise, DSRL; or a residual shift of its chunk). A
 * decision is one plan: every environment's observation history is perceived by the model (its pose
 * head), the actor and critic read {@link PoseFeatures} of that perception, the actor's sampled
 * output makes the chunk, and its executed steps are one transition whose reward is the sum of the
 * state teacher's per-step rewards ({@link PushTask}). Learning is {@link PpoLearner}'s, as for the
 * state teacher.
 *
 * <p>The run folder is a {@link PpoRun} ({@code steer.json}, {@code log.csv}, curves, checkpoints);
 * every checkpoint restarts the episodes and every update reseeds the model's own sampling, so a
 * resumed run continues as an uninterrupted one would (on the same engine threads). The model runs
 * one plan at a time on {@link SteerConfig#threads} intra-op threads; {@link SteeredExport} writes
 * a trained actor with its model as a checkpoint that {@code eval} and the monitor load ({@link
 * dev.wam4j.model.steer.SteeredPolicy}). Cousins may vary physics only: the observation is drawn as
 * PushT looks and the features read PushT's goal.
 */
public final class WamSteering {
  /** What a run did. */
  public record Result(
      Path dir, long updates, long plans, long envSteps, double seconds, Ppo.UpdateStats last) {}

  private final SteerConfig c;
  private final WamPolicy model;
  private final Steering steering;
  private final PpoNetworks nets;
  private final float[] params;
  private final PpoLearner learner;
  private final Workers pool = new Workers(1, "steer");
  private final Scene scene;
  private final CousinConfig cousins;
  private final int n;
  private final PushTEnv[] envs;
  private final PushTask[] tasks;
  private final ObservationHistory[] seen;
  private final SplitMix[] rngs;
  private final long[] episodeCount;
  private final double[] episodeReturn;
  private final double[][] before;
  private final boolean[] first;
  private final WamPolicy.Perception[] perceived;
  private final Mlp.Workspace actorWs;
  private final Mlp.Workspace criticWs;
  private final float[] output;
  private boolean fresh = true;
  private long envSteps;

  private WamSteering(
      SteerConfig c,
      WamPolicy model,
      Scene scene,
      CousinConfig cousins,
      float[] params,
      Adam adam) {
    this.c = c;
    this.model = model;
    this.steering = c.steering();
    this.scene = scene;
    this.cousins = cousins;
    this.nets = networks(c, model);
    this.params = params;
    n = c.envs();
    learner = new PpoLearner(c.objective(), nets, params, adam, n, c.rolloutPlans(), pool);
    envs = new PushTEnv[n];
    tasks = new PushTask[n];
    seen = new ObservationHistory[n];
    rngs = new SplitMix[n];
    episodeCount = new long[n];
    episodeReturn = new double[n];
    before = new double[n][5];
    first = new boolean[n];
    perceived = new WamPolicy.Perception[n];
    for (int i = 0; i < n; i++) {
      envs[i] = new PushTEnv(scene, Embodiment.RobotPusher.reference());
      tasks[i] = new PushTask(scene.goal().pose(), c.reward());
      seen[i] = new ObservationHistory(scene, model.imageSize(), model.historyFrames());
      rngs[i] = new SplitMix(SplitMix.mix(c.seed(), i));
    }
    actorWs = nets.actor.workspace(n);
    criticWs = nets.critic.workspace(n);
    output = new float[nets.actions];
  }

  /** The actor and critic for a model: {@link PoseFeatures} in, the steering's outputs out. */
  static PpoNetworks networks(SteerConfig c, WamPolicy model) {
    return new PpoNetworks(
        PoseFeatures.COUNT, c.steering().outputs(model.actionValues()), c.hidden(), c.layers());
  }

  private void startEpisode(int i) {
    if (cousins != null) { // domain randomisation: this episode's physics
      long draw = rngs[i].nextLong();
      Scene drawn =
          rngs[i].nextDouble() < c.cousinsShare() ? Cousins.sample(cousins, draw).scene() : scene;
      envs[i] = new PushTEnv(drawn, Embodiment.RobotPusher.reference());
      tasks[i] = new PushTask(drawn.goal().pose(), c.reward());
    }
    envs[i].reset(c.firstResetSeed() + Math.floorMod(rngs[i].nextLong(), 1_000_000_000L));
    tasks[i].start(envs[i]);
    seen[i].start(envs[i]);
    first[i] = true;
    episodeCount[i]++;
    episodeReturn[i] = 0;
  }

  /**
   * Perceives every environment and runs actor and critic on the features ({@code commit}: this is
   * a decision, so remember the state).
   */
  private void perceiveAll(int t) {
    int f = PoseFeatures.COUNT;
    for (int i = 0; i < n; i++) {
      perceived[i] = model.perceive(seen[i].images(), seen[i].positions());
      // a bootstrap perception (t < 0) must not move the velocity features' reference state on
      double[] reference = t >= 0 ? before[i] : before[i].clone();
      Steering.features(perceived[i], reference, first[i], actorWs.input(), i * f);
      if (t >= 0) {
        first[i] = false;
        System.arraycopy(actorWs.input(), i * f, learner.obs, (t * n + i) * f, f);
      }
    }
    System.arraycopy(actorWs.input(), 0, criticWs.input(), 0, n * f);
    nets.actor.forward(params, 0, actorWs, n);
    nets.critic.forward(params, nets.criticOffset, criticWs, n);
  }

  private Ppo.UpdateStats update(long update, double elapsedBefore, long t0) {
    if (fresh || (update - 1) % c.checkpointEveryUpdates() == 0)
      for (int i = 0; i < n; i++) startEpisode(i);
    fresh = false;
    model.reset(
        SplitMix.mix(
            c.seed() ^ 0x57EE_4L,
            update)); // the model's own sampling (residual mode), reproducible per update
    int na = nets.actions, execute = model.executeSteps();
    long steps = 0;
    EpisodeTally ended = new EpisodeTally();
    long tr = System.nanoTime();
    for (int t = 0; t < c.rolloutPlans(); t++) {
      perceiveAll(t);
      for (int i = 0; i < n; i++) {
        int row = t * n + i;
        double lp = 0;
        for (int a = 0; a < na; a++) {
          double mean = actorWs.output()[i * na + a],
              logStd = params[nets.logStdOffset + a],
              eps = rngs[i].nextGaussian();
          double act = mean + Math.exp(logStd) * eps;
          learner.actions[row * na + a] = (float) act;
          output[a] = (float) act;
          lp += -0.5 * eps * eps - logStd - 0.5 * Math.log(2 * Math.PI);
        }
        learner.logProbs[row] = (float) lp;
        learner.values[row] = criticWs.output()[i];
        float[] chunk = steering.chunk(model, perceived[i], output, 0);
        PushTEnv env = envs[i];
        double r = 0;
        boolean done = false;
        for (int j = 0; j < Math.min(execute, chunk.length / 2) && !done; j++) {
          env.step(chunk[2 * j], chunk[2 * j + 1]);
          r += tasks[i].reward(env);
          seen[i].step(env);
          steps++;
          done = env.terminated() || env.truncated();
        }
        learner.rewards[row] = (float) r;
        learner.dones[row] = done;
        episodeReturn[i] += r;
        if (done) {
          ended.ended(env, episodeReturn[i]);
          startEpisode(i);
        }
      }
    }
    perceiveAll(-1);
    float[] nextValues = new float[n];
    for (int i = 0; i < n; i++) nextValues[i] = criticWs.output()[i];
    long tl = System.nanoTime();
    double lr =
        c.annealLearningRate()
            ? c.learningRate() * (1.0 - (update - 1.0) / c.updates())
            : c.learningRate();
    double[] losses = learner.learn(nextValues, update, lr);
    long end = System.nanoTime();
    envSteps += steps;
    double meanStd = 0;
    for (int a = 0; a < na; a++) meanStd += Math.exp(params[nets.logStdOffset + a]) / na;
    return new Ppo.UpdateStats(
        update,
        envSteps,
        elapsedBefore + (end - t0) / 1e9,
        steps / ((end - tr) / 1e9),
        ended.episodes,
        ended.meanReturn(),
        ended.successRate(),
        ended.meanFinalCoverage(),
        ended.meanLength(),
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
   * @throws IllegalArgumentException when {@code dir} holds a run of another config, the model has
   *     no pose head, or checkpoints would restart episodes before they can end
   */
  public static Result train(SteerConfig config, Path dir, Ppo.Listener listener)
      throws IOException {
    Scene scene = PpoRun.scene(config.scene());
    CousinConfig cousins =
        PpoRun.physicsOnly(PpoRun.cousins(config.scene(), config.cousins()), "rl steer");
    Engines.useThreads(config.threads());
    try (WamPolicy model = WamPolicy.load(Path.of(config.model()))) {
      if (!model.config().hasPoseHead())
        throw new IllegalArgumentException(
            "steer: the model " + config.model() + " has no pose head to read");
      int maxSteps = scene.physics().maxSteps();
      if ((long) config.checkpointEveryUpdates() * config.rolloutPlans() * model.executeSteps()
          < maxSteps) {
        throw new IllegalArgumentException(
            "steer config: checkpointEveryUpdates x rolloutPlans x the model's "
                + model.executeSteps()
                + " executed steps per plan is fewer than the scene's "
                + maxSteps
                + "-step episodes: every checkpoint restarts the episodes");
      }
      PpoRun run = PpoRun.open(config, dir);
      PpoNetworks nets = networks(config, model);
      PpoRun.Checkpoint from = run.latest(nets.parameters);
      float[] params =
          from == null
              ? nets.initialise(
                  new SplitMix(SplitMix.mix(config.seed(), -1)), config.initialLogStd())
              : from.params();
      Adam adam = from == null ? new Adam(params.length) : from.adam();
      long done = from == null ? 0 : from.update();
      double elapsed = from == null ? 0 : from.seconds();
      if (from != null) listener.resumed(done);
      if (from != null && done >= config.updates())
        run.redrawCurves(); // a finished run: only the curves, as drawn now
      WamSteering s = new WamSteering(config, model, scene, cousins, params, adam);
      try {
        Ppo.UpdateStats last = from == null ? null : from.last();
        if (from != null) s.restore(from.streams(), last.envSteps());
        long total = config.updates(), t0 = System.nanoTime();
        for (long u = done + 1; u <= total; u++) {
          last = s.update(u, elapsed, t0);
          run.log(last);
          listener.update(last, total);
          if (u % config.checkpointEveryUpdates() == 0 || u == total)
            run.checkpoint(u, last, params, adam, s.streams());
        }
        return new Result(
            run.dir(),
            total,
            total * config.batchPlans(),
            last == null ? 0 : last.envSteps(),
            last == null ? elapsed : last.seconds(),
            last);
      } finally {
        s.pool.close();
      }
    }
  }

  private long[] streams() {
    long[] s = new long[2 * n];
    for (int i = 0; i < n; i++) {
      s[2 * i] = rngs[i].state();
      s[2 * i + 1] = episodeCount[i];
    }
    return s;
  }

  private void restore(long[] s, long stepsSoFar) {
    if (s.length != 2 * n)
      throw new IllegalArgumentException(
          "checkpoint holds " + s.length / 2 + " environments' streams, the config " + n);
    for (int i = 0; i < n; i++) {
      rngs[i].setState(s[2 * i]);
      episodeCount[i] = s[2 * i + 1];
    }
    envSteps = stepsSoFar;
  }
}
