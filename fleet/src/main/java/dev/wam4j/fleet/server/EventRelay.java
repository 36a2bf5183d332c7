package dev.wam4j.fleet.server;

import dev.wam4j.fleet.store.FleetStore;
import java.sql.SQLException;

/**
 * How a published event reaches the listeners: on SQLite and H2 straight to this process's {@link
 * EventHub} (one server per database); on PostgreSQL through NOTIFY, so the listeners of every
 * server on the database receive it ({@link PostgresNotify}).
 */
sealed interface EventRelay extends AutoCloseable permits EventRelay.InProcess, PostgresNotify {
  /** Sends an event (its name and JSON) towards the listeners; never blocks. */
  void publish(String event, String data);

  /**
   * Whether an event published now may reach a listener at all (when not, the caller need not
   * serialise it).
   */
  boolean mayReachListeners();

  @Override
  void close();

  /** The relay for the store's database, delivering to {@code hub}. */
  static EventRelay of(FleetStore store, EventHub hub) throws SQLException {
    return store.kind() == FleetStore.Kind.POSTGRESQL
        ? new PostgresNotify(store::connect, hub)
        : new InProcess(hub);
  }

  /** Events stay in this process: every listener is one of its own. */
  record InProcess(EventHub hub) implements EventRelay {
    @Override
    public void publish(String event, String data) {
      hub.publish(event, data);
    }

    @Override
    public boolean mayReachListeners() {
      return !hub.isEmpty();
    }

    @Override
    public void close() {}
  }
}
