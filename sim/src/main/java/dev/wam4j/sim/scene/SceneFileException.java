package dev.wam4j.sim.scene;

/**
 * A scene or cousin-config file that cannot be used: malformed JSON, an unknown field, a wrong
 * type, a missing required field or a bad value. The message names the file and the JSON path of
 * the field, e.g. {@code pusht.json: objects[0].parts[1]: ...}.
 */
public final class SceneFileException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  private final String source;
  private final String path;

  public SceneFileException(String source, String path, String problem) {
    super(source + ": " + (path.isEmpty() ? "" : path + ": ") + problem);
    this.source = source;
    this.path = path;
  }

  /** The file (or other source name) the error is in. */
  public String source() {
    return source;
  }

  /** JSON path of the offending field ({@code ""} for the whole document). */
  public String path() {
    return path;
  }
}
