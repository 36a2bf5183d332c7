package dev.wam4j.fleet.server;

/** A request the API refuses, with the HTTP status and a message for the caller. */
final class ApiException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  final int status;

  ApiException(int status, String message) {
    super(message);
    this.status = status;
  }
}
