package dev.wam4j.data.lerobot.write;

import dev.wam4j.data.FileTrees;
import dev.wam4j.data.lerobot.ColumnBatch;
import dev.wam4j.data.lerobot.ColumnBatchIterator;
import dev.wam4j.data.lerobot.LeRobotDataset;
import dev.wam4j.data.pusht.PushTSchema;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Growing a dataset by one uploaded episode: {@link LeRobotAggregate#append} (files copied, nothing
 * coded) against rebuilding the whole dataset from every upload with {@link LeRobotWriter} (every
 * frame decoded and re-encoded, as the fleet's flywheel did before it appended), for datasets of N
 * PushT-like episodes (96x96 AV1, 125 frames, lerobot/pusht's mean). A main, not a test: run from
 * {@code data/} with the test class path, e.g. {@code SVT_LOG=1 java -cp
 * target/classes:target/test-classes:<deps> dev.wam4j.data.lerobot.write.LeRobotAppendBench 20
 * 100}.
 */
final class LeRobotAppendBench {
  private static final int SIZE = 96;
  private static final int FRAMES = 125;
  private static final List<String> COLUMNS =
      List.of(
          PushTSchema.STATE,
          PushTSchema.ACTION,
          PushTSchema.REWARD,
          PushTSchema.DONE,
          PushTSchema.SUCCESS);

  private LeRobotAppendBench() {}

  public static void main(String[] args) throws Exception {
    int[] sizes =
        args.length == 0
            ? new int[] {20}
            : Arrays.stream(args).mapToInt(Integer::parseInt).toArray();
    Path dir = Files.createTempDirectory("wam4j-append-bench");
    try {
      for (int n : sizes) run(dir.resolve("n" + n), n);
    } finally {
      FileTrees.delete(dir);
    }
  }

  private static void run(Path dir, int n) throws IOException {
    List<Path> uploads = new ArrayList<>();
    for (int e = 0; e <= n; e++) uploads.add(upload(dir.resolve("upload-" + e), e));
    Path base = rebuild(uploads.subList(0, n), dir.resolve("base"));
    double rewrite = Double.MAX_VALUE;
    for (int r = 0; r < 2; r++) {
      long t0 = System.nanoTime();
      rebuild(uploads, dir.resolve("rewrite-" + r));
      rewrite = Math.min(rewrite, (System.nanoTime() - t0) / 1e9);
    }
    double append = Double.MAX_VALUE;
    for (int r = 0; r < 5; r++) {
      long t0 = System.nanoTime();
      LeRobotAggregate.append(base, List.of(uploads.get(n)), dir.resolve("append-" + r));
      append = Math.min(append, (System.nanoTime() - t0) / 1e9);
    }
    System.out.printf(
        "%d episodes + 1 (%d frames each, %dx%d AV1): rewrite all %d with the writer %.3f s, append %.3f s (%.0fx)%n",
        n, FRAMES, SIZE, SIZE, n + 1, rewrite, append, rewrite / append);
  }

  /** One upload: a dataset of one episode, frames of a square moving with the state. */
  private static Path upload(Path dir, int seed) throws IOException {
    try (LeRobotWriter w =
        LeRobotWriter.create(dir, LeRobotWriteConfig.of(10, "bench", PushTSchema.features(SIZE)))) {
      byte[] img = new byte[SIZE * SIZE * 3];
      w.beginEpisode("push the T");
      for (int t = 0; t < FRAMES; t++) {
        int x = (seed * 7 + t) % (SIZE - 16), y = (seed * 3 + t / 2) % (SIZE - 16);
        for (int p = 0; p < SIZE * SIZE; p++) {
          int px = p % SIZE, py = p / SIZE;
          boolean square = px >= x && px < x + 16 && py >= y && py < y + 16;
          img[3 * p] = (byte) (square ? 200 : 240);
          img[3 * p + 1] = (byte) (square ? 60 : 240 - py);
          img[3 * p + 2] = (byte) (square ? 60 : 240 - px);
        }
        w.setImage(PushTSchema.IMAGE, img, 0)
            .setVector(PushTSchema.STATE, new float[] {x, y})
            .setVector(PushTSchema.ACTION, new float[] {x + 1, y + 1})
            .setFloat(PushTSchema.REWARD, t / (double) FRAMES)
            .setBool(PushTSchema.DONE, t == FRAMES - 1)
            .setBool(PushTSchema.SUCCESS, false);
        w.endFrame();
      }
      w.endEpisode();
      return w.finish();
    }
  }

  /** The whole dataset from every upload, each frame decoded and encoded again. */
  private static Path rebuild(List<Path> uploads, Path out) throws IOException {
    try (LeRobotWriter w =
        LeRobotWriter.create(out, LeRobotWriteConfig.of(10, "bench", PushTSchema.features(SIZE)))) {
      byte[] image = new byte[SIZE * SIZE * 3];
      for (Path u : uploads) {
        try (LeRobotDataset ds = LeRobotDataset.open(u)) {
          w.beginEpisode("push the T");
          ColumnBatchIterator it = ds.batches(COLUMNS, 4096);
          int t = 0;
          for (ColumnBatch b = it.nextBatch(); b != null; b = it.nextBatch()) {
            float[] s = b.floats(PushTSchema.STATE),
                a = b.floats(PushTSchema.ACTION),
                r = b.floats(PushTSchema.REWARD);
            long[] done = b.longs(PushTSchema.DONE), ok = b.longs(PushTSchema.SUCCESS);
            for (int i = 0; i < b.rows(); i++, t++) {
              ds.readFrame(0, t, PushTSchema.IMAGE, image, 0);
              w.setImage(PushTSchema.IMAGE, image, 0)
                  .setVector(PushTSchema.STATE, new float[] {s[2 * i], s[2 * i + 1]})
                  .setVector(PushTSchema.ACTION, new float[] {a[2 * i], a[2 * i + 1]})
                  .setFloat(PushTSchema.REWARD, r[i])
                  .setBool(PushTSchema.DONE, done[i] != 0)
                  .setBool(PushTSchema.SUCCESS, ok[i] != 0);
              w.endFrame();
            }
          }
          w.endEpisode();
        }
      }
      return w.finish();
    }
  }
}
