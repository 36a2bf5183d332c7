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
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;

/**
 * A small client of the Physical API: JSON over HTTP with a bearer token. Non-2xx replies become
 * {@link FleetClient.ApiError} carrying the server's message.
 *
 * <p>Several servers on one database: given {@code "http://a:7070,http://b:7070"}, a request the
 * current server never received (connection refused, or not made in time) goes to the next, which
 * then stays current. A request whose reply was lost after it was sent (reset, timeout) may have
 * been applied: it goes to the next server only when sending it twice does no harm ({@link
 * #repeatable}: reads, uploads by offset, and the robot's state messages (by {@code seq}), claims
 * (a claim returns the task already held) and task results (a result already recorded is
 * acknowledged again)); any other write (a job, an enrolment, a model) is reported, not repeated. A
 * server's refusal (any HTTP status) is an answer, never a reason to fail over.
 */
public final class FleetClient {
  // replies may carry fields or statuses this client does not know yet (a newer server): fields are
  // skipped, an unknown status reads as null
  static final ObjectMapper JSON =
      new ObjectMapper()
          .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
          .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
          .configure(DeserializationFeature.READ_UNKNOWN_ENUM_VALUES_AS_NULL, true);
  // one for every client of this JVM: it is thread-safe and pools connections; one per client
  // (a robot, an operator) would cost each a selector thread
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final List<URI> servers;
  private final AtomicInteger current = new AtomicInteger(); // index into servers
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
   * @param servers base URL, e.g. {@code http://localhost:7070}, or several separated by commas
   *     (servers on one database, tried in this order when one does not answer)
   */
  public FleetClient(String servers, String token) {
    this.servers = parseServers(servers);
    this.token = token;
  }

  /** The base URLs of a {@code --server} value: one, or several separated by commas. */
  public static List<URI> parseServers(String servers) {
    if (servers == null || servers.isBlank())
      throw new IllegalArgumentException("server must be an http(s) URL, got '" + servers + "'");
    List<URI> out = new ArrayList<>();
    for (String s : servers.split(",", -1)) {
      String u = s.strip();
      if (!(u.startsWith("http://") || u.startsWith("https://")))
        throw new IllegalArgumentException(
            "server must be an http(s) URL (several: separated by commas), got '" + u + "'");
      try {
        out.add(new URI(u.endsWith("/") ? u : u + "/"));
      } catch (java.net.URISyntaxException e) {
        throw new IllegalArgumentException("server URL '" + u + "' is not valid: " + e.getReason());
      }
    }
    return List.copyOf(out);
  }

  /** The server requests go to now (the first given, until it stops answering). */
  public URI server() {
    return servers.get(current.get());
  }

  /** GET a JSON document. */
  public JsonNode get(String path) throws IOException, InterruptedException {
    return send(path, b -> b.GET());
  }

  /** POST a value as JSON; {@code null} when the reply has no body (204). */
  public JsonNode post(String path, Object body) throws IOException, InterruptedException {
    String text = body == null ? "" : body instanceof String s ? s : JSON.writeValueAsString(body);
    return send(
        path,
        b ->
            b.header("Content-Type", "application/json")
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
    return send(path, b -> b.DELETE());
  }

  /** GET raw bytes (a model archive). */
  public byte[] getBytes(String path) throws IOException, InterruptedException {
    HttpResponse<byte[]> r =
        exchange(
            path,
            b -> b.GET().timeout(Duration.ofMinutes(5)),
            HttpResponse.BodyHandlers.ofByteArray());
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
        path,
        b ->
            b.header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofByteArray(bytes)));
  }

  /** PUT raw bytes (an upload chunk). */
  public JsonNode putBytes(String path, byte[] bytes) throws IOException, InterruptedException {
    return send(
        path,
        b ->
            b.header("Content-Type", "application/octet-stream")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(bytes)));
  }

  /** POST a markdown document. */
  public JsonNode postMarkdown(String path, String markdown)
      throws IOException, InterruptedException {
    return send(
        path,
        b ->
            b.header("Content-Type", "text/markdown")
                .POST(HttpRequest.BodyPublishers.ofString(markdown)));
  }

  private static URI uri(URI base, String path) {
    return base.resolve(path.startsWith("/") ? path.substring(1) : path);
  }

  private JsonNode send(String path, UnaryOperator<HttpRequest.Builder> method)
      throws IOException, InterruptedException {
    HttpResponse<String> r;
    for (int attempt = 1; ; attempt++) {
      r =
          exchange(
              path,
              b -> method.apply(b.timeout(Duration.ofSeconds(30))),
              HttpResponse.BodyHandlers.ofString());
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

  /**
   * Whether a request may be sent again, to another server, after its reply was lost: it does the
   * same once as twice. POSTs outside the list (jobs, enrolments, models, deployments, alerts, a
   * robot's connection, which gives its task in flight back) are not.
   */
  static boolean repeatable(String method, String path) {
    return switch (method) {
      case "GET", "PUT", "DELETE" -> true;
      case "POST" ->
          path.matches(".*/robots/[^/]+/(state|tasks/next|view)")
              || path.matches(".*/tasks/[^/]+/result");
      default -> false;
    };
  }

  /**
   * Sends one request to the current server, and on to the next (each at most once) when a server
   * never got it, or gave no reply to a {@link #repeatable} one; the server that answered becomes
   * current.
   */
  private <T> HttpResponse<T> exchange(
      String path, UnaryOperator<HttpRequest.Builder> method, HttpResponse.BodyHandler<T> body)
      throws IOException, InterruptedException {
    int first = current.get();
    IOException failure = null;
    for (int i = 0; i < servers.size(); i++) {
      int k = (first + i) % servers.size();
      HttpRequest.Builder b = HttpRequest.newBuilder(uri(servers.get(k), path));
      if (token != null) b.header("Authorization", "Bearer " + token);
      HttpRequest request = method.apply(b).build();
      try {
        HttpResponse<T> r = HTTP.send(request, body);
        current.set(k);
        return r;
      } catch (IOException e) {
        if (failure == null) failure = e;
        else failure.addSuppressed(e);
        boolean neverSent =
            e instanceof java.net.ConnectException
                || e instanceof java.net.http.HttpConnectTimeoutException;
        if (!neverSent && !repeatable(request.method(), request.uri().getPath())) {
          IOException uncertain =
              new IOException(
                  request.method()
                      + " "
                      + request.uri().getPath()
                      + ": no reply from "
                      + servers.get(k)
                      + " ("
                      + e.getMessage()
                      + "); it may have been applied there: check before sending it again");
          uncertain.initCause(e);
          throw uncertain;
        }
      }
    }
    String where =
        servers.size() == 1
            ? "the fleet server at " + servers.get(0)
            : "any of the fleet servers " + servers;
    IOException named =
        failure instanceof java.net.ConnectException
            ? new java.net.ConnectException(
                "cannot reach " + where + " (is 'wam4j serve' running there?)")
            : new IOException("no reply from " + where + ": " + failure.getMessage());
    named.initCause(failure);
    throw named;
  }
}
