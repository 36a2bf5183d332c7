package dev.wam4j.data.lerobot;

import java.nio.file.Path;

/**
 * One thing wrong with a dataset, as {@link DatasetValidation} reports it.
 *
 * @param file the file at fault
 * @param message what is wrong, with the values that disagree
 */
public record DatasetProblem(Path file, String message) {
  @Override
  public String toString() {
    return file + ": " + message;
  }
}
