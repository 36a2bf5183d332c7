package dev.wam4j.fleet.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.wam4j.data.Digests;
import dev.wam4j.data.pusht.PushTRate;
import dev.wam4j.fleet.job.JobDocument;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.function.LongSupplier;
import org.flywaydb.core.Flyway;

/**
 * The fleet's state in a SQL database: an embedded SQLite file by default, PostgreSQL (or H2) by JDBC
 * URL, the schema kept by versioned migrations ({@code db/migration} or, for SQLite, {@code db/sqlite}; then {@code db/common}).
 * Tokens are stored as SHA-256 hashes.
 * Every write is its own transaction, so what a call returned is on disk (acknowledged means stored).
 * Thread-safe.
 */
public final class FleetStore implements AutoCloseable {
  private static final SecureRandom RANDOM = new SecureRandom();
  private final HikariDataSource pool;
  private final LongSupplier clock;
  private final Object dispatch = new Object(); // one claim at a time: a task goes to one robot

  private FleetStore(HikariDataSource pool, LongSupplier clock) {
    this.pool = pool;
    this.clock = clock;
  }

  /**
   * The embedded database in {@code dataDir}: SQLite, {@code fleet.db}, in WAL mode with
   * {@code synchronous=FULL} (a commit is in the log file, fsynced, before the call returns), write
   * transactions begun IMMEDIATE (one writer at a time, the others wait up to 30 s), created and
   * migrated as needed, readable by its owner only. A folder holding an H2 database of an earlier
   * wam4j ({@code fleet.mv.db}) is refused with the URL that opens it, rather than silently replaced.
   */
  public static FleetStore embedded(Path dataDir) throws SQLException {
    try {
      Files.createDirectories(dataDir);
    } catch (java.io.IOException e) {
      throw new SQLException("cannot create the data folder " + dataDir + ": " + e.getMessage(), e);
    }
    Path dir = dataDir.toAbsolutePath();
    if (Files.exists(dir.resolve("fleet.mv.db")) && !Files.exists(dir.resolve(SQLITE_FILE))) {
      throw new SQLException(dir.resolve("fleet.mv.db") + " is an H2 database of an earlier wam4j, which could lose acknowledged writes"
          + " when killed; open it with --db 'jdbc:h2:file:" + dir.resolve("fleet") + ";DB_CLOSE_ON_EXIT=FALSE;WRITE_DELAY=0;REUSE_SPACE=FALSE' (and"
          + " move its data over), or start a fresh data folder");
    }
    FleetStore store = open("jdbc:sqlite:" + dir.resolve(SQLITE_FILE)
        + "?journal_mode=WAL&synchronous=FULL&busy_timeout=30000&transaction_mode=IMMEDIATE&foreign_keys=true", "", "");
    ownerOnly(dir, SQLITE_FILE, SQLITE_FILE + "-wal", SQLITE_FILE + "-shm");
    return store;
  }

  /** The embedded database's file name in the data folder. */
  public static final String SQLITE_FILE = "fleet.db";

  /** The database at a JDBC URL (SQLite, PostgreSQL or H2), migrated to the current schema. */
  public static FleetStore open(String jdbcUrl, String user, String password) throws SQLException {
    return open(jdbcUrl, user, password, System::currentTimeMillis);
  }

  static FleetStore open(String jdbcUrl, String user, String password, LongSupplier clock) throws SQLException {
    HikariConfig hc = new HikariConfig();
    hc.setJdbcUrl(jdbcUrl);
    hc.setUsername(user);
    hc.setPassword(password);
    hc.setMaximumPoolSize(8);
    hc.setPoolName("wam4j-fleet");
    HikariDataSource ds;
    try {
      ds = new HikariDataSource(hc);
    } catch (RuntimeException e) {
      throw new SQLException("cannot open the fleet database " + jdbcUrl + ": " + e.getMessage(), e);
    }
    // V1..V4 exist twice because SQLite spells auto-increment keys its own way (and applied migrations never change);
    // later ones are written once, in db/common
    String dialect = jdbcUrl.startsWith("jdbc:sqlite:") ? "classpath:db/sqlite" : "classpath:db/migration";
    try {
      Flyway.configure().dataSource(ds).locations(dialect, "classpath:db/common").load().migrate();
    } catch (RuntimeException e) {
      ds.close();
      throw new SQLException("cannot migrate the fleet database " + jdbcUrl + ": " + e.getMessage(), e);
    }
    return new FleetStore(ds, clock);
  }

  /**
   * Whether {@code e} says a row conflicts with stored data (a duplicate key, a broken constraint):
   * SQL state class 23 in H2 and PostgreSQL; SQLite's driver leaves the state empty and reports
   * SQLITE_CONSTRAINT (19) in the low byte of its error code.
   */
  public static boolean isConstraintViolation(java.sql.SQLException e) {
    if (e.getSQLState() != null && e.getSQLState().startsWith("23")) return true;
    return e.getClass().getName().startsWith("org.sqlite.") && (e.getErrorCode() & 0xff) == 19;
  }

  private static void ownerOnly(Path dir, String... names) {
    for (String n : names) {
      Path f = dir.resolve(n);
      try {
        if (Files.exists(f)) Files.setPosixFilePermissions(f, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
      } catch (java.io.IOException | UnsupportedOperationException e) {
        // not a POSIX file system: its own permissions apply
      }
    }
  }

  // ---- tokens -------------------------------------------------------------------------------

  /** A new operator token (the secret is returned once; only its hash is kept). */
  public String createOperatorToken(String name) throws SQLException {
    String secret = "op_" + secret();
    update("INSERT INTO tokens(hash, kind, robot_id, name, created_ms) VALUES (?, 'operator', NULL, ?, ?)", hash(secret), name, clock.getAsLong());
    return secret;
  }

  /** Whether any operator token exists (a fresh database has none). */
  public boolean hasOperators() throws SQLException {
    return count("SELECT COUNT(*) FROM tokens WHERE kind = 'operator'") > 0;
  }

  /** Enrolls a robot: its row (state {@code enrolled}) and a token that acts as it. */
  public Records.Enrollment enrollRobot(String name, String group) throws SQLException {
    String id = "r-" + secret().substring(0, 12), token = "rb_" + secret();
    long now = clock.getAsLong();
    try (Connection c = pool.getConnection()) {
      c.setAutoCommit(false);
      try {
        exec(c, "INSERT INTO robots(id, name, robot_group, state, created_ms) VALUES (?, ?, ?, 'enrolled', ?)", id, name, group, now);
        exec(c, "INSERT INTO tokens(hash, kind, robot_id, name, created_ms) VALUES (?, 'robot', ?, ?, ?)", hash(token), id, name, now);
        commit(c);
      } catch (SQLException e) {
        c.rollback();
        throw e;
      }
    }
    return new Records.Enrollment(id, token);
  }

  /** The principal a bearer token stands for, if any. */
  public Optional<Principal> authenticate(String secret) throws SQLException {
    if (secret == null || secret.isBlank() || secret.length() > 200) return Optional.empty();
    try (Connection c = pool.getConnection();
        PreparedStatement s = prepare(c, "SELECT kind, robot_id, name FROM tokens WHERE hash = ?", hash(secret));
        ResultSet r = s.executeQuery()) {
      if (!r.next()) return Optional.empty();
      return Optional.of("robot".equals(r.getString(1)) ? new Principal.Robot(r.getString(2)) : new Principal.Operator(r.getString(3)));
    }
  }

  /**
   * Revokes every token of a robot: its agent is refused from now on; the robot goes offline and its
   * task in flight back to the queue. Returns the tokens revoked (0: no such robot or already revoked).
   */
  public int revokeRobot(String robotId) throws SQLException {
    long now = clock.getAsLong();
    try (Connection c = pool.getConnection()) {
      c.setAutoCommit(false);
      try {
        int n = exec(c, "DELETE FROM tokens WHERE kind = 'robot' AND robot_id = ?", robotId);
        exec(c, "UPDATE robots SET state = 'offline' WHERE id = ?", robotId);
        requeue(c, robotId, now);
        commit(c);
        return n;
      } catch (SQLException e) {
        c.rollback();
        throw e;
      }
    }
  }

  // ---- robots -------------------------------------------------------------------------------

  /**
   * A robot (re)registers with its factsheet: it is idle, and any task it held is queued again (an agent
   * that restarts has lost its task in flight).
   */
  public void register(String robotId, String embodiment, String factsheetJson) throws SQLException {
    long now = clock.getAsLong();
    try (Connection c = pool.getConnection()) {
      c.setAutoCommit(false);
      try {
        exec(c, "UPDATE robots SET embodiment = ?, factsheet = ?, state = 'idle', last_seen_ms = ? WHERE id = ?", embodiment, factsheetJson, now, robotId);
        requeue(c, robotId, now);
        commit(c);
      } catch (SQLException e) {
        c.rollback();
        throw e;
      }
    }
  }

  /**
   * Stores one telemetry message (idempotent in {@code seq}: a resent message is stored once) and the
   * robot's latest state; returns whether it was new.
   */
  public boolean telemetry(String robotId, long seq, String state, String bodyJson) throws SQLException {
    long now = clock.getAsLong();
    try (Connection c = pool.getConnection()) {
      c.setAutoCommit(false);
      try {
        boolean fresh = count(c, "SELECT COUNT(*) FROM telemetry WHERE robot_id = ? AND seq = ?", robotId, seq) == 0;
        // a message that arrives after a newer one (delayed, resent) is history, not the robot's state
        if (fresh) {
          try {
            exec(c, "INSERT INTO telemetry(robot_id, seq, received_ms, body) VALUES (?, ?, ?, ?)", robotId, seq, now, bodyJson);
          } catch (SQLException e) { // the same message arrived twice at once: the other copy is stored
            if (!isConstraintViolation(e)) throw e;
            c.rollback();
            return false;
          }
          // one conditional update decides what is newest, so two messages at once cannot move max_seq backwards
          boolean newest = exec(c, "UPDATE robots SET state = ?, last_seen_ms = ?, last_telemetry = ?, max_seq = ? WHERE id = ?"
              + " AND (max_seq IS NULL OR max_seq < ?)", state, now, bodyJson, seq, robotId, seq) == 1;
          if (newest) {
            if ("offline".equals(state)) requeue(c, robotId, now); // the robot is leaving: its task goes back to the queue
          } else {
            exec(c, "UPDATE robots SET last_seen_ms = ? WHERE id = ?", now, robotId);
          }
        } else {
          exec(c, "UPDATE robots SET last_seen_ms = ? WHERE id = ?", now, robotId);
        }
        commit(c);
        return fresh;
      } catch (SQLException e) {
        c.rollback();
        throw e;
      }
    }
  }

  /** Deletes telemetry older than {@code maxAgeMs} (each robot's latest state stays on its row); returns the rows deleted. */
  public int pruneTelemetry(long maxAgeMs) throws SQLException {
    try (Connection c = pool.getConnection()) {
      return exec(c, "DELETE FROM telemetry WHERE received_ms < ?", clock.getAsLong() - maxAgeMs);
    }
  }

  /** Telemetry messages stored for a robot. */
  public long telemetryCount(String robotId) throws SQLException {
    try (Connection c = pool.getConnection()) {
      return count(c, "SELECT COUNT(*) FROM telemetry WHERE robot_id = ?", robotId);
    }
  }

  /** Telemetry stored per robot: message count and highest sequence number. */
  public java.util.Map<String, long[]> telemetryStats() throws SQLException {
    java.util.Map<String, long[]> out = new java.util.TreeMap<>();
    for (Object[] row : query("SELECT robot_id, COUNT(*), MAX(seq) FROM telemetry GROUP BY robot_id", r -> new Object[] {r.getString(1), r.getLong(2),
        r.getLong(3)})) {
      out.put((String) row[0], new long[] {(Long) row[1], (Long) row[2]});
    }
    return out;
  }

  public List<Records.Robot> robots() throws SQLException {
    return query("SELECT id, name, robot_group, embodiment, state, last_seen_ms, factsheet, last_telemetry FROM robots ORDER BY id", r -> new Records.Robot(
        r.getString(1), r.getString(2), r.getString(3), r.getString(4), r.getString(5), nullableLong(r, 6), r.getString(7), r.getString(8)));
  }

  public Optional<Records.Robot> robot(String id) throws SQLException {
    return robots().stream().filter(r -> r.id().equals(id)).findFirst();
  }

  /** Robots silent for longer than {@code timeoutMs} go offline and their tasks are queued again; returns how many. */
  public int expireSilentRobots(long timeoutMs) throws SQLException {
    long now = clock.getAsLong();
    int n = 0;
    for (Records.Robot r : robots()) {
      if (r.lastSeenMs() != null && now - r.lastSeenMs() > timeoutMs && !"offline".equals(r.state())) {
        try (Connection c = pool.getConnection()) {
          c.setAutoCommit(false);
          exec(c, "UPDATE robots SET state = 'offline' WHERE id = ?", r.id());
          requeue(c, r.id(), now);
          commit(c);
        }
        n++;
      }
    }
    return n;
  }

  // ---- jobs and tasks -----------------------------------------------------------------------

  /** Plans a job into tasks (every step's {@code count}); returns the job id. */
  public long submitJob(JobDocument job, String markdown, int maxAttempts) throws SQLException {
    if (maxAttempts < 1) throw new IllegalArgumentException("maxAttempts must be >= 1, got " + maxAttempts);
    long now = clock.getAsLong();
    try (Connection c = pool.getConnection()) {
      c.setAutoCommit(false);
      try {
        long id;
        try (PreparedStatement s = c.prepareStatement("INSERT INTO jobs(title, document, status, created_ms) VALUES (?, ?, 'running', ?)",
            Statement.RETURN_GENERATED_KEYS)) {
          bind(s, job.title(), markdown, now);
          s.executeUpdate();
          try (ResultSet k = s.getGeneratedKeys()) {
            k.next();
            id = k.getLong(1);
          }
        }
        for (int i = 0; i < job.steps().size(); i++) {
          JobDocument.Step st = job.steps().get(i);
          for (int seq = 1; seq <= st.count(); seq++) {
            exec(c, "INSERT INTO tasks(job_id, step_index, step_name, seq, scene, goal_x, goal_y, goal_angle, embodiment, max_steps, success_score,"
                + " status, robot_id, attempts, max_attempts, updated_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'queued', NULL, 0, ?, ?)", id, i,
                st.name(), seq, st.scene(), st.goal() == null ? null : st.goal().x(), st.goal() == null ? null : st.goal().y(),
                st.goal() == null ? null : st.goal().angleRadians(), st.embodiment(), st.maxSteps(), st.successScore(), maxAttempts, now);
          }
        }
        commit(c);
        return id;
      } catch (SQLException e) {
        c.rollback();
        throw e;
      }
    }
  }

  /**
   * Gives the robot the next task it can do: queued, its embodiment, of a running job, every task of the
   * job's earlier steps done; oldest job and step first. Empty when there is none.
   */
  public Optional<Records.Task> claimTask(String robotId) throws SQLException {
    synchronized (dispatch) {
      Records.Robot robot = robot(robotId).orElseThrow(() -> new IllegalArgumentException("no robot " + robotId));
      if (robot.embodiment() == null) return Optional.empty(); // not registered yet
      // idempotent: a robot that asks again (its reply was lost) gets the task it already holds
      List<Long> held = query("SELECT id FROM tasks WHERE robot_id = ? AND status = 'assigned' ORDER BY id", r -> r.getLong(1), robotId);
      if (!held.isEmpty()) return task(held.get(0));
      // per running job (oldest first): its current step is the lowest one not done; the step's first queued task of this
      // embodiment goes out. Indexed lookups per job, never a scan of every queued task (a 10 x 1,000 job stays fast).
      Long found = null;
      for (long job : query("SELECT id FROM jobs WHERE status = 'running' ORDER BY id", r -> r.getLong(1))) {
        List<Integer> step = query("SELECT MIN(step_index) FROM tasks WHERE job_id = ? AND status <> 'done'", r -> {
          int v = r.getInt(1);
          return r.wasNull() ? null : v;
        }, job);
        if (step.isEmpty() || step.get(0) == null) continue;
        List<Long> next = query("SELECT id FROM tasks WHERE job_id = ? AND step_index = ? AND status = 'queued' AND embodiment = ?"
            + " ORDER BY id LIMIT 1", r -> r.getLong(1), job, step.get(0), robot.embodiment());
        if (!next.isEmpty()) {
          found = next.get(0);
          break;
        }
      }
      if (found == null) return Optional.empty();
      long id = found, now = clock.getAsLong();
      try (Connection c = pool.getConnection()) {
        c.setAutoCommit(false);
        exec(c, "UPDATE tasks SET status = 'assigned', robot_id = ?, attempts = attempts + 1, updated_ms = ? WHERE id = ? AND status = 'queued'",
            robotId, now, id);
        exec(c, "UPDATE robots SET state = 'busy' WHERE id = ?", robotId);
        if (count(c, "SELECT COUNT(*) FROM task_attempts WHERE task_id = ? AND robot_id = ?", id, robotId) == 0) {
          exec(c, "INSERT INTO task_attempts(task_id, robot_id, claimed_ms) VALUES (?, ?, ?)", id, robotId, now);
        }
        commit(c);
      }
      return task(id);
    }
  }

  /** Whether task {@code taskId} was ever given to robot {@code robotId} (its episodes may be uploaded by it only). */
  public boolean attempted(long taskId, String robotId) throws SQLException {
    return count("SELECT COUNT(*) FROM task_attempts WHERE task_id = ? AND robot_id = ?", taskId, robotId) > 0;
  }

  /**
   * Cancels a running job: its queued and assigned tasks become {@code cancelled} (a robot's report
   * on one is then refused), the robots that held them are idle again. Returns false when the job is
   * not running (done, failed, cancelled or unknown).
   */
  public boolean cancelJob(long jobId) throws SQLException {
    long now = clock.getAsLong();
    synchronized (dispatch) {
      try (Connection c = pool.getConnection()) {
        c.setAutoCommit(false);
        try {
          if (exec(c, "UPDATE jobs SET status = 'cancelled', finished_ms = ? WHERE id = ? AND status = 'running'", now, jobId) == 0) {
            c.rollback();
            return false;
          }
          exec(c, "UPDATE robots SET state = 'idle' WHERE state = 'busy' AND id IN (SELECT robot_id FROM tasks WHERE job_id = ?"
              + " AND status = 'assigned')", jobId);
          exec(c, "UPDATE tasks SET status = 'cancelled', updated_ms = ? WHERE job_id = ? AND status IN ('queued', 'assigned')", now, jobId);
          commit(c);
          return true;
        } catch (SQLException e) {
          c.rollback();
          throw e;
        }
      }
    }
  }

  /**
   * The robot reports a task's end. A failure is queued again until its attempts run out, then the task
   * and its job fail; when every task of a job is done, the job is done.
   *
   * @throws IllegalArgumentException when the task is not assigned to this robot
   */
  public Records.Task finishTask(String robotId, long taskId, boolean success, String resultJson) throws SQLException {
    long now = clock.getAsLong();
    synchronized (dispatch) {
      Records.Task t = task(taskId).orElseThrow(() -> new IllegalArgumentException("no task " + taskId));
      if (!"assigned".equals(t.status()) || !robotId.equals(t.robotId())) {
        throw new IllegalArgumentException("task " + taskId + " is not assigned to robot " + robotId + " (status " + t.status() + ")");
      }
      try (Connection c = pool.getConnection()) {
        c.setAutoCommit(false);
        String status = success ? "done" : t.attempts() < t.maxAttempts() ? "queued" : "failed";
        int changed = exec(c, "UPDATE tasks SET status = ?, robot_id = ?, result = ?, updated_ms = ? WHERE id = ? AND status = 'assigned'"
            + " AND robot_id = ?", status, "queued".equals(status) ? null : robotId, resultJson, now, taskId, robotId);
        if (changed == 0) { // requeued meanwhile (the robot was revoked, went silent or restarted): the report comes too late
          c.rollback();
          throw new IllegalArgumentException("task " + taskId + " is no longer assigned to robot " + robotId);
        }
        exec(c, "UPDATE robots SET state = 'idle' WHERE id = ? AND state = 'busy'", robotId);
        if ("failed".equals(status)) {
          exec(c, "UPDATE jobs SET status = 'failed', finished_ms = ? WHERE id = ? AND status = 'running'", now, t.jobId());
        } else if (count(c, "SELECT COUNT(*) FROM tasks WHERE job_id = ? AND status <> 'done'", t.jobId()) == 0) {
          exec(c, "UPDATE jobs SET status = 'done', finished_ms = ? WHERE id = ? AND status = 'running'", now, t.jobId());
        }
        commit(c);
      }
      return task(taskId).orElseThrow();
    }
  }

  public Optional<Records.Task> task(long id) throws SQLException {
    List<Records.Task> t = query(TASK_COLUMNS + " WHERE id = ?", FleetStore::task, id);
    return t.isEmpty() ? Optional.empty() : Optional.of(t.get(0));
  }

  public List<Records.Task> tasks(long jobId) throws SQLException {
    return query(TASK_COLUMNS + " WHERE job_id = ? ORDER BY step_index, seq", FleetStore::task, jobId);
  }

  public List<Records.Job> jobs() throws SQLException {
    return query("SELECT j.id, j.title, j.status, j.created_ms, j.finished_ms, COUNT(t.id),"
        + " SUM(CASE WHEN t.status = 'done' THEN 1 ELSE 0 END), SUM(CASE WHEN t.status = 'failed' THEN 1 ELSE 0 END),"
        + " SUM(CASE WHEN t.status = 'queued' THEN 1 ELSE 0 END), SUM(CASE WHEN t.status = 'assigned' THEN 1 ELSE 0 END)"
        + " FROM jobs j LEFT JOIN tasks t ON t.job_id = j.id GROUP BY j.id, j.title, j.status, j.created_ms, j.finished_ms ORDER BY j.id",
        r -> new Records.Job(r.getLong(1), r.getString(2), r.getString(3), r.getLong(4), nullableLong(r, 5), r.getInt(6),
            r.getInt(7), r.getInt(8), r.getInt(9), r.getInt(10)));
  }

  public Optional<Records.Job> job(long id) throws SQLException {
    return jobs().stream().filter(j -> j.id() == id).findFirst();
  }

  // ---- uploads and episodes -----------------------------------------------------------------

  /**
   * Opens (or finds again, to resume) the robot's upload of an episode archive with this SHA-256. An
   * episode already kept with that digest makes it a duplicate: status {@code duplicate}, nothing to send.
   */
  public Records.Upload openUpload(String robotId, Long taskId, String taskName, String sha256, long sizeBytes) throws SQLException {
    synchronized (dispatch) {
      List<Long> kept = query("SELECT id FROM episodes WHERE sha256 = ?", r -> r.getLong(1), sha256);
      if (!kept.isEmpty()) return new Records.Upload(null, robotId, taskId, taskName, sha256, sizeBytes, "duplicate", kept.get(0));
      List<Records.Upload> open = query(UPLOAD_COLUMNS + " WHERE robot_id = ? AND sha256 = ?", FleetStore::upload, robotId, sha256);
      if (!open.isEmpty()) {
        Records.Upload u = open.get(0);
        if (u.sizeBytes() != sizeBytes) throw new IllegalArgumentException("upload " + u.id() + " of " + sha256 + " was opened with " + u.sizeBytes() + " bytes, not " + sizeBytes);
        return u;
      }
      String id = "u-" + secret().substring(0, 16);
      update("INSERT INTO uploads(id, robot_id, task_id, task_name, sha256, size_bytes, status, created_ms) VALUES (?, ?, ?, ?, ?, ?, 'open', ?)", id,
          robotId, taskId, taskName, sha256, sizeBytes, clock.getAsLong());
      return upload(id).orElseThrow();
    }
  }

  /** Whether robot {@code robotId} has an upload of {@code sha256} open (one it may resume). */
  public boolean hasOpenUpload(String robotId, String sha256) throws SQLException {
    return count("SELECT COUNT(*) FROM uploads WHERE robot_id = ? AND sha256 = ? AND status = 'open'", robotId, sha256) > 0;
  }

  /** Uploads a robot has open (not yet complete). */
  public long openUploads(String robotId) throws SQLException {
    return count("SELECT COUNT(*) FROM uploads WHERE robot_id = ? AND status = 'open'", robotId);
  }

  /** Forgets open uploads older than {@code maxAgeMs}; returns their ids, whose partial files the caller deletes. */
  public List<String> expireUploads(long maxAgeMs) throws SQLException {
    long cutoff = clock.getAsLong() - maxAgeMs;
    synchronized (dispatch) {
      List<String> ids = query("SELECT id FROM uploads WHERE status = 'open' AND created_ms < ?", r -> r.getString(1), cutoff);
      for (String id : ids) update("DELETE FROM uploads WHERE id = ? AND status = 'open'", id);
      return ids;
    }
  }

  public Optional<Records.Upload> upload(String id) throws SQLException {
    List<Records.Upload> u = query(UPLOAD_COLUMNS + " WHERE id = ?", FleetStore::upload, id);
    return u.isEmpty() ? Optional.empty() : Optional.of(u.get(0));
  }

  /** Keeps a checked upload as an episode (one transaction); returns the episode. */
  public Records.Episode completeUpload(String uploadId, int frames, boolean success, String path) throws SQLException {
    Records.Upload u = upload(uploadId).orElseThrow(() -> new IllegalArgumentException("no upload " + uploadId));
    long now = clock.getAsLong();
    synchronized (dispatch) {
      try (Connection c = pool.getConnection()) {
        c.setAutoCommit(false);
        try {
          long id;
          try (PreparedStatement s = c.prepareStatement("INSERT INTO episodes(robot_id, task_id, task_name, sha256, frames, success, path, created_ms)"
              + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)", Statement.RETURN_GENERATED_KEYS)) {
            bind(s, u.robotId(), u.taskId(), u.taskName(), u.sha256(), frames, success, path, now);
            s.executeUpdate();
            try (ResultSet k = s.getGeneratedKeys()) {
              k.next();
              id = k.getLong(1);
            }
          }
          if (exec(c, "UPDATE uploads SET status = 'complete', episode_id = ? WHERE id = ? AND status = 'open'", id, uploadId) != 1) {
            throw new SQLException("upload " + uploadId + " is already complete", "23000");
          }
          commit(c);
          return episodes(u.taskName()).stream().filter(e -> e.id() == id).findFirst().orElseThrow();
        } catch (SQLException e) {
          c.rollback();
          throw e;
        }
      }
    }
  }

  /**
   * Sets an upload aside: its bytes arrived as declared but do not hold a usable episode. It is never
   * retried; an operator lists and deletes it ({@link #quarantined()}, {@link #deleteQuarantined}).
   */
  public Records.Quarantined quarantine(String uploadId, String reason) throws SQLException {
    Records.Upload u = upload(uploadId).orElseThrow(() -> new IllegalArgumentException("no upload " + uploadId));
    String why = reason.length() > 2000 ? reason.substring(0, 2000) : reason;
    synchronized (dispatch) {
      try (Connection c = pool.getConnection()) {
        c.setAutoCommit(false);
        try {
          exec(c, "INSERT INTO quarantine(id, robot_id, task_id, task_name, sha256, size_bytes, reason, created_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
              u.id(), u.robotId(), u.taskId(), u.taskName(), u.sha256(), u.sizeBytes(), why, clock.getAsLong());
          exec(c, "UPDATE uploads SET status = 'quarantined' WHERE id = ?", u.id());
          commit(c);
        } catch (SQLException e) {
          c.rollback();
          throw e;
        }
      }
    }
    return quarantined().stream().filter(q -> q.id().equals(uploadId)).findFirst().orElseThrow();
  }

  /** Uploads of a robot in quarantine. */
  public long quarantinedUploads(String robotId) throws SQLException {
    return count("SELECT COUNT(*) FROM quarantine WHERE robot_id = ?", robotId);
  }

  /** Uploads set aside, oldest first. */
  public List<Records.Quarantined> quarantined() throws SQLException {
    return query("SELECT id, robot_id, task_id, task_name, sha256, size_bytes, reason, created_ms FROM quarantine ORDER BY created_ms, id",
        r -> new Records.Quarantined(r.getString(1), r.getString(2), nullableLong(r, 3), r.getString(4), r.getString(5), r.getLong(6),
            r.getString(7), r.getLong(8)));
  }

  /** Forgets a quarantined upload (the robot may then send those bytes again); false if there is none. */
  public boolean deleteQuarantined(String id) throws SQLException {
    synchronized (dispatch) {
      try (Connection c = pool.getConnection()) {
        c.setAutoCommit(false);
        try {
          int n = exec(c, "DELETE FROM quarantine WHERE id = ?", id);
          exec(c, "DELETE FROM uploads WHERE id = ? AND status = 'quarantined'", id);
          commit(c);
          return n == 1;
        } catch (SQLException e) {
          c.rollback();
          throw e;
        }
      }
    }
  }

  /** Every kept episode (of one task, or all when {@code taskName} is null), oldest first. */
  public List<Records.Episode> allEpisodes(String taskName) throws SQLException {
    return taskName != null ? episodes(taskName)
        : query("SELECT id, robot_id, task_id, task_name, sha256, frames, success, path, created_ms FROM episodes ORDER BY id", FleetStore::episode);
  }

  public Optional<Records.Episode> episode(long id) throws SQLException {
    List<Records.Episode> e = query("SELECT id, robot_id, task_id, task_name, sha256, frames, success, path, created_ms FROM episodes WHERE id = ?",
        FleetStore::episode, id);
    return e.isEmpty() ? Optional.empty() : Optional.of(e.get(0));
  }

  /** Deletes a kept episode and the uploads that delivered it (its bytes may be sent again); false if there is none. */
  public boolean deleteEpisode(long id) throws SQLException {
    synchronized (dispatch) {
      try (Connection c = pool.getConnection()) {
        c.setAutoCommit(false);
        try {
          exec(c, "DELETE FROM uploads WHERE episode_id = ?", id);
          int n = exec(c, "DELETE FROM episodes WHERE id = ?", id);
          commit(c);
          return n == 1;
        } catch (SQLException e) {
          c.rollback();
          throw e;
        }
      }
    }
  }

  private static Records.Episode episode(ResultSet r) throws SQLException {
    return new Records.Episode(r.getLong(1), r.getString(2), nullableLong(r, 3), r.getString(4), r.getString(5), r.getInt(6), r.getBoolean(7),
        r.getString(8), r.getLong(9));
  }

  /** The episodes kept for a task, oldest first. */
  public List<Records.Episode> episodes(String taskName) throws SQLException {
    return query("SELECT id, robot_id, task_id, task_name, sha256, frames, success, path, created_ms FROM episodes WHERE task_name = ? ORDER BY id",
        FleetStore::episode, taskName);
  }

  /** Episodes, frames and hours collected per task. */
  public List<Records.TaskData> collected() throws SQLException {
    return query("SELECT task_name, COUNT(*), SUM(frames), SUM(CASE WHEN success THEN 1 ELSE 0 END) FROM episodes GROUP BY task_name ORDER BY task_name",
        r -> new Records.TaskData(r.getString(1), r.getInt(2), r.getLong(3), PushTRate.hours(r.getLong(3)), r.getInt(4)));
  }

  /** The hours of a task's data at its last fine-tuning trigger (0 before the first). */
  public double triggeredHours(String taskName) throws SQLException {
    List<Double> h = query("SELECT triggered_hours FROM flywheel WHERE task_name = ?", r -> r.getDouble(1), taskName);
    return h.isEmpty() ? 0 : h.get(0);
  }

  public void recordTrigger(String taskName, double hours) throws SQLException {
    try (Connection c = pool.getConnection()) {
      c.setAutoCommit(false);
      exec(c, "DELETE FROM flywheel WHERE task_name = ?", taskName);
      exec(c, "INSERT INTO flywheel(task_name, triggered_hours, triggered_ms) VALUES (?, ?, ?)", taskName, hours, clock.getAsLong());
      commit(c);
    }
  }

  // ---- models and deployments ---------------------------------------------------------------

  /** Registers the next version of a model; returns it. */
  public Records.Model addModel(String name, String sha256, String path, String card) throws SQLException {
    synchronized (dispatch) {
      int version = (int) count("SELECT COALESCE(MAX(version), 0) FROM models WHERE name = ?", name) + 1;
      update("INSERT INTO models(name, version, sha256, path, card, created_ms) VALUES (?, ?, ?, ?, ?, ?)", name, version, sha256, path, card,
          clock.getAsLong());
      return model(name, version).orElseThrow();
    }
  }

  public Optional<Records.Model> model(String name, int version) throws SQLException {
    List<Records.Model> m = query(MODEL_COLUMNS + " WHERE name = ? AND version = ?", FleetStore::model, name, version);
    return m.isEmpty() ? Optional.empty() : Optional.of(m.get(0));
  }

  public List<Records.Model> models() throws SQLException {
    return query(MODEL_COLUMNS + " ORDER BY name, version", FleetStore::model);
  }

  /**
   * Deploys a model version to a group: with {@code canary}, to one robot of the group first (status
   * {@code canary}), else to all of it ({@code active}).
   *
   * @throws IllegalArgumentException when the model version does not exist or a canary group has no robot
   */
  public Records.Deployment deploy(String name, int version, String group, boolean canary) throws SQLException {
    if (model(name, version).isEmpty()) throw new IllegalArgumentException("no model " + name + " version " + version);
    synchronized (dispatch) {
      String canaryRobot = null;
      if (canary) {
        // an online robot if there is one, the longest enrolled first
        List<String> members = query("SELECT id FROM robots WHERE robot_group = ? ORDER BY CASE WHEN state IN ('idle', 'busy') THEN 0 ELSE 1 END,"
            + " created_ms, id", r -> r.getString(1), group);
        if (members.isEmpty()) throw new IllegalArgumentException("group '" + group + "' has no robot to be the canary");
        canaryRobot = members.get(0);
      }
      long now = clock.getAsLong();
      try (Connection c = pool.getConnection(); PreparedStatement s = c.prepareStatement("INSERT INTO deployments(model_name, model_version,"
          + " robot_group, canary_robot_id, status, created_ms, updated_ms) VALUES (?, ?, ?, ?, ?, ?, ?)", Statement.RETURN_GENERATED_KEYS)) {
        bind(s, name, version, group, canaryRobot, canary ? "canary" : "active", now, now);
        s.executeUpdate();
        try (ResultSet k = s.getGeneratedKeys()) {
          k.next();
          return deployment(k.getLong(1)).orElseThrow();
        }
      }
    }
  }

  /** Moves a deployment to {@code active} (promote a canary) or {@code rolled_back}. */
  public Records.Deployment setDeploymentStatus(long id, String status) throws SQLException {
    if (!status.equals("active") && !status.equals("rolled_back")) throw new IllegalArgumentException("status must be active or rolled_back");
    Records.Deployment d = deployment(id).orElseThrow(() -> new IllegalArgumentException("no deployment " + id));
    if (d.status().equals("rolled_back")) throw new IllegalArgumentException("deployment " + id + " was rolled back; deploy again instead");
    update("UPDATE deployments SET status = ?, updated_ms = ? WHERE id = ?", status, clock.getAsLong(), id);
    return deployment(id).orElseThrow();
  }

  public Optional<Records.Deployment> deployment(long id) throws SQLException {
    List<Records.Deployment> d = query(DEPLOYMENT_COLUMNS + " WHERE id = ?", FleetStore::deployment, id);
    return d.isEmpty() ? Optional.empty() : Optional.of(d.get(0));
  }

  public List<Records.Deployment> deployments() throws SQLException {
    return query(DEPLOYMENT_COLUMNS + " ORDER BY id", FleetStore::deployment);
  }

  /**
   * The model a robot should run: the newest of the canary deployments naming it and its group's active
   * deployments (a rolled-back one no longer counts, so the group returns to the one before; a canary
   * older than the group's latest active deployment is superseded by it).
   */
  public Optional<Records.Model> assignedModel(String robotId) throws SQLException {
    Records.Robot r = robot(robotId).orElseThrow(() -> new IllegalArgumentException("no robot " + robotId));
    List<Records.Deployment> ds = query(DEPLOYMENT_COLUMNS + " WHERE robot_group = ? AND (status = 'active' OR (status = 'canary' AND"
        + " canary_robot_id = ?)) ORDER BY id DESC", FleetStore::deployment, r.group(), robotId);
    if (ds.isEmpty()) return Optional.empty();
    return model(ds.get(0).modelName(), ds.get(0).modelVersion());
  }

  // ---- alerts -------------------------------------------------------------------------------

  public long raiseAlert(String robotId, Long taskId, String kind, String message) throws SQLException {
    try (Connection c = pool.getConnection();
        PreparedStatement s = c.prepareStatement("INSERT INTO alerts(robot_id, task_id, kind, message, created_ms) VALUES (?, ?, ?, ?, ?)",
            Statement.RETURN_GENERATED_KEYS)) {
      bind(s, robotId, taskId, kind, message, clock.getAsLong());
      s.executeUpdate();
      try (ResultSet k = s.getGeneratedKeys()) {
        k.next();
        return k.getLong(1);
      }
    }
  }

  public List<Records.Alert> alerts() throws SQLException {
    return query("SELECT id, robot_id, task_id, kind, message, created_ms FROM alerts ORDER BY id",
        r -> new Records.Alert(r.getLong(1), r.getString(2), nullableLong(r, 3), r.getString(4), r.getString(5), r.getLong(6)));
  }

  @Override
  public void close() {
    pool.close();
  }

  // ---- helpers ------------------------------------------------------------------------------

  private static final String TASK_COLUMNS = "SELECT id, job_id, step_index, step_name, seq, scene, goal_x, goal_y, goal_angle, embodiment,"
      + " max_steps, success_score, status, robot_id, attempts, max_attempts, result FROM tasks";

  private static final String MODEL_COLUMNS = "SELECT name, version, sha256, path, card, created_ms FROM models";
  private static final String DEPLOYMENT_COLUMNS = "SELECT id, model_name, model_version, robot_group, canary_robot_id, status, created_ms FROM deployments";

  private static Records.Model model(ResultSet r) throws SQLException {
    return new Records.Model(r.getString(1), r.getInt(2), r.getString(3), r.getString(4), r.getString(5), r.getLong(6));
  }

  private static Records.Deployment deployment(ResultSet r) throws SQLException {
    return new Records.Deployment(r.getLong(1), r.getString(2), r.getInt(3), r.getString(4), r.getString(5), r.getString(6), r.getLong(7));
  }

  private static final String UPLOAD_COLUMNS = "SELECT id, robot_id, task_id, task_name, sha256, size_bytes, status, episode_id FROM uploads";

  private static Records.Upload upload(ResultSet r) throws SQLException {
    return new Records.Upload(r.getString(1), r.getString(2), nullableLong(r, 3), r.getString(4), r.getString(5), r.getLong(6),
        r.getString(7), nullableLong(r, 8));
  }

  private static Records.Task task(ResultSet r) throws SQLException {
    return new Records.Task(r.getLong(1), r.getLong(2), r.getInt(3), r.getString(4), r.getInt(5), r.getString(6),
        nullableDouble(r, 7), nullableDouble(r, 8), nullableDouble(r, 9), r.getString(10),
        r.getInt(11), r.getDouble(12), r.getString(13), r.getString(14), r.getInt(15), r.getInt(16), r.getString(17));
  }

  private static void requeue(Connection c, String robotId, long now) throws SQLException {
    // a task in flight on a robot that restarted, left or vanished goes back to the queue, unless it has used its attempts
    // (a task that crashes every agent that takes it must not cycle forever): then it and its job fail
    List<long[]> exhausted = new ArrayList<>(); // (task, job), read in full before any update (no update under an open cursor)
    try (PreparedStatement s = prepare(c, "SELECT id, job_id FROM tasks WHERE robot_id = ? AND status = 'assigned' AND attempts >= max_attempts",
        robotId); ResultSet r = s.executeQuery()) {
      while (r.next()) exhausted.add(new long[] {r.getLong(1), r.getLong(2)});
    }
    for (long[] t : exhausted) exec(c, "UPDATE tasks SET status = 'failed', updated_ms = ? WHERE id = ?", now, t[0]);
    for (long job : exhausted.stream().mapToLong(t -> t[1]).distinct().toArray()) exec(c, "UPDATE jobs SET status = 'failed', finished_ms = ? WHERE id = ? AND status = 'running'", now, job);
    exec(c, "UPDATE tasks SET status = 'queued', robot_id = NULL, updated_ms = ? WHERE robot_id = ? AND status = 'assigned'", now, robotId);
  }

  static String hash(String secret) {
    return Digests.sha256Hex(secret.getBytes(StandardCharsets.UTF_8));
  }

  private static String secret() {
    byte[] b = new byte[24];
    RANDOM.nextBytes(b);
    return HexFormat.of().formatHex(b);
  }

  private interface Row<T> {
    T map(ResultSet r) throws SQLException;
  }

  private <T> List<T> query(String sql, Row<T> row, Object... args) throws SQLException {
    try (Connection c = pool.getConnection(); PreparedStatement s = prepare(c, sql, args); ResultSet r = s.executeQuery()) {
      List<T> out = new ArrayList<>();
      while (r.next()) out.add(row.map(r));
      return out;
    }
  }

  private long count(String sql, Object... args) throws SQLException {
    try (Connection c = pool.getConnection()) {
      return count(c, sql, args);
    }
  }

  private static long count(Connection c, String sql, Object... args) throws SQLException {
    try (PreparedStatement s = prepare(c, sql, args); ResultSet r = s.executeQuery()) {
      r.next();
      return r.getLong(1);
    }
  }

  private void update(String sql, Object... args) throws SQLException {
    try (Connection c = pool.getConnection()) {
      exec(c, sql, args);
    }
  }

  private static int exec(Connection c, String sql, Object... args) throws SQLException {
    try (PreparedStatement s = prepare(c, sql, args)) {
      return s.executeUpdate();
    }
  }

  private static PreparedStatement prepare(Connection c, String sql, Object... args) throws SQLException {
    PreparedStatement s = c.prepareStatement(sql);
    try {
      bind(s, args);
      return s;
    } catch (SQLException e) {
      s.close();
      throw e;
    }
  }

  private static void bind(PreparedStatement s, Object... args) throws SQLException {
    for (int i = 0; i < args.length; i++) {
      Object a = args[i];
      if (a == null) s.setNull(i + 1, Types.NULL);
      else s.setObject(i + 1, a);
    }
  }

  /** A nullable BIGINT column, read the same way by every driver (SQLite's rejects getObject(i, Long.class) for small values). */
  private static Long nullableLong(ResultSet r, int column) throws SQLException {
    long v = r.getLong(column);
    return r.wasNull() ? null : v;
  }

  private static Double nullableDouble(ResultSet r, int column) throws SQLException {
    double v = r.getDouble(column);
    return r.wasNull() ? null : v;
  }

  /**
   * Commits and leaves the connection in auto-commit, with no transaction open. JDBC's own
   * {@code commit()} would, in sqlite-jdbc with IMMEDIATE transactions, start the next transaction at
   * once and so take the database's write lock again until the pool resets the connection (and could
   * fail after the data was committed, while waiting for that lock).
   */
  private static void commit(Connection c) throws SQLException {
    c.setAutoCommit(true); // commits the transaction in flight (JDBC: changing the mode commits)
  }
}
