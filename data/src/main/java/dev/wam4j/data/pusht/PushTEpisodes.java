package dev.wam4j.data.pusht;

import dev.wam4j.data.lerobot.ColumnBatch;
import dev.wam4j.data.lerobot.ColumnBatchIterator;
import dev.wam4j.data.lerobot.LeRobotDataset;
import dev.wam4j.data.lerobot.write.LeRobotWriteConfig;
import dev.wam4j.data.lerobot.write.LeRobotWriter;
import dev.wam4j.data.lerobot.write.WriteFeature;
import dev.wam4j.data.loader.TrainingLoader;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Episodes in wam4j's own PushT form: any LeRobot dataset that carries PushT's columns ({@link
 * PushTSchema}; extra features are dropped) re-encoded with exactly that schema, at 10 fps, under
 * one task and robot type. Datasets in this form can be appended to each other without re-encoding
 * ({@code LeRobotAggregate}), whatever version, codec or extra features the source had.
 */
public final class PushTEpisodes {
  private static final List<String> COLUMNS =
      List.of(
          PushTSchema.STATE,
          PushTSchema.ACTION,
          PushTSchema.REWARD,
          PushTSchema.DONE,
          PushTSchema.SUCCESS);

  private PushTEpisodes() {}

  /**
   * Gives each frame a block pose label, e.g. a perception's own estimate (pseudo-labels). Called
   * for every frame in order, episode after episode; {@code t == 0} starts an episode.
   */
  @FunctionalInterface
  public interface PoseLabeller {
    /** The block pose (x, y workspace pixels; angle radians) of frame {@code t} of an episode. */
    double[] label(int t, byte[] image, float agentX, float agentY);
  }

  /**
   * Gives each frame the action chunk a teacher would run from it, e.g. a scripted expert acting
   * from the frame's pose label: DAgger's labels for a fleet's own episodes.
   */
  @FunctionalInterface
  public interface ChunkLabeller {
    /**
     * Writes the frame's chunk of (x, y) targets, workspace pixels, into {@code out} (its whole
     * length), from the agent's position and the frame's pose label (x, y, angle).
     */
    void label(float agentX, float agentY, double[] pose, float[] out);
  }

  /**
   * Writes every episode of {@code source} in PushT form to {@code out} (a new dataset, written
   * whole); returns the frames written.
   *
   * @throws IllegalArgumentException when the source's images are not square RGB frames
   */
  public static long rewrite(Path source, Path out, String task, String robotType)
      throws IOException {
    return rewrite(source, out, task, robotType, null);
  }

  /**
   * The same, with a {@code teacher.block_pose} column from {@code labeller} (when not null): what
   * head-only fine-tuning reads.
   *
   * @throws IllegalArgumentException when the source's images are not square RGB frames, or a label
   *     is not three finite numbers
   */
  public static long rewrite(
      Path source, Path out, String task, String robotType, PoseLabeller labeller)
      throws IOException {
    return rewrite(source, out, task, robotType, labeller, null, 0);
  }

  /**
   * The same, with a {@code teacher.action_chunk} column of {@code chunkActions} actions from
   * {@code chunks} (when not null; it reads the pose label, so {@code labeller} is then required):
   * what fine-tuning takes as each frame's actions instead of those executed.
   *
   * @throws IllegalArgumentException as above, when {@code chunks} comes without a pose labeller or
   *     {@code chunkActions < 1}, or when a label is not finite
   */
  public static long rewrite(
      Path source,
      Path out,
      String task,
      String robotType,
      PoseLabeller labeller,
      ChunkLabeller chunks,
      int chunkActions)
      throws IOException {
    if (chunks != null && (labeller == null || chunkActions < 1))
      throw new IllegalArgumentException(
          "chunk labels need a pose labeller and at least one action per chunk, got "
              + chunkActions);
    try (LeRobotDataset ds = LeRobotDataset.open(source)) {
      long frameBytes = ds.frameBytes(PushTSchema.IMAGE);
      int size = (int) Math.round(Math.sqrt(frameBytes / 3.0));
      if ((long) size * size * 3 != frameBytes) {
        throw new IllegalArgumentException(
            source
                + ": "
                + PushTSchema.IMAGE
                + " frames of "
                + frameBytes
                + " bytes are not square RGB images");
      }
      long frames = 0;
      try (LeRobotWriter w =
          LeRobotWriter.create(
              out,
              LeRobotWriteConfig.of(
                  PushTRate.FPS,
                  robotType,
                  features(size, labeller != null, chunks == null ? 0 : chunkActions)))) {
        byte[] image = new byte[size * size * 3];
        float[] chunk = chunks == null ? null : new float[2 * chunkActions];
        // batches run over every frame, episode after episode, in order
        ColumnBatchIterator it = ds.batches(COLUMNS, 4096);
        int e = -1, t = 0, length = 0;
        for (ColumnBatch b = it.nextBatch(); b != null; b = it.nextBatch()) {
          float[] s = b.floats(PushTSchema.STATE),
              a = b.floats(PushTSchema.ACTION),
              r = b.floats(PushTSchema.REWARD);
          long[] done = b.longs(PushTSchema.DONE), ok = b.longs(PushTSchema.SUCCESS);
          for (int i = 0; i < b.rows(); i++, t++) {
            while (t == length) { // the next episode starts (an empty one ends at once)
              if (e >= 0) w.endEpisode();
              e++;
              t = 0;
              length = ds.episodes().get(e).length();
              w.beginEpisode(task);
            }
            ds.readFrame(e, t, PushTSchema.IMAGE, image, 0);
            w.setImage(PushTSchema.IMAGE, image, 0)
                .setVector(PushTSchema.STATE, new float[] {s[2 * i], s[2 * i + 1]})
                .setVector(PushTSchema.ACTION, new float[] {a[2 * i], a[2 * i + 1]})
                .setFloat(PushTSchema.REWARD, r[i])
                .setBool(PushTSchema.DONE, done[i] != 0)
                .setBool(PushTSchema.SUCCESS, ok[i] != 0);
            if (labeller != null) {
              double[] p = labeller.label(t, image, s[2 * i], s[2 * i + 1]);
              if (p == null
                  || p.length != 3
                  || !Double.isFinite(p[0])
                  || !Double.isFinite(p[1])
                  || !Double.isFinite(p[2]))
                throw new IllegalArgumentException(
                    at(source, e, t)
                        + "the pose label is not three finite numbers: "
                        + java.util.Arrays.toString(p));
              w.setVector(
                  TrainingLoader.TEACHER_BLOCK_POSE,
                  new float[] {(float) p[0], (float) p[1], (float) p[2]});
              if (chunks != null) {
                try {
                  chunks.label(s[2 * i], s[2 * i + 1], p, chunk);
                } catch (IllegalArgumentException bad) {
                  throw new IllegalArgumentException(
                      at(source, e, t)
                          + "no action chunk label from agent ("
                          + s[2 * i]
                          + ", "
                          + s[2 * i + 1]
                          + ") and pose "
                          + java.util.Arrays.toString(p)
                          + ": "
                          + bad.getMessage(),
                      bad);
                }
                for (float v : chunk)
                  if (!Float.isFinite(v))
                    throw new IllegalArgumentException(
                        at(source, e, t)
                            + "the action chunk label is not finite: "
                            + java.util.Arrays.toString(chunk));
                w.setVector(TrainingLoader.TEACHER_CHUNK, chunk);
              }
            }
            w.endFrame();
            frames++;
          }
        }
        if (e >= 0) w.endEpisode();
        w.finish();
      }
      return frames;
    }
  }

  private static List<WriteFeature> features(int size, boolean poses, int chunkActions) {
    List<WriteFeature> extra = new java.util.ArrayList<>();
    if (poses)
      extra.add(
          new WriteFeature.Vector(TrainingLoader.TEACHER_BLOCK_POSE, List.of("x", "y", "angle")));
    if (chunkActions > 0) {
      List<String> names = new java.util.ArrayList<>();
      for (int j = 0; j < chunkActions; j++) {
        names.add("x" + j);
        names.add("y" + j);
      }
      extra.add(new WriteFeature.Vector(TrainingLoader.TEACHER_CHUNK, names));
    }
    return PushTSchema.features(size, extra.toArray(WriteFeature[]::new));
  }

  /** Where a bad label is: the source, episode and frame. */
  private static String at(Path source, int episode, int frame) {
    return source + ": episode " + episode + " frame " + frame + ": ";
  }
}
