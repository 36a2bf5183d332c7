package dev.wam4j.data.lerobot;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A LeRobot dataset that cannot be read as asked: malformed or incomplete metadata, a truncated or
 * unreadable parquet file, an episodes file that disagrees with the data, or a video frame that is
 * not where the metadata says. The message names the offending file first, then the key or value.
 */
public final class LeRobotFormatException extends IOException {

  /**
   * @param file the file at fault, named first in the message
   */
  public LeRobotFormatException(Path file, String problem) {
    super(file + ": " + problem);
  }

  /**
   * @param file the file at fault, named first in the message
   */
  public LeRobotFormatException(Path file, String problem, Throwable cause) {
    super(file + ": " + problem, cause);
  }
}
