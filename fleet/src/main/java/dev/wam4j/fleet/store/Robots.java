package dev.wam4j.fleet.store;

import dev.wam4j.data.Digests;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.LongSupplier;

/**
 * The robots and who may act: operator and robot tokens (stored as SHA-256 hashes, the secret
 * returned once), each robot's registration, telemetry and latest state, and the alerts robots
 * raise. A robot that restarts, leaves, goes silent or is revoked gives its task in flight back to
 * the {@link TaskQueue}.
 */
public final class Robots {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final String COLUMNS =
      "SELECT id, name, robot_group, embodiment, state, last_seen_ms, factsheet, last_telemetry FROM robots";

  private final Db db;
  private final LongSupplier clock;

  Robots(Db db, LongSupplier clock) {
    this.db = db;
    this.clock = clock;
  }

  // ---- tokens -------------------------------------------------------------------------------

  /** A new operator token (the secret is returned once; only its hash is kept). */
  public String createOperatorToken(String name) throws SQLException {
    String secret = "op_" + secret();
    db.update(
        "INSERT INTO tokens(hash, kind, robot_id, name, created_ms) VALUES (?, 'operator', NULL, ?, ?)",
        hash(secret),
        name,
        clock.getAsLong());
    return secret;
  }

  /** Whether any operator token exists (a fresh database has none). */
  public boolean hasOperators() throws SQLException {
    return db.count("SELECT COUNT(*) FROM tokens WHERE kind = 'operator'") > 0;
  }

  /** Enrolls a robot: its row (state {@code enrolled}) and a token that acts as it. */
  public Records.Enrollment enroll(String name, String group) throws SQLException {
    String id = "r-" + secret().substring(0, 12), token = "rb_" + secret();
    long now = clock.getAsLong();
    db.transaction(
        tx -> {
          tx.update(
              "INSERT INTO robots(id, name, robot_group, state, created_ms) VALUES (?, ?, ?, ?, ?)",
              id,
              name,
              group,
              RobotState.ENROLLED,
              now);
          tx.update(
              "INSERT INTO tokens(hash, kind, robot_id, name, created_ms) VALUES (?, 'robot', ?, ?, ?)",
              hash(token),
              id,
              name,
              now);
          return null;
        });
    return new Records.Enrollment(id, token);
  }

  /** The principal a bearer token stands for, if any. */
  public Optional<Principal> authenticate(String secret) throws SQLException {
    if (secret == null || secret.isBlank() || secret.length() > 200) return Optional.empty();
    return db.one(
        "SELECT kind, robot_id, name FROM tokens WHERE hash = ?",
        r ->
            "robot".equals(r.getString("kind"))
                ? new Principal.Robot(r.getString("robot_id"))
                : new Principal.Operator(r.getString("name")),
        hash(secret));
  }

  /**
   * Revokes every token of a robot: its agent is refused from now on; the robot goes offline and
   * its task in flight back to the queue. Returns the tokens revoked (0: no such robot or already
   * revoked).
   */
  public int revoke(String robotId) throws SQLException {
    long now = clock.getAsLong();
    return db.transaction(
        tx -> {
          int n = tx.update("DELETE FROM tokens WHERE kind = 'robot' AND robot_id = ?", robotId);
          tx.update("UPDATE robots SET state = ? WHERE id = ?", RobotState.OFFLINE, robotId);
          TaskQueue.requeue(tx, robotId, now);
          return n;
        });
  }

  // ---- registration and telemetry -----------------------------------------------------------

  /**
   * A robot (re)registers with its factsheet: it is idle, and any task it held is queued again (an
   * agent that restarts has lost its task in flight).
   */
  public void register(String robotId, String embodiment, String factsheetJson)
      throws SQLException {
    long now = clock.getAsLong();
    db.transaction(
        tx -> {
          tx.update(
              "UPDATE robots SET embodiment = ?, factsheet = ?, state = ?, last_seen_ms = ? WHERE id = ?",
              embodiment,
              factsheetJson,
              RobotState.IDLE,
              now,
              robotId);
          TaskQueue.requeue(tx, robotId, now);
          return null;
        });
  }

  /**
   * Stores one telemetry message (idempotent in {@code seq}: a resent message is stored once) and
   * the robot's latest state; returns whether it was new.
   */
  public boolean telemetry(String robotId, long seq, RobotState state, String bodyJson)
      throws SQLException {
    long now = clock.getAsLong();
    return db.transaction(
        tx -> {
          if (tx.count(
                  "SELECT COUNT(*) FROM telemetry WHERE robot_id = ? AND seq = ?", robotId, seq)
              > 0) {
            tx.update("UPDATE robots SET last_seen_ms = ? WHERE id = ?", now, robotId);
            return false;
          }
          try {
            tx.update(
                "INSERT INTO telemetry(robot_id, seq, received_ms, body) VALUES (?, ?, ?, ?)",
                robotId,
                seq,
                now,
                bodyJson);
          } catch (
              SQLException e) { // the same message arrived twice at once: the other copy is stored
            if (!FleetStore.isConstraintViolation(e)) throw e;
            tx.rollbackOnly();
            return false;
          }
          // one conditional update decides what is newest, so two messages at once cannot move
          // max_seq backwards;
          // a message that arrives after a newer one (delayed, resent) is history, not the robot's
          // state
          boolean newest =
              tx.update(
                      "UPDATE robots SET state = ?, last_seen_ms = ?, last_telemetry = ?, max_seq = ? WHERE id = ?"
                          + " AND (max_seq IS NULL OR max_seq < ?)",
                      state,
                      now,
                      bodyJson,
                      seq,
                      robotId,
                      seq)
                  == 1;
          if (!newest) tx.update("UPDATE robots SET last_seen_ms = ? WHERE id = ?", now, robotId);
          else if (state == RobotState.OFFLINE)
            TaskQueue.requeue(
                tx, robotId, now); // the robot is leaving: its task goes back to the queue
          return true;
        });
  }

  /**
   * Deletes telemetry older than {@code maxAgeMs} (each robot's latest state stays on its row);
   * returns the rows deleted.
   */
  public int pruneTelemetry(long maxAgeMs) throws SQLException {
    return db.update("DELETE FROM telemetry WHERE received_ms < ?", clock.getAsLong() - maxAgeMs);
  }

  /** Telemetry messages stored for a robot. */
  public long telemetryCount(String robotId) throws SQLException {
    return db.count("SELECT COUNT(*) FROM telemetry WHERE robot_id = ?", robotId);
  }

  /** Telemetry stored for one robot: messages kept and the highest sequence number. */
  public record TelemetryStats(long messages, long maxSeq) {}

  /** Telemetry stored per robot, by robot id. */
  public Map<String, TelemetryStats> telemetryStats() throws SQLException {
    Map<String, TelemetryStats> out = new TreeMap<>();
    for (var e :
        db.query(
            "SELECT robot_id, COUNT(*) AS messages, MAX(seq) AS max_seq FROM telemetry GROUP BY robot_id",
            r ->
                Map.entry(
                    r.getString("robot_id"),
                    new TelemetryStats(r.getLong("messages"), r.getLong("max_seq"))))) {
      out.put(e.getKey(), e.getValue());
    }
    return out;
  }

  /** Every robot, by id. */
  public List<Records.Robot> all() throws SQLException {
    return db.query(COLUMNS + " ORDER BY id", Robots::robot);
  }

  public Optional<Records.Robot> find(String id) throws SQLException {
    return db.one(COLUMNS + " WHERE id = ?", Robots::robot, id);
  }

  /**
   * Robots silent for longer than {@code timeoutMs} go offline and their tasks are queued again;
   * returns how many. Each robot goes offline once even when several servers on the database look
   * at once, and not at all when it spoke again since it was read: the update requires the state
   * and last-seen time that were read (the loser's update matches no row, after the winner's commit
   * on PostgreSQL), and only the winner queues the robot's task again.
   */
  public int expireSilent(long timeoutMs) throws SQLException {
    long now = clock.getAsLong();
    int n = 0;
    for (Records.Robot r : all()) {
      if (r.lastSeenMs() != null
          && now - r.lastSeenMs() > timeoutMs
          && r.state() != RobotState.OFFLINE) {
        boolean expired =
            db.transaction(
                tx -> {
                  if (tx.update(
                          "UPDATE robots SET state = ? WHERE id = ? AND state = ? AND last_seen_ms = ?",
                          RobotState.OFFLINE,
                          r.id(),
                          r.state(),
                          r.lastSeenMs())
                      == 0) return false;
                  TaskQueue.requeue(tx, r.id(), now);
                  return true;
                });
        if (expired) n++;
      }
    }
    return n;
  }

  private static Records.Robot robot(ResultSet r) throws SQLException {
    return new Records.Robot(
        r.getString("id"),
        r.getString("name"),
        r.getString("robot_group"),
        r.getString("embodiment"),
        Wire.parse(RobotState.class, r.getString("state")),
        Db.nullableLong(r, "last_seen_ms"),
        r.getString("factsheet"),
        r.getString("last_telemetry"));
  }

  // ---- alerts -------------------------------------------------------------------------------

  /** Stores an alert a robot raised (e.g. its dream monitor fired); returns its id. */
  public long raiseAlert(String robotId, Long taskId, String kind, String message)
      throws SQLException {
    return db.insert(
        "INSERT INTO alerts(robot_id, task_id, kind, message, created_ms) VALUES (?, ?, ?, ?, ?)",
        robotId,
        taskId,
        kind,
        message,
        clock.getAsLong());
  }

  /** Every alert, oldest first. */
  public List<Records.Alert> alerts() throws SQLException {
    return db.query(
        "SELECT id, robot_id, task_id, kind, message, created_ms FROM alerts ORDER BY id",
        r ->
            new Records.Alert(
                r.getLong("id"),
                r.getString("robot_id"),
                Db.nullableLong(r, "task_id"),
                r.getString("kind"),
                r.getString("message"),
                r.getLong("created_ms")));
  }

  static String hash(String secret) {
    return Digests.sha256Hex(secret.getBytes(StandardCharsets.UTF_8));
  }

  static String secret() {
    byte[] b = new byte[24];
    RANDOM.nextBytes(b);
    return HexFormat.of().formatHex(b);
  }
}
