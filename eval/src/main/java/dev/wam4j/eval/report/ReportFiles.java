package dev.wam4j.eval.report;

import dev.wam4j.data.AtomicFiles;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Writes report outputs atomically: a temporary file in the same folder, then a rename, so a killed
 * study never leaves half a file.
 */
public final class ReportFiles {
  private ReportFiles() {}

  public static void write(Path file, byte[] content) throws IOException {
    AtomicFiles.write(file, content);
  }

  public static void write(Path file, String text) throws IOException {
    AtomicFiles.writeString(file, text);
  }
}
