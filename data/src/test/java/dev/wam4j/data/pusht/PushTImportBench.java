package dev.wam4j.data.pusht;

import dev.wam4j.data.DataSets;
import dev.wam4j.data.lerobot.write.LeRobotWriteConfig;
import dev.wam4j.data.video.VideoCodec;
import dev.wam4j.data.video.VideoEncoding;
import dev.wam4j.data.video.VideoReader;
import dev.wam4j.data.zarr.ReplayBuffer;
import dev.wam4j.data.zarr.ZarrArray;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.stream.Stream;

/**
 * The full PushT import, measured: time, output size, PSNR of the decoded video against the zarr
 * images, state/action bit-exactness read back with DuckDB. A main, not a test: run from {@code
 * data/} with the test class path: {@code SVT_LOG=1 java -cp ...
 * dev.wam4j.data.pusht.PushTImportBench OUT_DIR [crf...]}.
 */
final class PushTImportBench {
  private PushTImportBench() {}

  public static void main(String[] args) throws Exception {
    Path outRoot = Path.of(args.length > 0 ? args[0] : "target/pusht-import-bench");
    int[] crfs =
        args.length > 1
            ? Stream.of(args).skip(1).mapToInt(Integer::parseInt).toArray()
            : new int[] {30};
    ReplayBuffer buffer = ReplayBuffer.open(DataSets.pushTDemonstrations().path());
    Files.createDirectories(outRoot);
    for (int crf : crfs) {
      Path out = outRoot.resolve("pusht-crf" + crf);
      if (Files.exists(out)) dev.wam4j.data.lerobot.write.TestFiles.delete(out);
      VideoEncoding enc =
          new VideoEncoding(VideoCodec.AV1, crf, 2, VideoEncoding.AV1_LEROBOT.preset());
      LeRobotWriteConfig config = PushTZarrImport.config(enc);
      PushTZarrImport.Result r = PushTZarrImport.run(buffer, out, 0, config, e -> {});
      long bytes = size(out), videoBytes = size(out.resolve("videos"));
      double[] psnr = psnr(buffer, out);
      boolean exact = bitExact(buffer, out);
      System.out.printf(
          "crf %d: %d episodes, %d frames, import %.1f s (%.0f frames/s), size %.2f MB (video %.2f MB), "
              + "PSNR mean %.2f dB min %.2f dB, state/action bit-exact %s, successes %s%n",
          crf,
          r.episodes(),
          r.frames(),
          r.seconds(),
          r.frames() / r.seconds(),
          bytes / 1e6,
          videoBytes / 1e6,
          psnr[0],
          psnr[1],
          exact,
          r.successEpisodes());
    }
  }

  static long size(Path dir) throws IOException {
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
    }
  }

  /** Mean and min per-frame PSNR of every decoded frame against the zarr image. */
  static double[] psnr(ReplayBuffer buffer, Path dataset) throws IOException {
    ZarrArray img = buffer.array("img");
    int fb = 96 * 96 * 3;
    List<Path> files;
    try (Stream<Path> s = Files.walk(dataset.resolve("videos/observation.image"))) {
      files = s.filter(p -> p.toString().endsWith(".mp4")).sorted().toList();
    }
    byte[] decoded = new byte[fb];
    float[] original = new float[fb * 1000];
    int block = 1000, loaded = -1;
    long frame = 0;
    double sum = 0, min = Double.POSITIVE_INFINITY;
    for (Path f : files) {
      try (VideoReader r = VideoReader.open(f)) {
        while (r.readFrame(decoded)) {
          int b = (int) (frame / block);
          if (b != loaded) {
            int start = b * block, n = Math.min(block, buffer.frameCount() - start);
            img.readFloats(start, n, original, 0);
            loaded = b;
          }
          int base = (int) (frame % block) * fb;
          double se = 0;
          for (int i = 0; i < fb; i++) {
            double d = (decoded[i] & 0xff) - Math.round(original[base + i]);
            se += d * d;
          }
          double mse = se / fb;
          double p = mse == 0 ? 99 : 10 * Math.log10(255.0 * 255.0 / mse);
          sum += p;
          min = Math.min(min, p);
          frame++;
        }
      }
    }
    if (frame != buffer.frameCount())
      throw new IllegalStateException(
          "decoded " + frame + " frames, zarr has " + buffer.frameCount());
    return new double[] {sum / frame, min};
  }

  static boolean bitExact(ReplayBuffer buffer, Path dataset) throws Exception {
    float[] state = buffer.array("state").readFloats(),
        action = buffer.array("action").readFloats();
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT \"index\", \"observation.state\", action FROM '"
                    + dataset
                    + "/data/*/*.parquet' ORDER BY \"index\"")) {
      int n = 0;
      while (rs.next()) {
        int i = (int) rs.getLong(1);
        Object[] st = (Object[]) rs.getArray(2).getArray(),
            ac = (Object[]) rs.getArray(3).getArray();
        if (Float.floatToRawIntBits((Float) st[0]) != Float.floatToRawIntBits(state[i * 5])
            || Float.floatToRawIntBits((Float) st[1]) != Float.floatToRawIntBits(state[i * 5 + 1])
            || Float.floatToRawIntBits((Float) ac[0]) != Float.floatToRawIntBits(action[i * 2])
            || Float.floatToRawIntBits((Float) ac[1]) != Float.floatToRawIntBits(action[i * 2 + 1]))
          return false;
        n++;
      }
      return n == buffer.frameCount();
    }
  }
}
