package dev.wam4j.fleet.agent;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * A small client of the Physical API: JSON over HTTP with a bearer token. Non-2xx replies become
 * {@link FleetClient.ApiError} carrying the server's message.
 */
public final class FleetClient {
  // replies may carry fields or statuses this client does not know yet (a newer server): fields are
  // skipped, an unknown status reads as null
  static final ObjectMapper JSON =
      new ObjectMapper()
          .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
          .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
          .configure(DeserializationFeature.READ_UNKNOWN_ENUM_VALUES_AS_NULL, true);
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final URI base;
  private final String token;

  /** A reply the server refused. */
  public static final class ApiError extends IOException {
    private static final long serialVersionUID = 1L;
    public final int status;

    ApiError(int status, String message) {
      super(message);
      this.status = status;
    }
  }

  /**
   * Tries of a request the server refuses with 429 (over the robot's rate) before the refusal is
   * reported.
   */
  static final int MAX_RATE_LIMITED_TRIES = 5;

  /**
   * @param server base URL, e.g. {@code http://localhost:7070}
   */
  public FleetClient(String server, String token) {
    if (server == null || !(server.startsWith("http://") || server.startsWith("https://"))) {
      throw new IllegalArgumentException("server must be an http(s) URL, got '" + server + "'");
    }
    this.base = URI.create(server.endsWith("/") ? server : server + "/");
    this.token = token;
  }

  /** GET a JSON document. */
  public JsonNode get(String path) throws IOException, InterruptedException {
    return send(HttpRequest.newBuilder(uri(path)).GET());
  }

  /** POST a value as JSON; {@code null} when the reply has no body (204). */
  public JsonNode post(String path, Object body) throws IOException, InterruptedException {
    String text = body == null ? "" : body instanceof String s ? s : JSON.writeValueAsString(body);
    return send(
        HttpRequest.newBuilder(uri(path))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(text)));
  }

  /** GET a reply as one of the API's records ({@code null} when it has no body). */
  public <T> T get(String path, Class<T> type) throws IOException, InterruptedException {
    return as(get(path), type);
  }

  /**
   * POST a value as JSON and read the reply as one of the API's records ({@code null} when it has
   * no body, 204).
   */
  public <T> T post(String path, Object body, Class<T> type)
      throws IOException, InterruptedException {
    return as(post(path, body), type);
  }

  /** PUT raw bytes (an upload chunk) and read the reply as one of the API's records. */
  public <T> T putBytes(String path, byte[] bytes, Class<T> type)
      throws IOException, InterruptedException {
    return as(putBytes(path, bytes), type);
  }

  private static <T> T as(JsonNode reply, Class<T> type) throws IOException {
    return reply == null ? null : JSON.treeToValue(reply, type);
  }

  /** DELETE a resource; the server's JSON reply. */
  public JsonNode delete(String path) throws IOException, InterruptedException {
    return send(HttpRequest.newBuilder(uri(path)).DELETE());
  }

  /** GET raw bytes (a model archive). */
  public byte[] getBytes(String path) throws IOException, InterruptedException {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).GET().timeout(Duration.ofMinutes(5));
    if (token != null) b.header("Authorization", "Bearer " + token);
    HttpResponse<byte[]> r = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    if (r.statusCode() != 200)
      throw new ApiError(
          r.statusCode(),
          "GET "
              + path
              + ": "
              + r.statusCode()
              + " "
              + new String(r.body(), java.nio.charset.StandardCharsets.UTF_8));
    return r.body();
  }

  /** POST raw bytes (a model archive). */
  public JsonNode postBytes(String path, byte[] bytes, String contentType)
      throws IOException, InterruptedException {
    return send(
        HttpRequest.newBuilder(uri(path))
            .header("Content-Type", contentType)
            .POST(HttpRequest.BodyPublishers.ofByteArray(bytes)));
  }

  /** PUT raw bytes (an upload chunk). */
  public JsonNode putBytes(String path, byte[] bytes) throws IOException, InterruptedException {
    return send(
        HttpRequest.newBuilder(uri(path))
            .header("Content-Type", "application/octet-stream")
            .PUT(HttpRequest.BodyPublishers.ofByteArray(bytes)));
  }

  /** POST a markdown document. */
  public JsonNode postMarkdown(String path, String markdown)
      throws IOException, InterruptedException {
    return send(
        HttpRequest.newBuilder(uri(path))
            .header("Content-Type", "text/markdown")
            .POST(HttpRequest.BodyPublishers.ofString(markdown)));
  }

  private URI uri(String path) {
    return base.resolve(path.startsWith("/") ? path.substring(1) : path);
  }

  private JsonNode send(HttpRequest.Builder b) throws IOException, InterruptedException {
    if (token != null) b.header("Authorization", "Bearer " + token);
    HttpResponse<String> r;
    for (int attempt = 1; ; attempt++) {
      try {
        r =
            http.send(
                b.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
      } catch (java.net.ConnectException e) {
        java.net.ConnectException named =
            new java.net.ConnectException(
                "cannot reach the fleet server at " + base + " (is 'wam4j serve' running there?)");
        named.initCause(e);
        throw named;
      }
      if (r.statusCode() != 429 || attempt == MAX_RATE_LIMITED_TRIES) break;
      // over this robot's rate: wait as told (at most 30 s) and send the same request again
      long seconds = r.headers().firstValueAsLong("Retry-After").orElse(1);
      Thread.sleep(Math.min(30, Math.max(1, seconds)) * 1000);
    }
    JsonNode body = r.body().isEmpty() ? null : JSON.readTree(r.body());
    if (r.statusCode() / 100 != 2) {
      String msg = body != null && body.has("error") ? body.get("error").asText() : r.body();
      throw new ApiError(
          r.statusCode(),
          r.request().method()
              + " "
              + r.request().uri().getPath()
              + ": "
              + r.statusCode()
              + " "
              + msg);
    }
    return body;
  }
}
