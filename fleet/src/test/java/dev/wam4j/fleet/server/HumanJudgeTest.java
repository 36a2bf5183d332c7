package dev.wam4j.fleet.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wam4j.data.DataSets;
import dev.wam4j.data.video.VideoEncoding;
import dev.wam4j.eval.turing.PusherTrace;
import dev.wam4j.eval.turing.TuringTest;
import dev.wam4j.fleet.judge.HumanJudge;
import dev.wam4j.fleet.judge.Tally;
import dev.wam4j.fleet.teleop.Teleop;
import dev.wam4j.fleet.teleop.TeleopDataset;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The human judge over HTTP: scripted judges answer pairs built from the shipped PushT sample, the
 * tally follows, bad answers are refused with a reason, and what the page receives never says which
 * clip is the robot.
 */
class HumanJudgeTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final int PAIRS = 4;
  final HttpClient http = HttpClient.newHttpClient();
  @TempDir Path tmp;

  record Reply(int status, JsonNode body, String text) {}

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
    return new Reply(r.statusCode(), r.body().isEmpty() ? null : JSON.readTree(r.body()), r.body());
  }

  /** Whether a clip is exactly the person's demonstration of its pair. */
  static boolean isHuman(JsonNode clip, PusherTrace human) {
    JsonNode poses = clip.get("poses");
    if (poses.size() != human.length()) return false;
    for (int t = 0; t < human.length(); t++)
      if (poses.get(t).get(0).asDouble() != human.agentX()[t]
          || poses.get(t).get(1).asDouble() != human.agentY()[t]) return false;
    return true;
  }

  @Test
  void scriptedJudgesAnswerAndTheTallyFollows() throws Exception {
    Path judgements = tmp.resolve("judgements.jsonl");
    List<PusherTrace> human = TuringTest.humanTraces(DataSets.pushTSample(), PAIRS);
    Teleop teleop =
        new Teleop(
            new TeleopDataset(tmp.resolve("teleop-ds"), VideoEncoding.AV1_LEROBOT), "pusht", null);
    try (TeleopServer server =
        TeleopServer.start(
            teleop,
            () ->
                HumanJudge.of(HumanJudge.expertPairs(DataSets.pushTSample(), PAIRS), judgements, 0),
            0)) {
      String url = "http://127.0.0.1:" + server.port(), base = url + JudgeRoutes.BASE;
      HttpResponse<String> page =
          http.send(
              HttpRequest.newBuilder(URI.create(url + "/judge")).build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(page.statusCode()).isEqualTo(200);
      assertThat(page.body()).contains("<canvas id=\"left\"").contains("right is the robot");
      assertThat(page.headers().firstValue("Content-Security-Policy")).isPresent();

      Reply empty = call("GET", base + "/tally", null, null);
      assertThat(empty.body().get("human_judgements").asInt()).isZero();
      assertThat(empty.body().get("human_accuracy").isNull()).isTrue();
      assertThat(empty.body().get("verdict").asText()).isEqualTo(Tally.NOT_ENOUGH);

      // ada is always right, telling the robot by comparing with the demonstrations she knows
      for (int i = 0; i < PAIRS; i++) {
        Reply next = call("GET", base + "/next?judge=ada", null, null);
        assertThat(next.status()).isEqualTo(200);
        JsonNode n = next.body();
        assertThat(n.get("pair").asInt()).isEqualTo(i);
        assertThat(n.get("answered").asInt()).isEqualTo(i);
        assertThat(n.get("total").asInt()).isEqualTo(PAIRS);
        assertThat(n.get("block_parts")).hasSize(2);
        assertThat(n.get("left").get("poses").get(0)).hasSize(5);
        // the page is never told which is which
        assertThat(next.text().toLowerCase()).doesNotContain("robot", "human", "pusher", "side");
        boolean leftHuman = isHuman(n.get("left"), human.get(i));
        assertThat(leftHuman).isNotEqualTo(isHuman(n.get("right"), human.get(i)));
        Reply a =
            call(
                "POST",
                base + "/answers",
                Map.of("judge", "ada", "pair", i, "robot", leftHuman ? "right" : "left"),
                null);
        assertThat(a.status()).as(a.text()).isEqualTo(201);
        assertThat(a.body().get("correct").asBoolean()).isTrue();
        assertThat(a.body().get("tally").get("human_judgements").asInt()).isEqualTo(i + 1);
      }
      Reply done = call("GET", base + "/next?judge=ada", null, null);
      assertThat(done.body().get("pair").isNull()).isTrue();
      assertThat(done.body().get("answered").asInt()).isEqualTo(PAIRS);
      JsonNode ada = call("GET", base + "/tally?judge=ada", null, null).body();
      assertThat(ada.get("human_accuracy").asDouble()).isEqualTo(1.0);
      assertThat(ada.get("human_accuracy_ci95").get(0).asDouble())
          .isEqualTo(Tally.wilson(PAIRS, PAIRS)[0]);

      // bob always says left: right about half the time
      int bobRight = 0;
      for (int i = 0; i < PAIRS; i++) {
        JsonNode n = call("GET", base + "/next?judge=bob", null, null).body();
        Reply a =
            call(
                "POST",
                base + "/answers",
                Map.of("judge", "bob", "pair", i, "robot", "left"),
                null);
        if (a.body().get("correct").asBoolean()) bobRight++;
        assertThat(a.body().get("correct").asBoolean())
            .isEqualTo(!isHuman(n.get("left"), human.get(i)));
      }
      JsonNode all = call("GET", base + "/tally", null, null).body();
      assertThat(all.get("human_judgements").asInt()).isEqualTo(2 * PAIRS);
      assertThat(all.get("human_correct").asInt()).isEqualTo(PAIRS + bobRight);
      assertThat(all.get("judges").asInt()).isEqualTo(2);
      assertThat(all.get("verdict").asText())
          .isEqualTo(Tally.of(2 * PAIRS, PAIRS + bobRight, 2).verdict());
      assertThat(Files.readAllLines(judgements)).hasSize(2 * PAIRS);

      // bad input: a clear 4xx with the reason
      Reply again =
          call("POST", base + "/answers", Map.of("judge", "ada", "pair", 0, "robot", "left"), null);
      assertThat(again.status()).isEqualTo(409);
      assertThat(again.body().get("error").asText()).contains("already answered");
      call("GET", base + "/next?judge=cy", null, null);
      Reply odd =
          call("POST", base + "/answers", Map.of("judge", "cy", "pair", 0, "robot", "both"), null);
      assertThat(odd.status()).isEqualTo(400);
      assertThat(odd.body().get("error").asText()).contains("\"left\" or \"right\"");
      Reply nameless = call("GET", base + "/next?judge=", null, null);
      assertThat(nameless.status()).isEqualTo(400);
      assertThat(nameless.body().get("error").asText()).contains("name is required");
      Reply unknown =
          call("POST", base + "/answers", Map.of("judge", "cy", "pair", 99, "robot", "left"), null);
      assertThat(unknown.status()).isEqualTo(404);
    }
  }

  @Test
  void theFleetServerServesTheJudgeToOperatorsOnly() throws Exception {
    try (FleetServer server =
        FleetServer.start(FleetServer.Config.of(0, tmp.resolve("data"), null))) {
      String url = "http://127.0.0.1:" + server.port(), base = url + JudgeRoutes.BASE;
      HttpResponse<String> page =
          http.send(
              HttpRequest.newBuilder(URI.create(url + "/judge")).build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(page.statusCode()).isEqualTo(200);
      assertThat(call("GET", base + "/tally", null, null).status()).isEqualTo(401);
      Reply tally = call("GET", base + "/tally", null, server.bootstrapToken());
      assertThat(tally.status()).as(tally.text()).isEqualTo(200);
      assertThat(tally.body().get("verdict").asText()).isEqualTo(Tally.NOT_ENOUGH);
    }
  }
}
