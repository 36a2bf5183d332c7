package dev.wam4j.data.collect;

import dev.wam4j.data.lerobot.write.LeRobotWriteConfig;
import dev.wam4j.data.lerobot.write.LeRobotWriter;
import dev.wam4j.data.pusht.PushTRate;
import dev.wam4j.data.pusht.PushTSchema;
import dev.wam4j.data.video.VideoEncoding;
import dev.wam4j.sim.expert.PushExpert;
import dev.wam4j.sim.factory.Cell;
import dev.wam4j.sim.factory.Design;
import dev.wam4j.sim.factory.PolicyView;
import dev.wam4j.sim.scene.Pose;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.IntConsumer;

/**
 * Demonstrations for a goal-conditioned pusher, from the lights-out cell: each episode is one push
 * of one part by the scripted expert, from where the feeder dropped the parts, recorded as PushT's
 * columns with the {@link PolicyView} as the image (the part to move as PushT's block, its target
 * as PushT's goal, the other parts as grey obstacles), so a world action model trained on PushT can
 * be taught to push any part onto any mark. A LeRobot v3.0 dataset, written whole.
 */
public final class CellCollect {
  /**
   * What to collect.
   *
   * @param designs designs to draw cells from, round robin
   * @param episodes pushes to record, >= 1
   * @param firstSeed seed of the first episode's cell (each episode its own seed)
   * @param maxSteps control steps per push at most (PushT's protocol: 300)
   */
  public record Config(
      List<Design> designs, int episodes, long firstSeed, int maxSteps, VideoEncoding encoding) {
    public Config {
      designs = List.copyOf(designs);
      if (designs.isEmpty()) throw new IllegalArgumentException("designs: at least one is needed");
      if (episodes < 1)
        throw new IllegalArgumentException("episodes must be >= 1, got " + episodes);
      if (maxSteps < 1)
        throw new IllegalArgumentException("maxSteps must be >= 1, got " + maxSteps);
      if (encoding == null) throw new IllegalArgumentException("encoding must not be null");
    }
  }

  /**
   * What was collected.
   *
   * @param successes pushes that brought their part onto its target (the design's tolerance)
   */
  public record Result(Path dataset, int episodes, long frames, int successes, double seconds) {}

  private CellCollect() {}

  /**
   * Runs the collection into {@code out}; {@code progress} gets the number of finished episodes.
   */
  public static Result run(Config config, Path out, IntConsumer progress) throws IOException {
    long t0 = System.nanoTime();
    int size = SimCollect.IMAGE_SIZE;
    LeRobotWriteConfig wc =
        LeRobotWriteConfig.of(PushTRate.FPS, "wam4j_cell_robot", PushTSchema.features(size))
            .withEncoding(config.encoding());
    byte[] frame = new byte[size * size * 3];
    float[] state = new float[2], action = new float[2];
    double[] target = new double[2], targets = new double[2];
    int successes = 0;
    try (LeRobotWriter writer = LeRobotWriter.create(out, wc)) {
      for (int e = 0; e < config.episodes(); e++) {
        long seed = config.firstSeed() + e;
        Design design = config.designs().get(e % config.designs().size());
        Cell cell =
            new Cell(
                new Design(
                    design.title(),
                    design.description(),
                    design.parts(),
                    new Design.Options(
                        design.options().tolerance(), 1, design.options().maxMinutes(), null)),
                seed);
        int part = new SplittableRandom(seed ^ 0x63656c6cL).nextInt(design.parts().size());
        PolicyView view = new PolicyView(cell, size);
        PushExpert expert = cell.expert(part);
        expert.reset();
        double tolerance = design.options().tolerance();
        writer.beginEpisode(
            "Push the " + design.parts().get(part).shape().id() + "-shaped part onto its mark.");
        boolean placed = false;
        for (int t = 0; t < config.maxSteps() && !placed; t++) {
          Pose p = cell.pose(part);
          view.render(part, 0, frame, 0);
          expert.act(cell.pusherX(0), cell.pusherY(0), p.x(), p.y(), p.angle(), target);
          state[0] = (float) cell.pusherX(0);
          state[1] = (float) cell.pusherY(0);
          targets[0] = target[0];
          targets[1] = target[1];
          cell.step(
              targets); // the cell holds the target inside the walls: the action recorded is the
          // one taken
          action[0] = (float) targets[0];
          action[1] = (float) targets[1];
          double coverage = cell.coverage(part);
          placed = coverage >= tolerance;
          writer
              .setImage(PushTSchema.IMAGE, frame, 0)
              .setVector(PushTSchema.STATE, state)
              .setVector(PushTSchema.ACTION, action)
              .setFloat(PushTSchema.REWARD, (float) Math.min(coverage / tolerance, 1))
              .setBool(PushTSchema.DONE, placed || t == config.maxSteps() - 1)
              .setBool(PushTSchema.SUCCESS, placed);
          writer.endFrame();
        }
        writer.endEpisode();
        if (placed) successes++;
        if (progress != null) progress.accept(e + 1);
      }
      Path dataset = writer.finish();
      return new Result(
          dataset,
          config.episodes(),
          writer.frameCount(),
          successes,
          (System.nanoTime() - t0) / 1e9);
    }
  }
}
