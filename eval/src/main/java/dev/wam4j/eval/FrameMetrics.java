package dev.wam4j.eval;

import dev.wam4j.sim.render.FrameSegmentation;
import dev.wam4j.sim.render.SceneLook;

/**
 * Compares square {@code [size][size][3]} RGB observation frames of a PushT scene: PSNR over the
 * bytes, and, on frames labelled by {@link FrameSegmentation} (the renderer's palette: background,
 * goal region, T-block, agent, walls), the block's mask and the agent's centroid.
 *
 * <p>Holds its segmentation only; the methods write into arrays the caller owns. Thread-safe.
 */
final class FrameMetrics {
  /**
   * PSNR reported for identical frames (and the most ever reported): keeps infinity out of means
   * and JSON.
   */
  static final double PSNR_CAP_DB = 100;

  private final FrameSegmentation segmentation;

  /**
   * @param size side of the frames in pixels, >= 1; the frame covers the 512 px workspace
   * @param look the scene's look, whose colours are the palette
   */
  FrameMetrics(int size, SceneLook look) {
    this.segmentation = new FrameSegmentation(size, look);
  }

  /** Workspace pixels per image pixel: the frame shows the 512 px workspace. */
  double workspacePixelsPerImagePixel() {
    return 512.0 / segmentation.size();
  }

  /**
   * PSNR of {@code a} against {@code b} over {@code bytes} bytes (peak 255), in dB, at most {@link
   * #PSNR_CAP_DB} (identical frames).
   */
  static double psnrDb(byte[] a, int aOffset, byte[] b, int bOffset, int bytes) {
    long squares = 0;
    for (int i = 0; i < bytes; i++) {
      int d = (a[aOffset + i] & 0xFF) - (b[bOffset + i] & 0xFF);
      squares += d * d;
    }
    if (squares == 0) return PSNR_CAP_DB;
    return Math.min(PSNR_CAP_DB, 10 * Math.log10(255.0 * 255.0 * bytes / squares));
  }

  /**
   * Writes the {@link FrameSegmentation} label of each pixel of {@code frame[offset..]} into {@code
   * labels[0 .. size * size)}.
   */
  void classify(byte[] frame, int offset, byte[] labels) {
    segmentation.classify(frame, offset, labels);
  }

  /**
   * Intersection over union of the block pixels of two labelled frames; 1 when neither shows the
   * block (two empty masks agree perfectly: nothing was predicted where nothing is).
   */
  static double blockIou(byte[] a, byte[] b) {
    return FrameSegmentation.blockIou(a, b);
  }

  /**
   * The centroid of the agent pixels of a labelled frame, in workspace pixels (pixel centres,
   * scaled by {@link #workspacePixelsPerImagePixel()}), into {@code xy}; false, leaving {@code xy},
   * when the frame shows no agent.
   */
  boolean agentCentroid(byte[] labels, double[] xy) {
    long n = 0, sx = 0, sy = 0;
    int size = segmentation.size();
    for (int y = 0, p = 0; y < size; y++) {
      for (int x = 0; x < size; x++, p++) {
        if (labels[p] == FrameSegmentation.AGENT) {
          n++;
          sx += x;
          sy += y;
        }
      }
    }
    if (n == 0) return false;
    double scale = workspacePixelsPerImagePixel();
    xy[0] = (sx / (double) n + 0.5) * scale;
    xy[1] = (sy / (double) n + 0.5) * scale;
    return true;
  }
}
