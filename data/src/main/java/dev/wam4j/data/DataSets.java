package dev.wam4j.data;

import dev.wam4j.data.fetch.DataCache;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Where the data sets wam4j reads by default are found, with no path of any particular machine:
 *
 * <ol>
 *   <li>{@code WAM4J_DATA} (or {@code -Dwam4j.data}): a folder holding local copies, e.g. {@code
 *       pusht_cchi_v7_replay.zarr};
 *   <li>the cache {@code wam4j data fetch} fills ({@code $WAM4J_CACHE}, default {@code
 *       ~/.cache/wam4j});
 *   <li>the small real samples shipped in the repository's {@code datasets/} folder (see its
 *       SOURCES.md), found from the project root ({@code -Dwam4j.root}, which the launcher sets,
 *       else the nearest ancestor of the working directory that has {@code datasets/SOURCES.md}).
 * </ol>
 */
public final class DataSets {
  /** The environment variable naming a folder of local data set copies. */
  public static final String DATA_ENV = "WAM4J_DATA";

  /** Folder name of the PushT demonstrations (Diffusion Policy's zarr replay buffer). */
  public static final String PUSHT_ZARR = "pusht_cchi_v7_replay.zarr";

  /** Episodes in the full PushT demonstrations. */
  public static final int PUSHT_EPISODES = 206;

  private DataSets() {}

  /**
   * A data set found on disk: where, whether it is the complete set or the shipped sample, and how
   * it was found.
   */
  public record Located(Path path, boolean complete, String source) {}

  /**
   * The real PushT demonstrations: the full 206 episodes from {@code WAM4J_DATA} or the cache (a
   * verified fetch, with its SOURCE.json), else the 25-episode sample shipped in {@code datasets/}.
   *
   * @throws IllegalStateException when {@code WAM4J_DATA} is set but holds no store, or when
   *     nothing is found (naming every place it looked and how to get the data)
   */
  public static Located pushTDemonstrations() {
    List<Path> tried = new ArrayList<>();
    String explicit = System.getProperty("wam4j.data", System.getenv(DATA_ENV));
    if (explicit != null
        && !explicit.isBlank()) { // asked for a local copy: its absence is an error, not a fallback
      Path p = Path.of(explicit).resolve(PUSHT_ZARR).toAbsolutePath().normalize();
      if (Files.isDirectory(p)) return new Located(p, true, DATA_ENV);
      throw new IllegalStateException(
          DATA_ENV
              + " (or -Dwam4j.data) is "
              + explicit
              + " but "
              + p
              + " does not exist; point it at the folder holding "
              + PUSHT_ZARR
              + ", or unset it");
    }
    // the fetcher writes SOURCE.json only after the store verified and moved into place
    Path cached = DataCache.datasetDir("pusht").resolve(PUSHT_ZARR);
    if (Files.isDirectory(cached) && Files.isRegularFile(cached.resolveSibling("SOURCE.json")))
      return new Located(cached, true, "cache");
    tried.add(cached);
    Path sample = samplesDir() == null ? null : samplesDir().resolve("pusht-sample.zarr");
    if (sample != null && Files.isDirectory(sample)) return new Located(sample, false, "sample");
    throw new IllegalStateException(
        "the PushT demonstrations were not found (looked in "
            + tried
            + " and for datasets/pusht-sample.zarr above "
            + start()
            + "); run 'wam4j data fetch pusht', set "
            + DATA_ENV
            + " to a folder holding "
            + PUSHT_ZARR
            + ", or pass --zarr PATH");
  }

  /**
   * The 25-episode PushT sample shipped in the repository (tests read it so their numbers never
   * change).
   */
  public static Path pushTSample() {
    return sample("pusht-sample.zarr");
  }

  /**
   * A real LeRobot v3.0 data set recorded by LeRobot itself (SO-101 arm, 4 episodes; meta and data
   * only).
   */
  public static Path lerobotV30So101() {
    return sample("lerobot-v30-so101");
  }

  private static Path sample(String name) {
    Path dir = samplesDir();
    if (dir == null || !Files.isDirectory(dir.resolve(name))) {
      throw new IllegalStateException(
          "datasets/"
              + name
              + " not found above "
              + start()
              + " (it ships with the repository; set -Dwam4j.root to the project root)");
    }
    return dir.resolve(name);
  }

  /** The repository's datasets/ folder, or null outside a checkout. */
  static Path samplesDir() {
    for (Path dir = start(); dir != null; dir = dir.getParent()) {
      if (Files.isRegularFile(dir.resolve("datasets").resolve("SOURCES.md")))
        return dir.resolve("datasets");
    }
    return null;
  }

  private static Path start() {
    return Path.of(System.getProperty("wam4j.root", ".")).toAbsolutePath().normalize();
  }
}
