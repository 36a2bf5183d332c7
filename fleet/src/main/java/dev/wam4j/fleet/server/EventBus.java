package dev.wam4j.fleet.server;

import com.fasterxml.jackson.core.JacksonException;
import dev.wam4j.fleet.api.FleetEvent;
import dev.wam4j.fleet.store.FleetStore;
import io.javalin.http.sse.SseClient;
import java.io.IOException;
import java.sql.SQLException;
import java.util.concurrent.CountDownLatch;

/**
 * The fleet's live events: published as JSON to every listener of the event stream, never blocking
 * the request that publishes (each listener has its own bounded queue, see {@link EventHub}). On
 * PostgreSQL they go through the database to the listeners of every server on it ({@link
 * EventRelay}).
 */
final class EventBus implements AutoCloseable {
  private final EventHub hub = new EventHub(1_000); // a listener 1,000 events behind is dropped
  private final EventRelay relay;

  /** The bus for the store's database (on PostgreSQL it starts listening before it returns). */
  EventBus(FleetStore store) throws SQLException {
    this.relay = EventRelay.of(store, hub);
  }

  /** Sends an event to the live listeners (nothing to do when there are none). */
  void publish(FleetEvent event) {
    if (!relay.mayReachListeners()) return;
    try {
      relay.publish(event.eventName(), JsonExchange.JSON.writeValueAsString(event));
    } catch (JacksonException e) {
      // the request that published it succeeded; the listeners miss this one event, and the log
      // says why
      System.err.println(
          "wam4j fleet: event "
              + event.eventName()
              + " not sent, not serialisable: "
              + e.getOriginalMessage());
    }
  }

  /**
   * Streams events to a server-sent-events client, from {@code first} on, until it disconnects or
   * falls behind, or the streams are ended ({@link #endStreams}); returns then, and Javalin ends
   * the response on this, the request's own thread. (The listener's thread used to end it with
   * {@code SseClient.close()}, which runs the rest of Javalin's request handling on the calling
   * thread; with two servers in one test such threads were seen spinning in Javalin 7.2's error
   * handling after their stream had ended, holding both carrier threads.)
   */
  void stream(SseClient client, FleetEvent first) throws JacksonException {
    client.sendEvent(first.eventName(), JsonExchange.JSON.writeValueAsString(first));
    CountDownLatch ended = new CountDownLatch(1);
    EventHub.Subscriber subscriber =
        new EventHub.Subscriber() {
          @Override
          public void send(String event, String data) throws IOException {
            client.sendEvent(event, data);
            if (client.terminated()) throw new IOException("event stream closed");
          }

          @Override
          public void close() {
            ended.countDown();
          }
        };
    hub.subscribe(subscriber);
    try {
      ended.await();
    } catch (InterruptedException e) { // the server stops
      hub.unsubscribe(subscriber);
      Thread.currentThread().interrupt();
    }
  }

  /** Ends every event stream (their clients reconnect and start again from a fresh hello). */
  void endStreams() {
    hub.dropAll();
  }

  /** Listeners subscribed now (tests wait on it instead of sleeping). */
  int listeners() {
    return hub.listeners();
  }

  /** The relay (tests look at how it reconnects). */
  EventRelay relay() {
    return relay;
  }

  /** Stops relaying (sending what is queued first), then ends every stream. */
  @Override
  public void close() {
    relay.close();
    hub.close();
  }
}
