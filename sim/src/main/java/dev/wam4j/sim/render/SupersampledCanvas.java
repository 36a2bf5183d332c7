package dev.wam4j.sim.render;

/**
 * Exact geometry sampled on a regular k x k grid inside every output pixel and box-filtered: an
 * antialiased picture at any size. Every primitive is convex, so each fills one interval per sample
 * row.
 */
final class SupersampledCanvas extends Canvas {
  private static final int K = 4;

  private final int width;
  private final int height;
  private final int sw;
  private final int sh;
  private final double toSamplesX; // canvas units -> sample columns
  private final double toSamplesY;
  private final double[] quad = new double[8];
  private double lo;
  private double hi;

  SupersampledCanvas(int width, int height) {
    super(width * K * height * K);
    this.width = width;
    this.height = height;
    sw = width * K;
    sh = height * K;
    toSamplesX = (double) sw / ReferenceCanvas.SIZE;
    toSamplesY = (double) sh / ReferenceCanvas.SIZE;
  }

  /** Fills samples of row j whose centres lie in [x0, x1] (sample units). */
  private void fillRow(int j, double x0, double x1, int rgb) {
    int i0 = Math.max(0, (int) Math.ceil(x0 - 0.5));
    int i1 = Math.min(sw - 1, (int) Math.floor(x1 - 0.5));
    int row = j * sw;
    for (int i = i0; i <= i1; i++) grid[row + i] = rgb;
  }

  /**
   * Sets lo/hi to the polygon's extent along the horizontal line y (sample units); lo > hi if none.
   */
  private void polygonInterval(double[] xy, int n, double y) {
    lo = Double.POSITIVE_INFINITY;
    hi = Double.NEGATIVE_INFINITY;
    for (int i = 0; i < n; i++) {
      int ip = i == 0 ? n - 1 : i - 1;
      double xa = xy[2 * ip] * toSamplesX;
      double ya = xy[2 * ip + 1] * toSamplesY;
      double xb = xy[2 * i] * toSamplesX;
      double yb = xy[2 * i + 1] * toSamplesY;
      if ((ya <= y && y <= yb) || (yb <= y && y <= ya)) {
        double x = ya == yb ? Math.min(xa, xb) : xa + (y - ya) * (xb - xa) / (yb - ya);
        double x2 = ya == yb ? Math.max(xa, xb) : x;
        lo = Math.min(lo, x);
        hi = Math.max(hi, x2);
      }
    }
  }

  private void discInterval(double cx, double cy, double r, double y) {
    // a disc is an ellipse in sample units when the output is not square
    double dy = (y / toSamplesY - cy) / r;
    if (dy * dy >= 1) {
      lo = Double.POSITIVE_INFINITY;
      hi = Double.NEGATIVE_INFINITY;
      return;
    }
    double half = Math.sqrt(1 - dy * dy) * r * toSamplesX;
    lo = cx * toSamplesX - half;
    hi = cx * toSamplesX + half;
  }

  @Override
  void polygon(double[] xy, int n, int rgb) {
    double minY = Double.POSITIVE_INFINITY;
    double maxY = Double.NEGATIVE_INFINITY;
    for (int i = 0; i < n; i++) {
      minY = Math.min(minY, xy[2 * i + 1] * toSamplesY);
      maxY = Math.max(maxY, xy[2 * i + 1] * toSamplesY);
    }
    int j0 = Math.max(0, (int) Math.ceil(minY - 0.5));
    int j1 = Math.min(sh - 1, (int) Math.floor(maxY - 0.5));
    for (int j = j0; j <= j1; j++) {
      polygonInterval(xy, n, j + 0.5);
      if (lo <= hi) fillRow(j, lo, hi, rgb);
    }
  }

  @Override
  void disc(double cx, double cy, double r, int rgb) {
    int j0 = Math.max(0, (int) Math.ceil((cy - r) * toSamplesY - 0.5));
    int j1 = Math.min(sh - 1, (int) Math.floor((cy + r) * toSamplesY - 0.5));
    for (int j = j0; j <= j1; j++) {
      discInterval(cx, cy, r, j + 0.5);
      if (lo <= hi) fillRow(j, lo, hi, rgb);
    }
  }

  @Override
  void fatSegment(double ax, double ay, double bx, double by, double radius, int rgb) {
    double dx = bx - ax;
    double dy = by - ay;
    double len = Math.hypot(dx, dy);
    double nx = len > 0 ? -dy / len * radius : 0;
    double ny = len > 0 ? dx / len * radius : 0;
    quad[0] = ax + nx;
    quad[1] = ay + ny;
    quad[2] = bx + nx;
    quad[3] = by + ny;
    quad[4] = bx - nx;
    quad[5] = by - ny;
    quad[6] = ax - nx;
    quad[7] = ay - ny;
    int j0 = Math.max(0, (int) Math.ceil((Math.min(ay, by) - radius) * toSamplesY - 0.5));
    int j1 = Math.min(sh - 1, (int) Math.floor((Math.max(ay, by) + radius) * toSamplesY - 0.5));
    for (int j = j0; j <= j1; j++) {
      double y = j + 0.5;
      // the capsule is convex: its row is the hull of the rows of its three pieces
      double l = Double.POSITIVE_INFINITY;
      double h = Double.NEGATIVE_INFINITY;
      discInterval(ax, ay, radius, y);
      if (lo <= hi) {
        l = lo;
        h = hi;
      }
      discInterval(bx, by, radius, y);
      if (lo <= hi) {
        l = Math.min(l, lo);
        h = Math.max(h, hi);
      }
      if (len > 0) {
        polygonInterval(quad, 4, y);
        if (lo <= hi) {
          l = Math.min(l, lo);
          h = Math.max(h, hi);
        }
      }
      if (l <= h) fillRow(j, l, h, rgb);
    }
  }

  @Override
  void resolve(byte[] out, int offset) {
    int n = K * K;
    int o = offset;
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        int r = 0;
        int g = 0;
        int b = 0;
        for (int j = 0; j < K; j++) {
          int row = (y * K + j) * sw + x * K;
          for (int i = 0; i < K; i++) {
            int c = grid[row + i];
            r += c >>> 16;
            g += c >>> 8 & 0xff;
            b += c & 0xff;
          }
        }
        out[o++] = (byte) ((r + n / 2) / n);
        out[o++] = (byte) ((g + n / 2) / n);
        out[o++] = (byte) ((b + n / 2) / n);
      }
    }
  }
}
