package dev.wam4j.rl.dagger;

import dev.wam4j.data.lerobot.write.LeRobotWriteConfig;
import dev.wam4j.data.lerobot.write.LeRobotWriter;
import dev.wam4j.data.lerobot.write.WriteFeature;
import dev.wam4j.data.loader.TrainingLoader;
import dev.wam4j.data.pusht.PushTSchema;
import dev.wam4j.eval.ClosedLoopEvaluation;
import dev.wam4j.eval.ObservationHistory;
import dev.wam4j.model.policy.ChunkPolicy;
import dev.wam4j.model.policy.Plan;
import dev.wam4j.sim.Embodiment;
import dev.wam4j.sim.pusht.PushTEnv;
import dev.wam4j.sim.scene.Scene;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.IntConsumer;

/**
 * One DAgger round's data: the student drives PushT from seeded legacy resets (with probability
 * {@code beta} per plan the teacher's chunk is executed instead), and every visited state is
 * written with the teacher's action chunk from it ({@link TrainingLoader#TEACHER_CHUNK}) and the
 * block's pose ({@link TrainingLoader#TEACHER_BLOCK_POSE}) beside what was actually done. The
 * result is a LeRobot v3.0 dataset with the protocol's observations (96x96 frames, agent position),
 * so the student trains on the states its own mistakes lead to, labelled by a teacher that knows
 * the block's pose. With {@code beta} 1 (or no student) it records the expert itself.
 */
public final class DaggerCollector {
  private DaggerCollector() {}

  /**
   * @param firstSeed legacy reset seed of episode 0 (keep clear of the evaluation seeds)
   * @param episodes episodes to roll out, >= 1
   * @param beta probability, per plan, that the teacher's chunk runs instead of the student's, in
   *     [0, 1]
   * @param horizon actions per teacher label (the student's action horizon)
   * @param maxSteps control steps per episode at most (the protocol's 300)
   * @param seed seed of the mixing draws and the student's sampling noise
   */
  public record Config(
      long firstSeed, int episodes, double beta, int horizon, int maxSteps, long seed) {
    public Config {
      if (episodes < 1)
        throw new IllegalArgumentException(
            "dagger collect: episodes must be >= 1, got " + episodes);
      if (!(beta >= 0 && beta <= 1))
        throw new IllegalArgumentException("dagger collect: beta must lie in [0, 1], got " + beta);
      if (horizon < 1)
        throw new IllegalArgumentException("dagger collect: horizon must be >= 1, got " + horizon);
      if (maxSteps < 1)
        throw new IllegalArgumentException(
            "dagger collect: maxSteps must be >= 1, got " + maxSteps);
      if (firstSeed < 0 || firstSeed + episodes - 1 > 0xFFFF_FFFFL) {
        throw new IllegalArgumentException(
            "dagger collect: seeds "
                + firstSeed
                + ".."
                + (firstSeed + episodes - 1)
                + " must lie in 0..2^32-1");
      }
    }
  }

  /**
   * What a round collected.
   *
   * @param frames labelled states written
   * @param successes episodes that ended in success
   * @param meanMaxCoverage mean over episodes of max min(coverage / 0.95, 1), as the protocol
   *     scores it
   * @param teacherPlans plans the teacher executed (beta's draws)
   * @param studentPlans plans the student executed
   */
  public record Result(
      Path dataset,
      int episodes,
      long frames,
      int successes,
      double meanMaxCoverage,
      long teacherPlans,
      long studentPlans,
      double seconds) {}

  static final int IMAGE_SIZE = 96;

  /**
   * Rolls out and writes the dataset to {@code out} (published atomically by the writer).
   *
   * @param student the policy being trained, or null when {@code beta} is 1 (the expert drives)
   * @param progress called with the number of finished episodes
   */
  public static Result collect(ChunkPolicy student, Config config, Path out, IntConsumer progress)
      throws IOException {
    if (student == null && config.beta() < 1)
      throw new IllegalArgumentException(
          "dagger collect: beta " + config.beta() + " needs a student");
    if (student != null && (student.imageSize() != IMAGE_SIZE)) {
      throw new IllegalArgumentException(
          "dagger collect: the student sees "
              + student.imageSize()
              + " px frames, the protocol "
              + IMAGE_SIZE);
    }
    long t0 = System.nanoTime();
    Scene scene = Scene.pushT();
    PushTEnv env = new PushTEnv(scene, Embodiment.RobotPusher.reference());
    ExpertTeacher teacher = new ExpertTeacher(env);
    // when the teacher drives, an expert with its memory (contact hysteresis) acts, as in a
    // demonstration; labels come from a fresh one
    dev.wam4j.sim.expert.PushExpert driver = dev.wam4j.sim.expert.PushExpert.of(env);
    double[] driven = new double[2];
    int h = config.horizon(), history = student == null ? 1 : student.historyFrames();
    int execute = student == null ? Math.max(1, h / 2) : student.executeSteps();
    String[] names = new String[2 * h];
    for (int j = 0; j < h; j++) {
      names[2 * j] = "x" + j;
      names[2 * j + 1] = "y" + j;
    }
    List<WriteFeature> features =
        PushTSchema.features(
            IMAGE_SIZE,
            new WriteFeature.Vector(TrainingLoader.TEACHER_CHUNK, List.of(names)),
            new WriteFeature.Vector(TrainingLoader.TEACHER_BLOCK_POSE, List.of("x", "y", "angle")));
    double threshold = scene.goal().successCoverage();
    ObservationHistory seen = new ObservationHistory(scene, IMAGE_SIZE, history);
    byte[] images = seen.images();
    float[] positions = seen.positions(),
        label = new float[2 * h],
        state = new float[2],
        action = new float[2],
        pose = new float[3];
    SplittableRandom mixing = new SplittableRandom(config.seed());
    long frames = 0, teacherPlans = 0, studentPlans = 0;
    int successes = 0;
    double coverageSum = 0;
    try (LeRobotWriter w =
        LeRobotWriter.create(out, LeRobotWriteConfig.of(10, "pusht_robot_dagger", features))) {
      for (int i = 0; i < config.episodes(); i++) {
        long seed = config.firstSeed() + i;
        env.reset(seed);
        driver.reset();
        if (student != null)
          student.reset(ClosedLoopEvaluation.episodePolicySeed(config.seed(), seed));
        seen.start(env);
        w.beginEpisode("Push the T-shaped block onto the T-shaped target.");
        double maxReward = 0;
        int steps = 0;
        while (!env.terminated() && steps < config.maxSteps()) {
          boolean byTeacher = student == null || mixing.nextDouble() < config.beta();
          float[] chunk = null;
          if (!byTeacher) {
            Plan plan = student.plan(images, positions, false);
            chunk = plan.actions();
            studentPlans++;
          } else {
            teacherPlans++;
          }
          for (int j = 0; j < execute && !env.terminated() && steps < config.maxSteps(); j++) {
            teacher.actionChunk(env, h, label, 0);
            driver.act(env, driven); // every step, so its memory follows the episode whoever drives
            float ax = byTeacher ? (float) driven[0] : chunk[2 * j],
                ay = byTeacher ? (float) driven[1] : chunk[2 * j + 1];
            state[0] = (float) env.agentX();
            state[1] = (float) env.agentY();
            action[0] = ax;
            action[1] = ay;
            pose[0] = (float) env.blockX();
            pose[1] = (float) env.blockY();
            pose[2] = (float) env.blockAngle();
            w.setImage("observation.image", images, seen.newestImage())
                .setVector("observation.state", state)
                .setVector("action", action)
                .setVector(TrainingLoader.TEACHER_CHUNK, label)
                .setVector(TrainingLoader.TEACHER_BLOCK_POSE, pose);
            env.step(ax, ay);
            steps++;
            double reward = Math.min(Math.max(env.coverage() / threshold, 0), 1);
            maxReward = Math.max(maxReward, reward);
            w.setFloat("next.reward", (float) reward)
                .setBool("next.done", env.terminated() || steps == config.maxSteps())
                .setBool("next.success", env.coverage() > threshold);
            w.endFrame();
            frames++;
            seen.step(env);
          }
        }
        w.endEpisode();
        if (env.terminated()) successes++;
        coverageSum += maxReward;
        if (progress != null) progress.accept(i + 1);
      }
      Path dataset = w.finish();
      return new Result(
          dataset,
          config.episodes(),
          frames,
          successes,
          coverageSum / config.episodes(),
          teacherPlans,
          studentPlans,
          (System.nanoTime() - t0) / 1e9);
    }
  }
}
