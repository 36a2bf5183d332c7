package dev.wam4j.fleet.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wam4j.fleet.store.TestPostgres;
import java.nio.charset.StandardCharsets;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * How an event is cut into NOTIFY payloads, and many events from one relay reaching another in
 * order (the servers' own paths are in {@link FleetServersOnOnePostgresTest}).
 */
class PostgresNotifyTest {
  @Test
  void manyEventsOfOneRelayReachAnotherOnceEachAndInOrder() throws Exception {
    String url = TestPostgres.newDatabase();
    int n = 8_000; // at once, so fewer than the outbox holds (10,000; beyond it events are dropped)
    List<String> received = Collections.synchronizedList(new ArrayList<>());
    CountDownLatch all = new CountDownLatch(n);
    EventHub hubB = new EventHub(n);
    hubB.subscribe(
        new EventHub.Subscriber() {
          @Override
          public void send(String event, String data) {
            received.add(data);
            all.countDown();
          }

          @Override
          public void close() {}
        });
    PostgresNotify b = new PostgresNotify(() -> DriverManager.getConnection(url), hubB);
    try (PostgresNotify a =
        new PostgresNotify(() -> DriverManager.getConnection(url), new EventHub(1))) {
      long start = System.nanoTime();
      // a telemetry-sized event, every other one a duplicate of the one before
      for (int i = 0; i < n; i++)
        a.publish("state", "{\"seq\": " + (i / 2) + ", \"pad\": \"" + "p".repeat(200) + "\"}");
      assertThat(all.await(60, TimeUnit.SECONDS)).as("all %d events within 60 s", n).isTrue();
      System.out.printf(
          "PostgresNotifyTest: %d events of ~230 bytes relayed in %.2f s%n",
          n, (System.nanoTime() - start) / 1e9);
    } finally {
      b.close();
      hubB.close();
    }
    assertThat(received).hasSize(n);
    for (int i = 0; i < n; i++)
      assertThat(received.get(i)).as("event %d", i).startsWith("{\"seq\": " + (i / 2) + ",");
  }

  @Test
  void aGapInAServersEventsEndsTheStreamsSoTheirClientsReSync() throws Exception {
    String url = TestPostgres.newDatabase();
    CountDownLatch closed = new CountDownLatch(1);
    List<String> received = Collections.synchronizedList(new ArrayList<>());
    EventHub hub = new EventHub(100);
    hub.subscribe(
        new EventHub.Subscriber() {
          @Override
          public void send(String event, String data) {
            received.add(data);
          }

          @Override
          public void close() {
            closed.countDown();
          }
        });
    PostgresNotify relay = new PostgresNotify(() -> DriverManager.getConnection(url), hub);
    try (var c = DriverManager.getConnection(url);
        var st = c.createStatement()) {
      long deadline = System.nanoTime() + 30_000_000_000L;
      // events 1, 2, ... of a server "other" until the relay listens and gets some (in order: no
      // gap); then one that skips a number: an event went missing
      int seq = 0;
      while (received.isEmpty() && System.nanoTime() < deadline) {
        seq++;
        st.execute(
            "SELECT pg_notify('"
                + PostgresNotify.CHANNEL
                + "', E'other "
                + seq
                + " 0 1 state\\n{}')");
        Thread.sleep(50);
      }
      Thread.sleep(200);
      assertThat(received).isNotEmpty();
      assertThat(closed.getCount()).as("no gap yet").isEqualTo(1);
      st.execute(
          "SELECT pg_notify('"
              + PostgresNotify.CHANNEL
              + "', E'other "
              + (seq + 2)
              + " 0 1 state\\n{}')");
      assertThat(closed.await(30, TimeUnit.SECONDS)).as("the stream ended to re-sync").isTrue();
    } finally {
      relay.close();
      hub.close();
    }
  }

  @Test
  void partsStayUnderTheByteLimitNeverSplitACharacterAndJoinToTheEvent() {
    // one-, two-, three- and four-byte characters, so that part ends fall inside each kind
    String data = "a é € 😀".repeat(3_001);
    for (int limit : new int[] {4, 5, 7, 100, PostgresNotify.PART_BYTES}) {
      List<String> parts = PostgresNotify.parts(data, limit);
      assertThat(String.join("", parts)).as("limit %d", limit).isEqualTo(data);
      for (String p : parts) {
        assertThat(p.getBytes(StandardCharsets.UTF_8).length).isBetween(1, limit);
        assertThat(Character.isLowSurrogate(p.charAt(0))).as("starts inside a character").isFalse();
      }
    }
    assertThat(PostgresNotify.parts("", 10)).containsExactly("");
  }

  @Test
  void everyPayloadFitsANotificationAndTwoEqualEventsGetDifferentPayloads() {
    String big = "x".repeat(3 * PostgresNotify.PART_BYTES + 1);
    List<String> payloads = PostgresNotify.payloads("0123456789abcdef", 7, "robots", big);
    assertThat(payloads).hasSize(4);
    assertThat(payloads.get(0)).startsWith("0123456789abcdef 7 0 4 robots\n");
    assertThat(payloads.get(3)).startsWith("0123456789abcdef 7 3 4 robots\n");
    for (String p : payloads)
      assertThat(p.getBytes(StandardCharsets.UTF_8).length).isLessThan(8000);
    // PostgreSQL folds identical payloads of one transaction into one notification
    assertThat(PostgresNotify.payloads("s", 1, "robot", "{}"))
        .doesNotContainAnyElementsOf(PostgresNotify.payloads("s", 2, "robot", "{}"));
  }
}
