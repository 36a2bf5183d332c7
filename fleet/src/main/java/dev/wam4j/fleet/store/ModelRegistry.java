package dev.wam4j.fleet.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * Model versions and where they run: each upload of a model is its next version; a deployment puts
 * a version on a robot group, through one canary robot first or on all of it, and is promoted or
 * rolled back; a robot runs the newest deployment that applies to it.
 */
public final class ModelRegistry {
  private static final String MODEL_COLUMNS =
      "SELECT name, version, sha256, path, card, created_ms FROM models";
  private static final String DEPLOYMENT_COLUMNS =
      "SELECT id, model_name, model_version, robot_group, canary_robot_id, status, created_ms FROM deployments";

  private final Db db;
  private final Robots robots;
  private final LongSupplier clock;
  private final Object lock = new Object(); // versions are numbered, canaries chosen, one at a time

  ModelRegistry(Db db, Robots robots, LongSupplier clock) {
    this.db = db;
    this.robots = robots;
    this.clock = clock;
  }

  /** Registers the next version of a model; returns it. */
  public Records.Model add(String name, String sha256, String path, String card)
      throws SQLException {
    synchronized (lock) {
      int version =
          (int) db.count("SELECT COALESCE(MAX(version), 0) FROM models WHERE name = ?", name) + 1;
      db.update(
          "INSERT INTO models(name, version, sha256, path, card, created_ms) VALUES (?, ?, ?, ?, ?, ?)",
          name,
          version,
          sha256,
          path,
          card,
          clock.getAsLong());
      return find(name, version).orElseThrow();
    }
  }

  public Optional<Records.Model> find(String name, int version) throws SQLException {
    return db.one(
        MODEL_COLUMNS + " WHERE name = ? AND version = ?", ModelRegistry::model, name, version);
  }

  /** Every model version, by name and version. */
  public List<Records.Model> all() throws SQLException {
    return db.query(MODEL_COLUMNS + " ORDER BY name, version", ModelRegistry::model);
  }

  /**
   * Deploys a model version to a group: with {@code canary}, to one robot of the group first
   * (status {@code canary}), else to all of it ({@code active}).
   *
   * @throws IllegalArgumentException when the model version does not exist or a canary group has no
   *     robot
   */
  public Records.Deployment deploy(String name, int version, String group, boolean canary)
      throws SQLException {
    if (find(name, version).isEmpty())
      throw new IllegalArgumentException("no model " + name + " version " + version);
    synchronized (lock) {
      String canaryRobot = null;
      if (canary) {
        // an online robot if there is one; of those, the one whose last canary is oldest (never
        // first), so successive canaries do not all measure the same robot; then the longest
        // enrolled
        canaryRobot =
            db.one(
                    "SELECT id FROM robots WHERE robot_group = ? ORDER BY CASE WHEN state IN (?, ?) THEN 0 ELSE 1 END,"
                        + " COALESCE((SELECT MAX(d.id) FROM deployments d WHERE d.canary_robot_id = robots.id), 0),"
                        + " created_ms, id",
                    r -> r.getString("id"),
                    group,
                    RobotState.IDLE,
                    RobotState.BUSY)
                .orElseThrow(
                    () ->
                        new IllegalArgumentException(
                            "group '" + group + "' has no robot to be the canary"));
      }
      long now = clock.getAsLong();
      long id =
          db.insert(
              "INSERT INTO deployments(model_name, model_version, robot_group, canary_robot_id, status, created_ms, updated_ms)"
                  + " VALUES (?, ?, ?, ?, ?, ?, ?)",
              name,
              version,
              group,
              canaryRobot,
              canary ? DeploymentStatus.CANARY : DeploymentStatus.ACTIVE,
              now,
              now);
      return deployment(id).orElseThrow();
    }
  }

  /** Moves a deployment to {@code active} (promote a canary) or {@code rolled_back}. */
  public Records.Deployment setStatus(long id, DeploymentStatus status) throws SQLException {
    if (status == DeploymentStatus.CANARY)
      throw new IllegalArgumentException("status must be active or rolled_back");
    Records.Deployment d =
        deployment(id).orElseThrow(() -> new IllegalArgumentException("no deployment " + id));
    if (d.status() == DeploymentStatus.ROLLED_BACK)
      throw new IllegalArgumentException(
          "deployment " + id + " was rolled back; deploy again instead");
    db.update(
        "UPDATE deployments SET status = ?, updated_ms = ? WHERE id = ?",
        status,
        clock.getAsLong(),
        id);
    return deployment(id).orElseThrow();
  }

  public Optional<Records.Deployment> deployment(long id) throws SQLException {
    return db.one(DEPLOYMENT_COLUMNS + " WHERE id = ?", ModelRegistry::deployment, id);
  }

  /** Every deployment, oldest first. */
  public List<Records.Deployment> deployments() throws SQLException {
    return db.query(DEPLOYMENT_COLUMNS + " ORDER BY id", ModelRegistry::deployment);
  }

  /** The group's newest active deployment: what its robots other than a canary run. */
  public Optional<Records.Deployment> active(String group) throws SQLException {
    return db.one(
        DEPLOYMENT_COLUMNS + " WHERE robot_group = ? AND status = ? ORDER BY id DESC",
        ModelRegistry::deployment,
        group,
        DeploymentStatus.ACTIVE);
  }

  /**
   * The model a robot should run: the newest of the canary deployments naming it and its group's
   * active deployments (a rolled-back one no longer counts, so the group returns to the one before;
   * a canary older than the group's latest active deployment is superseded by it).
   */
  public Optional<Records.Model> assigned(String robotId) throws SQLException {
    Records.Robot r =
        robots.find(robotId).orElseThrow(() -> new IllegalArgumentException("no robot " + robotId));
    Optional<Records.Deployment> d =
        db.one(
            DEPLOYMENT_COLUMNS
                + " WHERE robot_group = ? AND (status = ? OR (status = ? AND canary_robot_id = ?))"
                + " ORDER BY id DESC",
            ModelRegistry::deployment,
            r.group(),
            DeploymentStatus.ACTIVE,
            DeploymentStatus.CANARY,
            robotId);
    return d.isEmpty() ? Optional.empty() : find(d.get().modelName(), d.get().modelVersion());
  }

  private static Records.Model model(ResultSet r) throws SQLException {
    return new Records.Model(
        r.getString("name"),
        r.getInt("version"),
        r.getString("sha256"),
        r.getString("path"),
        r.getString("card"),
        r.getLong("created_ms"));
  }

  private static Records.Deployment deployment(ResultSet r) throws SQLException {
    return new Records.Deployment(
        r.getLong("id"),
        r.getString("model_name"),
        r.getInt("model_version"),
        r.getString("robot_group"),
        r.getString("canary_robot_id"),
        Wire.parse(DeploymentStatus.class, r.getString("status")),
        r.getLong("created_ms"));
  }
}
