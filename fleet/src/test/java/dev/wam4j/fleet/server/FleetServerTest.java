package dev.wam4j.fleet.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The API over real HTTP: tokens and their limits, bad input, a job from markdown to done, a
 * restart.
 */
class FleetServerTest {
  @TempDir Path data;
  FleetServer server;
  String operator;
  final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  final ObjectMapper json = new ObjectMapper();

  record Reply(int status, JsonNode body) {}

  String dbUrl;

  /** The database's JDBC URL, or null for the embedded store in the data folder. */
  String database() {
    return null;
  }

  @BeforeEach
  void start() throws Exception {
    dbUrl = database();
    server = FleetServer.start(FleetServer.Config.of(0, data, dbUrl));
    operator = Files.readString(data.resolve(FleetServer.OPERATOR_TOKEN_FILE)).strip();
  }

  @AfterEach
  void stop() {
    if (server != null) server.close();
  }

  Reply call(String method, String path, String token, String body, String type) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create("http://localhost:" + server.port() + path))
            .timeout(Duration.ofSeconds(10));
    if (token != null) b.header("Authorization", "Bearer " + token);
    if (type != null) b.header("Content-Type", type);
    b.method(
        method,
        body == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body));
    HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    return new Reply(r.statusCode(), r.body().isEmpty() ? null : json.readTree(r.body()));
  }

  Reply post(String path, String token, String body) throws Exception {
    return call("POST", path, token, body, "application/json");
  }

  Reply get(String path, String token) throws Exception {
    return call("GET", path, token, null, null);
  }

  @Test
  void theProbesLowFindingsStayFixed() throws Exception {
    // a refused event stream is a 401 before the stream starts (a browser's EventSource stops
    // retrying), not a 200
    HttpResponse<String> refused =
        http.send(
            HttpRequest.newBuilder(
                    URI.create(
                        "http://localhost:"
                            + server.port()
                            + "/api/v1/events?access_token=op_wrong"))
                .timeout(Duration.ofSeconds(10))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(refused.statusCode()).isEqualTo(401);
    // model names that are folders of their own: refused
    for (String name :
        new String[] {
          "..hidden", ".hidden", "."
        }) { // ('.' and '..' as a path segment never reach the handler)
      Reply r = call("POST", "/api/v1/models/" + name + "x", operator, "zip", "application/zip");
      assertThat(r.status()).as("model name '" + name + "x'").isEqualTo(400);
      assertThat(r.body().get("error").asText()).contains("starting with a letter or digit");
    }
    // an alert about a task the robot was never given
    JsonNode a = post("/api/v1/robots", operator, "{\"name\": \"a\"}").body();
    Reply alert =
        post(
            "/api/v1/robots/" + a.get("robot_id").asText() + "/alerts",
            a.get("token").asText(),
            "{\"kind\": \"x\", \"message\": \"y\", \"task_id\": 999}");
    assertThat(alert.status()).isEqualTo(400);
    // the dashboard: its script allowed by hash only, no framing, no referrer
    HttpResponse<String> page =
        http.send(
            HttpRequest.newBuilder(URI.create("http://localhost:" + server.port() + "/dashboard"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(page.headers().firstValue("Content-Security-Policy").orElse(""))
        .contains("script-src 'sha256-")
        .contains("frame-ancestors 'none'");
    assertThat(page.headers().firstValue("X-Frame-Options")).contains("DENY");
    assertThat(page.headers().firstValue("Referrer-Policy")).contains("no-referrer");
  }

  @Test
  void aRobotCannotReserveUnboundedUploadsAndOversizedOnesAreRefused() throws Exception {
    JsonNode a = post("/api/v1/robots", operator, "{\"name\": \"a\"}").body();
    String id = a.get("robot_id").asText(), token = a.get("token").asText();
    post("/api/v1/robots/" + id + "/connection", token, "{\"embodiment\": \"robot\"}");
    call("POST", "/api/v1/jobs", operator, "# J\n## Push\n", "text/markdown");
    long task = post("/api/v1/robots/" + id + "/tasks/next", token, null).body().get("id").asLong();
    java.util.function.IntFunction<String> open =
        i ->
            "{\"task_id\": "
                + task
                + ", \"sha256\": \""
                + String.format("%064x", i)
                + "\", \"size_bytes\": 1000}";
    for (int i = 0; i < Limits.defaults().maxOpenUploads(); i++)
      assertThat(post("/api/v1/robots/" + id + "/uploads", token, open.apply(i)).status())
          .isEqualTo(200);
    Reply full = post("/api/v1/robots/" + id + "/uploads", token, open.apply(99));
    assertThat(full.status()).isEqualTo(429);
    assertThat(full.body().get("error").asText()).contains("uploads open");
    assertThat(post("/api/v1/robots/" + id + "/uploads", token, open.apply(3)).status())
        .as("resuming an open one")
        .isEqualTo(200);
    assertThat(
            post(
                    "/api/v1/robots/" + id + "/uploads",
                    token,
                    "{\"task_id\": "
                        + task
                        + ", \"sha256\": \""
                        + "a".repeat(64)
                        + "\", \"size_bytes\": "
                        + (Limits.defaults().maxUploadBytes() + 1)
                        + "}")
                .status())
        .isEqualTo(400);
  }

  @Test
  void anOperatorCancelsAJobAndRevokesARobotAndARobotCanDoNeither() throws Exception {
    JsonNode a = post("/api/v1/robots", operator, "{\"name\": \"a\"}").body();
    String id = a.get("robot_id").asText(), token = a.get("token").asText();
    long job =
        call("POST", "/api/v1/jobs", operator, "# J\n## Push\n- count: 2\n", "text/markdown")
            .body()
            .get("id")
            .asLong();
    assertThat(post("/api/v1/jobs/" + job + "/cancel", token, "{}").status()).isEqualTo(403);
    assertThat(post("/api/v1/robots/" + id + "/revoke", token, "{}").status()).isEqualTo(403);
    Reply cancelled = post("/api/v1/jobs/" + job + "/cancel", operator, "{}");
    assertThat(cancelled.status()).isEqualTo(200);
    assertThat(cancelled.body().get("status").asText()).isEqualTo("cancelled");
    assertThat(post("/api/v1/jobs/" + job + "/cancel", operator, "{}").status()).isEqualTo(409);
    assertThat(post("/api/v1/jobs/99999/cancel", operator, "{}").status()).isEqualTo(404);
    assertThat(
            post("/api/v1/robots/" + id + "/revoke", operator, "{}")
                .body()
                .get("tokens_revoked")
                .asInt())
        .isEqualTo(1);
    assertThat(
            post("/api/v1/robots/" + id + "/connection", token, "{\"embodiment\": \"robot\"}")
                .status())
        .as("a revoked token")
        .isEqualTo(401);
  }

  @Test
  void byDefaultTheServerListensOnLoopbackOnly() throws Exception {
    // the kernel's tables of listening TCP sockets (state 0A); Java's sockets are often IPv6 ones
    // carrying IPv4
    String port = String.format("%04X", server.port());
    java.util.List<String> addresses = new java.util.ArrayList<>();
    for (String table : new String[] {"/proc/net/tcp", "/proc/net/tcp6"}) {
      Files.readAllLines(Path.of(table)).stream()
          .skip(1)
          .map(l -> l.trim().split("\\s+"))
          .filter(f -> f[1].endsWith(":" + port) && f[3].equals("0A"))
          .forEach(f -> addresses.add(f[1].substring(0, f[1].indexOf(':'))));
    }
    assertThat(addresses)
        .isNotEmpty()
        .allMatch(
            a -> a.equals("0100007F") || a.equals("0000000000000000FFFF00000100007F"),
            "127.0.0.1 (not 0.0.0.0 or ::, every interface)");
  }

  @Test
  void theFirstStartWritesAnOwnerOnlyOperatorTokenAndServesItsOpenApiDocument() throws Exception {
    assertThat(Files.getPosixFilePermissions(data.resolve(FleetServer.OPERATOR_TOKEN_FILE)))
        .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
    assertThat(get("/api/v1/health", null).body().get("status").asText()).isEqualTo("ok");
    JsonNode doc = get("/openapi.json", null).body();
    assertThat(doc.get("openapi").asText()).startsWith("3.");
    assertThat(doc.get("paths").has("/api/v1/jobs")).isTrue();
  }

  @Test
  void tokensAreCheckedOnEveryEndpointAndARobotActsOnlyAsItself() throws Exception {
    assertThat(get("/api/v1/robots", null).status()).isEqualTo(401);
    assertThat(get("/api/v1/robots", "op_forged").status()).isEqualTo(401);
    JsonNode a = post("/api/v1/robots", operator, "{\"name\": \"a\"}").body(),
        b = post("/api/v1/robots", operator, "{\"name\": \"b\"}").body();
    String aId = a.get("robot_id").asText(),
        aToken = a.get("token").asText(),
        bId = b.get("robot_id").asText();
    assertThat(
            post("/api/v1/robots/" + aId + "/connection", aToken, "{\"embodiment\": \"robot\"}")
                .status())
        .isEqualTo(200);
    // the forbidden paths: another robot's state, tasks, alerts, data; operator listings; enrolling
    // robots; submitting jobs
    assertThat(
            post("/api/v1/robots/" + bId + "/state", aToken, "{\"seq\": 1, \"state\": \"idle\"}")
                .status())
        .isEqualTo(403);
    assertThat(
            post("/api/v1/robots/" + bId + "/connection", aToken, "{\"embodiment\": \"robot\"}")
                .status())
        .isEqualTo(403);
    assertThat(post("/api/v1/robots/" + bId + "/tasks/next", aToken, null).status()).isEqualTo(403);
    assertThat(
            post(
                    "/api/v1/robots/" + bId + "/alerts",
                    aToken,
                    "{\"kind\": \"x\", \"message\": \"y\"}")
                .status())
        .isEqualTo(403);
    assertThat(get("/api/v1/robots/" + bId, aToken).status()).isEqualTo(403);
    assertThat(get("/api/v1/robots", aToken).status()).isEqualTo(403);
    assertThat(get("/api/v1/jobs", aToken).status()).isEqualTo(403);
    assertThat(get("/api/v1/alerts", aToken).status()).isEqualTo(403);
    assertThat(post("/api/v1/robots", aToken, "{\"name\": \"evil\"}").status()).isEqualTo(403);
    assertThat(call("POST", "/api/v1/jobs", aToken, "# J\n## S\n", "text/markdown").status())
        .isEqualTo(403);
    assertThat(get("/api/v1/robots/" + aId, aToken).status()).isEqualTo(200);
    assertThat(get("/api/v1/robots/" + bId, operator).status())
        .as("operators read any robot")
        .isEqualTo(200);
    assertThat(
            post("/api/v1/robots/" + aId + "/state", operator, "{\"seq\": 1, \"state\": \"idle\"}")
                .status())
        .as("an operator cannot post a robot's telemetry")
        .isEqualTo(403);
    assertThat(get("/api/v1/robots/" + bId + "/view", aToken).status())
        .as("another robot's camera")
        .isEqualTo(403);
    assertThat(get("/api/v1/robots/" + bId + "/model", aToken).status()).isEqualTo(403);
    assertThat(post("/api/v1/robots/" + bId + "/uploads", aToken, "{}").status()).isEqualTo(403);
    for (String path :
        java.util.List.of(
            "/api/v1/models",
            "/api/v1/deployments",
            "/api/v1/datasets",
            "/api/v1/telemetry/stats")) {
      assertThat(get(path, aToken).status()).as(path).isEqualTo(403);
    }
    assertThat(post("/api/v1/deployments", aToken, "{\"model\": \"m\", \"version\": 1}").status())
        .isEqualTo(403);
    assertThat(call("POST", "/api/v1/models/m", aToken, "zip", "application/zip").status())
        .isEqualTo(403);
    assertThat(get("/api/v1/models/m/1/archive", aToken).status())
        .as("a model not deployed to it")
        .isIn(403, 404);
  }

  @Test
  void badInputGetsA400WithAMessageNeverA500() throws Exception {
    JsonNode a = post("/api/v1/robots", operator, "{\"name\": \"a\"}").body();
    String id = a.get("robot_id").asText(), token = a.get("token").asText();
    Reply malformed = post("/api/v1/robots/" + id + "/state", token, "{\"seq\": 1, ");
    assertThat(malformed.status()).isEqualTo(400);
    assertThat(malformed.body().get("error").asText()).startsWith("malformed JSON");
    assertThat(
            post("/api/v1/robots/" + id + "/state", token, "[1, 2]").body().get("error").asText())
        .contains("expected a JSON object");
    assertThat(
            post("/api/v1/robots/" + id + "/state", token, "{\"seq\": -3, \"state\": \"idle\"}")
                .body()
                .get("error")
                .asText())
        .contains("'seq' must be an integer in 0..2^63-1");
    assertThat(
            post("/api/v1/robots/" + id + "/connection", token, "{\"embodiment\": \"dog\"}")
                .status())
        .isEqualTo(400);
    Reply doc =
        call("POST", "/api/v1/jobs", operator, "# Job\n## Step\n- count: lots\n", "text/markdown");
    assertThat(doc.status()).isEqualTo(400);
    assertThat(doc.body().get("error").asText())
        .isEqualTo("job document line 3: count must be an integer, got 'lots'");
    // a NUL character: PostgreSQL cannot store one in text (SQLite and H2 can), so every database
    // refuses it alike, by line
    Reply nul =
        call("POST", "/api/v1/jobs", operator, "# Job\n## Step\u0000 one\n", "text/markdown");
    assertThat(nul.body().get("error").asText())
        .isEqualTo(
            "job document line 2: a NUL character (U+0000) at column 8; remove it (PostgreSQL"
                + " cannot store one)");
    assertThat(nul.status()).isEqualTo(400);
    Reply big = post("/api/v1/robots", operator, "{\"name\": \"" + "x".repeat(2 << 20) + "\"}");
    assertThat(big.status()).isEqualTo(413);
    assertThat(get("/api/v1/jobs/notanumber", operator).status()).isEqualTo(400);
    // values longer than their columns: a 400 (or 413), never a 500
    assertThat(
            post(
                    "/api/v1/robots/" + id + "/state",
                    token,
                    "{\"seq\": 1, \"state\": \"" + "s".repeat(40) + "\"}")
                .status())
        .isEqualTo(400);
    assertThat(
            post("/api/v1/robots/" + id + "/state", token, "{\"seq\": 1, \"state\": \"dancing\"}")
                .status())
        .isEqualTo(400);
    assertThat(
            post(
                    "/api/v1/robots/" + id + "/state",
                    token,
                    "{\"seq\": 2, \"state\": \"idle\", \"note\": \"" + "n".repeat(70_000) + "\"}")
                .status())
        .isEqualTo(413);
    assertThat(post("/api/v1/robots", operator, "{\"name\": \"" + "n".repeat(200) + "\"}").status())
        .isEqualTo(400);
    assertThat(
            post(
                    "/api/v1/robots/" + id + "/alerts",
                    token,
                    "{\"kind\": \"" + "k".repeat(40) + "\", \"message\": \"m\"}")
                .status())
        .isEqualTo(400);
    assertThat(
            post(
                    "/api/v1/robots/" + id + "/state",
                    token,
                    "{\"seq\": 99999999999999999999999, \"state\": \"idle\"}")
                .status())
        .isEqualTo(400);
    assertThat(post("/api/v1/robots", operator, "{\"name\": \"a\\u0000b\"}").status())
        .isEqualTo(400);
    assertThat(get("/api/v1/jobs/999", operator).status()).isEqualTo(404);
    assertThat(get("/api/v1/nothing", operator).status()).isEqualTo(404);
  }

  @Test
  void aMarkdownJobIsPlannedDispatchedAndCompletedAndLiveEventsFlow() throws Exception {
    CompletableFuture<String> firstJobEvent =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                HttpRequest r =
                    HttpRequest.newBuilder(
                            URI.create("http://localhost:" + server.port() + "/api/v1/events"))
                        .header("Authorization", "Bearer " + operator)
                        .header("Accept", "text/event-stream")
                        .build();
                HttpResponse<java.io.InputStream> s =
                    http.send(r, HttpResponse.BodyHandlers.ofInputStream());
                try (BufferedReader in = new BufferedReader(new InputStreamReader(s.body()))) {
                  StringBuilder seen = new StringBuilder();
                  for (String line = in.readLine(); line != null; line = in.readLine()) {
                    if (line.equals("event: job")) return in.readLine();
                    seen.append(line).append('|');
                  }
                  return "ended after: " + seen + " status " + s.statusCode();
                }
              } catch (Exception e) {
                throw new RuntimeException(e);
              }
            });
    // the listener must be subscribed before the job is posted, or it misses the event
    for (long until = System.nanoTime() + 10_000_000_000L;
        server.eventListeners() == 0 && System.nanoTime() < until; ) Thread.sleep(5);
    assertThat(server.eventListeners()).as("the live-event listener subscribed").isEqualTo(1);
    JsonNode a = post("/api/v1/robots", operator, "{\"name\": \"a\", \"group\": \"lab\"}").body();
    String id = a.get("robot_id").asText(), token = a.get("token").asText();
    post(
        "/api/v1/robots/" + id + "/connection",
        token,
        "{\"embodiment\": \"robot\", \"sensors\": [\"camera\"]}");
    Reply job =
        call(
            "POST",
            "/api/v1/jobs",
            operator,
            "# Two pushes\n## Push\n- count: 2\n",
            "text/markdown");
    assertThat(job.status()).isEqualTo(201);
    assertThat(job.body().get("tasks").asInt()).isEqualTo(2);
    assertThat(firstJobEvent.get(10, TimeUnit.SECONDS)).startsWith("data: ").contains("Two pushes");
    for (int i = 0; i < 2; i++) {
      Reply task = post("/api/v1/robots/" + id + "/tasks/next", token, null);
      assertThat(task.status()).isEqualTo(200);
      assertThat(
              post(
                      "/api/v1/robots/" + id + "/state",
                      token,
                      "{\"seq\": " + (i + 1) + ", \"state\": \"busy\", \"dream_divergence\": 0.01}")
                  .body()
                  .get("stored")
                  .asBoolean())
          .isTrue();
      Reply done =
          post(
              "/api/v1/tasks/" + task.body().get("id").asLong() + "/result",
              token,
              "{\"success\": true, \"coverage\": 0.97}");
      assertThat(done.body().get("status").asText()).isEqualTo("done");
    }
    assertThat(post("/api/v1/robots/" + id + "/tasks/next", token, null).status()).isEqualTo(204);
    assertThat(
            post("/api/v1/robots/" + id + "/state", token, "{\"seq\": 2, \"state\": \"idle\"}")
                .body()
                .get("stored")
                .asBoolean())
        .as("a resent message is acknowledged but stored once")
        .isFalse();
    JsonNode jobs = get("/api/v1/jobs", operator).body();
    assertThat(jobs.get(0).get("status").asText()).isEqualTo("done");
    assertThat(jobs.get(0).get("done").asInt()).isEqualTo(2);

    // restart: acknowledged telemetry and the finished job are still there; the token file is not
    // rewritten
    server.close();
    server = FleetServer.start(FleetServer.Config.of(0, data, dbUrl));
    assertThat(server.bootstrapToken()).isNull();
    assertThat(server.store().robots().telemetryCount(id)).isEqualTo(2);
    assertThat(get("/api/v1/jobs", operator).body().get(0).get("status").asText())
        .isEqualTo("done");
  }

  Reply put(String path, String token, byte[] bytes) throws Exception {
    HttpRequest r =
        HttpRequest.newBuilder(URI.create("http://localhost:" + server.port() + path))
            .header("Authorization", "Bearer " + token)
            .header("Content-Type", "application/octet-stream")
            .PUT(HttpRequest.BodyPublishers.ofByteArray(bytes))
            .build();
    HttpResponse<String> res = http.send(r, HttpResponse.BodyHandlers.ofString());
    return new Reply(res.statusCode(), json.readTree(res.body()));
  }

  /** A one-episode LeRobot dataset (3 frames), zipped. */
  static byte[] episodeZip(Path dir) throws Exception {
    return episodeZip(dir, false, info -> {});
  }

  /** The same, ending in success or not, with its meta/info.json edited before zipping. */
  static byte[] episodeZip(
      Path dir,
      boolean lastFrameSucceeds,
      java.util.function.Consumer<com.fasterxml.jackson.databind.node.ObjectNode> info)
      throws Exception {
    return episodeZip(dir, lastFrameSucceeds, false, info);
  }

  /** The same, with a feature beyond PushT's ({@code observation.extra}) when asked. */
  static byte[] episodeZip(
      Path dir,
      boolean lastFrameSucceeds,
      boolean extraFeature,
      java.util.function.Consumer<com.fasterxml.jackson.databind.node.ObjectNode> info)
      throws Exception {
    java.util.List<dev.wam4j.data.lerobot.write.WriteFeature> features =
        new java.util.ArrayList<>(
            java.util.List.of(
                new dev.wam4j.data.lerobot.write.WriteFeature.Video("observation.image", 16, 16),
                new dev.wam4j.data.lerobot.write.WriteFeature.Vector(
                    "observation.state", java.util.List.of("x", "y")),
                new dev.wam4j.data.lerobot.write.WriteFeature.Vector(
                    "action", java.util.List.of("x", "y")),
                new dev.wam4j.data.lerobot.write.WriteFeature.Scalar(
                    "next.reward", dev.wam4j.data.lerobot.write.WriteFeature.ScalarType.FLOAT32),
                new dev.wam4j.data.lerobot.write.WriteFeature.Scalar(
                    "next.done", dev.wam4j.data.lerobot.write.WriteFeature.ScalarType.BOOL),
                new dev.wam4j.data.lerobot.write.WriteFeature.Scalar(
                    "next.success", dev.wam4j.data.lerobot.write.WriteFeature.ScalarType.BOOL)));
    if (extraFeature) {
      features.add(
          new dev.wam4j.data.lerobot.write.WriteFeature.Vector(
              "observation.extra", java.util.List.of("e")));
    }
    Path ds;
    try (var w =
        dev.wam4j.data.lerobot.write.LeRobotWriter.create(
            dir.resolve("ds"),
            dev.wam4j.data.lerobot.write.LeRobotWriteConfig.of(10, "test", features))) {
      w.beginEpisode("push");
      for (int t = 0; t < 3; t++) {
        w.setImage("observation.image", new byte[16 * 16 * 3], 0)
            .setVector("observation.state", new float[] {t, t})
            .setVector("action", new float[] {t, -t})
            .setFloat("next.reward", 0)
            .setBool("next.done", t == 2)
            .setBool("next.success", lastFrameSucceeds && t == 2);
        if (extraFeature) w.setVector("observation.extra", new float[] {t});
        w.endFrame();
      }
      w.endEpisode();
      ds = w.finish();
    }
    Path infoFile = ds.resolve("meta/info.json");
    var json =
        (com.fasterxml.jackson.databind.node.ObjectNode)
            new com.fasterxml.jackson.databind.ObjectMapper().readTree(infoFile.toFile());
    info.accept(json);
    new com.fasterxml.jackson.databind.ObjectMapper().writeValue(infoFile.toFile(), json);
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    try (var zip = new java.util.zip.ZipOutputStream(bytes);
        var files = Files.walk(ds)) {
      for (Path p : files.filter(Files::isRegularFile).toList()) {
        zip.putNextEntry(new java.util.zip.ZipEntry(ds.relativize(p).toString()));
        Files.copy(p, zip);
        zip.closeEntry();
      }
    }
    return bytes.toByteArray();
  }

  @Test
  void anEpisodeUploadResumesFromTheServersOffsetIsCheckedAndADuplicateIsIgnored()
      throws Exception {
    JsonNode a = post("/api/v1/robots", operator, "{\"name\": \"a\"}").body(),
        b = post("/api/v1/robots", operator, "{\"name\": \"b\"}").body();
    String id = a.get("robot_id").asText(),
        token = a.get("token").asText(),
        other = b.get("token").asText();
    post("/api/v1/robots/" + id + "/connection", token, "{\"embodiment\": \"robot\"}");
    call("POST", "/api/v1/jobs", operator, "# J\n## Push\n- count: 2\n", "text/markdown");
    long taskId =
        post("/api/v1/robots/" + id + "/tasks/next", token, null).body().get("id").asLong();
    byte[] zip = episodeZip(data.resolve("work"));
    String sha =
        java.util.HexFormat.of()
            .formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(zip));
    String open =
        "{\"task_id\": "
            + taskId
            + ", \"sha256\": \""
            + sha
            + "\", \"size_bytes\": "
            + zip.length
            + "}";
    assertThat(post("/api/v1/robots/" + id + "/uploads", other, open).status())
        .as("opening an upload as another robot")
        .isEqualTo(403);
    assertThat(
            post(
                    "/api/v1/robots/" + id + "/uploads",
                    token,
                    open.replace("\"task_id\": " + taskId, "\"task_id\": " + (taskId + 1)))
                .status())
        .as("a task never given to a robot")
        .isEqualTo(403);
    Reply u = post("/api/v1/robots/" + id + "/uploads", token, open);
    String uid = u.body().get("upload_id").asText();
    assertThat(u.body().get("received_bytes").asLong()).isZero();
    int half = zip.length / 2;
    assertThat(
            put("/api/v1/uploads/" + uid + "?offset=0", token, java.util.Arrays.copyOf(zip, half))
                .body()
                .get("received_bytes")
                .asLong())
        .isEqualTo(half);
    // the agent "restarts": opening again finds the upload and the offset to resume from
    Reply again = post("/api/v1/robots/" + id + "/uploads", token, open);
    assertThat(again.body().get("upload_id").asText()).isEqualTo(uid);
    assertThat(again.body().get("received_bytes").asLong()).isEqualTo(half);
    Reply wrongOffset =
        put(
            "/api/v1/uploads/" + uid + "?offset=0",
            token,
            java.util.Arrays.copyOfRange(zip, 0, 10));
    assertThat(wrongOffset.status()).isEqualTo(409);
    assertThat(wrongOffset.body().get("error").asText()).contains("resume at " + half);
    assertThat(put("/api/v1/uploads/" + uid + "?offset=" + half, other, new byte[1]).status())
        .as("another robot's upload")
        .isEqualTo(403);
    assertThat(post("/api/v1/uploads/" + uid + "/complete", token, null).status())
        .as("incomplete")
        .isEqualTo(409);
    put(
        "/api/v1/uploads/" + uid + "?offset=" + half,
        token,
        java.util.Arrays.copyOfRange(zip, half, zip.length));
    Reply done = post("/api/v1/uploads/" + uid + "/complete", token, null);
    assertThat(done.status()).isEqualTo(201);
    assertThat(done.body().get("frames").asInt()).isEqualTo(3);
    Reply duplicate = post("/api/v1/robots/" + id + "/uploads", token, open);
    assertThat(duplicate.body().get("status").asText()).isEqualTo("duplicate");
    assertThat(duplicate.body().get("episode_id").asLong())
        .isEqualTo(done.body().get("episode_id").asLong());
    server.awaitDatasets();
    JsonNode sets = get("/api/v1/datasets", operator).body();
    assertThat(sets.get(0).get("episodes").asInt()).isEqualTo(1);
    assertThat(sets.get(0).get("frames").asInt()).isEqualTo(3);

    // a corrupted upload is refused and discarded
    byte[] bad = zip.clone();
    bad[bad.length / 3] ^= 0x55;
    String badOpen =
        "{\"task_id\": "
            + taskId
            + ", \"sha256\": \""
            + "0".repeat(64)
            + "\", \"size_bytes\": "
            + bad.length
            + "}";
    String badId =
        post("/api/v1/robots/" + id + "/uploads", token, badOpen).body().get("upload_id").asText();
    put("/api/v1/uploads/" + badId + "?offset=0", token, bad);
    Reply refused = post("/api/v1/uploads/" + badId + "/complete", token, null);
    assertThat(refused.status()).isEqualTo(400);
    assertThat(refused.body().get("error").asText()).contains("SHA-256 mismatch");
    assertThat(
            post(
                    "/api/v1/robots/" + id + "/uploads",
                    token,
                    "{\"task_id\": " + taskId + ", \"sha256\": \"xyz\", \"size_bytes\": 5}")
                .status())
        .isEqualTo(400);
    // not a zip at all, though it arrived as sent: quarantined (422), and opening it again says so
    // instead of taking the bytes again
    byte[] junk = "not a zip".getBytes();
    String junkSha =
        java.util.HexFormat.of()
            .formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(junk));
    String junkOpen =
        "{\"task_id\": "
            + taskId
            + ", \"sha256\": \""
            + junkSha
            + "\", \"size_bytes\": "
            + junk.length
            + "}";
    String junkId =
        post("/api/v1/robots/" + id + "/uploads", token, junkOpen).body().get("upload_id").asText();
    put("/api/v1/uploads/" + junkId + "?offset=0", token, junk);
    Reply quarantined = post("/api/v1/uploads/" + junkId + "/complete", token, null);
    assertThat(quarantined.status()).isEqualTo(422);
    assertThat(quarantined.body().get("error").asText())
        .contains("quarantined")
        .contains("not a LeRobot dataset");
    assertThat(
            post("/api/v1/robots/" + id + "/uploads", token, junkOpen)
                .body()
                .get("status")
                .asText())
        .isEqualTo("quarantined");
    assertThat(put("/api/v1/uploads/" + junkId + "?offset=0", token, junk).status()).isEqualTo(409);
  }

  /** Opens, sends and completes an upload in one go; the completion's reply. */
  private Reply upload(String robotId, String token, long taskId, byte[] zip) throws Exception {
    String sha =
        java.util.HexFormat.of()
            .formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(zip));
    Reply opened =
        post(
            "/api/v1/robots/" + robotId + "/uploads",
            token,
            "{\"task_id\": "
                + taskId
                + ", \"sha256\": \""
                + sha
                + "\", \"size_bytes\": "
                + zip.length
                + "}");
    if (opened.status() != 200) return opened;
    String uid = opened.body().get("upload_id").asText();
    put("/api/v1/uploads/" + uid + "?offset=0", token, zip);
    return post("/api/v1/uploads/" + uid + "/complete", token, null);
  }

  @Test
  void aRobotUploadsOnlyForItsOwnTasksAndOnlyEpisodesThatHoldTogether() throws Exception {
    JsonNode a = post("/api/v1/robots", operator, "{\"name\": \"a\"}").body(),
        b = post("/api/v1/robots", operator, "{\"name\": \"b\"}").body();
    String aId = a.get("robot_id").asText(),
        aToken = a.get("token").asText(),
        bId = b.get("robot_id").asText(),
        bToken = b.get("token").asText();
    post("/api/v1/robots/" + aId + "/connection", aToken, "{\"embodiment\": \"robot\"}");
    post("/api/v1/robots/" + bId + "/connection", bToken, "{\"embodiment\": \"robot\"}");
    call("POST", "/api/v1/jobs", operator, "# J\n## Push\n- count: 2\n", "text/markdown");
    long aTask =
        post("/api/v1/robots/" + aId + "/tasks/next", aToken, null).body().get("id").asLong();
    long bTask =
        post("/api/v1/robots/" + bId + "/tasks/next", bToken, null).body().get("id").asLong();
    Path work = data.resolve("work-own");
    assertThat(upload(aId, aToken, bTask, episodeZip(work.resolve("1"))).status())
        .as("robot a uploading for robot b's task")
        .isEqualTo(403);

    // an episode whose info.json names files outside itself: refused, nothing read, the task's
    // dataset unharmed
    for (String[] escape :
        new String[][] {
          {"data_path", "../../../../../../../etc/hostname"}, {"video_path", "/dev/zero"}
        }) {
      Reply r =
          upload(
              aId,
              aToken,
              aTask,
              episodeZip(work.resolve(escape[0]), false, info -> info.put(escape[0], escape[1])));
      assertThat(r.status()).as(escape[0]).isEqualTo(422);
      assertThat(r.body().get("error").asText())
          .contains(escape[0])
          .contains("outside the data set");
    }
    // an episode that lies about its length: refused before it can break the dataset
    Reply lying =
        upload(
            aId,
            aToken,
            aTask,
            episodeZip(work.resolve("lying"), false, info -> info.put("total_frames", 30)));
    assertThat(lying.status()).isEqualTo(422);
    assertThat(lying.body().get("error").asText()).contains("does not hold together");

    // a good episode ending in success is kept and recorded as a success
    Reply good = upload(aId, aToken, aTask, episodeZip(work.resolve("good"), true, info -> {}));
    assertThat(good.status()).isEqualTo(201);
    server.awaitDatasets();
    JsonNode sets = get("/api/v1/datasets", operator).body();
    assertThat(sets.get(0).get("episodes").asInt()).isEqualTo(1);
    assertThat(sets.get(0).get("successes").asInt()).as("the last frame succeeded").isEqualTo(1);
  }

  @Test
  void aTasksDatasetGrowsByEachKeptEpisodeInOneFormAndIsBuiltAgainWithoutADeletedOne()
      throws Exception {
    JsonNode a = post("/api/v1/robots", operator, "{\"name\": \"a\"}").body();
    String id = a.get("robot_id").asText(), token = a.get("token").asText();
    post("/api/v1/robots/" + id + "/connection", token, "{\"embodiment\": \"robot\"}");
    call("POST", "/api/v1/jobs", operator, "# J\n## Push\n", "text/markdown");
    long taskId =
        post("/api/v1/robots/" + id + "/tasks/next", token, null).body().get("id").asLong();
    Path work = data.resolve("work-grow");
    byte[] plain = episodeZip(work.resolve("1"), false, info -> {});
    // a second robot's episode with a feature beyond PushT's: kept in the same form, so it appends
    byte[] richer =
        episodeZip(work.resolve("2"), true, true, info -> info.put("robot_type", "other"));
    long first = upload(id, token, taskId, plain).body().get("episode_id").asLong();
    server.awaitDatasets();
    long second = upload(id, token, taskId, richer).body().get("episode_id").asLong();
    server.awaitDatasets();
    Path dataset = server.dataset("Push");
    assertThat(held(dataset)).containsExactly(sha256(plain), sha256(richer));
    assertThat(dev.wam4j.data.lerobot.DatasetValidation.validate(dataset, true)).isEmpty();
    try (var ds = dev.wam4j.data.lerobot.LeRobotDataset.open(dataset)) {
      assertThat(ds.episodes()).hasSize(2);
      assertThat(ds.features()).doesNotContainKey("observation.extra");
      assertThat(ds.tasks().values()).as("the task as the fleet names it").containsExactly("Push");
      assertThat(EpisodeFiles.lastSuccess(ds)).as("the appended episode's rows come last").isTrue();
    }
    assertThat(call("DELETE", "/api/v1/episodes/" + first, operator, null, null).status())
        .isEqualTo(200);
    server.awaitDatasets();
    assertThat(held(dataset)).containsExactly(sha256(richer));
    try (var ds = dev.wam4j.data.lerobot.LeRobotDataset.open(dataset)) {
      assertThat(ds.episodes()).hasSize(1);
      assertThat(ds.episodes().get(0).length()).isEqualTo(3);
    }
    assertThat(dev.wam4j.data.lerobot.DatasetValidation.validate(dataset, true)).isEmpty();
    assertThat(second).isPositive();
  }

  private static java.util.List<String> held(Path dataset) throws Exception {
    return java.util.List.of(
        JsonExchange.JSON.readValue(dataset.resolve(Flywheel.HELD_FILE).toFile(), String[].class));
  }

  private static String sha256(byte[] bytes) {
    return dev.wam4j.data.Digests.sha256Hex(bytes);
  }

  @Test
  void anOperatorListsAndDeletesEpisodesAndQuarantinedUploadsAndARobotCanDoNeither()
      throws Exception {
    JsonNode a = post("/api/v1/robots", operator, "{\"name\": \"a\"}").body();
    String id = a.get("robot_id").asText(), token = a.get("token").asText();
    post("/api/v1/robots/" + id + "/connection", token, "{\"embodiment\": \"robot\"}");
    call("POST", "/api/v1/jobs", operator, "# J\n## Push\n", "text/markdown");
    long taskId =
        post("/api/v1/robots/" + id + "/tasks/next", token, null).body().get("id").asLong();
    Path work = data.resolve("work-admin");
    byte[] good = episodeZip(work.resolve("good")),
        bad = episodeZip(work.resolve("bad"), false, info -> info.put("total_frames", 30));
    long episode = upload(id, token, taskId, good).body().get("episode_id").asLong();
    assertThat(upload(id, token, taskId, bad).status()).isEqualTo(422);
    server.awaitDatasets();
    assertThat(Files.isDirectory(server.dataset("Push"))).isTrue();
    for (String path : new String[] {"/api/v1/episodes", "/api/v1/quarantine"})
      assertThat(get(path, token).status()).as(path).isEqualTo(403);

    JsonNode episodes = get("/api/v1/episodes?task=Push", operator).body();
    assertThat(episodes).hasSize(1);
    assertThat(episodes.get(0).get("id").asLong()).isEqualTo(episode);
    JsonNode quarantine = get("/api/v1/quarantine", operator).body();
    assertThat(quarantine).hasSize(1);
    assertThat(quarantine.get(0).get("reason").asText()).contains("does not hold together");
    String uid = quarantine.get(0).get("id").asText();
    HttpResponse<byte[]> archive =
        http.send(
            HttpRequest.newBuilder(
                    URI.create(
                        "http://localhost:"
                            + server.port()
                            + "/api/v1/quarantine/"
                            + uid
                            + "/archive"))
                .header("Authorization", "Bearer " + operator)
                .build(),
            HttpResponse.BodyHandlers.ofByteArray());
    assertThat(archive.body()).as("the archive as the robot sent it").isEqualTo(bad);

    assertThat(call("DELETE", "/api/v1/episodes/" + episode, token, null, null).status())
        .isEqualTo(403);
    assertThat(call("DELETE", "/api/v1/episodes/" + episode, operator, null, null).status())
        .isEqualTo(200);
    assertThat(call("DELETE", "/api/v1/episodes/" + episode, operator, null, null).status())
        .isEqualTo(404);
    assertThat(call("DELETE", "/api/v1/quarantine/" + uid, operator, null, null).status())
        .isEqualTo(200);
    server.awaitDatasets();
    assertThat(get("/api/v1/episodes", operator).body()).isEmpty();
    assertThat(get("/api/v1/quarantine", operator).body()).isEmpty();
    assertThat(server.dataset("Push"))
        .as("the task's dataset without its only episode")
        .doesNotExist();
    try (var left = Files.list(data.resolve("episodes"));
        var aside = Files.list(data.resolve("quarantine"))) {
      assertThat(left).isEmpty();
      assertThat(aside).isEmpty();
    }
    // the same bytes may be sent again once the operator has deleted them
    assertThat(upload(id, token, taskId, good).status()).isEqualTo(201);
    // a robot whose uploads keep failing their checks is stopped at MAX_QUARANTINED until an
    // operator reviews them
    for (int i = 0; i < Limits.defaults().maxQuarantined(); i++)
      assertThat(upload(id, token, taskId, ("junk " + i).getBytes()).status()).isEqualTo(422);
    Reply stopped = upload(id, token, taskId, "one more".getBytes());
    assertThat(stopped.status()).isEqualTo(429);
    assertThat(stopped.body().get("error").asText()).contains("quarantined uploads");
  }

  @Test
  void theFlywheelRunsTheFineTuningCommandOnceATasksDataCrossesTheThreshold() throws Exception {
    server.close();
    Path marker = data.resolve("triggered.txt");
    // one 3-frame episode is 0.0000833 h of data: past the 0.00005 h threshold, so the command runs
    // once
    server =
        FleetServer.start(
            new FleetServer.Config(
                FleetServer.Config.LOOPBACK,
                0,
                data,
                dbUrl,
                1 << 20,
                10_000,
                3,
                "echo \"$WAM4J_TASK $WAM4J_HOURS $WAM4J_DATASET\" >> " + marker,
                0.00005,
                Limits.defaults(),
                null));
    JsonNode a = post("/api/v1/robots", operator, "{\"name\": \"a\"}").body();
    String id = a.get("robot_id").asText(), token = a.get("token").asText();
    post("/api/v1/robots/" + id + "/connection", token, "{\"embodiment\": \"robot\"}");
    call("POST", "/api/v1/jobs", operator, "# J\n## Push\n", "text/markdown");
    long taskId =
        post("/api/v1/robots/" + id + "/tasks/next", token, null).body().get("id").asLong();
    byte[] zip = episodeZip(data.resolve("work"));
    String sha =
        java.util.HexFormat.of()
            .formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(zip));
    String uid =
        post(
                "/api/v1/robots/" + id + "/uploads",
                token,
                "{\"task_id\": "
                    + taskId
                    + ", \"sha256\": \""
                    + sha
                    + "\", \"size_bytes\": "
                    + zip.length
                    + "}")
            .body()
            .get("upload_id")
            .asText();
    put("/api/v1/uploads/" + uid + "?offset=0", token, zip);
    assertThat(post("/api/v1/uploads/" + uid + "/complete", token, null).status()).isEqualTo(201);
    server.awaitDatasets();
    for (int i = 0; i < 50 && (!Files.exists(marker) || Files.readString(marker).isBlank()); i++)
      Thread.sleep(100);
    String line = Files.readString(marker).strip();
    assertThat(line)
        .startsWith("Push 8.3")
        .endsWith(server.dataset("Push").toAbsolutePath().toString());
    assertThat(server.store().uploads().triggeredHours("Push"))
        .isCloseTo(3 / 36_000.0, org.assertj.core.data.Offset.offset(1e-12));
    try (var ds = dev.wam4j.data.lerobot.LeRobotDataset.open(server.dataset("Push"))) {
      assertThat(ds.episodes()).hasSize(1);
    }
  }
}
