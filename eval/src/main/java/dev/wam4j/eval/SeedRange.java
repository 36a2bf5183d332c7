package dev.wam4j.eval;

/**
 * An inclusive range of environment seeds written {@code A..B} (or a single seed {@code A}), within
 * numpy's seed range as the legacy PushT reset uses it.
 */
public record SeedRange(long first, long last) {
  /**
   * @throws IllegalArgumentException naming the range when it is empty or outside 0..2^32-1
   */
  public SeedRange {
    if (first < 0 || last < first || last > 0xFFFF_FFFFL) {
      throw new IllegalArgumentException(
          "seeds " + first + ".." + last + ": need 0 <= A <= B < 2^32 (numpy's seed range)");
    }
  }

  /** Parses {@code A..B} or {@code A}; {@code what} names the option or field in the error. */
  public static SeedRange parse(String text, String what) {
    String t = text == null ? "" : text.trim();
    try {
      int dots = t.indexOf("..");
      if (dots < 0) {
        long s = Long.parseLong(t);
        return new SeedRange(s, s);
      }
      return new SeedRange(
          Long.parseLong(t.substring(0, dots)), Long.parseLong(t.substring(dots + 2)));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(what + ": expected A..B or A, got '" + text + "'");
    } catch (
        IllegalArgumentException e) { // "seeds A..B: need ..." becomes "--seeds A..B: need ..."
      throw new IllegalArgumentException(what + e.getMessage().substring("seeds".length()), e);
    }
  }

  /** Number of seeds. */
  public int count() {
    return Math.toIntExact(last - first + 1);
  }

  @Override
  public String toString() {
    return first + ".." + last;
  }
}
