package dev.wam4j.fleet.store;

import dev.wam4j.data.pusht.PushTRate;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * Episodes from robots: an upload is opened (or found again, to resume), then either kept as an
 * episode or set aside in quarantine; the episodes kept per task, what they add up to, and when the
 * data flywheel last triggered fine-tuning for a task.
 */
public final class Uploads {
  private static final String UPLOAD_COLUMNS =
      "SELECT id, robot_id, task_id, task_name, sha256, size_bytes, status, episode_id FROM uploads";
  private static final String EPISODE_COLUMNS =
      "SELECT id, robot_id, task_id, task_name, sha256, frames, success, path, created_ms FROM episodes";
  private static final String QUARANTINE_COLUMNS =
      "SELECT id, robot_id, task_id, task_name, sha256, size_bytes, reason, created_ms FROM quarantine";

  private final Db db;
  private final LongSupplier clock;
  private final Object lock = new Object(); // an upload's read-then-write steps, one at a time

  Uploads(Db db, LongSupplier clock) {
    this.db = db;
    this.clock = clock;
  }

  // ---- uploads ------------------------------------------------------------------------------

  /**
   * Opens (or finds again, to resume) the robot's upload of an episode archive with this SHA-256.
   * An episode already kept with that digest makes it a duplicate: status {@code duplicate},
   * nothing to send.
   */
  public Records.Upload open(
      String robotId, Long taskId, String taskName, String sha256, long sizeBytes)
      throws SQLException {
    synchronized (lock) {
      Optional<Long> kept = keptEpisode(sha256);
      if (kept.isPresent())
        return new Records.Upload(
            null, robotId, taskId, taskName, sha256, sizeBytes, UploadStatus.DUPLICATE, kept.get());
      Optional<Records.Upload> open =
          db.one(
              UPLOAD_COLUMNS + " WHERE robot_id = ? AND sha256 = ?",
              Uploads::upload,
              robotId,
              sha256);
      if (open.isPresent()) {
        Records.Upload u = open.get();
        if (u.sizeBytes() != sizeBytes) {
          throw new IllegalArgumentException(
              "upload "
                  + u.id()
                  + " of "
                  + sha256
                  + " was opened with "
                  + u.sizeBytes()
                  + " bytes, not "
                  + sizeBytes);
        }
        return u;
      }
      String id = "u-" + Robots.secret().substring(0, 16);
      db.update(
          "INSERT INTO uploads(id, robot_id, task_id, task_name, sha256, size_bytes, status, created_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
          id,
          robotId,
          taskId,
          taskName,
          sha256,
          sizeBytes,
          UploadStatus.OPEN,
          clock.getAsLong());
      return find(id).orElseThrow();
    }
  }

  /** The episode kept with these bytes, if any (a digest is kept once). */
  public Optional<Long> keptEpisode(String sha256) throws SQLException {
    return db.one("SELECT id FROM episodes WHERE sha256 = ?", r -> r.getLong("id"), sha256);
  }

  /** Whether robot {@code robotId} has an upload of {@code sha256} open (one it may resume). */
  public boolean hasOpen(String robotId, String sha256) throws SQLException {
    return db.count(
            "SELECT COUNT(*) FROM uploads WHERE robot_id = ? AND sha256 = ? AND status = ?",
            robotId,
            sha256,
            UploadStatus.OPEN)
        > 0;
  }

  /** Uploads a robot has open (not yet complete). */
  public long openCount(String robotId) throws SQLException {
    return db.count(
        "SELECT COUNT(*) FROM uploads WHERE robot_id = ? AND status = ?",
        robotId,
        UploadStatus.OPEN);
  }

  /**
   * Forgets open uploads older than {@code maxAgeMs}; returns their ids, whose partial files the
   * caller deletes.
   */
  public List<String> expire(long maxAgeMs) throws SQLException {
    long cutoff = clock.getAsLong() - maxAgeMs;
    synchronized (lock) {
      List<String> ids =
          db.query(
              "SELECT id FROM uploads WHERE status = ? AND created_ms < ?",
              r -> r.getString("id"),
              UploadStatus.OPEN,
              cutoff);
      // only the rows this call deleted: another server on the database may have expired one, or
      // completed it, since they were read (and its bytes are then not this call's to discard)
      List<String> expired = new java.util.ArrayList<>();
      for (String id : ids)
        if (db.update("DELETE FROM uploads WHERE id = ? AND status = ?", id, UploadStatus.OPEN)
            == 1) expired.add(id);
      return expired;
    }
  }

  public Optional<Records.Upload> find(String id) throws SQLException {
    return db.one(UPLOAD_COLUMNS + " WHERE id = ?", Uploads::upload, id);
  }

  /** Keeps a checked upload as an episode (one transaction); returns the episode. */
  public Records.Episode complete(String uploadId, int frames, boolean success, String path)
      throws SQLException {
    Records.Upload u =
        find(uploadId).orElseThrow(() -> new IllegalArgumentException("no upload " + uploadId));
    long now = clock.getAsLong();
    synchronized (lock) {
      long id =
          db.transaction(
              tx -> {
                long episode =
                    tx.insert(
                        "INSERT INTO episodes(robot_id, task_id, task_name, sha256, frames, success, path, created_ms)"
                            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                        u.robotId(),
                        u.taskId(),
                        u.taskName(),
                        u.sha256(),
                        frames,
                        success,
                        path,
                        now);
                if (tx.update(
                        "UPDATE uploads SET status = ?, episode_id = ? WHERE id = ? AND status = ?",
                        UploadStatus.COMPLETE,
                        episode,
                        uploadId,
                        UploadStatus.OPEN)
                    != 1) {
                  throw new SQLException("upload " + uploadId + " is already complete", "23000");
                }
                return episode;
              });
      return episode(id).orElseThrow();
    }
  }

  // ---- quarantine ---------------------------------------------------------------------------

  /**
   * Sets an upload aside: its bytes arrived as declared but do not hold a usable episode. It is
   * never retried; an operator lists and deletes it ({@link #quarantined()}, {@link
   * #deleteQuarantined}).
   */
  public Records.Quarantined quarantine(String uploadId, String reason) throws SQLException {
    Records.Upload u =
        find(uploadId).orElseThrow(() -> new IllegalArgumentException("no upload " + uploadId));
    // a reason may quote names from the archive, and PostgreSQL refuses a NUL in text: refusing
    // the row would leave the upload to be retried for ever, so the NUL is replaced
    String why =
        (reason.length() > 2000 ? reason.substring(0, 2000) : reason).replace('\0', '\uFFFD');
    synchronized (lock) {
      db.transaction(
          tx -> {
            tx.update(
                "INSERT INTO quarantine(id, robot_id, task_id, task_name, sha256, size_bytes, reason, created_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                u.id(),
                u.robotId(),
                u.taskId(),
                u.taskName(),
                u.sha256(),
                u.sizeBytes(),
                why,
                clock.getAsLong());
            tx.update(
                "UPDATE uploads SET status = ? WHERE id = ?", UploadStatus.QUARANTINED, u.id());
            return null;
          });
    }
    return db.one(QUARANTINE_COLUMNS + " WHERE id = ?", Uploads::quarantined, uploadId)
        .orElseThrow();
  }

  /** Uploads of a robot in quarantine. */
  public long quarantinedCount(String robotId) throws SQLException {
    return db.count("SELECT COUNT(*) FROM quarantine WHERE robot_id = ?", robotId);
  }

  /** Uploads set aside, oldest first. */
  public List<Records.Quarantined> quarantined() throws SQLException {
    return db.query(QUARANTINE_COLUMNS + " ORDER BY created_ms, id", Uploads::quarantined);
  }

  /**
   * Forgets a quarantined upload (the robot may then send those bytes again); false if there is
   * none.
   */
  public boolean deleteQuarantined(String id) throws SQLException {
    synchronized (lock) {
      return db.transaction(
          tx -> {
            int n = tx.update("DELETE FROM quarantine WHERE id = ?", id);
            tx.update(
                "DELETE FROM uploads WHERE id = ? AND status = ?", id, UploadStatus.QUARANTINED);
            return n == 1;
          });
    }
  }

  // ---- episodes -----------------------------------------------------------------------------

  /** The task's episodes kept after {@code sinceMs}, oldest first. */
  public List<Records.Episode> episodesSince(String taskName, long sinceMs) throws SQLException {
    return db.query(
        EPISODE_COLUMNS + " WHERE task_name = ? AND created_ms > ? ORDER BY id",
        Uploads::episode,
        taskName,
        sinceMs);
  }

  /** Every kept episode (of one task, or all when {@code taskName} is null), oldest first. */
  public List<Records.Episode> episodes(String taskName) throws SQLException {
    return taskName == null
        ? db.query(EPISODE_COLUMNS + " ORDER BY id", Uploads::episode)
        : db.query(
            EPISODE_COLUMNS + " WHERE task_name = ? ORDER BY id", Uploads::episode, taskName);
  }

  public Optional<Records.Episode> episode(long id) throws SQLException {
    return db.one(EPISODE_COLUMNS + " WHERE id = ?", Uploads::episode, id);
  }

  /**
   * Deletes a kept episode and the uploads that delivered it (its bytes may be sent again); false
   * if there is none.
   */
  public boolean deleteEpisode(long id) throws SQLException {
    synchronized (lock) {
      return db.transaction(
          tx -> {
            tx.update("DELETE FROM uploads WHERE episode_id = ?", id);
            return tx.update("DELETE FROM episodes WHERE id = ?", id) == 1;
          });
    }
  }

  /** Episodes, frames and hours collected per task. */
  public List<Records.TaskData> collected() throws SQLException {
    return db.query(
        "SELECT task_name, COUNT(*) AS episodes, SUM(frames) AS frames, SUM(CASE WHEN success THEN 1 ELSE 0 END) AS successes"
            + " FROM episodes GROUP BY task_name ORDER BY task_name",
        r ->
            new Records.TaskData(
                r.getString("task_name"),
                r.getInt("episodes"),
                r.getLong("frames"),
                PushTRate.hours(r.getLong("frames")),
                r.getInt("successes")));
  }

  // ---- flywheel triggers --------------------------------------------------------------------

  /** The hours of a task's data at its last fine-tuning trigger (0 before the first). */
  public double triggeredHours(String taskName) throws SQLException {
    return db.one(
            "SELECT triggered_hours FROM flywheel WHERE task_name = ?",
            r -> r.getDouble("triggered_hours"),
            taskName)
        .orElse(0.0);
  }

  /** Records that fine-tuning was triggered for a task at {@code hours} of data. */
  public void recordTrigger(String taskName, double hours) throws SQLException {
    db.transaction(
        tx -> {
          tx.update("DELETE FROM flywheel WHERE task_name = ?", taskName);
          tx.update(
              "INSERT INTO flywheel(task_name, triggered_hours, triggered_ms) VALUES (?, ?, ?)",
              taskName,
              hours,
              clock.getAsLong());
          return null;
        });
  }

  private static Records.Upload upload(ResultSet r) throws SQLException {
    return new Records.Upload(
        r.getString("id"),
        r.getString("robot_id"),
        Db.nullableLong(r, "task_id"),
        r.getString("task_name"),
        r.getString("sha256"),
        r.getLong("size_bytes"),
        Wire.parse(UploadStatus.class, r.getString("status")),
        Db.nullableLong(r, "episode_id"));
  }

  private static Records.Episode episode(ResultSet r) throws SQLException {
    return new Records.Episode(
        r.getLong("id"),
        r.getString("robot_id"),
        Db.nullableLong(r, "task_id"),
        r.getString("task_name"),
        r.getString("sha256"),
        r.getInt("frames"),
        r.getBoolean("success"),
        r.getString("path"),
        r.getLong("created_ms"));
  }

  private static Records.Quarantined quarantined(ResultSet r) throws SQLException {
    return new Records.Quarantined(
        r.getString("id"),
        r.getString("robot_id"),
        Db.nullableLong(r, "task_id"),
        r.getString("task_name"),
        r.getString("sha256"),
        r.getLong("size_bytes"),
        r.getString("reason"),
        r.getLong("created_ms"));
  }
}
