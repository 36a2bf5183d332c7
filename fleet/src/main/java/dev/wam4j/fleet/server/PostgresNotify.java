package dev.wam4j.fleet.server;

import java.security.SecureRandom;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * Live events through PostgreSQL's NOTIFY, so that a dashboard connected to one server sees what a
 * robot told another server on the same database.
 *
 * <p>Every event published here goes out on the channel {@value #CHANNEL}, and this server's own
 * listeners receive it only as it comes back from its LISTEN session, like every other server's.
 * One path for all: every listener on every server gets each event once and in the same order
 * (PostgreSQL delivers notifications in commit order), with nothing to tell own events from others'
 * and no second delivery to skip; a fault on the way shows in single-server tests too. The cost is
 * a round trip to the database before a local listener sees an event.
 *
 * <p>Sending never blocks a request: events wait in a bounded outbox (an event that does not fit is
 * dropped and logged) and one virtual thread sends them in order, in batches, each batch one
 * transaction on a connection of its own. A batch that fails before its commit is sent again once
 * on a new connection; one whose commit fails is dropped (it may have been delivered, and a second
 * copy would be a duplicate), so an event reaches a listener at most once.
 *
 * <p>A notification's payload must stay under 8000 bytes. Larger events are cut into parts sent in
 * the same transaction, which PostgreSQL delivers together and in order, and joined again on
 * receipt; no table, no clean-up, and a receiver sees the whole event or none of it. Each payload
 * starts with a header line {@code <server> <seq> <part> <parts> <event>}: the sequence number lets
 * a receiver notice a gap in one server's events, and keeps two equal events of one transaction
 * apart (PostgreSQL would fold identical payloads into one).
 *
 * <p>Receiving runs on a virtual thread with its own connection. When that connection fails it is
 * opened again (logged); events sent meanwhile are lost, so once listening again the relay ends
 * every local event stream: each client reconnects and re-syncs from the {@code hello} it gets
 * first, as after falling behind.
 */
final class PostgresNotify implements EventRelay {
  /** The channel every fleet server on the database sends and listens on. */
  static final String CHANNEL = "wam4j_fleet_events";

  /** The sessions' {@code application_name} prefix (what pg_stat_activity shows). */
  static final String APPLICATION = "wam4j fleet events";

  /**
   * Event bytes per notification: PostgreSQL refuses a payload of 8000 bytes or more, and the
   * header needs at most about 70 of the rest.
   */
  static final int PART_BYTES = 7_500;

  /**
   * An event larger than this is not sent (logged): its parts would crowd out every other event.
   */
  static final int MAX_EVENT_CHARS = 16 << 20;

  private static final int OUTBOX = 10_000;
  private static final int BATCH_CHARS = 1 << 20;
  private static final int POLL_MS = 500;
  private static final long PING_AFTER_MS = 10_000;
  private static final long MAX_BACKOFF_MS = 5_000;

  /** Opens a connection to the database, outside any pool. */
  interface Connector {
    Connection connect() throws SQLException;
  }

  private record Outgoing(long seq, String event, String data) {}

  /** Queued by close(): the events before it are sent, then the sender ends. */
  private static final Outgoing STOP = new Outgoing(0, "", "");

  /** An event whose first parts have arrived. */
  private static final class Partial {
    final long seq;
    final int parts;
    final String event;
    final StringBuilder data = new StringBuilder();
    int received;

    Partial(long seq, int parts, String event) {
      this.seq = seq;
      this.parts = parts;
      this.event = event;
    }
  }

  private final String server = String.format("%016x", new SecureRandom().nextLong());
  private final Connector connector;
  private final EventHub hub;
  private final BlockingQueue<Outgoing> outbox = new ArrayBlockingQueue<>(OUTBOX);
  private final CountDownLatch closing = new CountDownLatch(1);
  private final AtomicInteger reconnects = new AtomicInteger();
  private final Thread sender;
  private final Thread receiver;
  private long nextSeq = 1; // guarded by this
  private long dropped; // guarded by this: events the full outbox refused since the last report
  private long droppedReportedAt = System.nanoTime(); // guarded by this
  private Connection sending; // the sender thread's only

  // the receiver thread's only: per server, the event being joined and the last sequence number
  private final Map<String, Partial> partials = new HashMap<>();
  private final Map<String, Long> lastSeq =
      new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
          return size() > 1_000; // servers long gone (each restart is a new one)
        }
      };

  /**
   * Starts listening before it returns, so that every event published after the server's start
   * reaches its listeners.
   */
  PostgresNotify(Connector connector, EventHub hub) throws SQLException {
    this.connector = connector;
    this.hub = hub;
    Connection listening = listen();
    this.receiver = Thread.ofVirtual().name("fleet-events-listen").start(() -> receive(listening));
    this.sender = Thread.ofVirtual().name("fleet-events-notify").start(this::send);
  }

  @Override
  public synchronized void publish(String event, String data) {
    if (closing.getCount() == 0) return; // the server is stopping
    if (data.length() > MAX_EVENT_CHARS) {
      log(
          "event "
              + event
              + " not sent: "
              + data.length()
              + " characters, over "
              + MAX_EVENT_CHARS);
      return;
    }
    // numbered as queued, under the lock, so that the numbers follow the outbox's order
    if (!outbox.offer(new Outgoing(nextSeq, event, data)) && dropped++ == 0)
      // one line per overflow, not per event (a burst would flood the log): the sender reports
      // the count once it has caught up
      log("dropping live events: " + OUTBOX + " wait to be sent to the database");
    nextSeq++; // a dropped event leaves a gap, which the receivers log
  }

  @Override
  public boolean mayReachListeners() {
    return true; // another server's, which this one cannot see
  }

  /** Times the LISTEN connection was opened again after it failed. */
  int reconnects() {
    return reconnects.get();
  }

  /** Sends what is queued, then stops sending and listening. */
  @Override
  public void close() {
    synchronized (this) { // no event is queued after the end
      closing.countDown();
      outbox.offer(STOP); // wakes the sender at once (a full outbox keeps it busy anyway)
    }
    // the receiver waits in a socket read, which an interrupt ends (closing its connection)
    receiver.interrupt();
    for (Thread t : List.of(sender, receiver)) {
      try {
        if (!t.join(java.time.Duration.ofSeconds(10))) t.interrupt();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  // ---- sending

  private void send() {
    try {
      while (true) {
        Outgoing first = outbox.take();
        List<Outgoing> batch = new ArrayList<>();
        long chars = 0;
        boolean stop = false;
        for (Outgoing o = first; o != null; o = chars < BATCH_CHARS ? outbox.poll() : null) {
          if (o == STOP) {
            stop = true;
            break;
          }
          batch.add(o);
          chars += o.data().length();
        }
        if (!batch.isEmpty()) sendBatch(batch);
        reportDropped();
        if (stop) return; // close() queued it after every event published before
      }
    } catch (InterruptedException e) {
      // close() gave up waiting
    } finally {
      closeQuietly(sending);
    }
  }

  /** Logs how many events the full outbox refused: once caught up, or every 10 s until then. */
  private synchronized void reportDropped() {
    long now = System.nanoTime();
    if (dropped == 0 || (!outbox.isEmpty() && now - droppedReportedAt < 10_000_000_000L)) return;
    log("dropped " + dropped + " live events while " + OUTBOX + " waited to be sent");
    dropped = 0;
    droppedReportedAt = now;
  }

  private void sendBatch(List<Outgoing> batch) {
    List<String> payloads = new ArrayList<>();
    for (Outgoing o : batch) payloads.addAll(payloads(server, o.seq(), o.event(), o.data()));
    for (int attempt = 1; ; attempt++) {
      try {
        if (sending == null) sending = open("notify");
        try (PreparedStatement s =
            sending.prepareStatement("SELECT pg_notify(?, p) FROM unnest(?) AS p")) {
          Array array = sending.createArrayOf("text", payloads.toArray());
          s.setString(1, CHANNEL);
          s.setArray(2, array);
          s.execute();
        }
      } catch (SQLException e) {
        // nothing was committed: the batch can go again, once, on a new connection
        closeQuietly(sending);
        sending = null;
        if (attempt < 2) continue;
        log("dropped " + batch.size() + " live events, not sent to the database: " + e);
        return;
      }
      try {
        sending.commit();
      } catch (SQLException e) {
        closeQuietly(sending);
        sending = null;
        log(
            batch.size()
                + " live events may be lost: the commit of their NOTIFY failed, and they are not"
                + " sent again, lest they arrive twice: "
                + e);
      }
      return;
    }
  }

  /** An event's notification payloads: its parts, each with the header line. */
  static List<String> payloads(String server, long seq, String event, String data) {
    List<String> parts = parts(data, PART_BYTES);
    List<String> out = new ArrayList<>(parts.size());
    for (int i = 0; i < parts.size(); i++)
      out.add(
          server + " " + seq + " " + i + " " + parts.size() + " " + event + "\n" + parts.get(i));
    return out;
  }

  /**
   * {@code s} cut into pieces of at most {@code maxBytes} bytes in UTF-8, never inside a character
   * (nor between the two halves of a surrogate pair); at least one piece.
   */
  static List<String> parts(String s, int maxBytes) {
    List<String> out = new ArrayList<>();
    int start = 0;
    int bytes = 0;
    for (int i = 0; i < s.length(); ) {
      int cp = s.codePointAt(i);
      int b = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
      if (bytes + b > maxBytes) {
        out.add(s.substring(start, i));
        start = i;
        bytes = 0;
      }
      bytes += b;
      i += Character.charCount(cp);
    }
    out.add(s.substring(start));
    return out;
  }

  // ---- receiving

  private void receive(Connection first) {
    Connection c = first;
    long backoffMs = 100;
    long quietSince = System.nanoTime();
    try {
      while (closing.getCount() > 0) {
        try {
          if (c == null) {
            c = listen();
            reconnects.incrementAndGet();
            backoffMs = 100;
            partials.clear();
            // what was sent while no one listened is lost: the streams end, their clients
            // reconnect and start again from a fresh hello (after LISTEN, so nothing falls between)
            log(
                "listening for live events again; events sent meanwhile are lost, "
                    + hub.listeners()
                    + " event streams closed to re-sync");
            hub.dropAll();
          }
          PGNotification[] received = c.unwrap(PGConnection.class).getNotifications(POLL_MS);
          if (received != null && received.length > 0) {
            for (PGNotification n : received) receive(n.getParameter());
            quietSince = System.nanoTime();
          } else if (System.nanoTime() - quietSince > PING_AFTER_MS * 1_000_000) {
            // a connection silently gone (a dropped network path) shows only when used
            try (Statement s = c.createStatement()) {
              s.execute("SELECT 1");
            }
            quietSince = System.nanoTime();
          }
        } catch (SQLException | RuntimeException e) {
          if (closing.getCount() == 0) break;
          log("lost the LISTEN connection for live events, opening it again: " + e);
          closeQuietly(c);
          c = null;
          if (closing.await(backoffMs, TimeUnit.MILLISECONDS)) break;
          backoffMs = Math.min(MAX_BACKOFF_MS, backoffMs * 2);
        }
      }
    } catch (InterruptedException e) {
      // close() gave up waiting
    } finally {
      closeQuietly(c);
    }
  }

  /** One notification: an event, or a part of one, from some server. */
  private void receive(String payload) {
    int nl = payload.indexOf('\n');
    String[] h = nl < 0 ? new String[0] : payload.substring(0, nl).split(" ");
    long seq;
    int part;
    int parts;
    try {
      if (h.length != 5) throw new NumberFormatException();
      seq = Long.parseLong(h[1]);
      part = Integer.parseInt(h[2]);
      parts = Integer.parseInt(h[3]);
    } catch (NumberFormatException e) {
      log("ignored a notification on " + CHANNEL + " that is not a fleet event");
      return;
    }
    String from = h[0];
    String event = h[4];
    String data = payload.substring(nl + 1);
    if (parts == 1) {
      deliver(from, seq, event, data);
      return;
    }
    Partial p = part == 0 ? new Partial(seq, parts, event) : partials.get(from);
    if (p == null || p.seq != seq || p.received != part || p.parts != parts) {
      // cannot happen while PostgreSQL keeps one transaction's notifications together
      log("dropped the incomplete event " + seq + " of server " + from);
      partials.remove(from);
      return;
    }
    partials.put(from, p);
    p.data.append(data);
    if (++p.received == parts) {
      partials.remove(from);
      deliver(from, seq, event, p.data.toString());
    }
  }

  private void deliver(String from, long seq, String event, String data) {
    Long last = lastSeq.put(from, seq);
    if (last != null && seq != last + 1) {
      // dropped by a full outbox or a failed commit: the dashboards would keep a stale picture, so
      // their streams end and they re-sync from a fresh hello (at most once per RESYNC_EVERY_NS)
      log("missed " + (seq - last - 1) + " live events of server " + from);
      long now = System.nanoTime();
      if (now - lastResyncNs > RESYNC_EVERY_NS) {
        lastResyncNs = now;
        log(hub.listeners() + " event streams closed to re-sync after missed events");
        hub.dropAll();
      }
    }
    hub.publish(event, data);
  }

  private static final long RESYNC_EVERY_NS = 5_000_000_000L;
  private long lastResyncNs = System.nanoTime() - RESYNC_EVERY_NS; // the listener thread's

  // ---- connections

  private Connection listen() throws SQLException {
    Connection c = open("listen");
    try (Statement s = c.createStatement()) {
      s.execute("LISTEN " + CHANNEL);
    } catch (SQLException e) {
      closeQuietly(c);
      throw e;
    }
    return c;
  }

  /** A connection named for pg_stat_activity, in manual-commit mode for sending. */
  private Connection open(String role) throws SQLException {
    Connection c = connector.connect();
    try (Statement s = c.createStatement()) {
      // the name is ours (hex digits and words): nothing to quote
      s.execute("SET application_name = '" + APPLICATION + " " + role + " " + server + "'");
      if (role.equals("notify")) c.setAutoCommit(false);
    } catch (SQLException e) {
      closeQuietly(c);
      throw e;
    }
    return c;
  }

  private static void closeQuietly(Connection c) {
    if (c == null) return;
    try {
      c.close();
    } catch (SQLException e) {
      // a broken connection: nothing left to release
    }
  }

  private static void log(String message) {
    System.err.println("wam4j fleet: " + message);
  }
}
