package dev.wam4j.fleet.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A listener that stops reading delays no one else and is dropped once it falls too far behind. */
class EventHubTest {
  @Test
  void aStalledListenerDoesNotDelayTheOthersAndIsDroppedWhenItsQueueFills() throws Exception {
    CountDownLatch never = new CountDownLatch(1),
        stalledClosed = new CountDownLatch(1),
        gotAlert = new CountDownLatch(1);
    List<String> received = new CopyOnWriteArrayList<>();
    try (EventHub hub = new EventHub(64)) {
      hub.subscribe(
          new EventHub.Subscriber() {
            @Override
            public void send(String event, String data) throws Exception {
              never.await(); // a browser that stopped reading: its socket write blocks
            }

            @Override
            public void close() {
              stalledClosed.countDown();
            }
          });
      hub.subscribe(
          new EventHub.Subscriber() {
            @Override
            public void send(String event, String data) {
              received.add(event + ":" + data);
              if (event.equals("alert")) gotAlert.countDown();
            }

            @Override
            public void close() {}
          });
      long t0 = System.nanoTime();
      for (int i = 0;
          i < 300;
          i++) { // robots' state at a steady rate; publish never blocks, whatever the stalled one
        // does
        hub.publish("state", Integer.toString(i));
        Thread.sleep(1);
      }
      hub.publish("alert", "dream diverged");
      assertThat(gotAlert.await(5, TimeUnit.SECONDS)).isTrue();
      assertThat((System.nanoTime() - t0) / 1e9)
          .as("seconds until the alert arrived")
          .isLessThan(3.0);
      assertThat(received)
          .hasSize(301)
          .startsWith("state:0", "state:1")
          .endsWith("alert:dream diverged");
      assertThat(stalledClosed.await(5, TimeUnit.SECONDS))
          .as("the stalled listener was dropped")
          .isTrue();
      assertThat(hub.size()).isEqualTo(1);
    } finally {
      never.countDown();
    }
  }
}
