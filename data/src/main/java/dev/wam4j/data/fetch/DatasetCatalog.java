package dev.wam4j.data.fetch;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The data sets {@code wam4j data fetch} knows by name, with where they come from and their pinned
 * digests.
 */
public final class DatasetCatalog {
  /**
   * PushT: the archive has never been seen here, so its own digest is not pinned; the content
   * digest was computed from a copy of {@code pusht_cchi_v7_replay.zarr} byte-identical to a public
   * copy of the same store (206 episodes, 25,650 frames).
   */
  private static final DatasetSource PUSHT =
      new DatasetSource(
          "pusht",
          "https://diffusion-policy.cs.columbia.edu/data/training/pusht.zip",
          null,
          -1,
          "pusht/pusht_cchi_v7_replay.zarr",
          "b3eaff4b54e3383011c1a4f8af809bbb6d0895db3d0451e5da01c7225669e637",
          "Diffusion Policy's PushT training data (Chi et al., RSS 2023): 206 human teleoperated demonstrations, "
              + "25,650 frames of 96x96 images, states, actions, keypoints and contacts, as a zarr replay buffer",
          "released by the Diffusion Policy authors with their MIT-licensed code (github.com/real-stanford/diffusion_policy)");

  private static final Map<String, DatasetSource> SOURCES = new LinkedHashMap<>();

  static {
    SOURCES.put(PUSHT.name(), PUSHT);
  }

  private DatasetCatalog() {}

  /**
   * The source called {@code name}.
   *
   * @throws IllegalArgumentException listing the known names if there is none
   */
  public static DatasetSource get(String name) {
    DatasetSource s = SOURCES.get(name);
    if (s == null)
      throw new IllegalArgumentException(
          "unknown data set '" + name + "'; known: " + String.join(", ", SOURCES.keySet()));
    return s;
  }

  /** The known names, in catalog order. */
  public static java.util.Set<String> names() {
    return java.util.Collections.unmodifiableSet(SOURCES.keySet());
  }
}
