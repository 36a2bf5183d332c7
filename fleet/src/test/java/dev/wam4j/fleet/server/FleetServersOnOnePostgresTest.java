package dev.wam4j.fleet.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wam4j.fleet.store.TestPostgres;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two servers on one PostgreSQL database, as two processes would run (each its own port, data
 * folder, connection pool and LISTEN session): live events published by one reach the event-stream
 * clients of both, once each and in the same order, whatever their size, and after the LISTEN
 * connection was killed.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS) // a hang fails its test, not the whole build
class FleetServersOnOnePostgresTest {
  @TempDir Path dataA;
  @TempDir Path dataB;
  String dbUrl;
  FleetServer a;
  FleetServer b;
  String operator;
  final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  final ObjectMapper json = new ObjectMapper();
  final List<EventStream> streams = new ArrayList<>();

  @BeforeEach
  void start() throws Exception {
    dbUrl = TestPostgres.newDatabase();
    a = FleetServer.start(FleetServer.Config.of(0, dataA, dbUrl));
    b = FleetServer.start(FleetServer.Config.of(0, dataB, dbUrl));
    // the first server made the operator token; the second found one in the database
    operator = Files.readString(dataA.resolve(FleetServer.OPERATOR_TOKEN_FILE)).strip();
    assertThat(b.bootstrapToken()).isNull();
  }

  @AfterEach
  void stop() {
    streams.forEach(EventStream::close);
    if (a != null) a.close();
    if (b != null) b.close();
  }

  @Test
  void clientsOfBothServersSeeEveryEventOfOneOnceAndInTheSameOrder() throws Exception {
    EventStream onA = subscribe(a);
    EventStream onB = subscribe(b);
    JsonNode robot = post(a, "/api/v1/robots", operator, "{\"name\": \"r1\"}");
    String id = robot.get("robot_id").asText();
    String token = robot.get("token").asText();
    post(a, "/api/v1/robots/" + id + "/connection", token, "{\"embodiment\": \"robot\"}");
    assertThat(
            onB.next("robot", d -> d.get("state").asText().equals("idle")).get("robot_id").asText())
        .isEqualTo(id);
    post(a, "/api/v1/robots/" + id + "/state", token, "{\"seq\": 1, \"state\": \"idle\"}");
    JsonNode state = onB.next("state", d -> true);
    assertThat(state.get("robot_id").asText()).isEqualTo(id);
    assertThat(state.get("seq").asLong()).isEqualTo(1);
    // a job and its claim through A: B's client sees the task assigned to the robot
    call(a, "POST", "/api/v1/jobs", operator, "# J\n## Push\n- count: 1\n", "text/markdown");
    JsonNode task = post(a, "/api/v1/robots/" + id + "/tasks/next", token, null);
    JsonNode taskEvent = onB.next("task", d -> true);
    assertThat(taskEvent.get("task_id").asLong()).isEqualTo(task.get("id").asLong());
    assertThat(taskEvent.get("robot_id").asText()).isEqualTo(id);
    assertThat(taskEvent.get("status").asText()).isEqualTo("assigned");
    // the next state event is the next message, not the first one again
    post(a, "/api/v1/robots/" + id + "/state", token, "{\"seq\": 2, \"state\": \"busy\"}");
    assertThat(onB.next("state", d -> true).get("seq").asLong()).isEqualTo(2);
    // an event published by B reaches A's client too, behind everything A published before
    post(b, "/api/v1/robots/" + id + "/alerts", token, "{\"kind\": \"end\", \"message\": \"m\"}");
    onA.next("alert", d -> true);
    onB.next("alert", d -> true);
    assertThat(onA.seen)
        .as("the same events, once each, in the same order on both servers")
        .isEqualTo(onB.seen)
        .extracting(EventStream.Event::name)
        .containsExactly("hello", "robot", "robot", "state", "job", "task", "state", "alert");
  }

  @Test
  void anEventOverThePayloadLimitOfNotifyReachesTheOtherServerWhole() throws Exception {
    EventStream onB = subscribe(b);
    JsonNode robot = post(a, "/api/v1/robots", operator, "{\"name\": \"r1\"}");
    String id = robot.get("robot_id").asText();
    String token = robot.get("token").asText();
    // 65,000 bytes in UTF-8, of one-, two- and four-byte characters: nine notifications
    String note = "plain é😀 ".repeat(5_000);
    String body =
        json.writeValueAsString(
            json.createObjectNode().put("seq", 1).put("state", "idle").put("note", note));
    assertThat(body.getBytes(StandardCharsets.UTF_8).length).isGreaterThan(60_000);
    post(a, "/api/v1/robots/" + id + "/state", token, body);
    JsonNode state = onB.next("state", d -> true);
    assertThat(state.get("note").asText()).isEqualTo(note);
    assertThat(state.get("robot_id").asText()).isEqualTo(id);
  }

  @Test
  void theServersListenAgainAfterTheirDatabaseConnectionsAreTerminated() throws Exception {
    EventStream before = subscribe(b);
    JsonNode robot = post(a, "/api/v1/robots", operator, "{\"name\": \"r1\"}");
    String id = robot.get("robot_id").asText();
    String token = robot.get("token").asText();
    before.next("robot", d -> true); // A has sent an event, so its NOTIFY session is open
    try (Connection c = DriverManager.getConnection(dbUrl);
        Statement s = c.createStatement();
        ResultSet r =
            s.executeQuery(
                "SELECT application_name, pg_terminate_backend(pid) FROM pg_stat_activity"
                    + " WHERE datname = current_database() AND application_name LIKE '"
                    + PostgresNotify.APPLICATION
                    + "%'")) {
      List<String> terminated = new ArrayList<>();
      while (r.next()) if (r.getBoolean(2)) terminated.add(r.getString(1).split(" ")[3]);
      // B has sent nothing yet (its sending session opens on first use)
      assertThat(terminated).containsExactlyInAnyOrder("listen", "listen", "notify");
    }
    // listening again, B ends its streams: events sent meanwhile are lost, its clients re-sync
    assertThat(before.ended()).as("B's stream ended once B listened again").isTrue();
    EventStream after = subscribe(b);
    post(a, "/api/v1/robots/" + id + "/state", token, "{\"seq\": 1, \"state\": \"idle\"}");
    assertThat(after.next("state", d -> true).get("robot_id").asText()).isEqualTo(id);
    assertThat(((PostgresNotify) b.eventBus().relay()).reconnects()).isEqualTo(1);
  }

  /** An event stream of {@code server}, subscribed when this returns. */
  EventStream subscribe(FleetServer server) throws Exception {
    int before = server.eventListeners();
    EventStream s = new EventStream(server.port());
    streams.add(s);
    waitFor(() -> server.eventListeners() == before + 1, "the stream subscribed");
    return s;
  }

  static void waitFor(BooleanSupplier condition, String what) throws InterruptedException {
    for (long until = System.nanoTime() + 20_000_000_000L;
        !condition.getAsBoolean() && System.nanoTime() < until; ) Thread.sleep(5);
    assertThat(condition.getAsBoolean()).as(what).isTrue();
  }

  JsonNode call(
      FleetServer server, String method, String path, String token, String body, String type)
      throws Exception {
    HttpRequest.Builder r =
        HttpRequest.newBuilder(URI.create("http://localhost:" + server.port() + path))
            .timeout(Duration.ofSeconds(10))
            .header("Authorization", "Bearer " + token)
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    if (type != null) r.header("Content-Type", type);
    HttpResponse<String> res = http.send(r.build(), HttpResponse.BodyHandlers.ofString());
    assertThat(res.statusCode()).as(method + " " + path + ": " + res.body()).isBetween(200, 299);
    return res.body().isEmpty() ? null : json.readTree(res.body());
  }

  JsonNode post(FleetServer server, String path, String token, String body) throws Exception {
    return call(server, "POST", path, token, body, "application/json");
  }

  /** A client of a server's live events: every event it received, in order. */
  final class EventStream implements AutoCloseable {
    record Event(String name, String data) {}

    private static final Event END = new Event("", "");
    final List<Event> seen = new ArrayList<>();
    private final BlockingQueue<Event> queue = new LinkedBlockingQueue<>();
    private final InputStream body;
    private final Thread reader;

    EventStream(int port) throws Exception {
      HttpRequest r =
          HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/v1/events"))
              .header("Authorization", "Bearer " + operator)
              .header("Accept", "text/event-stream")
              .timeout(Duration.ofSeconds(20)) // until the headers arrive
              .build();
      HttpResponse<InputStream> res = http.send(r, HttpResponse.BodyHandlers.ofInputStream());
      assertThat(res.statusCode()).isEqualTo(200);
      body = res.body();
      reader = Thread.ofVirtual().start(this::read);
    }

    private void read() {
      try (BufferedReader in =
          new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
        String name = null;
        StringBuilder data = new StringBuilder();
        for (String line = in.readLine(); line != null; line = in.readLine()) {
          if (line.startsWith("event: ")) name = line.substring(7);
          else if (line.startsWith("data: ")) data.append(line.substring(6));
          else if (line.isEmpty() && name != null) {
            queue.add(new Event(name, data.toString()));
            name = null;
            data.setLength(0);
          }
        }
      } catch (java.io.IOException e) {
        // closed
      } finally {
        queue.add(END);
      }
    }

    /** The data of the next event named {@code name} that matches (earlier ones are kept). */
    JsonNode next(String name, Predicate<JsonNode> matches) throws Exception {
      for (long until = System.nanoTime() + 20_000_000_000L; ; ) {
        Event e = queue.poll(until - System.nanoTime(), TimeUnit.NANOSECONDS);
        assertThat(e).as("an event " + name + " within 20 s; received " + seen).isNotNull();
        assertThat(e).as("the stream ended before an event " + name).isNotSameAs(END);
        seen.add(e);
        if (e.name().equals(name)) {
          JsonNode d = json.readTree(e.data());
          if (matches.test(d)) return d;
        }
      }
    }

    /** Whether the stream ends within 20 s. */
    boolean ended() throws InterruptedException {
      for (long until = System.nanoTime() + 20_000_000_000L; ; ) {
        Event e = queue.poll(until - System.nanoTime(), TimeUnit.NANOSECONDS);
        if (e == null) return false;
        if (e == END) return true;
        seen.add(e);
      }
    }

    @Override
    public void close() {
      try {
        body.close();
      } catch (java.io.IOException e) {
        // already closed
      }
      reader.interrupt();
    }
  }
}
