package dev.wam4j.cli;

/** An inclusive range of seeds written {@code A..B} (or a single seed {@code A}). */
record SeedRange(long first, long last) {
  SeedRange {
    if (first < 0 || last < first || last > 0xFFFF_FFFFL) {
      throw new IllegalArgumentException("--seeds " + first + ".." + last + ": need 0 <= A <= B < 2^32 (numpy's seed range)");
    }
  }

  static SeedRange parse(String text) {
    String t = text.trim();
    try {
      int dots = t.indexOf("..");
      if (dots < 0) {
        long s = Long.parseLong(t);
        return new SeedRange(s, s);
      }
      return new SeedRange(Long.parseLong(t.substring(0, dots)), Long.parseLong(t.substring(dots + 2)));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--seeds: expected A..B or A, got '" + text + "'");
    }
  }

  int count() {
    return Math.toIntExact(last - first + 1);
  }
}
