package dev.wam4j.data.zarr;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * A Diffusion Policy / UMI replay buffer: a zarr v2 group with per-frame arrays under {@code data/}
 * (all with the same first-axis length) and {@code meta/episode_ends} (int64, the exclusive end row
 * of each episode, ascending).
 *
 * <p>Opening reads only metadata and the episode ends. {@link #array} opens a fresh {@link
 * ZarrArray} on every call, so each thread can hold its own; the buffer itself is immutable and
 * thread-safe.
 */
public final class ReplayBuffer {
  private final Path root;
  private final long[] episodeEnds;
  private final List<String> names;
  private final int frames;

  private ReplayBuffer(Path root, long[] episodeEnds, List<String> names, int frames) {
    this.root = root;
    this.episodeEnds = episodeEnds;
    this.names = names;
    this.frames = frames;
  }

  /**
   * Opens the store at {@code root}.
   *
   * @throws ZarrFormatException if {@code meta/episode_ends} is missing or not ascending, or an
   *     array under {@code data/} is unreadable or of another length than the episodes cover
   */
  public static ReplayBuffer open(Path root) throws IOException {
    if (!Files.isDirectory(root))
      throw new ZarrFormatException(root, "not a directory (expected a zarr replay buffer)");
    ZarrArray endsArray = ZarrArray.open(root.resolve("meta").resolve("episode_ends"));
    if (endsArray.shape().length != 1) {
      throw new ZarrFormatException(
          endsArray.path(),
          "meta/episode_ends must be 1-d, shape is "
              + java.util.Arrays.toString(endsArray.shape()));
    }
    long[] ends = endsArray.readLongs();
    long prev = 0;
    for (int i = 0; i < ends.length; i++) {
      if (ends[i] < prev || ends[i] > Integer.MAX_VALUE) {
        throw new ZarrFormatException(
            endsArray.path(),
            "episode_ends[" + i + "] = " + ends[i] + " after " + prev + ": not ascending");
      }
      prev = ends[i];
    }
    int frames = (int) prev;
    Path data = root.resolve("data");
    List<String> names = new ArrayList<>();
    if (Files.isDirectory(data)) {
      try (Stream<Path> s = Files.list(data)) {
        s.filter(p -> Files.isRegularFile(p.resolve(".zarray")))
            .map(p -> p.getFileName().toString())
            .sorted()
            .forEach(names::add);
      }
    }
    for (String name : names) {
      ZarrArray a = ZarrArray.open(data.resolve(name));
      if (a.rows() != frames) {
        throw new ZarrFormatException(
            a.path(), "data/" + name + " has " + a.rows() + " rows, episode_ends cover " + frames);
      }
    }
    return new ReplayBuffer(root, ends, List.copyOf(names), frames);
  }

  /** The store's root directory. */
  public Path root() {
    return root;
  }

  /** Number of episodes. */
  public int episodeCount() {
    return episodeEnds.length;
  }

  /** Total number of frames (rows of every data array). */
  public int frameCount() {
    return frames;
  }

  /** Rows of episode {@code i}. */
  public EpisodeRange episodeRange(int i) {
    if (i < 0 || i >= episodeEnds.length) {
      throw new IndexOutOfBoundsException(
          "episode " + i + " outside [0, " + episodeEnds.length + ") in " + root);
    }
    return new EpisodeRange(i == 0 ? 0 : (int) episodeEnds[i - 1], (int) episodeEnds[i]);
  }

  /** Names of the arrays under {@code data/}, sorted. */
  public List<String> arrayNames() {
    return names;
  }

  /**
   * Opens {@code data/<name>}; a new, independent reader each call.
   *
   * @throws IllegalArgumentException if there is no such array
   */
  public ZarrArray array(String name) throws IOException {
    if (!names.contains(name)) {
      throw new IllegalArgumentException(
          "no array data/" + name + " in " + root + " (has " + names + ")");
    }
    return ZarrArray.open(root.resolve("data").resolve(name));
  }
}
