package dev.wam4j.model.mlp;

/**
 * Adam (Kingma and Ba 2015) on a flat parameter array, bias-corrected, epsilon 1e-5 as in CleanRL's
 * PPO. Its moments and step count are part of a checkpoint. Shared by every network on flat arrays
 * ({@link Mlp}): PPO's, the cell pusher's.
 */
public final class Adam {
  static final double BETA1 = 0.9;
  static final double BETA2 = 0.999;
  static final double EPSILON = 1e-5;

  private final float[] m;
  private final float[] v;
  private long t;

  /** Fresh moments for {@code parameters} parameters. */
  public Adam(int parameters) {
    this(new float[parameters], new float[parameters], 0);
  }

  /** Moments and step count restored from a checkpoint. */
  public Adam(float[] m, float[] v, long t) {
    if (m.length != v.length)
      throw new IllegalArgumentException(
          "Adam moments differ in length: " + m.length + " and " + v.length);
    this.m = m;
    this.v = v;
    this.t = t;
  }

  /** One step of size {@code lr} against {@code grad}. */
  public void step(float[] params, float[] grad, double lr) {
    t++;
    double c1 = 1 - Math.pow(BETA1, t), c2 = 1 - Math.pow(BETA2, t);
    float b1 = (float) BETA1, b2 = (float) BETA2;
    for (int i = 0; i < params.length; i++) {
      float g = grad[i];
      m[i] = b1 * m[i] + (1 - b1) * g;
      v[i] = b2 * v[i] + (1 - b2) * g * g;
      params[i] -= (float) (lr * (m[i] / c1) / (Math.sqrt(v[i] / c2) + EPSILON));
    }
  }

  /** First moments (live: what a checkpoint saves). */
  public float[] m() {
    return m;
  }

  /** Second moments (live). */
  public float[] v() {
    return v;
  }

  /** Steps taken. */
  public long t() {
    return t;
  }
}
