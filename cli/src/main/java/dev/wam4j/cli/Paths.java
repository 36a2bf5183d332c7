package dev.wam4j.cli;

import java.nio.file.Path;

/** Where the project's shared data lives, relative to the project root the launcher passes in. */
final class Paths {
  private Paths() {}

  static Path root() {
    return Path.of(System.getProperty("wam4j.root", ".")).toAbsolutePath().normalize();
  }

  /** The real PushT demonstrations (Diffusion Policy zarr replay buffer). */
  static Path defaultPushTZarr() {
    return dev.wam4j.data.SharedData.pushTZarr();
  }
}
