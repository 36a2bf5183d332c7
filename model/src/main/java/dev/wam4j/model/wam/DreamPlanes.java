package dev.wam4j.model.wam;

/**
 * How the dream branch ({@link WamConfig#dreamFromActions}) sees the agent and the chunk about to
 * run: every point (each agent position of the history, oldest first, then the first {@link
 * WamConfig#dreamTargets()} action targets of the chunk) becomes {@value #PER_POINT} planes on the
 * latent grid: the offset (x, then y) from each cell's centre to the point, in normalised workspace
 * units (the workspace spans [-1, 1], so offsets lie in [-2, 2]), and a Gaussian bump at the point
 * whose standard deviation is one cell. The trunk reads positions as constant planes, which tell a
 * convolution where the pusher is only after many layers; here every cell knows how far the pusher
 * is and where it is headed, as CoordConv's coordinate planes do, and the bump marks the cells it
 * sweeps.
 *
 * <p>Plain Java over flat arrays: inputs, not learned. Stateless.
 */
final class DreamPlanes {
  /** Planes per point: offset x, offset y, bump. */
  static final int PER_POINT = 3;

  private DreamPlanes() {}

  /**
   * Planes of one sample: {@value #PER_POINT} per history position and per dreamed action target.
   */
  static int channels(WamConfig c) {
    return PER_POINT * (c.historyFrames() + c.dreamTargets());
  }

  /**
   * Fills {@code out} with the planes of {@code n} samples, as (n, {@link #channels}, s, s) in
   * row-major order.
   *
   * @param positions {@code [n][historyFrames][2]} agent positions, workspace pixels
   * @param chunks {@code [n][actionHorizon][2]} action targets, workspace pixels; the first {@link
   *     WamConfig#dreamTargets()} of each are read
   * @param shiftX per sample, image pixels the frames were shifted by in x ({@link
   *     WamConfig#shiftPixels}): a frame shifted by dx shows its content dx pixels further left, so
   *     are the points; null for none
   * @param shiftY the same in y
   */
  static void fill(
      WamConfig c,
      float[] positions,
      float[] chunks,
      int n,
      int[] shiftX,
      int[] shiftY,
      float[] out) {
    int h = c.historyFrames(),
        t = c.dreamTargets(),
        side = c.latentSize(),
        cells = side * side,
        per = channels(c) * cells;
    int horizon = c.actionHorizon();
    if (positions.length < n * h * 2 || chunks.length < n * horizon * 2 || out.length < n * per) {
      throw new IllegalArgumentException(
          "dream planes: "
              + n
              + " samples need "
              + n * h * 2
              + " position values, "
              + n * horizon * 2
              + " action values and room for "
              + n * per
              + " plane values; got "
              + positions.length
              + ", "
              + chunks.length
              + ", "
              + out.length);
    }
    double half = c.workspaceSize() / 2, unitsPerPixel = c.workspaceSize() / c.imageSize();
    double cell = 2.0 / side, twoVariance = 2 * cell * cell;
    for (int i = 0; i < n; i++) {
      double sx = shiftX == null ? 0 : shiftX[i] * unitsPerPixel,
          sy = shiftY == null ? 0 : shiftY[i] * unitsPerPixel;
      for (int p = 0; p < h + t; p++) {
        int at = p < h ? (i * h + p) * 2 : (i * horizon + p - h) * 2;
        float[] from = p < h ? positions : chunks;
        double u = (from[at] - sx) / half - 1, v = (from[at + 1] - sy) / half - 1;
        int base = i * per + p * PER_POINT * cells;
        for (int y = 0; y < side; y++) {
          double dy = v - ((2.0 * y + 1) / side - 1);
          for (int x = 0; x < side; x++) {
            double dx = u - ((2.0 * x + 1) / side - 1);
            int k = y * side + x;
            out[base + k] = (float) dx;
            out[base + cells + k] = (float) dy;
            out[base + 2 * cells + k] = (float) Math.exp(-(dx * dx + dy * dy) / twoVariance);
          }
        }
      }
    }
  }
}
