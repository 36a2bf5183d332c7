package dev.wam4j.fleet.server;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import java.util.Base64;

/**
 * The API's JSON on the server side: request bodies read field by field (every refusal a 400 naming
 * the field and what it must be), and replies and errors written as JSON in snake case.
 */
final class JsonExchange {
  static final ObjectMapper JSON =
      new ObjectMapper().setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);

  private JsonExchange() {}

  /** The request body, which must be a JSON object. */
  static JsonNode body(Context ctx) throws JacksonException {
    String text = ctx.body();
    if (text == null || text.isBlank())
      throw new ApiException(400, "empty body; expected a JSON object");
    JsonNode n = JSON.readTree(text);
    if (n == null || !n.isObject()) throw new ApiException(400, "expected a JSON object");
    return n;
  }

  /** A required string field of at most 64 characters without control characters. */
  static String text(JsonNode b, String field) {
    return text(b, field, true, 64);
  }

  /** An optional string field, {@code fallback} when absent or null. */
  static String text(JsonNode b, String field, int max, String fallback) {
    return b.hasNonNull(field) ? text(b, field, true, max) : fallback;
  }

  /**
   * A required (or optional) string field of at most {@code max} characters without control
   * characters.
   */
  static String text(JsonNode b, String field, boolean required, int max) {
    JsonNode n = b.get(field);
    if (n == null || n.isNull()) {
      if (required) throw new ApiException(400, "field '" + field + "' is required");
      return null;
    }
    if (!n.isTextual()
        || n.asText().isBlank()
        || n.asText().length() > max
        || n.asText().chars().anyMatch(c -> c < 0x20 && c != '\t')) {
      throw new ApiException(
          400,
          "field '"
              + field
              + "' must be a non-empty string of at most "
              + max
              + " characters, no control characters");
    }
    return n.asText();
  }

  /** A JSON document kept as text: at most 60,000 characters (its column holds 65,536). */
  static String document(JsonNode b) throws JacksonException {
    String text = JSON.writeValueAsString(b);
    if (text.length() > 60_000)
      throw new ApiException(
          413, "document of " + text.length() + " characters; at most 60,000 are kept");
    return text;
  }

  /** A required non-negative integer field. */
  static long number(JsonNode b, String field) {
    JsonNode n = b.get(field);
    if (n == null || !n.isIntegralNumber() || !n.canConvertToLong() || n.asLong() < 0) {
      throw new ApiException(400, "field '" + field + "' must be an integer in 0..2^63-1");
    }
    return n.asLong();
  }

  /** An optional non-negative integer field, null when absent or null. */
  static Long optionalNumber(JsonNode b, String field) {
    return b.hasNonNull(field) ? number(b, field) : null;
  }

  /** A required integer field in 0..2^31-1. */
  static int smallNumber(JsonNode b, String field) {
    long v = number(b, field);
    if (v > Integer.MAX_VALUE)
      throw new ApiException(400, "field '" + field + "' must be at most " + Integer.MAX_VALUE);
    return (int) v;
  }

  /** A required boolean field. */
  static boolean bool(JsonNode b, String field) {
    if (!b.has(field) || !b.get(field).isBoolean())
      throw new ApiException(400, "field '" + field + "' (true or false) is required");
    return b.get(field).asBoolean();
  }

  /** A base64 field holding {@code size} x {@code size} RGB bytes. */
  static byte[] rgb(JsonNode b, String field, int size) {
    JsonNode n = b.get(field);
    if (n == null || !n.isTextual())
      throw new ApiException(400, "field '" + field + "' (base64 RGB bytes) is required");
    byte[] v;
    try {
      v = Base64.getDecoder().decode(n.asText());
    } catch (IllegalArgumentException e) {
      throw new ApiException(400, "field '" + field + "' must be base64");
    }
    if (v.length != size * size * 3)
      throw new ApiException(
          400,
          "field '" + field + "' holds " + v.length + " bytes, not " + size + "x" + size + "x3");
    return v;
  }

  /** A numeric path parameter. */
  static long pathLong(Context ctx, String name) {
    try {
      return Long.parseLong(ctx.pathParam(name));
    } catch (NumberFormatException e) {
      throw new ApiException(400, name + " must be a number, got '" + ctx.pathParam(name) + "'");
    }
  }

  /** Replies with {@code value} as JSON. */
  static void reply(Context ctx, int status, Object value) throws JacksonException {
    ctx.status(status).contentType("application/json").result(JSON.writeValueAsString(value));
  }

  /**
   * An exception handler that never throws. Javalin 7.2 answers a throwing exception handler with
   * another error task first in the request's queue, which throws again, for ever: two server
   * threads spun so in a test whose server stopped under an open event stream (the response gone,
   * every write to it failing), and the server's stop waited on them. Here a failed answer is
   * logged and dropped: the client is gone anyway.
   */
  static <E extends Exception> io.javalin.http.ExceptionHandler<E> neverThrowing(
      String server, io.javalin.http.ExceptionHandler<E> handler) {
    return (e, ctx) -> {
      try {
        handler.handle(e, ctx);
      } catch (RuntimeException gone) { // the request's context may be unusable: not read here
        System.err.println(
            "wam4j " + server + ": could not answer " + e.getClass().getSimpleName() + ": " + gone);
      }
    };
  }

  /** Replies with {@code {"error": message, "status": status}}. */
  static void error(Context ctx, int status, String message) {
    ObjectNode n = JSON.createObjectNode().put("error", message).put("status", status);
    ctx.status(status).contentType("application/json").result(n.toString());
  }
}
