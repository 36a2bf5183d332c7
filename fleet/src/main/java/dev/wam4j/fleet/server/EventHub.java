package dev.wam4j.fleet.server;

import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArraySet;

/**
 * Live events to many listeners, each with its own bounded queue and its own virtual thread: a
 * listener that stops reading (a stalled browser, a dead connection) fills only its own queue and
 * is then dropped, so it never delays what the others receive or a robot's request that emits an
 * event.
 */
final class EventHub implements AutoCloseable {
  /** One listener: an event stream to a dashboard, say. */
  interface Subscriber {
    /** Sends one event; may block while the connection is slow. */
    void send(String event, String data) throws Exception;

    /** Ends the stream (a dropped or closed listener). */
    void close();
  }

  private record Event(String name, String data) {}

  private final class Listener {
    final Subscriber subscriber;
    final BlockingQueue<Event> queue;
    final Thread thread;

    Listener(Subscriber subscriber) {
      this.subscriber = subscriber;
      this.queue = new ArrayBlockingQueue<>(queueCapacity);
      this.thread = Thread.ofVirtual().name("fleet-events").unstarted(this::drain);
    }

    void drain() {
      try {
        while (true) {
          Event e = queue.take();
          subscriber.send(e.name(), e.data());
        }
      } catch (Exception stopped) { // interrupted (dropped, closed) or the connection failed
        listeners.remove(this);
      } finally {
        subscriber
            .close(); // here, never on the thread that published: closing a stalled stream may take
        // a while
      }
    }
  }

  private final int queueCapacity;
  private final Set<Listener> listeners = new CopyOnWriteArraySet<>();

  /**
   * @param queueCapacity events a listener may fall behind before it is dropped
   */
  EventHub(int queueCapacity) {
    if (queueCapacity < 1)
      throw new IllegalArgumentException("queueCapacity must be >= 1, got " + queueCapacity);
    this.queueCapacity = queueCapacity;
  }

  /** Listeners subscribed now. */
  int listeners() {
    return listeners.size();
  }

  /** Adds a listener; it receives every event published from now on, in order. */
  void subscribe(Subscriber subscriber) {
    Listener l = new Listener(subscriber);
    // started before it can be dropped: an interrupt that reaches a thread not yet started may
    // be lost, and the dropped listener's stream would then wait for ever
    l.thread.start();
    listeners.add(l);
  }

  /** Removes the listener of {@code subscriber} (its stream has ended). */
  void unsubscribe(Subscriber subscriber) {
    for (Listener l : listeners) if (l.subscriber == subscriber) drop(l);
  }

  boolean isEmpty() {
    return listeners.isEmpty();
  }

  int size() {
    return listeners.size();
  }

  /**
   * Queues an event for every listener; never blocks. A listener whose queue is full is dropped.
   */
  void publish(String event, String data) {
    Event e = new Event(event, data);
    for (Listener l : listeners) {
      if (!l.queue.offer(e)) drop(l);
    }
  }

  /** Removes a listener and stops its thread, which then closes the stream. */
  private void drop(Listener l) {
    if (listeners.remove(l)) l.thread.interrupt();
  }

  /**
   * Ends every listener's stream (a client reconnects and starts again from a fresh {@code hello}:
   * after events were lost, say). Listeners may subscribe again at once.
   */
  void dropAll() {
    for (Listener l : listeners) drop(l);
  }

  @Override
  public void close() {
    dropAll();
  }
}
