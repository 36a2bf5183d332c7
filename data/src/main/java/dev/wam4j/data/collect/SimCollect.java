package dev.wam4j.data.collect;

import dev.wam4j.data.lerobot.write.LeRobotWriteConfig;
import dev.wam4j.data.lerobot.write.LeRobotWriter;
import dev.wam4j.data.lerobot.write.WriteFeature;
import dev.wam4j.data.loader.TrainingLoader;
import dev.wam4j.data.pusht.PushTRate;
import dev.wam4j.data.pusht.PushTSchema;
import dev.wam4j.data.video.VideoEncoding;
import dev.wam4j.sim.Embodiment;
import dev.wam4j.sim.cousins.Cousin;
import dev.wam4j.sim.cousins.CousinConfig;
import dev.wam4j.sim.cousins.Cousins;
import dev.wam4j.sim.cousins.ShapeFamily;
import dev.wam4j.sim.expert.PushExpert;
import dev.wam4j.sim.pusht.PushTEnv;
import dev.wam4j.sim.render.AgentLook;
import dev.wam4j.sim.render.Camera;
import dev.wam4j.sim.render.Sampling;
import dev.wam4j.sim.render.SceneLook;
import dev.wam4j.sim.render.SceneRenderer;
import dev.wam4j.sim.scene.Scene;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntConsumer;

/**
 * Collects scripted-expert ({@link PushExpert}) episodes from the simulator into a LeRobot v3.0
 * dataset at 10 fps: {@code observation.image} (96x96 video, drawn with the cousin's look and
 * camera), {@code observation.state} (agent x, y), {@code action} (target x, y), {@code
 * next.reward}, {@code next.done}, {@code next.success}; hand episodes add {@code
 * observation.hand_pose} (x, y, heading in radians: the direction of the last motion of more than
 * one unit, +pi/2 so the fingers point along it), the signal a data glove or hand tracker would
 * record.
 *
 * <p>Episode i uses seed {@code firstSeed + i} for both the cousin draw and the legacy reset, so
 * the same config gives the same dataset. Frame t holds the observation before action t and the
 * labels after it; an episode ends at success or after the scene's step limit. Stateless;
 * thread-safe.
 */
public final class SimCollect {
  private SimCollect() {}

  /**
   * @param embodiment who pushes: the robot pusher or the human hand
   * @param cousins where scenes are drawn from, or {@code null} for PushT itself
   * @param episodes number of episodes, >= 1
   * @param firstSeed seed of episode 0, >= 0
   * @param encoding how the image video is encoded
   */
  public record Config(
      Embodiment embodiment,
      CousinConfig cousins,
      int episodes,
      long firstSeed,
      VideoEncoding encoding) {
    public Config {
      if (embodiment == null) throw new IllegalArgumentException("embodiment must not be null");
      if (episodes < 1)
        throw new IllegalArgumentException("episodes must be >= 1, got " + episodes);
      if (firstSeed < 0 || firstSeed + episodes - 1 > 0xFFFF_FFFFL) {
        throw new IllegalArgumentException(
            "seeds "
                + firstSeed
                + ".."
                + (firstSeed + episodes - 1)
                + " must lie in 0..2^32-1 (numpy's seed range)");
      }
      if (encoding == null) throw new IllegalArgumentException("encoding must not be null");
    }
  }

  /**
   * @param dataset the published dataset
   * @param frames frames written
   * @param successSeeds seeds whose episode ended in success
   * @param seconds wall-clock time
   */
  public record Result(
      Path dataset, int episodes, long frames, List<Long> successSeeds, double seconds) {
    /** Share of episodes the expert succeeded in, in [0, 1]. */
    public double successRate() {
      return successSeeds.size() / (double) episodes;
    }
  }

  /** The built-in cousin configs {@link #cousins} knows by name. */
  public static final List<String> BUILTIN_COUSINS = List.of("reference", "wide");

  /**
   * The embodiment named {@code id}: {@code robot} (the reference pusher) or {@code hand} (the
   * standard hand).
   *
   * @throws IllegalArgumentException naming the value when it is neither
   */
  public static Embodiment embodiment(String id) {
    return switch (id) {
      case "robot" -> Embodiment.RobotPusher.reference();
      case "hand" -> Embodiment.HumanHand.standard();
      default ->
          throw new IllegalArgumentException(
              "--embodiment must be robot or hand, got '" + id + "'");
    };
  }

  /**
   * The cousin config {@code nameOrFile} names: a built-in ({@link #BUILTIN_COUSINS}) or a JSON
   * file.
   *
   * @throws IOException when the file cannot be read
   * @throws IllegalArgumentException when the file is not a valid cousin config (naming the field)
   */
  public static CousinConfig cousins(String nameOrFile) throws IOException {
    return switch (nameOrFile) {
      case "reference" -> CousinConfig.reference();
      case "wide" -> CousinConfig.builtin("wide");
      default -> CousinConfig.load(Path.of(nameOrFile));
    };
  }

  /** Image size of the observations, as in the reference. */
  public static final int IMAGE_SIZE = 96;

  /**
   * The features a collected episode of {@code embodiment} holds: PushT's, the hand's pose for a
   * hand, and the privileged block pose (a training target, never a policy input). Other writers of
   * simulated PushT episodes (teleoperation) use the same.
   */
  public static List<WriteFeature> features(Embodiment embodiment) {
    WriteFeature blockPoseFeature =
        new WriteFeature.Vector(TrainingLoader.TEACHER_BLOCK_POSE, List.of("x", "y", "angle"));
    return embodiment instanceof Embodiment.HumanHand
        ? PushTSchema.features(
            IMAGE_SIZE,
            new WriteFeature.Vector("observation.hand_pose", List.of("x", "y", "heading")),
            blockPoseFeature)
        : PushTSchema.features(IMAGE_SIZE, blockPoseFeature);
  }

  /** Runs the collection; {@code progress} gets the number of finished episodes. */
  public static Result run(Config config, Path out, IntConsumer progress) throws IOException {
    long t0 = System.nanoTime();
    boolean hand = config.embodiment() instanceof Embodiment.HumanHand;
    LeRobotWriteConfig wc =
        LeRobotWriteConfig.of(
                PushTRate.FPS, "pusht_" + config.embodiment().id(), features(config.embodiment()))
            .withEncoding(config.encoding());

    List<Long> successes = new ArrayList<>();
    byte[] frame = new byte[IMAGE_SIZE * IMAGE_SIZE * 3];
    float[] state = new float[2],
        action = new float[2],
        pose = new float[3],
        blockPose = new float[3];
    double[] target = new double[2];
    try (LeRobotWriter writer = LeRobotWriter.create(out, wc)) {
      for (int i = 0; i < config.episodes(); i++) {
        long seed = config.firstSeed() + i;
        Scene scene;
        SceneRenderer renderer;
        if (config.cousins() == null) {
          scene = Scene.pushT();
          renderer =
              new SceneRenderer(
                  look(SceneLook.of(scene), hand),
                  Camera.identity(),
                  IMAGE_SIZE,
                  IMAGE_SIZE,
                  Sampling.REFERENCE);
        } else {
          Cousin cousin = Cousins.sample(config.cousins(), seed);
          scene = cousin.scene();
          SceneLook base = SceneLook.of(scene);
          SceneLook styled =
              new SceneLook(
                  base.blockParts(),
                  base.goal(),
                  base.walls(),
                  cousin.appearance().renderStyle(),
                  base.agent());
          renderer =
              new SceneRenderer(
                  look(styled, hand),
                  cousin.appearance().camera().toRender(),
                  IMAGE_SIZE,
                  IMAGE_SIZE,
                  Sampling.SUPERSAMPLED);
        }
        PushTEnv env = new PushTEnv(scene, config.embodiment());
        env.reset(seed);
        PushExpert expert = PushExpert.of(env);
        expert.reset();
        double threshold = scene.goal().successCoverage();
        double heading = 0;
        writer.beginEpisode(task(scene));
        while (!env.terminated() && !env.truncated()) {
          double ax = env.agentX(), ay = env.agentY();
          renderer.render(ax, ay, heading, env.blockX(), env.blockY(), env.blockAngle(), frame, 0);
          expert.act(env, target);
          state[0] = (float) ax;
          state[1] = (float) ay;
          action[0] = (float) target[0];
          action[1] = (float) target[1];
          blockPose[0] = (float) env.blockX();
          blockPose[1] = (float) env.blockY();
          blockPose[2] = (float) env.blockAngle();
          writer
              .setImage("observation.image", frame, 0)
              .setVector("observation.state", state)
              .setVector("action", action)
              .setVector(TrainingLoader.TEACHER_BLOCK_POSE, blockPose);
          if (hand) {
            pose[0] = (float) ax;
            pose[1] = (float) ay;
            pose[2] = (float) heading;
            writer.setVector("observation.hand_pose", pose);
          }
          env.step(action[0], action[1]);
          double cov = env.coverage();
          writer
              .setFloat("next.reward", Math.min(Math.max(cov / threshold, 0), 1))
              .setBool("next.done", env.terminated() || env.truncated())
              .setBool("next.success", cov > threshold);
          writer.endFrame();
          heading = AgentLook.Hand.heading(heading, ax, ay, env.agentX(), env.agentY());
        }
        writer.endEpisode();
        if (env.terminated()) successes.add(seed);
        if (progress != null) progress.accept(i + 1);
      }
      Path dataset = writer.finish();
      return new Result(
          dataset,
          config.episodes(),
          writer.frameCount(),
          List.copyOf(successes),
          (System.nanoTime() - t0) / 1e9);
    }
  }

  private static SceneLook look(SceneLook look, boolean hand) {
    return hand ? look.withAgent(AgentLook.Hand.defaultLook()) : look;
  }

  /** "Push the T-shaped block onto the T-shaped target." with the scene's shape. */
  public static String task(Scene scene) {
    String name = scene.goalObject().name();
    String shape = name;
    for (ShapeFamily f : ShapeFamily.values()) if (f.objectName().equals(name)) shape = f.id();
    return "Push the " + shape + "-shaped block onto the " + shape + "-shaped target.";
  }
}
