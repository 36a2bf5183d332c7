package dev.wam4j.cli;

import dev.wam4j.data.DataSets;
import java.io.PrintWriter;
import java.nio.file.Path;

/** The project root the launcher passes in, and the default data sets of the commands. */
final class Paths {
  private Paths() {}

  static Path root() {
    return Path.of(System.getProperty("wam4j.root", ".")).toAbsolutePath().normalize();
  }

  /**
   * The real PushT demonstrations (Diffusion Policy zarr replay buffer): the full set from
   * WAM4J_DATA or the download cache, else the 25-episode sample shipped in datasets/, which is
   * then named on {@code err} so no one mistakes its numbers for the full set's.
   */
  static Path defaultPushTZarr(PrintWriter err) {
    DataSets.Located found = DataSets.pushTDemonstrations();
    if (!found.complete()) {
      err.printf(
          "wam4j: using the PushT sample shipped in datasets/ (25 of %d episodes); for all of them run"
              + " 'wam4j data fetch pusht' or set %s%n",
          DataSets.PUSHT_EPISODES, DataSets.DATA_ENV);
      err.flush();
    }
    return found.path();
  }
}
