package dev.wam4j.sim.pusht;

/**
 * numpy's legacy {@code RandomState}: MT19937 seeded with {@code init_genrand}, masked rejection
 * sampling for {@code randint}, and the polar Box–Muller {@code randn} with its cached second
 * value. Every published PushT number starts from these draws, so they must match numpy bit for
 * bit.
 *
 * <p>Not thread-safe; one instance per stream.
 */
public final class NumpyLegacyRandom {
  private static final int N = 624;
  private static final int M = 397;
  private final int[] mt = new int[N];
  private int index;
  private boolean hasGauss;
  private double gauss;

  /** Same as {@code numpy.random.RandomState(seed)}; seed in [0, 2^32). */
  public NumpyLegacyRandom(long seed) {
    seed(seed);
  }

  /** Re-seeds in place, as {@code RandomState.seed(seed)}; allocates nothing. */
  public void seed(long seed) {
    if (seed < 0 || seed > 0xFFFF_FFFFL) {
      throw new IllegalArgumentException("seed must be in [0, 2^32), got " + seed);
    }
    hasGauss = false;
    gauss = 0;
    mt[0] = (int) seed;
    for (int i = 1; i < N; i++) {
      mt[i] = 1812433253 * (mt[i - 1] ^ (mt[i - 1] >>> 30)) + i;
    }
    index = N;
  }

  /** Next raw 32-bit output, as an unsigned value in a long. */
  public long nextUint32() {
    if (index >= N) twist();
    int y = mt[index++];
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    return y & 0xFFFF_FFFFL;
  }

  private void twist() {
    for (int i = 0; i < N; i++) {
      int y = (mt[i] & 0x8000_0000) | (mt[(i + 1) % N] & 0x7fff_ffff);
      int v = mt[(i + M) % N] ^ (y >>> 1);
      if ((y & 1) != 0) v ^= 0x9908b0df;
      mt[i] = v;
    }
    index = 0;
  }

  /** Uniform double in [0, 1) with 53 random bits, as numpy's legacy {@code random_sample}. */
  public double nextDouble() {
    long a = nextUint32() >>> 5;
    long b = nextUint32() >>> 6;
    return (a * 67108864.0 + b) / 9007199254740992.0;
  }

  /** {@code randint(low, high)}: uniform integer in [low, high), by masked rejection. */
  public long randint(long low, long highExclusive) {
    if (highExclusive <= low) {
      throw new IllegalArgumentException(
          "randint: high (" + highExclusive + ") must exceed low (" + low + ")");
    }
    long range = highExclusive - 1 - low;
    if (range == 0) return low;
    if (range > 0xFFFF_FFFFL)
      throw new IllegalArgumentException("randint: ranges above 2^32 are not supported");
    long mask = range;
    mask |= mask >>> 1;
    mask |= mask >>> 2;
    mask |= mask >>> 4;
    mask |= mask >>> 8;
    mask |= mask >>> 16;
    long value;
    do {
      value = nextUint32() & mask;
    } while (value > range);
    return low + value;
  }

  /**
   * {@code randn()}: standard normal by the polar method, returning the cached value every second
   * call.
   */
  public double randn() {
    if (hasGauss) {
      hasGauss = false;
      return gauss;
    }
    double x1, x2, r2;
    do {
      x1 = 2.0 * nextDouble() - 1.0;
      x2 = 2.0 * nextDouble() - 1.0;
      r2 = x1 * x1 + x2 * x2;
    } while (r2 >= 1.0 || r2 == 0.0);
    double f = Math.sqrt(-2.0 * Math.log(r2) / r2);
    gauss = f * x1;
    hasGauss = true;
    return f * x2;
  }
}
