package dev.wam4j.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds the shared data sets that live beside the project ({@code ../shared/data} from the project
 * root), wherever the checkout is: the system property {@code wam4j.shared} or the environment
 * variable {@code WAM4J_SHARED} (a folder holding {@code data/}), else the nearest ancestor of the
 * project root (system property {@code wam4j.root}, default the working directory) with a
 * {@code shared/data} folder, else this workplace's machine-wide copy {@code /work/shared/data}.
 */
public final class SharedData {
  private SharedData() {}

  /** The shared {@code data} folder; throws naming every place it looked if there is none. */
  public static Path dataDir() {
    List<Path> tried = new ArrayList<>();
    String explicit = System.getProperty("wam4j.shared", System.getenv("WAM4J_SHARED"));
    if (explicit != null && !explicit.isBlank()) {
      Path p = Path.of(explicit).resolve("data").toAbsolutePath().normalize();
      if (Files.isDirectory(p)) return p;
      tried.add(p);
    }
    Path root = Path.of(System.getProperty("wam4j.root", ".")).toAbsolutePath().normalize();
    for (Path dir = root; dir != null; dir = dir.getParent()) {
      Path p = dir.resolve("shared").resolve("data");
      if (Files.isDirectory(p)) return p;
      tried.add(p);
    }
    Path machineWide = Path.of("/work/shared/data");
    if (Files.isDirectory(machineWide)) return machineWide;
    tried.add(machineWide);
    throw new IllegalStateException("shared data not found; looked in " + tried
        + " (set -Dwam4j.shared=DIR or WAM4J_SHARED to the folder that holds data/)");
  }

  /** The real PushT demonstrations: a Diffusion Policy zarr replay buffer. */
  public static Path pushTZarr() {
    return dataDir().resolve("pusht_cchi_v7_replay.zarr");
  }
}
