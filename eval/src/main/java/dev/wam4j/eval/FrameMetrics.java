package dev.wam4j.eval;

import dev.wam4j.sim.render.AgentLook;
import dev.wam4j.sim.render.Rgb;
import dev.wam4j.sim.render.RenderStyle;
import dev.wam4j.sim.render.SceneLook;

/**
 * Compares square {@code [size][size][3]} RGB observation frames of a PushT scene: PSNR over the
 * bytes, and a segmentation into what the renderer drew — background, goal region, T-block, agent,
 * walls — that gives the block's mask and the agent's centroid.
 *
 * <p>Segmentation assigns every pixel the class of the nearest palette colour (squared RGB distance;
 * on a tie the earlier of background, goal, block fill, block edge, agent colours, wall). Nearest
 * rather than exact because the reference resize blends colours at shape edges and a decoded dream
 * is blurry: a pixel counts as block when it looks more like the block than like anything else.
 *
 * <p>Holds its palette only; the methods write into arrays the caller owns. Thread-safe.
 */
final class FrameMetrics {
  /** PSNR reported for identical frames (and the most ever reported): keeps infinity out of means and JSON. */
  static final double PSNR_CAP_DB = 100;

  /** Pixel classes written by {@link #classify}. */
  static final byte BACKGROUND = 0;
  static final byte GOAL = 1;
  static final byte BLOCK = 2;
  static final byte AGENT = 3;
  static final byte WALL = 4;

  private final int size;
  // palette as flat r, g, b triples and the class of each colour
  private final int[] rgb;
  private final byte[] classes;

  /**
   * @param size side of the frames in pixels, >= 1; the frame covers the 512 px workspace
   * @param look the scene's look, whose colours are the palette
   */
  FrameMetrics(int size, SceneLook look) {
    if (size < 1) throw new IllegalArgumentException("frame size must be >= 1, got " + size);
    this.size = size;
    RenderStyle s = look.style();
    Rgb[] agent = switch (look.agent()) {
      case AgentLook.Robot r -> new Rgb[] {r.outer(), r.inner()};
      case AgentLook.Hand h -> new Rgb[] {h.skin(), h.outline()};
    };
    Rgb[] colours = {s.background(), s.goal(), s.blockFill(), s.blockEdge(), agent[0], agent[1], s.wall()};
    classes = new byte[] {BACKGROUND, GOAL, BLOCK, BLOCK, AGENT, AGENT, WALL};
    rgb = new int[3 * colours.length];
    for (int i = 0; i < colours.length; i++) {
      rgb[3 * i] = colours[i].r();
      rgb[3 * i + 1] = colours[i].g();
      rgb[3 * i + 2] = colours[i].b();
    }
  }

  /** Workspace pixels per image pixel: the frame shows the 512 px workspace. */
  double workspacePixelsPerImagePixel() {
    return 512.0 / size;
  }

  /**
   * PSNR of {@code a} against {@code b} over {@code bytes} bytes (peak 255), in dB, at most
   * {@link #PSNR_CAP_DB} (identical frames).
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

  /** Writes the class of each pixel of {@code frame[offset..]} into {@code labels[0 .. size * size)}. */
  void classify(byte[] frame, int offset, byte[] labels) {
    int pixels = size * size, colours = classes.length;
    for (int p = 0, i = offset; p < pixels; p++, i += 3) {
      int r = frame[i] & 0xFF, g = frame[i + 1] & 0xFF, b = frame[i + 2] & 0xFF;
      int best = 0, bestDistance = Integer.MAX_VALUE;
      for (int c = 0; c < colours; c++) {
        int dr = r - rgb[3 * c], dg = g - rgb[3 * c + 1], db = b - rgb[3 * c + 2];
        int distance = dr * dr + dg * dg + db * db;
        if (distance < bestDistance) {
          bestDistance = distance;
          best = c;
        }
      }
      labels[p] = classes[best];
    }
  }

  /**
   * Intersection over union of the block pixels of two labelled frames; 1 when neither shows the
   * block (two empty masks agree perfectly: nothing was predicted where nothing is).
   */
  static double blockIou(byte[] a, byte[] b) {
    int both = 0, either = 0;
    for (int p = 0; p < a.length; p++) {
      boolean x = a[p] == BLOCK, y = b[p] == BLOCK;
      if (x && y) both++;
      if (x || y) either++;
    }
    return either == 0 ? 1.0 : both / (double) either;
  }

  /**
   * The centroid of the agent pixels of a labelled frame, in workspace pixels (pixel centres, scaled
   * by {@link #workspacePixelsPerImagePixel()}), into {@code xy}; false, leaving {@code xy}, when the
   * frame shows no agent.
   */
  boolean agentCentroid(byte[] labels, double[] xy) {
    long n = 0, sx = 0, sy = 0;
    for (int y = 0, p = 0; y < size; y++) {
      for (int x = 0; x < size; x++, p++) {
        if (labels[p] == AGENT) {
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
