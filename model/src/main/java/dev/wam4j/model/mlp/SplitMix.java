package dev.wam4j.model.mlp;

/**
 * SplitMix64: a random stream whose whole state is one {@code long}, so a checkpoint can store it
 * and a resumed run draw exactly what an uninterrupted one would. One stream per environment keeps
 * a run's draws independent of how environments are spread over threads.
 */
public final class SplitMix {
  private long state;

  public SplitMix(long seed) {
    this.state = seed;
  }

  public long state() {
    return state;
  }

  public void setState(long s) {
    state = s;
  }

  public long nextLong() {
    long z = (state += 0x9E3779B97F4A7C15L);
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  /** Uniform in [0, 1). */
  public double nextDouble() {
    return (nextLong() >>> 11) * 0x1.0p-53;
  }

  /** Standard normal (Box-Muller; two uniforms per draw, no cached spare). */
  public double nextGaussian() {
    double u1 = nextDouble(), u2 = nextDouble();
    return Math.sqrt(-2 * Math.log1p(-u1)) * Math.cos(2 * Math.PI * u2);
  }

  /** A seed for stream {@code index} of a run seeded {@code seed}. */
  public static long mix(long seed, long index) {
    return new SplitMix(seed * 0x9E3779B97F4A7C15L + index).nextLong();
  }
}
