package dev.wam4j.data.video;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Encode and decode throughput of {@link VideoWriter} and {@link VideoReader} (frames/s, wall
 * clock, including RGB conversion and file I/O). A main, not a test: run from {@code data/} with
 * the test class path, e.g. {@code SVT_LOG=1 java -cp target/classes:target/test-classes:<deps>
 * dev.wam4j.data.video.VideoBench [preset...]}.
 */
final class VideoBench {
  private VideoBench() {}

  public static void main(String[] args) throws IOException {
    int[] presets = args.length == 0 ? new int[] {VideoEncoding.AV1_LEROBOT.preset()} : parse(args);
    Path dir = Files.createTempDirectory("wam4j-video-bench");
    try {
      for (int preset : presets) {
        VideoEncoding encoding = new VideoEncoding(VideoCodec.AV1, 30, 2, preset);
        run(dir, encoding, 96, 96, 300);
        run(dir, encoding, 640, 480, 60);
      }
      run(dir, VideoEncoding.H264_DEFAULT, 96, 96, 300);
      run(dir, VideoEncoding.H264_DEFAULT, 640, 480, 60);
    } finally {
      try (var files = Files.list(dir)) {
        for (Path p : files.toList()) {
          Files.deleteIfExists(p);
        }
      }
      Files.deleteIfExists(dir);
    }
  }

  private static int[] parse(String[] args) {
    int[] out = new int[args.length];
    for (int i = 0; i < args.length; i++) {
      out[i] = Integer.parseInt(args[i]);
    }
    return out;
  }

  private static void run(Path dir, VideoEncoding encoding, int w, int h, int frames)
      throws IOException {
    byte[][] pictures = new byte[frames][]; // all distinct, so the encoder cannot coast on repeats
    for (int i = 0; i < pictures.length; i++) {
      pictures[i] = Pictures.scene(w, h, i);
    }
    Path file = dir.resolve("bench.mp4");
    double bestEncode = 0;
    double bestDecode = 0;
    for (int rep = 0; rep < 3; rep++) { // first repetition warms up the JIT and the natives
      long t0 = System.nanoTime();
      try (VideoWriter writer = VideoWriter.open(file, w, h, 10, encoding)) {
        for (int i = 0; i < frames; i++) {
          writer.writeFrame(pictures[i % pictures.length], 0);
        }
        writer.finish();
      }
      long t1 = System.nanoTime();
      int n = 0;
      try (VideoReader reader = VideoReader.open(file)) {
        byte[] out = new byte[reader.info().frameBytes()];
        while (reader.readFrame(out)) {
          n++;
        }
      }
      long t2 = System.nanoTime();
      if (n != frames) {
        throw new IllegalStateException("decoded " + n + " of " + frames + " frames");
      }
      bestEncode = Math.max(bestEncode, frames / ((t1 - t0) / 1e9));
      bestDecode = Math.max(bestDecode, frames / ((t2 - t1) / 1e9));
    }
    System.out.printf(
        "%-4s crf %2d preset %2d %4dx%-4d %4d frames: encode %8.1f frames/s, decode %8.1f frames/s, %d bytes%n",
        encoding.codec(),
        encoding.crf(),
        encoding.preset(),
        w,
        h,
        frames,
        bestEncode,
        bestDecode,
        Files.size(file));
  }
}
