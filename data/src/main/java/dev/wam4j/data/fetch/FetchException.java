package dev.wam4j.data.fetch;

import java.io.IOException;

/**
 * A fetch that did not end with a verified data set in place. The message is meant for the user as
 * is: it names the URL, what went wrong (with the expected and actual digests or sizes) and what to
 * do next (rerun to resume, use a mirror, or use a local copy).
 */
public final class FetchException extends IOException {
  /**
   * @param message the whole story, for the user
   */
  public FetchException(String message) {
    super(message);
  }

  /**
   * @param message the whole story, for the user
   */
  public FetchException(String message, Throwable cause) {
    super(message, cause);
  }
}
