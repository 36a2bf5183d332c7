package dev.wam4j.fleet.server;

import com.fasterxml.jackson.core.JacksonException;
import dev.wam4j.fleet.api.FleetEvent;
import io.javalin.http.sse.SseClient;
import java.io.IOException;

/**
 * The fleet's live events: published as JSON to every listener of the event stream, never blocking
 * the request that publishes (each listener has its own bounded queue, see {@link EventHub}).
 */
final class EventBus implements AutoCloseable {
  private final EventHub hub = new EventHub(1_000); // a listener 1,000 events behind is dropped

  /** Sends an event to the live listeners (nothing to do when there are none). */
  void publish(FleetEvent event) {
    if (hub.isEmpty()) return;
    try {
      hub.publish(event.eventName(), JsonExchange.JSON.writeValueAsString(event));
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
   * falls behind.
   */
  void stream(SseClient client, FleetEvent first) throws JacksonException {
    client.keepAlive();
    client.sendEvent(first.eventName(), JsonExchange.JSON.writeValueAsString(first));
    EventHub.Subscriber subscriber =
        new EventHub.Subscriber() {
          @Override
          public void send(String event, String data) throws IOException {
            client.sendEvent(event, data);
            if (client.terminated()) throw new IOException("event stream closed");
          }

          @Override
          public void close() {
            client.close();
          }
        };
    client.onClose(() -> hub.unsubscribe(subscriber));
    hub.subscribe(subscriber);
  }

  /** Listeners subscribed now (tests wait on it instead of sleeping). */
  int listeners() {
    return hub.listeners();
  }

  @Override
  public void close() {
    hub.close();
  }
}
