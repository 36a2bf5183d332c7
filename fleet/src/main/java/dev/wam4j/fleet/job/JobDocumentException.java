package dev.wam4j.fleet.job;

/** A job document that cannot be parsed; the message starts with the line it is about. */
public final class JobDocumentException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;
  private final int line;

  public JobDocumentException(int line, String message) {
    super("line " + line + ": " + message);
    this.line = line;
  }

  /** The 1-based line of the problem (0: the document as a whole). */
  public int line() {
    return line;
  }
}
