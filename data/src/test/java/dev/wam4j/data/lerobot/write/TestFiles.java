package dev.wam4j.data.lerobot.write;

import java.nio.file.Path;

/** Test helper: deletes a directory tree. */
public final class TestFiles {
  private TestFiles() {}

  public static void delete(Path root) {
    LeRobotWriter.deleteTree(root);
  }
}
