package dev.wam4j.data.pusht;

import dev.wam4j.data.lerobot.ColumnBatch;
import dev.wam4j.data.lerobot.ColumnBatchIterator;
import dev.wam4j.data.lerobot.LeRobotDataset;
import dev.wam4j.data.lerobot.write.LeRobotWriteConfig;
import dev.wam4j.data.lerobot.write.LeRobotWriter;
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
   * Writes every episode of {@code source} in PushT form to {@code out} (a new dataset, written
   * whole); returns the frames written.
   *
   * @throws IllegalArgumentException when the source's images are not square RGB frames
   */
  public static long rewrite(Path source, Path out, String task, String robotType)
      throws IOException {
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
              out, LeRobotWriteConfig.of(PushTRate.FPS, robotType, PushTSchema.features(size)))) {
        byte[] image = new byte[size * size * 3];
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
}
