package dev.wam4j.eval;

import dev.wam4j.data.video.VideoEncoding;
import dev.wam4j.data.video.VideoWriter;
import dev.wam4j.model.policy.Plan;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * The reality / dream video of an evaluation, one frame per control step at 10 fps: on the left the
 * observation the policy receives (exactly the reference-rendered frame, magnified by nearest
 * neighbour so no smoothing hides what the policy saw), on the right the dream frame of the latest
 * plan for the same moment, at the same magnification; a thin dark line between them and small
 * labels ({@code SEED s STEP t} / {@code DREAM +k}). An episode starts with its reset observation
 * beside a grey panel (no plan yet); the right panel stays grey, labelled {@code NO DREAM}, when
 * the plan carries no dream. Episodes follow each other in one file.
 *
 * <p>Not thread-safe. Owns a {@link VideoWriter}: close it; nothing is left at the path unless
 * {@link #finish()} ran.
 */
final class SideBySideVideo implements AutoCloseable {
  private static final int FPS = 10;
  private static final byte GREY = (byte) 128;
  private static final int SEPARATOR = 0x282828;

  private final VideoWriter writer;
  private final int size;
  private final int scale;
  private final int panel;
  private final int width;
  private final byte[] frame;
  private final int glyphPixel;
  private long seed;

  private SideBySideVideo(VideoWriter writer, int size, int scale) {
    this.writer = writer;
    this.size = size;
    this.scale = scale;
    this.panel = size * scale;
    this.width = 2 * panel;
    this.frame = new byte[width * panel * 3];
    this.glyphPixel = Math.max(1, scale / 2);
  }

  /**
   * @param size side of the observation (and dream) frames in pixels
   * @param scale nearest-neighbour magnification; {@code size * scale} must be even (yuv420p)
   */
  static SideBySideVideo open(Path file, int size, int scale, VideoEncoding encoding)
      throws IOException {
    int panel = size * scale;
    if (panel % 2 != 0) {
      throw new IllegalArgumentException(
          "video "
              + file
              + ": panel side "
              + size
              + " x "
              + scale
              + " = "
              + panel
              + " must be even (yuv420p); pick an even scale");
    }
    return new SideBySideVideo(
        VideoWriter.open(file, 2 * panel, panel, FPS, encoding), size, scale);
  }

  /** Width of the video: two panels. */
  int width() {
    return width;
  }

  void beginEpisode(long episodeSeed) {
    this.seed = episodeSeed;
  }

  /**
   * Writes one frame.
   *
   * @param reality observation bytes, {@code [size][size][3]} at {@code offset}
   * @param plan the latest plan, or {@code null} before the first
   * @param sincePlan steps executed since that plan (1 after its first action)
   * @param step control steps since the reset
   */
  void frame(byte[] reality, int offset, Plan plan, int sincePlan, int step) throws IOException {
    blit(reality, offset, 0);
    String right;
    if (plan != null && plan.hasDream()) {
      int[] offsets = plan.dreamOffsets();
      int k = offsets.length - 1;
      // the dream of the moment shown on the left, or the furthest one once the plan has run past
      // it
      for (int i = 0; i < offsets.length; i++) {
        if (offsets[i] >= sincePlan) {
          k = i;
          break;
        }
      }
      blit(plan.dreamFrames(), k * size * size * 3, panel);
      right = "DREAM +" + offsets[k];
    } else {
      for (int y = 0; y < panel; y++)
        Arrays.fill(frame, (y * width + panel) * 3, (y * width + width) * 3, GREY);
      right = plan == null ? "" : "NO DREAM";
    }
    for (int y = 0; y < panel; y++) {
      put(panel - 1, y, SEPARATOR);
      put(panel, y, SEPARATOR);
    }
    label("SEED " + seed + " STEP " + step, 0);
    label(right, panel);
    writer.writeFrame(frame, 0);
  }

  /**
   * Copies a {@code size x size} RGB frame magnified into the panel starting at column {@code x0}.
   */
  private void blit(byte[] src, int offset, int x0) {
    for (int y = 0; y < panel; y++) {
      int srcRow = offset + (y / scale) * size * 3;
      int dst = (y * width + x0) * 3;
      for (int x = 0; x < panel; x++, dst += 3) {
        int s = srcRow + (x / scale) * 3;
        frame[dst] = src[s];
        frame[dst + 1] = src[s + 1];
        frame[dst + 2] = src[s + 2];
      }
    }
  }

  /**
   * Dark text on a light box at the top left of the panel at column {@code x0}, clipped to the
   * panel.
   */
  private void label(String text, int x0) {
    if (text.isEmpty()) return;
    int g = glyphPixel;
    int pad = g;
    int boxW = Math.min(panel - 2, text.length() * (Glyphs.WIDTH + 1) * g + 2 * pad);
    int boxH = Glyphs.HEIGHT * g + 2 * pad;
    for (int y = 1; y < 1 + boxH && y < panel; y++) {
      for (int x = 1; x < 1 + boxW; x++) put(x0 + x, y, 0xF0F0F0);
    }
    for (int c = 0; c < text.length(); c++) {
      int[] rows = Glyphs.of(text.charAt(c));
      int cx = 1 + pad + c * (Glyphs.WIDTH + 1) * g;
      for (int r = 0; r < Glyphs.HEIGHT; r++) {
        for (int b = 0; b < Glyphs.WIDTH; b++) {
          if ((rows[r] & (1 << (Glyphs.WIDTH - 1 - b))) == 0) continue;
          for (int dy = 0; dy < g; dy++) {
            for (int dx = 0; dx < g; dx++) {
              int x = cx + b * g + dx, y = 1 + pad + r * g + dy;
              if (x < boxW && y < panel) put(x0 + x, y, 0x101010);
            }
          }
        }
      }
    }
  }

  private void put(int x, int y, int rgb) {
    int i = (y * width + x) * 3;
    frame[i] = (byte) (rgb >>> 16);
    frame[i + 1] = (byte) (rgb >>> 8);
    frame[i + 2] = (byte) rgb;
  }

  /** Frames written so far. */
  long frameCount() {
    return writer.frameCount();
  }

  void finish() throws IOException {
    writer.finish();
  }

  @Override
  public void close() throws IOException {
    writer.close();
  }
}
