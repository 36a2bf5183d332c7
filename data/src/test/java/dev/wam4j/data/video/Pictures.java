package dev.wam4j.data.video;

/** Synthetic test pictures and a PSNR measure. */
final class Pictures {
  private Pictures() {}

  /**
   * A PushT-like scene: flat grey-blue background, a smooth diagonal gradient band, and a red
   * square and a green disc that move with {@code t} (frame index), so frames differ and edges are
   * sharp.
   */
  static byte[] scene(int w, int h, int t) {
    byte[] rgb = new byte[3 * w * h];
    int sx = (t * 3) % Math.max(1, w - w / 4);
    int sy = h / 3;
    int side = w / 5;
    double cx = w * (0.5 + 0.3 * Math.cos(t * 0.2)); // circles forever, so long clips stay busy
    double cy = h * (0.5 + 0.3 * Math.sin(t * 0.2));
    double r = w / 10.0;
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int i = 3 * (y * w + x);
        int g = (x + y + 2 * t) * 255 / (w + h + 2 * FRAMES_HINT);
        int red = 200 - g / 3;
        int green = 210 - g / 4;
        int blue = 230;
        if (x >= sx && x < sx + side && y >= sy && y < sy + side) {
          red = 220;
          green = 40;
          blue = 40;
        } else if ((x - cx) * (x - cx) + (y - cy) * (y - cy) <= r * r) {
          red = 40;
          green = 180;
          blue = 60;
        }
        rgb[i] = (byte) red;
        rgb[i + 1] = (byte) green;
        rgb[i + 2] = (byte) blue;
      }
    }
    return rgb;
  }

  private static final int FRAMES_HINT = 64;

  /** Peak signal-to-noise ratio in dB over all bytes of two equally long RGB frames. */
  static double psnr(byte[] a, byte[] b) {
    long se = 0;
    for (int i = 0; i < a.length; i++) {
      int d = (a[i] & 0xff) - (b[i] & 0xff);
      se += (long) d * d;
    }
    if (se == 0) {
      return Double.POSITIVE_INFINITY;
    }
    double mse = se / (double) a.length;
    return 10 * Math.log10(255.0 * 255.0 / mse);
  }
}
