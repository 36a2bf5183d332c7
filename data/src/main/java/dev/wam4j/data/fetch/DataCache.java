package dev.wam4j.data.fetch;

import java.nio.file.Path;

/**
 * Where downloaded data sets live: {@code $WAM4J_CACHE} (system property {@code wam4j.cache}
 * first), default {@code ~/.cache/wam4j}. Each data set has its own folder, {@code
 * <cache>/<name>/}.
 */
public final class DataCache {
  /** The environment variable naming the cache folder. */
  public static final String ENV = "WAM4J_CACHE";

  private DataCache() {}

  /** The cache folder (not created). */
  public static Path root() {
    String explicit = System.getProperty("wam4j.cache", System.getenv(ENV));
    if (explicit != null && !explicit.isBlank())
      return Path.of(explicit).toAbsolutePath().normalize();
    return Path.of(System.getProperty("user.home"), ".cache", "wam4j");
  }

  /** The folder of one data set in the cache, e.g. {@code <cache>/pusht}. */
  public static Path datasetDir(String name) {
    return root().resolve(name);
  }
}
