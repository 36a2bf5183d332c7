package dev.wam4j.model;

import java.io.IOException;

/**
 * A checkpoint that cannot be loaded: missing or corrupted files, another format, or a config that
 * differs from the one asked for. The message names the checkpoint directory and what is wrong.
 */
public final class CheckpointException extends IOException {
  public CheckpointException(String message) {
    super(message);
  }

  public CheckpointException(String message, Throwable cause) {
    super(message, cause);
  }
}
