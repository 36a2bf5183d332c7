package dev.wam4j.fleet.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What one robot may cost the server (issue 12): rates, slow connections, and HTTPS for bearer
 * tokens.
 */
class FleetLimitsTest {
  @TempDir Path data;
  FleetServer server;
  final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @AfterEach
  void stop() {
    if (server != null) server.close();
  }

  private String operator() throws Exception {
    return Files.readString(data.resolve(FleetServer.OPERATOR_TOKEN_FILE)).strip();
  }

  private HttpResponse<String> post(String path, String token, String body) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://localhost:" + server.port() + path))
            .header("Authorization", "Bearer " + token)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .timeout(Duration.ofSeconds(10))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void aTokenBucketAdmitsABurstThenTheSustainedRateAndSaysHowLongToWait() {
    long[] nanos = {0};
    RateLimiter limiter =
        new RateLimiter(
            Limits.defaults().withRobotRate(2, 3).withRobotBytes(1000, 4000), () -> nanos[0]);
    for (int i = 0; i < 3; i++)
      assertThat(limiter.admit("a", 100)).as("request " + i + " of the burst").isZero();
    assertThat(limiter.admit("a", 100)).as("past the burst").isEqualTo(1);
    assertThat(limiter.admit("b", 100)).as("another robot has its own bucket").isZero();
    nanos[0] += 500_000_000L; // half a second at 2/s: one request back
    assertThat(limiter.admit("a", 100)).isZero();
    assertThat(limiter.admit("a", 100)).isEqualTo(1);
    nanos[0] += 10_000_000_000L;
    assertThat(limiter.admit("a", 3_900)).isZero();
    assertThat(limiter.admit("a", 1_000)).as("bytes: 900 missing at 1000/s").isEqualTo(1);
    nanos[0] += 10_000_000_000L;
    assertThat(limiter.admit("a", 1L << 30))
        .as("a body larger than the burst waits for a full bucket, it is not refused for ever")
        .isZero();
  }

  @Test
  void aRobotOverItsRateGets429WithRetryAfterWhileOperatorsAndOtherRobotsAreServed()
      throws Exception {
    server =
        FleetServer.start(
            FleetServer.Config.of(0, data, null)
                .withLimits(Limits.defaults().withRobotRate(2, 5).withRobotBytes(2_000, 8_000)));
    String op = operator();
    var a = JsonExchange.JSON.readTree(post("/api/v1/robots", op, "{\"name\": \"a\"}").body());
    var b = JsonExchange.JSON.readTree(post("/api/v1/robots", op, "{\"name\": \"b\"}").body());
    String aId = a.get("robot_id").asText(), aToken = a.get("token").asText();
    List<Integer> statuses = new ArrayList<>();
    HttpResponse<String> limited = null;
    for (int seq = 1; seq <= 10; seq++) {
      HttpResponse<String> r =
          post(
              "/api/v1/robots/" + aId + "/state",
              aToken,
              "{\"seq\": " + seq + ", \"state\": \"idle\"}");
      statuses.add(r.statusCode());
      if (r.statusCode() == 429) limited = r;
    }
    assertThat(statuses.subList(0, 5)).as("the burst").containsOnly(200);
    assertThat(statuses).contains(429);
    assertThat(limited.headers().firstValue("Retry-After"))
        .hasValueSatisfying(v -> assertThat(Long.parseLong(v)).isBetween(1L, 2L));
    assertThat(limited.body()).contains("over its rate");
    assertThat(
            post(
                    "/api/v1/robots/" + b.get("robot_id").asText() + "/state",
                    b.get("token").asText(),
                    "{\"seq\": 1, \"state\": \"idle\"}")
                .statusCode())
        .as("another robot")
        .isEqualTo(200);
    for (int i = 0; i < 20; i++) {
      assertThat(
              http.send(
                      HttpRequest.newBuilder(
                              URI.create("http://localhost:" + server.port() + "/api/v1/robots"))
                          .header("Authorization", "Bearer " + op)
                          .build(),
                      HttpResponse.BodyHandlers.ofString())
                  .statusCode())
          .as("operators are not limited")
          .isEqualTo(200);
    }
    assertThat(server.store().robots().telemetryCount(aId))
        .as("refused messages are not stored")
        .isEqualTo(statuses.stream().filter(s -> s == 200).count());
    // bytes: 3 KB states against 8 KB of burst and 2 KB/s
    Thread.sleep(3_000);
    String pad = "x".repeat(3_000);
    List<Integer> big = new ArrayList<>();
    for (int seq = 100; seq < 104; seq++) {
      big.add(
          post(
                  "/api/v1/robots/" + aId + "/state",
                  aToken,
                  "{\"seq\": " + seq + ", \"state\": \"idle\", \"note\": \"" + pad + "\"}")
              .statusCode());
    }
    assertThat(big.subList(0, 2)).containsOnly(200);
    assertThat(big).contains(429);
  }

  @Test
  void uploadQuotasAreTheOperatorsToSet() throws Exception {
    server =
        FleetServer.start(
            FleetServer.Config.of(0, data, null)
                .withLimits(Limits.defaults().withUploads(1000, 2, 24, 8)));
    String op = operator();
    var a = JsonExchange.JSON.readTree(post("/api/v1/robots", op, "{\"name\": \"a\"}").body());
    String id = a.get("robot_id").asText(), token = a.get("token").asText();
    post("/api/v1/robots/" + id + "/connection", token, "{\"embodiment\": \"robot\"}");
    http.send(
        HttpRequest.newBuilder(URI.create("http://localhost:" + server.port() + "/api/v1/jobs"))
            .header("Authorization", "Bearer " + op)
            .header("Content-Type", "text/markdown")
            .POST(HttpRequest.BodyPublishers.ofString("# J\n## Push\n"))
            .build(),
        HttpResponse.BodyHandlers.ofString());
    long task =
        JsonExchange.JSON
            .readTree(post("/api/v1/robots/" + id + "/tasks/next", token, "{}").body())
            .get("id")
            .asLong();
    java.util.function.IntFunction<String> open =
        i ->
            "{\"task_id\": "
                + task
                + ", \"sha256\": \""
                + String.format("%064x", i)
                + "\", \"size_bytes\": "
                + (i == 99 ? 1001 : 10)
                + "}";
    assertThat(post("/api/v1/robots/" + id + "/uploads", token, open.apply(99)).statusCode())
        .as("past maxUploadBytes")
        .isEqualTo(400);
    assertThat(post("/api/v1/robots/" + id + "/uploads", token, open.apply(1)).statusCode())
        .isEqualTo(200);
    assertThat(post("/api/v1/robots/" + id + "/uploads", token, open.apply(2)).statusCode())
        .isEqualTo(200);
    HttpResponse<String> third = post("/api/v1/robots/" + id + "/uploads", token, open.apply(3));
    assertThat(third.statusCode()).as("past maxOpenUploads").isEqualTo(429);
    assertThat(third.body()).contains("2 uploads open");
  }

  @Test
  void aConnectionThatSendsItsHeadersSlowlyIsClosedAtTheDeadlineWhileOthersAreServed()
      throws Exception {
    server =
        FleetServer.start(
            FleetServer.Config.of(0, data, null)
                .withLimits(Limits.defaults().withHeaderTimeoutMs(1_000)));
    try (Socket slow = new Socket("127.0.0.1", server.port())) {
      slow.setSoTimeout(10_000);
      OutputStream out = slow.getOutputStream();
      out.write(
          "GET /api/v1/health HTTP/1.1\r\nHost: localhost\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      long start = System.nanoTime();
      boolean closed = false;
      // one header byte every 200 ms: the idle timeout (30 s) never fires, the header deadline must
      for (int i = 0; i < 40 && !closed; i++) {
        Thread.sleep(200);
        try {
          out.write('X');
          out.flush();
        } catch (java.io.IOException e) {
          closed = true;
        }
        if (!closed && i % 5 == 4) { // a fresh request on another connection is served meanwhile
          assertThat(
                  http.send(
                          HttpRequest.newBuilder(
                                  URI.create(
                                      "http://localhost:" + server.port() + "/api/v1/health"))
                              .build(),
                          HttpResponse.BodyHandlers.ofString())
                      .statusCode())
              .isEqualTo(200);
        }
      }
      if (!closed) { // the write may still succeed into the socket buffer: the read side shows the
        // close
        InputStream in = slow.getInputStream();
        closed = in.read() == -1;
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      assertThat(closed).as("closed").isTrue();
      assertThat(seconds).as("seconds until closed").isLessThan(4.0);
      assertThat(server.headerGuardClosed()).isEqualTo(1);
    }
  }

  @Test
  void withAKeyStoreTheApiIsServedOverHttpsOnlyAndThePasswordIsNeverPrinted() throws Exception {
    Path store = data.resolve("server.p12");
    Process keytool =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair",
                "-alias",
                "fleet",
                "-keyalg",
                "EC",
                "-groupname",
                "secp256r1",
                "-dname",
                "CN=localhost",
                "-ext",
                "SAN=dns:localhost,ip:127.0.0.1",
                "-validity",
                "2",
                "-storetype",
                "PKCS12",
                "-keystore",
                store.toString(),
                "-storepass",
                "s3cret-pass")
            .redirectErrorStream(true)
            .start();
    assertThat(keytool.waitFor()).as(new String(keytool.getInputStream().readAllBytes())).isZero();
    Path password = data.resolve("tls.password");
    Files.writeString(password, "s3cret-pass\n");
    Tls tls = Tls.of(store, password);
    assertThat(tls.toString()).doesNotContain("s3cret");
    server = FleetServer.start(FleetServer.Config.of(0, data, null).withTls(tls));

    java.security.KeyStore trust = java.security.KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(store)) {
      trust.load(in, "s3cret-pass".toCharArray());
    }
    javax.net.ssl.TrustManagerFactory tmf =
        javax.net.ssl.TrustManagerFactory.getInstance(
            javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    javax.net.ssl.SSLContext ssl = javax.net.ssl.SSLContext.getInstance("TLS");
    ssl.init(null, tmf.getTrustManagers(), null);
    HttpClient https =
        HttpClient.newBuilder().sslContext(ssl).connectTimeout(Duration.ofSeconds(5)).build();
    HttpResponse<String> ok =
        https.send(
            HttpRequest.newBuilder(
                    URI.create("https://localhost:" + server.port() + "/api/v1/whoami"))
                .header("Authorization", "Bearer " + operator())
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(ok.statusCode()).isEqualTo(200);
    assertThat(ok.body()).contains("operator");
    // plain HTTP on the same port carries no token anywhere: the TLS layer refuses it
    try {
      HttpResponse<String> plain =
          http.send(
              HttpRequest.newBuilder(
                      URI.create("http://localhost:" + server.port() + "/api/v1/health"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(plain.statusCode()).as("plain HTTP").isEqualTo(400);
    } catch (java.io.IOException expected) {
      // or the connection is closed outright
    }
  }
}
