package dev.wam4j.sim.render;

import java.util.Arrays;

/**
 * Emulates the reference pipeline: pygame 2 rasterisation on a 512 x 512 canvas, then OpenCV's
 * fixed-point {@code INTER_LINEAR} resize to the output size.
 *
 * <p>The resize only ever reads two canvas columns and two canvas rows per output pixel, so only
 * that grid of canvas pixels is kept: every primitive is turned into the horizontal spans pygame
 * would fill, and each span writes the grid cells it covers. The result is the same as drawing the
 * whole canvas, at a fraction of the work.
 *
 * <p>Per frame only the moving shapes change, so the canvas keeps the resized frame of the saved
 * background and, per grid row, the range of columns the spans of this frame touched: a frame is
 * the background frame with just the output pixels whose taps read a touched cell recomputed, and
 * the next frame puts back just those cells.
 */
final class ReferenceCanvas extends Canvas {
  static final int SIZE = 512;
  // OpenCV INTER_RESIZE_COEF_BITS
  private static final int COEF_SCALE = 2048;

  private final int width;
  private final int height;
  // grid columns / rows = the distinct canvas columns / rows the resize reads, ascending
  private final int gw;
  private final int gh;
  private final int[] rowSlot = new int[SIZE];
  private final int[] colFirst = new int[SIZE + 1]; // first grid column with canvas x >= index
  private final int[] colLast = new int[SIZE]; // last grid column with canvas x <= index
  private final int[] xTap0;
  private final int[] xTap1;
  private final int[] xW0;
  private final int[] xW1;
  private final int[] yTap0;
  private final int[] yTap1;
  private final int[] yW0;
  private final int[] yW1;
  // per grid row, the touched columns since the last restore; lo > hi when none
  private final int[] dirtyLo;
  private final int[] dirtyHi;
  private int dirtyTop;
  private int dirtyBottom;
  // per grid column / row: the first output index whose second tap is at or past it, and the last
  // output index whose first tap is at or before it (the taps ascend), so that the outputs reading
  // grid cells lo..hi are xFrom[lo]..xTo[hi]
  private final int[] xFrom;
  private final int[] xTo;
  private final int[] yFrom;
  private final int[] yTo;
  private final byte[] background; // the saved samples, resized
  // scratch for primitives, sized for the largest polygon we draw
  private final int[] px = new int[16];
  private final int[] py = new int[16];
  private final int[] xs = new int[16];
  private final int[] edgeX = new int[16];
  private final int[] edgeY = new int[16];
  private final int[] edgeDx = new int[16];
  private final int[] edgeDy = new int[16];
  private final int[] clip = new int[4];

  ReferenceCanvas(int width, int height) {
    super(gridSize(width) * gridSize(height));
    this.width = width;
    this.height = height;
    xTap0 = new int[width];
    xTap1 = new int[width];
    xW0 = new int[width];
    xW1 = new int[width];
    yTap0 = new int[height];
    yTap1 = new int[height];
    yW0 = new int[height];
    yW1 = new int[height];
    int[] colSlot = new int[SIZE];
    gw = taps(width, xTap0, xTap1, xW0, xW1, colSlot);
    gh = taps(height, yTap0, yTap1, yW0, yW1, rowSlot);
    // turn the column map into first/last lookups for spans
    int next = gw;
    colFirst[SIZE] = gw;
    for (int x = SIZE - 1; x >= 0; x--) {
      if (colSlot[x] >= 0) next = colSlot[x];
      colFirst[x] = next;
    }
    int prev = -1;
    for (int x = 0; x < SIZE; x++) {
      if (colSlot[x] >= 0) prev = colSlot[x];
      colLast[x] = prev;
    }
    dirtyLo = new int[gh];
    dirtyHi = new int[gh];
    markClean();
    xFrom = new int[gw];
    xTo = new int[gw];
    reach(xTap0, xTap1, xFrom, xTo);
    yFrom = new int[gh];
    yTo = new int[gh];
    reach(yTap0, yTap1, yFrom, yTo);
    background = new byte[width * height * 3];
  }

  /** Fills the {@link #xFrom}/{@link #xTo} style lookups of one axis. */
  private static void reach(int[] t0, int[] t1, int[] from, int[] to) {
    int d = 0;
    for (int g = 0; g < from.length; g++) {
      while (t1[d] < g) d++;
      from[g] = d;
    }
    d = t0.length - 1;
    for (int g = to.length - 1; g >= 0; g--) {
      while (t0[d] > g) d--;
      to[g] = d;
    }
  }

  private void markClean() {
    Arrays.fill(dirtyLo, gw);
    Arrays.fill(dirtyHi, -1);
    dirtyTop = gh;
    dirtyBottom = -1;
  }

  @Override
  void save() {
    super.save();
    markClean();
    for (int y = 0; y < height; y++) blendRow(y, 0, width - 1, background, 0);
  }

  @Override
  void restore() {
    for (int slot = dirtyTop; slot <= dirtyBottom; slot++) {
      int lo = dirtyLo[slot];
      int hi = dirtyHi[slot];
      if (lo <= hi) {
        restore(slot * gw + lo, hi - lo + 1);
        dirtyLo[slot] = gw;
        dirtyHi[slot] = -1;
      }
    }
    dirtyTop = gh;
    dirtyBottom = -1;
  }

  /** Number of distinct canvas rows or columns the resize to {@code dsize} reads. */
  private static int gridSize(int dsize) {
    return taps(
        dsize, new int[dsize], new int[dsize], new int[dsize], new int[dsize], new int[SIZE]);
  }

  /**
   * OpenCV's linear resize table for one axis: source taps and fixed-point weights per output
   * index, then the taps renumbered as grid slots. Returns the number of slots.
   */
  private static int taps(int dsize, int[] t0, int[] t1, int[] w0, int[] w1, int[] slotOf) {
    double scale = (double) SIZE / dsize;
    boolean[] used = new boolean[SIZE];
    for (int d = 0; d < dsize; d++) {
      float f = (float) ((d + 0.5) * scale - 0.5);
      int s = (int) Math.floor(f);
      f -= s;
      if (s < 0) {
        f = 0;
        s = 0;
      }
      if (s >= SIZE - 1) {
        f = 0;
        s = SIZE - 1;
      }
      t0[d] = s;
      t1[d] = Math.min(s + 1, SIZE - 1);
      w0[d] = (int) Math.rint((1f - f) * COEF_SCALE);
      w1[d] = (int) Math.rint(f * COEF_SCALE);
      used[t0[d]] = true;
      used[t1[d]] = true;
    }
    int n = 0;
    for (int x = 0; x < SIZE; x++) slotOf[x] = used[x] ? n++ : -1;
    for (int d = 0; d < dsize; d++) {
      t0[d] = slotOf[t0[d]];
      t1[d] = slotOf[t1[d]];
    }
    return n;
  }

  // ---- pygame's pixel operations, restricted to the sampled grid ----

  /** Fills canvas pixels x1..x2 (inclusive, any order) of row y, clipped to the canvas. */
  private void span(int y, int x1, int x2, int rgb) {
    if (y < 0 || y >= SIZE) return;
    int slot = rowSlot[y];
    if (slot < 0) return;
    if (x2 < x1) {
      int t = x1;
      x1 = x2;
      x2 = t;
    }
    if (x2 < 0 || x1 >= SIZE) return;
    int c1 = colFirst[Math.max(x1, 0)];
    int c2 = colLast[Math.min(x2, SIZE - 1)];
    if (c1 > c2) return;
    int row = slot * gw;
    for (int c = c1; c <= c2; c++) grid[row + c] = rgb;
    touch(slot, c1, c2);
  }

  /** Records that grid row {@code slot}, columns c1..c2, changed since the last restore. */
  private void touch(int slot, int c1, int c2) {
    if (c1 < dirtyLo[slot]) dirtyLo[slot] = c1;
    if (c2 > dirtyHi[slot]) dirtyHi[slot] = c2;
    if (slot < dirtyTop) dirtyTop = slot;
    if (slot > dirtyBottom) dirtyBottom = slot;
  }

  /** Fills canvas pixels y1..y2 (inclusive, y1 <= y2) of column x: span(y, x, x) for each y. */
  private void column(int x, int y1, int y2, int rgb) {
    if (x < 0 || x >= SIZE) return;
    int c = colFirst[x];
    if (c != colLast[x]) return; // a column the resize never reads
    for (int y = Math.max(y1, 0), end = Math.min(y2, SIZE - 1); y <= end; y++) {
      int slot = rowSlot[y];
      if (slot < 0) continue;
      grid[slot * gw + c] = rgb;
      touch(slot, c, c);
    }
  }

  private static boolean inside(int x, int y) {
    return x >= 0 && x < SIZE && y >= 0 && y < SIZE;
  }

  /** pygame {@code draw_fillpoly}: even-odd scanline fill of integer points, edges inclusive. */
  private void fillPoly(int[] vx, int[] vy, int n, int rgb) {
    int miny = vy[0];
    int maxy = vy[0];
    for (int i = 1; i < n; i++) {
      miny = Math.min(miny, vy[i]);
      maxy = Math.max(maxy, vy[i]);
    }
    if (miny == maxy) {
      int minx = vx[0];
      int maxx = vx[0];
      for (int i = 1; i < n; i++) {
        minx = Math.min(minx, vx[i]);
        maxx = Math.max(maxx, vx[i]);
      }
      span(miny, minx, maxx, rgb);
      return;
    }
    // the non-horizontal edges, top end first, in the order pygame visits them
    int m = 0;
    for (int i = 0; i < n; i++) {
      int ip = i == 0 ? n - 1 : i - 1;
      if (vy[ip] < vy[i]) {
        edgeX[m] = vx[ip];
        edgeY[m] = vy[ip];
        edgeDx[m] = vx[i] - vx[ip];
        edgeDy[m++] = vy[i] - vy[ip];
      } else if (vy[ip] > vy[i]) {
        edgeX[m] = vx[i];
        edgeY[m] = vy[i];
        edgeDx[m] = vx[ip] - vx[i];
        edgeDy[m++] = vy[ip] - vy[i];
      }
    }
    int yStart = Math.max(miny, 0);
    int yEnd = Math.min(maxy, SIZE - 1);
    for (int y = yStart; y <= yEnd; y++) {
      if (rowSlot[y] < 0) continue; // rows the resize never reads
      int k = 0;
      for (int e = 0; e < m; e++) {
        int y1 = edgeY[e];
        int y2 = y1 + edgeDy[e];
        if ((y >= y1 && y < y2) || (y == maxy && y2 == maxy)) {
          xs[k++] = (y - y1) * edgeDx[e] / edgeDy[e] + edgeX[e]; // C division truncates like Java's
        }
      }
      for (int i = 1; i < k; i++) { // insertion sort: a handful of values
        int v = xs[i];
        int j = i - 1;
        while (j >= 0 && xs[j] > v) {
          xs[j + 1] = xs[j];
          j--;
        }
        xs[j + 1] = v;
      }
      for (int i = 0; i + 1 < k; i += 2) span(y, xs[i], xs[i + 1], rgb);
    }
    for (int i = 0; i < n; i++) {
      int ip = i == 0 ? n - 1 : i - 1;
      int y = vy[i];
      if (miny < y && vy[ip] == y && y < maxy) span(y, vx[i], vx[ip], rgb);
    }
  }

  /** pygame {@code draw_circle_filled}: midpoint circle, covering x0 - r .. x0 + r - 1. */
  private void circle(int x0, int y0, int radius, int rgb) {
    if (radius < 1) return;
    int f = 1 - radius;
    int ddFx = 0;
    int ddFy = -2 * radius;
    int x = 0;
    int y = radius;
    while (x < y) {
      if (f >= 0) {
        y--;
        ddFy += 2;
        f += ddFy;
      }
      x++;
      ddFx += 2;
      f += ddFx + 1;
      if (f >= 0) {
        span(y0 + y - 1, x0 - x, x0 + x - 1, rgb);
        span(y0 - y, x0 - x, x0 + x - 1, rgb);
      }
      span(y0 + x - 1, x0 - y, x0 + y - 1, rgb);
      span(y0 - x, x0 - y, x0 + y - 1, rgb);
    }
  }

  private static int sign(int x, int y) {
    return x > 0 ? 1 : x < 0 ? -1 : y;
  }

  /** pygame {@code draw_line_width} for width > 1: a Bresenham line swept by a short flat run. */
  private void thickLine(int x1, int y1, int x2, int y2, int width, int rgb) {
    int endX = x2;
    int endY = y2;
    boolean xinc = Math.abs(x1 - x2) <= Math.abs(y1 - y2);
    int dx = Math.abs(x2 - x1);
    int sx = x1 < x2 ? 1 : -1;
    int dy = Math.abs(y2 - y1);
    int sy = y1 < y2 ? 1 : -1;
    int err = (dx > dy ? dx : -dy) / 2;
    clip[0] = x1;
    clip[1] = y1;
    clip[2] = x2;
    clip[3] = y2;
    if (!clipLine(clip)) return;
    x1 = clip[0];
    y1 = clip[1];
    x2 = clip[2];
    y2 = clip[3];
    int lt;
    int rb;
    if (xinc) {
      lt = x1 - (width - 1) / 2;
      rb = x1 + width / 2;
    } else {
      lt = y1 - (width - 1) / 2;
      rb = y1 + width / 2;
    }
    while (sign(x1 - x2, sx) != sx || sign(y1 - y2, sy) != sy) {
      if (xinc) span(y1, lt, rb, rgb);
      else column(x1, lt, rb, rgb);
      int e2 = err;
      if (e2 > -dx) {
        err -= dy;
        x1 += sx;
        if (xinc) {
          lt += sx;
          rb += sx;
        }
      }
      if (e2 < dy) {
        err += dx;
        y1 += sy;
        if (!xinc) {
          lt += sy;
          rb += sy;
        }
      }
    }
    if (xinc) {
      while (y1 != endY && (inside(lt, y1) || inside(rb, y1))) {
        span(y1, lt, rb, rgb);
        int e2 = err;
        if (e2 > -dx) {
          err -= dy;
          x1 += sx;
          lt += sx;
          rb += sx;
        }
        if (e2 < dy) {
          err += dx;
          y1 += sy;
        }
      }
      span(y1, lt, rb, rgb);
    } else {
      while (x1 != endX && (inside(x1, lt) || inside(x1, rb))) {
        column(x1, lt, rb, rgb);
        int e2 = err;
        if (e2 > -dx) {
          err -= dy;
          x1 += sx;
        }
        if (e2 < dy) {
          err += dx;
          y1 += sy;
          lt += sy;
          rb += sy;
        }
      }
      column(x1, lt, rb, rgb);
    }
  }

  /** pygame {@code clip_line} (Liang-Barsky on integers) against the canvas; false if outside. */
  private static boolean clipLine(int[] l) {
    int x1 = l[0];
    int y1 = l[1];
    int p1 = x1 - l[2];
    int p2 = -p1;
    int p3 = y1 - l[3];
    int p4 = -p3;
    int q1 = x1;
    int q2 = SIZE - x1;
    int q3 = y1;
    int q4 = SIZE - y1;
    double nmax = 0;
    double pmin = 1;
    if ((p1 == 0 && q1 < 0) || (p2 == 0 && q2 < 0) || (p3 == 0 && q3 < 0) || (p4 == 0 && q4 < 0))
      return false;
    if (p1 != 0) {
      double r1 = (double) q1 / p1;
      double r2 = (double) q2 / p2;
      if (p1 < 0) {
        nmax = Math.max(nmax, r1);
        pmin = Math.min(pmin, r2);
      } else {
        nmax = Math.max(nmax, r2);
        pmin = Math.min(pmin, r1);
      }
    }
    if (p3 != 0) {
      double r1 = (double) q3 / p3;
      double r2 = (double) q4 / p4;
      if (p3 < 0) {
        nmax = Math.max(nmax, r1);
        pmin = Math.min(pmin, r2);
      } else {
        nmax = Math.max(nmax, r2);
        pmin = Math.min(pmin, r1);
      }
    }
    if (nmax > pmin) return false;
    l[0] = x1 + roundAway(p2 * nmax);
    l[1] = y1 + roundAway(p4 * nmax);
    l[2] = x1 + roundAway(p2 * pmin);
    l[3] = y1 + roundAway(p4 * pmin);
    return true;
  }

  private static int roundAway(double v) {
    return (int) (v < 0 ? v - 0.5 : v + 0.5);
  }

  /** Python's {@code round} to an int: half to even. */
  private static int pyRound(double v) {
    return (int) Math.rint(v);
  }

  // ---- the scene primitives, as the reference's pymunk debug-draw override issues them ----

  @Override
  void polygon(double[] xy, int n, int rgb) {
    // the reference passes its point list closed, first point repeated
    for (int i = 0; i < n; i++) {
      px[i] = pyRound(xy[2 * i]);
      py[i] = pyRound(xy[2 * i + 1]);
    }
    px[n] = px[0];
    py[n] = py[0];
    fillPoly(px, py, n + 1, rgb);
  }

  @Override
  void fatSegment(double ax, double ay, double bx, double by, double radius, int rgb) {
    int p1x = pyRound(ax);
    int p1y = pyRound(ay);
    int p2x = pyRound(bx);
    int p2y = pyRound(by);
    int r = pyRound(Math.max(1, radius * 2));
    if (r > 1) thickLine(p1x, p1y, p2x, p2y, r, rgb);
    else span(p1y, p1x, p1x, rgb); // width-1 lines are not used by any scene we draw
    if (r > 2) {
      // the reference's "orthogonal" offset uses absolute deltas: a true normal only when the
      // segment runs down-left or up-right; copied as is, it is what the frames show
      int ox = Math.abs(p2y - p1y);
      int oy = Math.abs(p2x - p1x);
      if (ox == 0 && oy == 0) return;
      double scale = radius / Math.sqrt((double) ox * ox + (double) oy * oy);
      ox = pyRound(ox * scale);
      oy = pyRound(oy * scale);
      px[0] = p1x - ox;
      py[0] = p1y - oy;
      px[1] = p1x + ox;
      py[1] = p1y + oy;
      px[2] = p2x + ox;
      py[2] = p2y + oy;
      px[3] = p2x - ox;
      py[3] = p2y - oy;
      fillPoly(px, py, 4, rgb);
      circle(p1x, p1y, pyRound(radius), rgb);
      circle(p2x, p2y, pyRound(radius), rgb);
    }
  }

  @Override
  void disc(double cx, double cy, double r, int rgb) {
    circle(pyRound(cx), pyRound(cy), pyRound(r), rgb);
  }

  /**
   * OpenCV's fixed-point bilinear resize of the sampled grid (its SIMD rounding): the background
   * frame, with the output pixels that read a cell touched since the last restore recomputed.
   */
  @Override
  void resolve(byte[] out, int offset) {
    System.arraycopy(background, 0, out, offset, background.length);
    if (dirtyTop > dirtyBottom) return;
    int yEnd = yTo[dirtyBottom];
    for (int y = yFrom[dirtyTop]; y <= yEnd; y++) {
      int t0 = yTap0[y];
      int t1 = yTap1[y];
      int lo = Math.min(dirtyLo[t0], dirtyLo[t1]);
      int hi = Math.max(dirtyHi[t0], dirtyHi[t1]);
      if (lo <= hi) blendRow(y, xFrom[lo], xTo[hi], out, offset);
    }
  }

  /** Resizes output pixels x0..x1 of output row y into {@code out}. */
  private void blendRow(int y, int x0, int x1, byte[] out, int offset) {
    int r0 = yTap0[y] * gw;
    int r1 = yTap1[y] * gw;
    int b0 = yW0[y];
    int b1 = yW1[y];
    int o = offset + (y * width + x0) * 3;
    for (int x = x0; x <= x1; x++) {
      int ta = xTap0[x];
      int tb = xTap1[x];
      int a0 = xW0[x];
      int a1 = xW1[x];
      int p = grid[r0 + ta];
      int q = grid[r0 + tb];
      int u = grid[r1 + ta];
      int v = grid[r1 + tb];
      out[o++] =
          blend((p >>> 16) * a0 + (q >>> 16) * a1, (u >>> 16) * a0 + (v >>> 16) * a1, b0, b1);
      out[o++] =
          blend(
              (p >>> 8 & 0xff) * a0 + (q >>> 8 & 0xff) * a1,
              (u >>> 8 & 0xff) * a0 + (v >>> 8 & 0xff) * a1,
              b0,
              b1);
      out[o++] =
          blend((p & 0xff) * a0 + (q & 0xff) * a1, (u & 0xff) * a0 + (v & 0xff) * a1, b0, b1);
    }
  }

  /**
   * The vertical pass on two horizontally interpolated values: OpenCV's vectorised form, pre-shift
   * by 4, 16-bit high multiply, round by 2 bits (its plain (sum + 2^21) >> 22 agrees less often
   * with the recorded frames).
   */
  private static byte blend(int h0, int h1, int b0, int b1) {
    int v = ((b0 * (h0 >> 4)) >> 16) + ((b1 * (h1 >> 4)) >> 16) + 2 >> 2;
    return (byte) (v < 0 ? 0 : Math.min(v, 255));
  }
}
