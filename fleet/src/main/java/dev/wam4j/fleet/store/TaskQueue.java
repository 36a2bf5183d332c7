package dev.wam4j.fleet.store;

import dev.wam4j.fleet.job.JobDocument;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * Jobs and their tasks: a job document planned into tasks, handed to robots step by step (a task
 * goes to one robot at a time), retried on failure until its attempts run out, and the job's status
 * kept in step with its tasks.
 */
public final class TaskQueue {
  private static final String COLUMNS =
      "SELECT id, job_id, step_index, step_name, seq, scene, goal_x, goal_y, goal_angle, embodiment,"
          + " max_steps, success_score, status, robot_id, attempts, max_attempts, result FROM tasks";

  private final Db db;
  private final Robots robots;
  private final LongSupplier clock;
  private final Object dispatch =
      new Object(); // one claim, report or cancel at a time: a task goes to one robot

  TaskQueue(Db db, Robots robots, LongSupplier clock) {
    this.db = db;
    this.robots = robots;
    this.clock = clock;
  }

  /** Plans a job into tasks (every step's {@code count}); returns the job id. */
  public long submit(JobDocument job, String markdown, int maxAttempts) throws SQLException {
    if (maxAttempts < 1)
      throw new IllegalArgumentException("maxAttempts must be >= 1, got " + maxAttempts);
    long now = clock.getAsLong();
    return db.transaction(
        tx -> {
          long id =
              tx.insert(
                  "INSERT INTO jobs(title, document, status, created_ms) VALUES (?, ?, ?, ?)",
                  job.title(),
                  markdown,
                  JobStatus.RUNNING,
                  now);
          for (int i = 0; i < job.steps().size(); i++) {
            JobDocument.Step st = job.steps().get(i);
            JobDocument.GoalPose g = st.goal();
            for (int seq = 1; seq <= st.count(); seq++) {
              tx.update(
                  "INSERT INTO tasks(job_id, step_index, step_name, seq, scene, goal_x, goal_y, goal_angle, embodiment, max_steps, success_score,"
                      + " status, robot_id, attempts, max_attempts, updated_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, 0, ?, ?)",
                  id,
                  i,
                  st.name(),
                  seq,
                  st.scene(),
                  g == null ? null : g.x(),
                  g == null ? null : g.y(),
                  g == null ? null : g.angleRadians(),
                  st.embodiment(),
                  st.maxSteps(),
                  st.successScore(),
                  TaskStatus.QUEUED,
                  maxAttempts,
                  now);
            }
          }
          return id;
        });
  }

  /**
   * Gives the robot the next task it can do: queued, its embodiment, of a running job, every task
   * of the job's earlier steps done; oldest job and step first. Empty when there is none. Atomic
   * across server processes on one database: a task goes to the robot whose conditional UPDATE
   * changed its row, and a robot that asks through two servers at once gets one task.
   */
  public Optional<Records.Task> claim(String robotId) throws SQLException {
    synchronized (dispatch) { // one claim at a time in this process; other processes may race
      Records.Robot robot =
          robots
              .find(robotId)
              .orElseThrow(() -> new IllegalArgumentException("no robot " + robotId));
      if (robot.embodiment() == null) return Optional.empty(); // not registered yet
      long now = clock.getAsLong();
      Long claimed =
          db.transaction(
              tx -> {
                // a no-op write locks the robot's row first (PostgreSQL, H2; SQLite's IMMEDIATE
                // transaction locks the whole file): a second claim for this robot, through
                // another server, waits here and then finds the task this one took
                tx.update("UPDATE robots SET state = state WHERE id = ?", robotId);
                // idempotent: a robot that asks again (its reply was lost) gets the task it holds
                Optional<Long> held =
                    tx.one(
                        "SELECT id FROM tasks WHERE robot_id = ? AND status = ? ORDER BY id",
                        r -> r.getLong("id"),
                        robotId,
                        TaskStatus.ASSIGNED);
                if (held.isPresent()) return held.get();
                for (Long id = next(tx, robot.embodiment());
                    id != null;
                    id = next(tx, robot.embodiment())) {
                  if (take(tx, id, robotId, now)) return id;
                  // another server took it since next() read it (on PostgreSQL the UPDATE waited
                  // for that server's commit, then matched no row): look again
                }
                return null;
              });
      return claimed == null ? Optional.empty() : task(claimed);
    }
  }

  /**
   * Assigns queued task {@code id} to the robot; false when it is no longer queued. The UPDATE's
   * row count decides, so two servers that both found the task cannot both hand it out.
   */
  private static boolean take(Db.Tx tx, long id, String robotId, long now) throws SQLException {
    if (tx.update(
            "UPDATE tasks SET status = ?, robot_id = ?, attempts = attempts + 1, updated_ms = ? WHERE id = ? AND status = ?",
            TaskStatus.ASSIGNED,
            robotId,
            now,
            id,
            TaskStatus.QUEUED)
        == 0) {
      return false;
    }
    tx.update("UPDATE robots SET state = ? WHERE id = ?", RobotState.BUSY, robotId);
    if (tx.count(
            "SELECT COUNT(*) FROM task_attempts WHERE task_id = ? AND robot_id = ?", id, robotId)
        == 0) {
      tx.update(
          "INSERT INTO task_attempts(task_id, robot_id, claimed_ms) VALUES (?, ?, ?)",
          id,
          robotId,
          now);
    }
    return true;
  }

  /**
   * The next task for an embodiment: per running job (oldest first), its current step is the lowest
   * one not done, and that step's first queued task of this embodiment goes out. Indexed lookups
   * per job, never a scan of every queued task (a 10 x 1,000 job stays fast).
   */
  private static Long next(Db.Tx tx, String embodiment) throws SQLException {
    for (long job :
        tx.query(
            "SELECT id FROM jobs WHERE status = ? ORDER BY id",
            r -> r.getLong("id"),
            JobStatus.RUNNING)) {
      Long step =
          tx.one(
                  "SELECT MIN(step_index) AS step FROM tasks WHERE job_id = ? AND status <> ?",
                  r -> Db.nullableLong(r, "step"),
                  job,
                  TaskStatus.DONE)
              .orElse(null);
      if (step == null) continue;
      Optional<Long> task =
          tx.one(
              "SELECT id FROM tasks WHERE job_id = ? AND step_index = ? AND status = ? AND embodiment = ? ORDER BY id LIMIT 1",
              r -> r.getLong("id"),
              job,
              step.intValue(),
              TaskStatus.QUEUED,
              embodiment);
      if (task.isPresent()) return task.get();
    }
    return null;
  }

  /**
   * Whether task {@code taskId} was ever given to robot {@code robotId} (its episodes may be
   * uploaded by it only).
   */
  public boolean attempted(long taskId, String robotId) throws SQLException {
    return db.count(
            "SELECT COUNT(*) FROM task_attempts WHERE task_id = ? AND robot_id = ?",
            taskId,
            robotId)
        > 0;
  }

  /**
   * Cancels a running job: its queued and assigned tasks become {@code cancelled} (a robot's report
   * on one is then refused), the robots that held them are idle again. Returns false when the job
   * is not running (done, failed, cancelled or unknown).
   */
  public boolean cancel(long jobId) throws SQLException {
    long now = clock.getAsLong();
    synchronized (dispatch) {
      return db.transaction(
          tx -> {
            if (tx.update(
                    "UPDATE jobs SET status = ?, finished_ms = ? WHERE id = ? AND status = ?",
                    JobStatus.CANCELLED,
                    now,
                    jobId,
                    JobStatus.RUNNING)
                == 0) {
              return false;
            }
            tx.update(
                "UPDATE robots SET state = ? WHERE state = ? AND id IN (SELECT robot_id FROM tasks WHERE job_id = ? AND status = ?)",
                RobotState.IDLE,
                RobotState.BUSY,
                jobId,
                TaskStatus.ASSIGNED);
            tx.update(
                "UPDATE tasks SET status = ?, updated_ms = ? WHERE job_id = ? AND status IN (?, ?)",
                TaskStatus.CANCELLED,
                now,
                jobId,
                TaskStatus.QUEUED,
                TaskStatus.ASSIGNED);
            return true;
          });
    }
  }

  /**
   * The robot reports a task's end. A failure is queued again until its attempts run out, then the
   * task and its job fail; when every task of a job is done, the job is done. The same report sent
   * again after it was recorded (done, or the last failure) is acknowledged and changes nothing.
   *
   * @throws IllegalArgumentException when the task is not assigned to this robot
   */
  public Records.Task finish(String robotId, long taskId, boolean success, String resultJson)
      throws SQLException {
    long now = clock.getAsLong();
    synchronized (dispatch) {
      Records.Task t =
          task(taskId).orElseThrow(() -> new IllegalArgumentException("no task " + taskId));
      if (robotId.equals(t.robotId())
          && t.status() == (success ? TaskStatus.DONE : TaskStatus.FAILED)) {
        // the same report again (its reply was lost, e.g. with a server that died, and the robot
        // sent it to another): already recorded, acknowledged again, nothing changes
        return t;
      }
      if (t.status() != TaskStatus.ASSIGNED || !robotId.equals(t.robotId())) {
        throw new IllegalArgumentException(
            "task "
                + taskId
                + " is not assigned to robot "
                + robotId
                + " (status "
                + t.status().wire()
                + ")");
      }
      TaskStatus status =
          success
              ? TaskStatus.DONE
              : t.attempts() < t.maxAttempts() ? TaskStatus.QUEUED : TaskStatus.FAILED;
      db.transaction(
          tx -> {
            // a no-op write locks the job's row first: two servers finishing its last two tasks at
            // once would each count the other's task as not done (neither sees the other's
            // uncommitted row) and leave the job running for ever; the second now waits, then
            // counts after the first's commit
            tx.update("UPDATE jobs SET status = status WHERE id = ?", t.jobId());
            int changed =
                tx.update(
                    "UPDATE tasks SET status = ?, robot_id = ?, result = ?, updated_ms = ? WHERE id = ? AND status = ? AND robot_id = ?",
                    status,
                    status == TaskStatus.QUEUED ? null : robotId,
                    resultJson,
                    now,
                    taskId,
                    TaskStatus.ASSIGNED,
                    robotId);
            if (changed
                == 0) { // requeued meanwhile (the robot was revoked, went silent or restarted): the
              // report comes too late
              throw new IllegalArgumentException(
                  "task " + taskId + " is no longer assigned to robot " + robotId);
            }
            tx.update(
                "UPDATE robots SET state = ? WHERE id = ? AND state = ?",
                RobotState.IDLE,
                robotId,
                RobotState.BUSY);
            if (status == TaskStatus.FAILED) {
              tx.update(
                  "UPDATE jobs SET status = ?, finished_ms = ? WHERE id = ? AND status = ?",
                  JobStatus.FAILED,
                  now,
                  t.jobId(),
                  JobStatus.RUNNING);
            } else if (tx.count(
                    "SELECT COUNT(*) FROM tasks WHERE job_id = ? AND status <> ?",
                    t.jobId(),
                    TaskStatus.DONE)
                == 0) {
              tx.update(
                  "UPDATE jobs SET status = ?, finished_ms = ? WHERE id = ? AND status = ?",
                  JobStatus.DONE,
                  now,
                  t.jobId(),
                  JobStatus.RUNNING);
            }
            return null;
          });
      return task(taskId).orElseThrow();
    }
  }

  public Optional<Records.Task> task(long id) throws SQLException {
    return db.one(COLUMNS + " WHERE id = ?", TaskQueue::task, id);
  }

  /** A job's tasks, step by step. */
  public List<Records.Task> tasks(long jobId) throws SQLException {
    return db.query(COLUMNS + " WHERE job_id = ? ORDER BY step_index, seq", TaskQueue::task, jobId);
  }

  /** Every job with its progress, oldest first. */
  public List<Records.Job> jobs() throws SQLException {
    return db.query(
        "SELECT j.id, j.title, j.status, j.created_ms, j.finished_ms, COUNT(t.id) AS tasks,"
            + " SUM(CASE WHEN t.status = 'done' THEN 1 ELSE 0 END) AS done, SUM(CASE WHEN t.status = 'failed' THEN 1 ELSE 0 END) AS failed,"
            + " SUM(CASE WHEN t.status = 'queued' THEN 1 ELSE 0 END) AS queued, SUM(CASE WHEN t.status = 'assigned' THEN 1 ELSE 0 END) AS assigned"
            + " FROM jobs j LEFT JOIN tasks t ON t.job_id = j.id GROUP BY j.id, j.title, j.status, j.created_ms, j.finished_ms ORDER BY j.id",
        r ->
            new Records.Job(
                r.getLong("id"),
                r.getString("title"),
                Wire.parse(JobStatus.class, r.getString("status")),
                r.getLong("created_ms"),
                Db.nullableLong(r, "finished_ms"),
                r.getInt("tasks"),
                r.getInt("done"),
                r.getInt("failed"),
                r.getInt("queued"),
                r.getInt("assigned")));
  }

  public Optional<Records.Job> job(long id) throws SQLException {
    return jobs().stream().filter(j -> j.id() == id).findFirst();
  }

  /**
   * Gives back the task a robot holds (it restarted, left or vanished): queued again, unless it has
   * used its attempts (a task that crashes every agent that takes it must not cycle forever): then
   * it and its job fail. Runs inside the caller's transaction.
   */
  static void requeue(Db.Tx tx, String robotId, long now) throws SQLException {
    // read in full before any update (no update under an open cursor)
    List<long[]> exhausted =
        tx.query(
            "SELECT id, job_id FROM tasks WHERE robot_id = ? AND status = ? AND attempts >= max_attempts",
            r -> new long[] {r.getLong("id"), r.getLong("job_id")},
            robotId,
            TaskStatus.ASSIGNED);
    for (long[] t : exhausted)
      tx.update(
          "UPDATE tasks SET status = ?, updated_ms = ? WHERE id = ?", TaskStatus.FAILED, now, t[0]);
    for (long job : exhausted.stream().mapToLong(t -> t[1]).distinct().toArray()) {
      tx.update(
          "UPDATE jobs SET status = ?, finished_ms = ? WHERE id = ? AND status = ?",
          JobStatus.FAILED,
          now,
          job,
          JobStatus.RUNNING);
    }
    tx.update(
        "UPDATE tasks SET status = ?, robot_id = NULL, updated_ms = ? WHERE robot_id = ? AND status = ?",
        TaskStatus.QUEUED,
        now,
        robotId,
        TaskStatus.ASSIGNED);
  }

  private static Records.Task task(ResultSet r) throws SQLException {
    return new Records.Task(
        r.getLong("id"),
        r.getLong("job_id"),
        r.getInt("step_index"),
        r.getString("step_name"),
        r.getInt("seq"),
        r.getString("scene"),
        Db.nullableDouble(r, "goal_x"),
        Db.nullableDouble(r, "goal_y"),
        Db.nullableDouble(r, "goal_angle"),
        r.getString("embodiment"),
        r.getInt("max_steps"),
        r.getDouble("success_score"),
        Wire.parse(TaskStatus.class, r.getString("status")),
        r.getString("robot_id"),
        r.getInt("attempts"),
        r.getInt("max_attempts"),
        r.getString("result"));
  }
}
