package dev.wam4j.fleet.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A client given several servers sends to the next when one gives no reply, and only then. */
class FleetClientFailoverTest {
  private HttpServer live;
  private final AtomicInteger served = new AtomicInteger();

  @AfterEach
  void stop() {
    if (live != null) live.stop(0);
  }

  private String startLive(int status) throws Exception {
    live = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    live.createContext(
        "/",
        ex -> {
          served.incrementAndGet();
          byte[] body =
              ("{\"seq\": 1, \"path\": \"" + ex.getRequestURI().getPath() + "\"}")
                  .getBytes(StandardCharsets.UTF_8);
          ex.getResponseHeaders().add("Content-Type", "application/json");
          ex.sendResponseHeaders(status, body.length);
          ex.getResponseBody().write(body);
          ex.close();
        });
    live.start();
    return "http://127.0.0.1:" + live.getAddress().getPort();
  }

  private static String deadServer() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return "http://127.0.0.1:" + s.getLocalPort(); // closed again: connections are refused
    }
  }

  /** A server that accepts one connection, reads the request's first byte and dies silently. */
  private static Thread takeOneRequestAndDie(ServerSocket mute) {
    return Thread.ofVirtual()
        .start(
            () -> {
              try (Socket s = mute.accept()) {
                s.getInputStream().read();
              } catch (java.io.IOException ignored) {
                // the test's end
              }
            });
  }

  @Test
  void aRefusedConnectionGoesToTheNextServerWhichStaysCurrent() throws Exception {
    String dead = deadServer(), up = startLive(200);
    FleetClient c = new FleetClient(dead + "," + up, "t");
    assertThat(c.post("/api/v1/robots/r/state", "{}").get("path").asText())
        .isEqualTo("/api/v1/robots/r/state");
    assertThat(c.server()).isEqualTo(URI.create(up + "/"));
    assertThat(c.get("/api/v1/health").get("seq").asInt()).isEqualTo(1);
    assertThat(served).hasValue(2);
  }

  @Test
  void aServerThatDropsTheConnectionWithoutAReplyIsFailedOver() throws Exception {
    try (ServerSocket mute = new ServerSocket(0)) {
      Thread dropper = takeOneRequestAndDie(mute);
      String up = startLive(200);
      FleetClient c = new FleetClient("http://127.0.0.1:" + mute.getLocalPort() + "," + up, null);
      assertThat(c.post("/api/v1/tasks/1/result", "{}")).isNotNull();
      assertThat(c.server()).isEqualTo(URI.create(up + "/"));
      dropper.join();
    }
  }

  @Test
  void aWriteThatMayHaveBeenAppliedIsReportedNotSentToAnotherServer() throws Exception {
    try (ServerSocket mute = new ServerSocket(0)) {
      Thread dropper = takeOneRequestAndDie(mute);
      String up = startLive(200);
      FleetClient c = new FleetClient("http://127.0.0.1:" + mute.getLocalPort() + "," + up, "t");
      assertThatThrownBy(() -> c.postMarkdown("/api/v1/jobs", "# A job\n## Push\n"))
          .hasMessageContaining("POST /api/v1/jobs: no reply from")
          .hasMessageContaining("may have been applied there");
      assertThat(served).as("not sent to the other server").hasValue(0);
      dropper.join();
    }
  }

  @Test
  void onlyWritesThatDoNoHarmTwiceAreRepeatable() {
    assertThat(FleetClient.repeatable("POST", "/api/v1/robots/r-1/state")).isTrue();
    assertThat(FleetClient.repeatable("POST", "/api/v1/robots/r-1/tasks/next")).isTrue();
    assertThat(FleetClient.repeatable("POST", "/api/v1/tasks/7/result")).isTrue();
    assertThat(FleetClient.repeatable("PUT", "/api/v1/uploads/u-1")).isTrue();
    assertThat(FleetClient.repeatable("POST", "/api/v1/jobs")).isFalse();
    assertThat(FleetClient.repeatable("POST", "/api/v1/robots")).isFalse();
    assertThat(FleetClient.repeatable("POST", "/api/v1/robots/r-1/connection")).isFalse();
    assertThat(FleetClient.repeatable("POST", "/api/v1/robots/r-1/alerts")).isFalse();
  }

  @Test
  void aServersRefusalIsAnAnswerNotAFailover() throws Exception {
    String refusing = startLive(500);
    HttpServer first = live;
    AtomicInteger firstServed = new AtomicInteger(served.get());
    live = null;
    String other = startLive(200);
    try {
      FleetClient c = new FleetClient(refusing + "," + other, "t");
      assertThatThrownBy(() -> c.get("/api/v1/jobs"))
          .isInstanceOf(FleetClient.ApiError.class)
          .hasMessageContaining("500");
      assertThat(c.server()).isEqualTo(URI.create(refusing + "/"));
      assertThat(served.get() - firstServed.get()).as("one request, to the first server").isOne();
    } finally {
      first.stop(0);
    }
  }

  @Test
  void whenNoServerAnswersTheErrorNamesThemAll() throws Exception {
    String a = deadServer(), b = deadServer();
    FleetClient c = new FleetClient(a + ", " + b, "t");
    assertThatThrownBy(() -> c.get("/api/v1/jobs"))
        .isInstanceOf(ConnectException.class)
        .hasMessageContaining("any of the fleet servers")
        .hasMessageContaining(a + "/")
        .hasMessageContaining(b + "/");
  }

  @Test
  void aBadUrlInTheListIsNamed() {
    assertThatThrownBy(() -> new FleetClient("http://a:1,ftp://b:2", "t"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'ftp://b:2'");
    assertThatThrownBy(() -> new FleetClient("http://a:1,", "t"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("got ''");
  }
}
