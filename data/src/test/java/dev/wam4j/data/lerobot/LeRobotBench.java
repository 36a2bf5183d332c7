package dev.wam4j.data.lerobot;

import dev.wam4j.data.DataSets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;

/**
 * Read throughput of {@link LeRobotDataset}: sequential column batches (rows/s) over a synthetic
 * 1M-row v3.0 file and over the so101 sample, and AV1 96x96 decode (frames/s) through {@link
 * LeRobotDataset#readVideoFrame}. A main, not a test: run from {@code data/} with the test class
 * path, e.g. {@code SVT_LOG=1 java -cp target/classes:target/test-classes:<deps>
 * dev.wam4j.data.lerobot.LeRobotBench}.
 */
final class LeRobotBench {
  private LeRobotBench() {}

  public static void main(String[] args) throws Exception {
    Path dir = Files.createTempDirectory("wam4j-lerobot-bench");
    try {
      Path big = bigDataset(dir.resolve("big"), 1_000_000);
      iterate("synthetic 1M rows, state[2] + action[2]", big, 3);
      iterate("so101 sample, state[6] + action[6]", DataSets.lerobotV30So101(), 20);
      decode(dir.resolve("video"));
    } finally {
      try (var walk = Files.walk(dir)) {
        for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList())
          Files.deleteIfExists(p);
      }
    }
  }

  private static Path bigDataset(Path root, int rows) throws Exception {
    SyntheticDataset spec = new SyntheticDataset();
    spec.lengths = new int[] {4};
    spec.write(root);
    // replace the data with one 1M-row file of 1000 episodes x 1000 frames, and matching metadata
    int len = 1000;
    int eps = rows / len;
    try (Connection c = Duck.connect();
        Statement s = c.createStatement()) {
      s.execute(
          "COPY (SELECT [CAST(range / 2.0 AS FLOAT), CAST(-range AS FLOAT)] AS \"observation.state\","
              + " [CAST(range + 0.25 AS FLOAT), CAST(range % "
              + len
              + " AS FLOAT)] AS action, CAST(0 AS FLOAT) AS \"next.reward\","
              + " false AS \"next.done\", CAST((range % "
              + len
              + ") / 10.0 AS FLOAT) AS timestamp, range % "
              + len
              + " AS frame_index,"
              + " range // "
              + len
              + " AS episode_index, range AS \"index\", 0::BIGINT AS task_index FROM range("
              + rows
              + "))"
              + " TO "
              + Duck.literal(root.resolve("data/chunk-000/file-000.parquet"))
              + " (FORMAT parquet)");
      s.execute(
          "COPY (SELECT range AS episode_index, ['push the block'] AS tasks, "
              + len
              + "::BIGINT AS length,"
              + " 0::BIGINT AS \"data/chunk_index\", 0::BIGINT AS \"data/file_index\", range * "
              + len
              + " AS dataset_from_index,"
              + " (range + 1) * "
              + len
              + " AS dataset_to_index FROM range("
              + eps
              + ")) TO "
              + Duck.literal(root.resolve("meta/episodes/chunk-000/file-000.parquet"))
              + " (FORMAT parquet)");
    }
    String info =
        Files.readString(root.resolve("meta/info.json"))
            .replaceFirst("\"total_episodes\" : \\d+", "\"total_episodes\" : " + eps)
            .replaceFirst("\"total_frames\" : \\d+", "\"total_frames\" : " + rows);
    Files.writeString(root.resolve("meta/info.json"), info);
    System.out.printf(
        "parquet file: %.1f MB%n",
        Files.size(root.resolve("data/chunk-000/file-000.parquet")) / 1e6);
    return root;
  }

  private static void iterate(String label, Path root, int repeats) throws Exception {
    long t0 = System.nanoTime();
    try (LeRobotDataset ds = LeRobotDataset.open(root)) {
      System.out.printf(
          "%s: open + consistency check %.0f ms%n", label, (System.nanoTime() - t0) / 1e6);
      double best = 0;
      for (int r = 0; r < repeats; r++) {
        long start = System.nanoTime();
        long rows = 0;
        double checksum = 0;
        ColumnBatchIterator it = ds.batches(List.of("observation.state", "action"), 256);
        for (ColumnBatch b = it.nextBatch(); b != null; b = it.nextBatch()) {
          rows += b.rows();
          checksum += b.floats("action")[0];
        }
        double s = (System.nanoTime() - start) / 1e9;
        best = Math.max(best, rows / s);
        System.out.printf(
            "  pass %d: %d rows in %.3f s = %.0f rows/s (checksum %.1f)%n",
            r, rows, s, rows / s, checksum);
      }
      System.out.printf("%s: best %.0f rows/s%n", label, best);
    }
  }

  private static void decode(Path root) throws Exception {
    SyntheticDataset spec = new SyntheticDataset();
    spec.video = true;
    spec.lengths = new int[] {300, 300};
    spec.write(root);
    try (LeRobotDataset ds = LeRobotDataset.open(root)) {
      byte[] out = new byte[ds.frameBytes("observation.image")];
      for (int pass = 0; pass < 3; pass++) {
        long start = System.nanoTime();
        int n = 0;
        for (Episode e : ds.episodes()) {
          for (int f = 0; f < e.length(); f++, n++) {
            ds.readVideoFrame(e.index(), f, "observation.image", out, 0);
          }
        }
        double s = (System.nanoTime() - start) / 1e9;
        System.out.printf(
            "AV1 96x96 sequential decode via dataset: %d frames in %.3f s = %.0f frames/s%n",
            n, s, n / s);
      }
      java.util.Random rnd = new java.util.Random(1);
      long start = System.nanoTime();
      int n = 200;
      for (int i = 0; i < n; i++) {
        ds.readVideoFrame(rnd.nextInt(2), rnd.nextInt(300), "observation.image", out, 0);
      }
      double s = (System.nanoTime() - start) / 1e9;
      System.out.printf(
          "AV1 96x96 random-access decode via dataset: %d frames in %.3f s = %.0f frames/s%n",
          n, s, n / s);
    }
  }
}
