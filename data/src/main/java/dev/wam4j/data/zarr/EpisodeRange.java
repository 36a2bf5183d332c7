package dev.wam4j.data.zarr;

/**
 * The frames of one episode in a replay buffer: rows {@code [start, end)} of every {@code data/}
 * array.
 */
public record EpisodeRange(int start, int end) {
  /**
   * @throws IllegalArgumentException unless {@code 0 <= start <= end}
   */
  public EpisodeRange {
    if (start < 0 || end < start)
      throw new IllegalArgumentException(
          "episode range [" + start + ", " + end + ") is not a range");
  }

  /** Number of frames. */
  public int length() {
    return end - start;
  }
}
