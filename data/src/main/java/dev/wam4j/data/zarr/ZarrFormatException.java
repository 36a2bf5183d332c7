package dev.wam4j.data.zarr;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A zarr store that cannot be read as asked: missing or malformed metadata, an unsupported dtype or
 * compressor, or a corrupt or truncated chunk. The message names the offending file and field.
 */
public final class ZarrFormatException extends IOException {

  /**
   * @param file the file at fault, named first in the message
   */
  public ZarrFormatException(Path file, String problem) {
    super(file + ": " + problem);
  }

  /**
   * @param file the file at fault, named first in the message
   */
  public ZarrFormatException(Path file, String problem, Throwable cause) {
    super(file + ": " + problem, cause);
  }
}
