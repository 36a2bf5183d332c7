package dev.wam4j.fleet.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wam4j.data.lerobot.CodebaseVersion;
import dev.wam4j.data.lerobot.DatasetValidation;
import dev.wam4j.data.lerobot.LeRobotDataset;
import dev.wam4j.data.lerobot.Row;
import dev.wam4j.data.video.VideoEncoding;
import dev.wam4j.fleet.teleop.Teleop;
import dev.wam4j.fleet.teleop.TeleopDataset;
import dev.wam4j.sim.Embodiment;
import dev.wam4j.sim.pusht.PushTEnv;
import dev.wam4j.sim.scene.Scene;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Teleoperation over plain HTTP: scripted pointer targets drive sessions on the standalone server,
 * saved episodes read back as a valid LeRobot v3.0 dataset with their operators, and bad input is
 * refused with a message.
 */
class TeleopTest {
  static final ObjectMapper JSON = new ObjectMapper();
  final HttpClient http = HttpClient.newHttpClient();
  @TempDir Path tmp;

  record Reply(int status, JsonNode body) {}

  Reply call(String method, String url, Object body) throws Exception {
    return call(method, url, body, null);
  }

  Reply call(String method, String url, Object body, String token) throws Exception {
    HttpRequest.BodyPublisher p =
        body == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body));
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(url))
            .method(method, p)
            .header("Content-Type", "application/json");
    if (token != null) b.header("Authorization", "Bearer " + token);
    HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    return new Reply(r.statusCode(), r.body().isEmpty() ? null : JSON.readTree(r.body()));
  }

  /** Sweeps the pointer from the agent towards the block for {@code steps} server steps. */
  int drive(String base, String id, int steps) throws Exception {
    JsonNode st = call("GET", base + "/" + id, null).body();
    double ax = st.get("agent_x").asDouble(), ay = st.get("agent_y").asDouble();
    double bx = st.get("block_x").asDouble(), by = st.get("block_y").asDouble();
    int sent = 0;
    while (st.get("step").asInt() < steps) {
      double f = Math.min(1, sent / 30.0);
      Reply r =
          call(
              "POST",
              base + "/" + id + "/target",
              Map.of("x", ax + f * (bx - ax), "y", ay + f * (by - ay)));
      assertThat(r.status()).isEqualTo(204);
      sent++;
      Thread.sleep(40);
      st = call("GET", base + "/" + id, null).body();
    }
    return st.get("step").asInt();
  }

  @Test
  void scriptedTargetsBecomeEpisodesOfAValidDatasetWithTheirOperators() throws Exception {
    Path out = tmp.resolve("teleop-ds");
    Teleop teleop = new Teleop(new TeleopDataset(out, VideoEncoding.AV1_LEROBOT), "pusht", null);
    try (TeleopServer server = TeleopServer.start(teleop, 0)) {
      String url = "http://127.0.0.1:" + server.port(), base = url + TeleopRoutes.SESSIONS;
      HttpResponse<String> page =
          http.send(
              HttpRequest.newBuilder(URI.create(url + "/teleop")).build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(page.statusCode()).isEqualTo(200);
      assertThat(page.body()).contains("<canvas id=\"scene\"");
      // what a form or a plain-text post of another site's page would send: refused
      HttpResponse<String> crossSite =
          http.send(
              HttpRequest.newBuilder(URI.create(base))
                  .POST(HttpRequest.BodyPublishers.ofString("{\"seed\": 1, \"operator\": \"x\"}"))
                  .header("Content-Type", "text/plain")
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(crossSite.statusCode()).isEqualTo(415);
      assertThat(crossSite.body()).contains("application/json");
      // a page whose own name was re-pointed at this machine (DNS rebinding): its Host is not ours
      String rebound =
          rawRequest(server.port(), "GET " + TeleopRoutes.SESSIONS + "/none", "evil.example");
      assertThat(rebound).startsWith("HTTP/1.1 403").contains("not this machine's loopback name");
      assertThat(rawRequest(server.port(), "GET " + TeleopRoutes.SESSIONS + "/none", "localhost:1"))
          .startsWith("HTTP/1.1 404");

      Reply started =
          call("POST", base, Map.of("seed", 3, "embodiment", "robot", "operator", "ada"));
      assertThat(started.status()).isEqualTo(201);
      JsonNode s = started.body();
      String id = s.get("session_id").asText();
      assertThat(s.get("operator").asText()).isEqualTo("ada");
      assertThat(s.get("block_parts")).hasSize(2);
      assertThat(s.get("goal").get("angle").asDouble()).isEqualTo(Math.PI / 4);
      assertThat(s.get("state").get("step").asInt())
          .as("nothing moves before the pointer")
          .isZero();

      // saving before any step is refused, and the session stays open
      Reply empty = call("POST", base + "/" + id + "/save", null);
      assertThat(empty.status()).isEqualTo(400);
      assertThat(empty.body().get("error").asText()).contains("no steps");

      long t0 = System.nanoTime();
      int steps = drive(base, id, 20);
      double seconds = (System.nanoTime() - t0) / 1e9;
      double rate = steps / seconds;
      System.out.printf("teleop: %d steps in %.2f s = %.1f Hz%n", steps, seconds, rate);
      assertThat(rate).as("the server's clock steps at 10 Hz").isBetween(6.0, 12.0);

      Reply saved = call("POST", base + "/" + id + "/save", null);
      assertThat(saved.status()).as(String.valueOf(saved.body())).isEqualTo(201);
      JsonNode ep = saved.body().get("episode");
      assertThat(ep.get("episode_index").asInt()).isZero();
      assertThat(ep.get("operator").asText()).isEqualTo("ada");
      int frames0 = ep.get("frames").asInt();
      assertThat(frames0).isGreaterThanOrEqualTo(steps);
      assertThat(call("POST", base + "/" + id + "/save", null).status())
          .as("a saved session is gone")
          .isEqualTo(404);

      // a second operator's episode is appended; a third is discarded
      String id2 =
          call("POST", base, Map.of("seed", 4, "operator", "bo")).body().get("session_id").asText();
      drive(base, id2, 12);
      Reply saved2 = call("POST", base + "/" + id2 + "/save", null);
      assertThat(saved2.status()).isEqualTo(201);
      assertThat(saved2.body().get("episode").get("episode_index").asInt()).isEqualTo(1);
      String id3 =
          call("POST", base, Map.of("seed", 5, "operator", "cy")).body().get("session_id").asText();
      drive(base, id3, 3);
      assertThat(call("POST", base + "/" + id3 + "/discard", null).status()).isEqualTo(204);

      // bad input: a clear 400 each
      Reply noOperator = call("POST", base, Map.of("seed", 1));
      assertThat(noOperator.status()).isEqualTo(400);
      assertThat(noOperator.body().get("error").asText()).contains("operator");
      Reply badEmbodiment =
          call("POST", base, Map.of("seed", 1, "embodiment", "tentacle", "operator", "ada"));
      assertThat(badEmbodiment.status()).isEqualTo(400);
      assertThat(badEmbodiment.body().get("error").asText()).contains("unknown embodiment");
      Reply badSeed = call("POST", base, Map.of("seed", -1, "operator", "ada"));
      assertThat(badSeed.status()).isEqualTo(400);
      assertThat(badSeed.body().get("error").asText()).contains("seed");
      Reply hugeSeed = call("POST", base, Map.of("seed", 1L << 40, "operator", "ada"));
      assertThat(hugeSeed.status()).isEqualTo(400);
      Reply badScene = call("POST", base, Map.of("seed", 1, "scene", "../etc", "operator", "ada"));
      assertThat(badScene.status()).isEqualTo(400);
      assertThat(badScene.body().get("error").asText()).contains("unknown scene");
      Reply badTarget = call("POST", base + "/" + id3 + "/target", Map.of("x", "left", "y", 1));
      assertThat(badTarget.status()).isEqualTo(404);

      // a hand episode cannot join this robot dataset
      String hand =
          call("POST", base, Map.of("seed", 6, "embodiment", "hand", "operator", "ada"))
              .body()
              .get("session_id")
              .asText();
      Reply badTarget2 = call("POST", base + "/" + hand + "/target", Map.of("x", "left", "y", 1));
      assertThat(badTarget2.status()).isEqualTo(400);
      drive(base, hand, 2);
      Reply mixed = call("POST", base + "/" + hand + "/save", null);
      assertThat(mixed.status()).isEqualTo(400);
      assertThat(mixed.body().get("error").asText()).contains("own dataset");
    }

    assertThat(DatasetValidation.validate(out, true)).isEmpty();
    try (LeRobotDataset ds = LeRobotDataset.open(out)) {
      assertThat(ds.version()).isEqualTo(CodebaseVersion.V3_0);
      assertThat(ds.fps()).isEqualTo(10);
      assertThat(ds.episodes()).hasSize(2);
      assertThat(ds.videoKeys()).containsExactly("observation.image");
      System.out.printf(
          "teleop dataset: %d episodes, %d frames%n",
          ds.episodes().size(), ds.info().totalFrames());
      // replayable: the stored actions from the recorded seed retrace the stored states exactly
      PushTEnv env = new PushTEnv(Scene.pushT(), Embodiment.RobotPusher.reference());
      env.reset(3);
      int n = ds.episodes().get(0).length();
      for (int t = 0; t < n; t++) {
        Row row = ds.row(0, t);
        assertThat(row.floats("observation.state"))
            .containsExactly((float) env.agentX(), (float) env.agentY());
        float[] a = row.floats("action");
        env.step(a[0], a[1]);
      }
    }
    TeleopDataset dataset = new TeleopDataset(out, VideoEncoding.AV1_LEROBOT);
    assertThat(dataset.records())
        .extracting(TeleopDataset.EpisodeRecord::operator)
        .containsExactly("ada", "bo");
    assertThat(dataset.records().get(0).seed()).isEqualTo(3);
    try (var files = Files.list(tmp)) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .as("no working folders left behind")
          .containsExactly("teleop-ds");
    }
  }

  @Test
  void theFleetServerServesTeleopToOperatorsOnly() throws Exception {
    try (FleetServer server =
        FleetServer.start(FleetServer.Config.of(0, tmp.resolve("data"), null))) {
      String url = "http://127.0.0.1:" + server.port(), base = url + TeleopRoutes.SESSIONS;
      String op = server.bootstrapToken();
      HttpResponse<String> page =
          http.send(
              HttpRequest.newBuilder(URI.create(url + "/teleop")).build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(page.statusCode()).isEqualTo(200);
      assertThat(page.headers().firstValue("Content-Security-Policy")).isPresent();
      assertThat(call("POST", base, Map.of("seed", 1, "operator", "ada")).status()).isEqualTo(401);
      Reply started = call("POST", base, Map.of("seed", 1, "operator", "ada"), op);
      assertThat(started.status()).isEqualTo(201);
      String id = started.body().get("session_id").asText();
      assertThat(call("POST", base + "/" + id + "/target", Map.of("x", 100, "y", 100), op).status())
          .isEqualTo(204);
      while (call("GET", base + "/" + id, null, op).body().get("step").asInt() < 3)
        Thread.sleep(50);
      Reply saved = call("POST", base + "/" + id + "/save", null, op);
      assertThat(saved.status()).isEqualTo(201);
      Path ds = tmp.resolve("data").resolve(FleetServer.TELEOP_DATASET);
      assertThat(saved.body().get("dataset").asText()).isEqualTo(ds.toAbsolutePath().toString());
      assertThat(DatasetValidation.validate(ds)).isEmpty();
    }
  }

  /** One HTTP/1.1 request with the given Host header (HttpClient will not send a forged one). */
  private static String rawRequest(int port, String requestLine, String host) throws Exception {
    try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port)) {
      socket.setSoTimeout(10_000);
      String req = requestLine + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n";
      socket.getOutputStream().write(req.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      return new String(
          socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    }
  }
}
