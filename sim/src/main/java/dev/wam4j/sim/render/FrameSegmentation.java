package dev.wam4j.sim.render;

/**
 * Labels the pixels of square {@code [size][size][3]} RGB frames of a scene with what the renderer
 * drew there — background, goal region, block, agent, walls — by the nearest colour of the scene's
 * palette.
 *
 * <p>Every pixel gets the class of the nearest palette colour (squared RGB distance; on a tie the
 * earlier of background, goal, block fill, block edge, agent colours, wall). Nearest rather than
 * exact because the reference resize blends colours at shape edges and a frame a model decoded is
 * blurry: a pixel counts as block when it looks more like the block than like anything else. Pixels
 * where the agent or a wall is drawn over the block or the goal are labelled agent or wall: what is
 * hidden is not seen.
 *
 * <p>Holds its palette only; the methods write into arrays the caller owns. Immutable, thread-safe.
 */
public final class FrameSegmentation {
  /** Label of a pixel showing the background. */
  public static final byte BACKGROUND = 0;

  /** Label of a pixel showing the goal region, uncovered. */
  public static final byte GOAL = 1;

  /** Label of a pixel showing the block (its fill or its edge). */
  public static final byte BLOCK = 2;

  /** Label of a pixel showing the agent. */
  public static final byte AGENT = 3;

  /** Label of a pixel showing a wall. */
  public static final byte WALL = 4;

  private final int size;
  // palette as flat r, g, b triples and the label of each colour
  private final int[] rgb;
  private final byte[] paletteLabels;

  /**
   * @param size side of the frames in pixels, >= 1
   * @param look the scene's look, whose colours are the palette
   * @throws IllegalArgumentException for a size below 1
   */
  public FrameSegmentation(int size, SceneLook look) {
    if (size < 1) throw new IllegalArgumentException("frame size must be >= 1, got " + size);
    this.size = size;
    RenderStyle s = look.style();
    Rgb[] agent =
        switch (look.agent()) {
          case AgentLook.Robot r -> new Rgb[] {r.outer(), r.inner()};
          case AgentLook.Hand h -> new Rgb[] {h.skin(), h.outline()};
        };
    Rgb[] colours = {
      s.background(), s.goal(), s.blockFill(), s.blockEdge(), agent[0], agent[1], s.wall()
    };
    paletteLabels = new byte[] {BACKGROUND, GOAL, BLOCK, BLOCK, AGENT, AGENT, WALL};
    rgb = new int[3 * colours.length];
    for (int i = 0; i < colours.length; i++) {
      rgb[3 * i] = colours[i].r();
      rgb[3 * i + 1] = colours[i].g();
      rgb[3 * i + 2] = colours[i].b();
    }
  }

  /** Side of the frames in pixels. */
  public int size() {
    return size;
  }

  /**
   * Writes the label of each pixel of {@code frame[offset..]} into {@code labels[0 .. size *
   * size)}.
   */
  public void classify(byte[] frame, int offset, byte[] labels) {
    int pixels = size * size;
    if (offset < 0 || offset > frame.length - 3 * pixels || labels.length < pixels) {
      throw new IndexOutOfBoundsException(
          "a "
              + size
              + "x"
              + size
              + " frame at offset "
              + offset
              + " of "
              + frame.length
              + " bytes into "
              + labels.length
              + " labels");
    }
    for (int p = 0, i = offset; p < pixels; p++, i += 3) labels[p] = labelAt(frame, i);
  }

  /**
   * The label of the one pixel whose red byte is {@code frame[index]} (green and blue follow it).
   */
  public byte labelAt(byte[] frame, int index) {
    int r = frame[index] & 0xFF, g = frame[index + 1] & 0xFF, b = frame[index + 2] & 0xFF;
    int best = 0, bestDistance = Integer.MAX_VALUE;
    for (int c = 0; c < paletteLabels.length; c++) {
      int dr = r - rgb[3 * c], dg = g - rgb[3 * c + 1], db = b - rgb[3 * c + 2];
      int distance = dr * dr + dg * dg + db * db;
      if (distance < bestDistance) {
        bestDistance = distance;
        best = c;
      }
    }
    return paletteLabels[best];
  }

  /**
   * Intersection over union of the block pixels of two labelled frames; 1 when neither shows the
   * block (two empty masks agree perfectly: nothing was predicted where nothing is).
   */
  public static double blockIou(byte[] a, byte[] b) {
    if (a.length != b.length)
      throw new IllegalArgumentException(
          "label arrays differ in length: " + a.length + " and " + b.length);
    int both = 0, either = 0;
    for (int p = 0; p < a.length; p++) {
      boolean x = a[p] == BLOCK, y = b[p] == BLOCK;
      if (x && y) both++;
      if (x || y) either++;
    }
    return either == 0 ? 1.0 : both / (double) either;
  }
}
