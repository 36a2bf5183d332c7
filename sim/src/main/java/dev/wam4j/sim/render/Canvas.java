package dev.wam4j.sim.render;

import java.util.Arrays;

/**
 * A painter's-algorithm target for the scene's few primitives, in 512-unit canvas coordinates (the
 * camera already applied), over a grid of colour samples (0xRRGGBB). Implementations keep all their
 * buffers from construction on.
 */
abstract sealed class Canvas permits ReferenceCanvas, SupersampledCanvas {
  // no 0xRRGGBB colour has the top byte set
  private static final int UNSET = -1;

  /** The colour samples; their layout is the subclass's. */
  final int[] grid;

  private final int[] base;
  private int[] overlayCells = new int[0];
  private int[] overlayColours = new int[0];

  Canvas(int samples) {
    grid = new int[samples];
    base = new int[samples];
  }

  /** Fills the convex polygon of the first {@code n} points of {@code xy} (x, y interleaved). */
  abstract void polygon(double[] xy, int n, int rgb);

  /** Fills the segment a-b thickened by {@code radius}, with round caps. */
  abstract void fatSegment(double ax, double ay, double bx, double by, double radius, int rgb);

  /** Fills the disc of radius {@code r} around (cx, cy). */
  abstract void disc(double cx, double cy, double r, int rgb);

  /** Writes the frame, HWC RGB, into {@code out} from {@code offset}. */
  abstract void resolve(byte[] out, int offset);

  /** Sets every sample to {@code rgb}. */
  final void clear(int rgb) {
    Arrays.fill(grid, rgb);
  }

  /**
   * Stamps the overlay on the current samples and remembers them as the base that {@link #restore}
   * brings back. With the overlay in the base, a cell that no primitive touched already shows what
   * {@link #drawOverlay} would stamp, which lets a subclass restore and resolve only touched cells.
   */
  void save() {
    drawOverlay();
    System.arraycopy(grid, 0, base, 0, grid.length);
  }

  /**
   * Brings back the samples saved by {@link #save}. Between a restore and the next one only the
   * primitives and {@link #drawOverlay} may change samples.
   */
  void restore() {
    System.arraycopy(base, 0, grid, 0, grid.length);
  }

  /** Copies the saved samples {@code [from, from + n)} back into the grid. */
  final void restore(int from, int n) {
    System.arraycopy(base, from, grid, from, n);
  }

  /**
   * Records what {@code draw} paints as a fixed overlay that {@link #drawOverlay} stamps on top of
   * later frames: static shapes drawn last cost a copy of the cells they cover, not a redraw.
   * Clears the samples.
   */
  final void captureOverlay(Runnable draw) {
    clear(UNSET);
    draw.run();
    int n = 0;
    for (int c : grid) if (c != UNSET) n++;
    overlayCells = new int[n];
    overlayColours = new int[n];
    n = 0;
    for (int i = 0; i < grid.length; i++) {
      if (grid[i] != UNSET) {
        overlayCells[n] = i;
        overlayColours[n++] = grid[i];
      }
    }
  }

  /** Paints the overlay recorded by {@link #captureOverlay}. */
  final void drawOverlay() {
    for (int i = 0; i < overlayCells.length; i++) grid[overlayCells[i]] = overlayColours[i];
  }
}
