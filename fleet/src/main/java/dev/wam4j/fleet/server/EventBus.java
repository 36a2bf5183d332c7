package dev.wam4j.fleet.server;

import com.fasterxml.jackson.core.JacksonException;
import dev.wam4j.fleet.api.FleetEvent;
import dev.wam4j.fleet.store.FleetStore;
import io.javalin.http.sse.SseClient;
import java.sql.SQLException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

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
   * falls behind, or the streams are ended ({@link #endStreams}); then returns, and Javalin ends
   * the response.
   *
   * <p>Only this thread, the request's own, calls Javalin. The listener's thread hands each event
   * over, one at a time (so a slow client still fills the listener's queue and is dropped), and it
   * is the one interrupted when dropped. Before, the listener's thread called {@code SseClient}
   * itself, and {@code SseClient} finishes the request on whichever thread sends or closes. In the
   * two-server test two such listener threads then spun for ever in Javalin 7.2's error handling,
   * whose failing error task puts another one in front of its queue, and so took both carrier
   * threads: the next server could not start. An interrupted thread, whose writes fail, is the
   * likely trigger, so this thread is never interrupted from here.
   */
  void stream(SseClient client, FleetEvent first) throws JacksonException {
    client.sendEvent(first.eventName(), JsonExchange.JSON.writeValueAsString(first));
    BlockingQueue<String[]> handoff = new ArrayBlockingQueue<>(1);
    EventHub.Subscriber subscriber =
        new EventHub.Subscriber() {
          @Override
          public void send(String event, String data) throws InterruptedException {
            handoff.put(new String[] {event, data});
          }

          @Override
          public void close() { // on the listener's thread, after its last put
            handoff.clear();
            handoff.offer(END);
          }
        };
    hub.subscribe(subscriber);
    try {
      for (String[] e = handoff.take(); e != END; e = handoff.take()) {
        client.sendEvent(e[0], e[1]);
        if (client.terminated()) break;
      }
    } catch (InterruptedException e) {
      // Javalin or Jetty stopping the request. Not passed on: Javalin goes on handling the
      // request on this thread, and on an interrupted thread its writes fail (see above).
    } finally {
      hub.unsubscribe(subscriber); // when the client went away: stops the listener
    }
  }

  /** Handed over by a dropped listener: the stream ends. */
  private static final String[] END = new String[0];

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
