package dev.wam4j.sim.factory;

import java.nio.file.Path;

/** A design file that cannot be built, with the line that says so (0: the file as a whole). */
public final class DesignException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;
  private final int line;

  public DesignException(int line, String message) {
    this(line, message, line > 0 ? "line " + line + ": " : "");
  }

  private DesignException(int line, String message, String prefix) {
    super(prefix + message);
    this.line = line;
  }

  /** The same problem, its message starting with the file it was found in. */
  public DesignException in(Path file) {
    return new DesignException(line, getMessage(), file + ": ");
  }

  /** The 1-based line of the problem (0: the design as a whole). */
  public int line() {
    return line;
  }
}
