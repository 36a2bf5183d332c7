package dev.wam4j.rl.ppo;

import dev.wam4j.model.mlp.Mlp;
import dev.wam4j.sim.expert.ExpertEvaluation;
import dev.wam4j.sim.expert.Policy;
import dev.wam4j.sim.pusht.PushTEnv;
import dev.wam4j.sim.scene.Scene;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * A trained PPO actor acting deterministically (its mean action) on the privileged state: a {@link
 * Policy} like the scripted expert, so it can be evaluated, and used as a teacher, the same way.
 * One per environment (it keeps the previous state for its velocity features); allocation-free.
 */
public final class PpoPolicy implements Policy {
  private final PpoConfig config;
  private final PpoNetworks nets;
  private final float[] params;
  private final long update;
  private final Mlp.Workspace ws;
  private PushTask task;
  private PpoObservation seen;
  private boolean started;

  private PpoPolicy(PpoConfig config, float[] params, long update) {
    this.config = config;
    this.nets = config.networks();
    this.params = params;
    this.update = update;
    this.ws = nets.actor.workspace(1);
  }

  /**
   * The policy of a run folder's newest checkpoint.
   *
   * @throws IllegalArgumentException when {@code run} holds no PPO run or no checkpoint yet
   */
  public static PpoPolicy load(Path run) throws IOException {
    if (!java.nio.file.Files.isRegularFile(run.resolve(PpoRun.CONFIG))) {
      throw new IllegalArgumentException(
          run + " is not a PPO run folder (no " + PpoRun.CONFIG + ")");
    }
    PpoConfig c =
        PpoConfig.JSON.treeToValue(
            PpoConfig.JSON.readTree(run.resolve(PpoRun.CONFIG).toFile()), PpoConfig.class);
    PpoRun.Checkpoint cp = PpoRun.read(run, c.parameters());
    if (cp == null) throw new IllegalArgumentException(run + " holds no checkpoint yet");
    return new PpoPolicy(c, cp.params(), cp.update());
  }

  /** The config the policy was trained with. */
  public PpoConfig config() {
    return config;
  }

  /**
   * A copy of every weight (actor, critic, log standard deviations), in {@link PpoNetworks}'
   * layout.
   */
  float[] weights() {
    return params.clone();
  }

  /** The update whose checkpoint this is. */
  public long update() {
    return update;
  }

  /** A fresh copy for another environment (the weights are shared, read-only). */
  public PpoPolicy copy() {
    return new PpoPolicy(config, params, update);
  }

  @Override
  public void reset() {
    started = false;
  }

  @Override
  public void act(PushTEnv env, double[] actionOut) {
    if (task == null) {
      task = new PushTask(env.scene().goal().pose(), config.reward());
      seen = PpoObservation.of(config.observation(), env.scene());
    }
    if (!started) {
      task.start(env);
      seen.start(env);
      started = true;
    } else {
      task.reward(env); // only to move the state it remembers forward
      seen.step(env);
    }
    seen.write(task, ws.input(), 0);
    nets.actor.forward(params, 0, ws, 1);
    double ax = Math.max(-1, Math.min(1, ws.output()[0])),
        ay = Math.max(-1, Math.min(1, ws.output()[1]));
    actionOut[0] = Math.max(0, Math.min(512, env.agentX() + config.actionScalePixels() * ax));
    actionOut[1] = Math.max(0, Math.min(512, env.agentY() + config.actionScalePixels() * ay));
  }

  /**
   * Evaluates the policy on {@code count} legacy-reset seeds from {@code firstSeed} in {@code
   * scene} (the run's scene if null).
   */
  public List<ExpertEvaluation.Episode> evaluate(Scene scene, long firstSeed, int count)
      throws IOException {
    Scene s = scene != null ? scene : PpoRun.scene(config.scene());
    return ExpertEvaluation.run(
        s, dev.wam4j.sim.Embodiment.RobotPusher.reference(), copy(), firstSeed, count);
  }

  /**
   * What an evaluation of a run's policy found.
   *
   * @param update the checkpoint's update
   * @param scene the scene evaluated in (a name or a file)
   * @param firstSeed the first legacy reset seed
   * @param successRate share of episodes reaching the goal
   * @param meanMaxCoverage mean over episodes of the highest coverage
   * @param perSeed every episode
   */
  public record Evaluation(
      long update,
      String scene,
      long firstSeed,
      double successRate,
      double meanMaxCoverage,
      List<ExpertEvaluation.Episode> perSeed) {
    /** Episodes that reached the goal. */
    public long successes() {
      return perSeed.stream().filter(ExpertEvaluation.Episode::success).count();
    }
  }

  /**
   * The newest policy of {@code run} evaluated on {@code count} seeds from {@code firstSeed} in
   * {@code scene} (null: the run's).
   */
  public static Evaluation evaluate(Path run, String scene, long firstSeed, int count)
      throws IOException {
    PpoPolicy policy = load(run);
    List<ExpertEvaluation.Episode> episodes =
        policy.evaluate(scene == null ? null : PpoRun.scene(scene), firstSeed, count);
    double coverage =
        episodes.stream()
            .mapToDouble(ExpertEvaluation.Episode::maxCoverage)
            .average()
            .orElse(Double.NaN);
    return new Evaluation(
        policy.update(),
        scene == null ? policy.config().scene() : scene,
        firstSeed,
        ExpertEvaluation.successRate(episodes),
        coverage,
        episodes);
  }
}
