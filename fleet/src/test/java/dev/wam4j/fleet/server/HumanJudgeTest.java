package dev.wam4j.fleet.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wam4j.data.DataSets;
import dev.wam4j.data.video.VideoEncoding;
import dev.wam4j.eval.turing.PolicyTraces;
import dev.wam4j.eval.turing.PusherTrace;
import dev.wam4j.eval.turing.TuringTest;
import dev.wam4j.fleet.judge.HumanJudge;
import dev.wam4j.fleet.judge.JudgeSources;
import dev.wam4j.fleet.judge.Tally;
import dev.wam4j.fleet.teleop.Teleop;
import dev.wam4j.fleet.teleop.TeleopDataset;
import dev.wam4j.model.policy.ChunkPolicy;
import dev.wam4j.model.policy.Plan;
import dev.wam4j.sim.expert.PushExpert;
import dev.wam4j.sim.pusht.PushTEnv;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The human judge over HTTP: scripted judges answer pairs built from the shipped PushT sample, each
 * in their own order, with equally long clips and no word on whether an answer was right; the tally
 * follows, bad answers are refused with a reason, and what the page receives never says which clip
 * is the robot. A checkpoint's policy (here a stand-in) can be the robot.
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

  /**
   * Whether a clip is exactly {@code trace}, held on its last state for the rest of the clip (as
   * the shorter clip of a pair is).
   */
  static boolean shows(JsonNode clip, PusherTrace trace) {
    JsonNode poses = clip.get("poses");
    if (poses.size() < trace.length()) return false;
    for (int t = 0; t < poses.size(); t++) {
      int k = Math.min(t, trace.length() - 1);
      if (poses.get(t).get(0).asDouble() != trace.agentX()[k]
          || poses.get(t).get(1).asDouble() != trace.agentY()[k]
          || poses.get(t).get(2).asDouble() != trace.blockX()[k]
          || poses.get(t).get(4).asDouble() != trace.blockAngle()[k]) return false;
    }
    return true;
  }

  /** Whether a clip is exactly the person's demonstration of its pair. */
  static boolean isHuman(JsonNode clip, PusherTrace human) {
    return clip.get("poses").size() == human.length() && shows(clip, human);
  }

  @Test
  void scriptedJudgesAnswerAndTheTallyFollows() throws Exception {
    Path judgements = tmp.resolve("judgements.jsonl");
    List<PusherTrace> human = TuringTest.humanTraces(DataSets.pushTSample(), PAIRS);
    Teleop teleop =
        new Teleop(
            new TeleopDataset(tmp.resolve("teleop-ds"), VideoEncoding.AV1_LEROBOT), "pusht", null);
    HumanJudge judge =
        HumanJudge.of(HumanJudge.expertPairs(DataSets.pushTSample(), PAIRS), judgements, 0);
    try (TeleopServer server = TeleopServer.start(teleop, () -> judge, 0)) {
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
      List<Integer> adaOrder = judge.order("ada");
      for (int i = 0; i < PAIRS; i++) {
        Reply next = call("GET", base + "/next?judge=ada", null, null);
        assertThat(next.status()).isEqualTo(200);
        JsonNode n = next.body();
        int pair = n.get("pair").asInt();
        assertThat(pair).as("ada's own order").isEqualTo(adaOrder.get(i));
        assertThat(n.get("answered").asInt()).isEqualTo(i);
        assertThat(n.get("total").asInt()).isEqualTo(PAIRS);
        assertThat(n.get("block_parts")).hasSize(2);
        assertThat(n.get("left").get("poses").get(0)).hasSize(5);
        // the page is never told which is which, nor can it tell by the clips' lengths
        assertThat(next.text().toLowerCase()).doesNotContain("robot", "human", "pusher", "side");
        assertThat(n.get("left").get("poses").size())
            .isEqualTo(n.get("right").get("poses").size())
            .isEqualTo(human.get(pair).length());
        boolean leftHuman = isHuman(n.get("left"), human.get(pair));
        assertThat(leftHuman).isNotEqualTo(isHuman(n.get("right"), human.get(pair)));
        assertThat(shows(n.get(leftHuman ? "right" : "left"), judge.pairs().get(pair).robot()))
            .isTrue();
        // ada's own score is not hers to read before she is done: it would say if she was right
        assertThat(call("GET", base + "/tally?judge=ada", null, null).status()).isEqualTo(409);
        Reply a =
            call(
                "POST",
                base + "/answers",
                Map.of("judge", "ada", "pair", pair, "robot", leftHuman ? "right" : "left"),
                null);
        assertThat(a.status()).as(a.text()).isEqualTo(201);
        assertThat(a.body().get("answered").asInt()).isEqualTo(i + 1);
        // stored, and no word on whether it was right
        assertThat(a.body().has("correct")).isFalse();
        assertThat(a.text()).doesNotContain("tally", "correct", "accuracy");
      }
      Reply done = call("GET", base + "/next?judge=ada", null, null);
      assertThat(done.body().get("pair").isNull()).isTrue();
      assertThat(done.body().get("answered").asInt()).isEqualTo(PAIRS);
      JsonNode ada = call("GET", base + "/tally?judge=ada", null, null).body();
      assertThat(ada.get("human_accuracy").asDouble()).isEqualTo(1.0);
      assertThat(ada.get("human_accuracy_ci95").get(0).asDouble())
          .isEqualTo(Tally.wilson(PAIRS, PAIRS)[0]);

      // bob always says left: right about half the time, in an order of his own
      int bobRight = 0;
      List<Integer> bobPairs = new java.util.ArrayList<>();
      for (int i = 0; i < PAIRS; i++) {
        JsonNode n = call("GET", base + "/next?judge=bob", null, null).body();
        int pair = n.get("pair").asInt();
        bobPairs.add(pair);
        Reply a =
            call(
                "POST",
                base + "/answers",
                Map.of("judge", "bob", "pair", pair, "robot", "left"),
                null);
        assertThat(a.status()).isEqualTo(201);
        if (!isHuman(n.get("left"), human.get(pair))) bobRight++;
      }
      assertThat(bobPairs).isEqualTo(judge.order("bob"));
      JsonNode bob = call("GET", base + "/tally?judge=bob", null, null).body();
      assertThat(bob.get("human_correct").asInt()).isEqualTo(bobRight);
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
      int cy = call("GET", base + "/next?judge=cy", null, null).body().get("pair").asInt();
      Reply early = call("GET", base + "/tally?judge=cy", null, null);
      assertThat(early.status()).isEqualTo(409);
      assertThat(early.body().get("error").asText()).contains("once every pair is answered");
      Reply odd =
          call("POST", base + "/answers", Map.of("judge", "cy", "pair", cy, "robot", "both"), null);
      assertThat(odd.status()).isEqualTo(400);
      assertThat(odd.body().get("error").asText()).contains("\"left\" or \"right\"");
      // everyone's tally counts finished judges only: cy's answers cannot be read back one by one
      call("POST", base + "/answers", Map.of("judge", "cy", "pair", cy, "robot", "left"), null);
      assertThat(call("GET", base + "/tally", null, null).body().get("human_judgements").asInt())
          .isEqualTo(2 * PAIRS);
      Reply nameless = call("GET", base + "/next?judge=", null, null);
      assertThat(nameless.status()).isEqualTo(400);
      assertThat(nameless.body().get("error").asText()).contains("name is required");
      Reply unknown =
          call("POST", base + "/answers", Map.of("judge", "cy", "pair", 99, "robot", "left"), null);
      assertThat(unknown.status()).isEqualTo(404);
    }
  }

  /** A stand-in for a checkpoint's policy: heads for the middle, two actions per plan, 16 px. */
  static final class TowardsTheMiddle implements ChunkPolicy {
    boolean closed;

    @Override
    public int historyFrames() {
      return 2;
    }

    @Override
    public int imageSize() {
      return 16;
    }

    @Override
    public int executeSteps() {
      return 2;
    }

    @Override
    public void reset(long seed) {}

    @Override
    public Plan plan(byte[] images, float[] agentPositions, boolean dream) {
      return new Plan(new float[] {256, 256, 256, 256}, 2, new byte[0], new int[0], 0);
    }

    @Override
    public void close() {
      closed = true;
    }
  }

  @Test
  void aCheckpointsPolicyIsTheRobotItsClipsBuiltAheadWithProgress() throws Exception {
    Path judgements = tmp.resolve("judgements.jsonl");
    int pairs = 3;
    List<PusherTrace> human = TuringTest.humanTraces(DataSets.pushTSample(), pairs);
    List<Integer> progress = new CopyOnWriteArrayList<>();
    CountDownLatch go = new CountDownLatch(1);
    Callable<HumanJudge> source =
        JudgeSources.ahead(
            () -> {
              assertThat(go.await(60, TimeUnit.SECONDS)).isTrue();
              try (TowardsTheMiddle policy = new TowardsTheMiddle()) {
                return HumanJudge.of(
                    HumanJudge.policyPairs(
                        DataSets.pushTSample(), pairs, policy, (done, total) -> progress.add(done)),
                    "stand-in",
                    judgements,
                    0);
              }
            },
            () -> progress.size() + " of " + pairs + " clips done");
    Teleop teleop =
        new Teleop(
            new TeleopDataset(tmp.resolve("teleop-ds"), VideoEncoding.AV1_LEROBOT), "pusht", null);
    PolicyTraces same = new PolicyTraces(new TowardsTheMiddle());
    PushTEnv env = PushTEnv.reference();
    PushExpert expert = PushExpert.of(env);
    try (TeleopServer server = TeleopServer.start(teleop, source, 0)) {
      String base = "http://127.0.0.1:" + server.port() + JudgeRoutes.BASE;
      // while the clips are computed, a judge is told so at once, not held
      Reply early = call("GET", base + "/next?judge=ada", null, null);
      assertThat(early.status()).isEqualTo(503);
      assertThat(early.body().get("error").asText())
          .contains("still being computed (0 of 3 clips done)");
      go.countDown();
      long until = System.nanoTime() + 60_000_000_000L;
      while (call("GET", base + "/tally", null, null).status() == 503 && System.nanoTime() < until)
        Thread.sleep(50);
      assertThat(progress).containsExactly(1, 2, 3);
      for (int i = 0; i < pairs; i++) {
        JsonNode n = call("GET", base + "/next?judge=ada", null, null).body();
        int pair = n.get("pair").asInt();
        PusherTrace h = human.get(pair);
        PusherTrace robot = same.trace(h.seed(), h.length());
        assertThat(robot).isNotEqualTo(TuringTest.expertTrace(env, expert, h.seed(), h.length()));
        boolean leftHuman = isHuman(n.get("left"), h);
        assertThat(shows(n.get(leftHuman ? "right" : "left"), robot))
            .as("the robot's clip is the policy's episode from the pair's start")
            .isTrue();
        assertThat(n.get("left").get("poses").size()).isEqualTo(n.get("right").get("poses").size());
        Reply a =
            call(
                "POST",
                base + "/answers",
                Map.of("judge", "ada", "pair", pair, "robot", "left"),
                null);
        assertThat(a.status()).as(a.text()).isEqualTo(201);
      }
    }
    assertThat(Files.readAllLines(judgements))
        .hasSize(pairs)
        .allMatch(l -> l.contains("\"robot\":\"stand-in\""));
  }

  @Test
  void aCheckpointThatCannotBeLoadedLeavesTheJudgeUnavailableWithTheReason() throws Exception {
    Path missing = tmp.resolve("no-such-checkpoint");
    Teleop teleop =
        new Teleop(
            new TeleopDataset(tmp.resolve("teleop-ds"), VideoEncoding.AV1_LEROBOT), "pusht", null);
    try (TeleopServer server =
        TeleopServer.start(teleop, TeleopServer.judge(tmp.resolve("j.jsonl"), missing, null), 0)) {
      String base = "http://127.0.0.1:" + server.port() + JudgeRoutes.BASE;
      // the load runs in the background: until it has failed, the judge is "still being computed"
      Reply r = call("GET", base + "/next?judge=ada", null, null);
      long until = System.nanoTime() + 60_000_000_000L;
      while (r.text().contains("still being computed") && System.nanoTime() < until) {
        Thread.sleep(20);
        r = call("GET", base + "/next?judge=ada", null, null);
      }
      assertThat(r.status()).isEqualTo(503);
      assertThat(r.body().get("error").asText())
          .contains("the human judge is unavailable")
          .contains("no-such-checkpoint");
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
