package dev.wam4j.fleet.server;

import static dev.wam4j.fleet.server.JsonExchange.body;
import static dev.wam4j.fleet.server.JsonExchange.number;
import static dev.wam4j.fleet.server.JsonExchange.pathLong;
import static dev.wam4j.fleet.server.JsonExchange.reply;
import static dev.wam4j.fleet.server.JsonExchange.text;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wam4j.fleet.api.ApiPaths;
import dev.wam4j.fleet.api.FleetEvent;
import dev.wam4j.fleet.api.UploadApi;
import dev.wam4j.fleet.store.FleetStore;
import dev.wam4j.fleet.store.Principal;
import dev.wam4j.fleet.store.Records;
import dev.wam4j.fleet.store.UploadStatus;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Episodes from robots: resumable uploads (open, chunks at an offset, complete), the episodes kept
 * and the datasets they make, and the quarantine of uploads whose bytes hold no usable episode.
 */
final class UploadRoutes {
  private static final String UPLOAD = ApiPaths.BASE + "/uploads/{uid}";
  private static final String QUARANTINED = ApiPaths.BASE + "/quarantine/{uid}";
  private final FleetStore store;
  private final Auth auth;
  private final EventBus events;
  private final EpisodeFiles files;
  private final Flywheel flywheel;
  private final Limits limits;

  UploadRoutes(
      FleetStore store,
      Auth auth,
      EventBus events,
      EpisodeFiles files,
      Flywheel flywheel,
      Limits limits) {
    this.store = store;
    this.auth = auth;
    this.events = events;
    this.files = files;
    this.flywheel = flywheel;
    this.limits = limits;
  }

  void register(RoutesConfig r) {
    r.post(
        ApiPaths.BASE + "/robots/{id}/uploads",
        ctx -> reply(ctx, 200, open(auth.self(ctx), body(ctx))));
    r.put(
        UPLOAD,
        ctx -> { // one chunk at ?offset=, acknowledged once on disk
          Records.Upload u = ownUpload(ctx);
          String off = ctx.queryParam("offset");
          if (off == null) throw new ApiException(400, "query parameter 'offset' is required");
          long offset;
          try {
            offset = Long.parseLong(off);
          } catch (NumberFormatException e) {
            throw new ApiException(400, "offset must be a number, got '" + off + "'");
          }
          if (u.status() == UploadStatus.COMPLETE) {
            reply(ctx, 200, new UploadApi.Progress(u.sizeBytes(), UploadStatus.COMPLETE));
            return;
          }
          refuseQuarantined(u);
          reply(
              ctx,
              200,
              new UploadApi.Progress(
                  files.append(u.id(), offset, ctx.bodyAsBytes(), u.sizeBytes()),
                  UploadStatus.OPEN));
        });
    r.get(
        UPLOAD,
        ctx -> {
          Records.Upload u = ownUpload(ctx);
          reply(
              ctx,
              200,
              new UploadApi.Progress(
                  u.status() == UploadStatus.COMPLETE ? u.sizeBytes() : files.received(u.id()),
                  u.status()));
        });
    r.post(
        UPLOAD + "/complete",
        ctx -> {
          Records.Upload u = ownUpload(ctx);
          UploadApi.Completed done = complete(u);
          reply(ctx, done.duplicate() ? 200 : 201, done);
        });
    r.get(
        ApiPaths.datasets(),
        ctx -> {
          auth.operator(ctx);
          List<UploadApi.Dataset> out = new ArrayList<>();
          for (Records.TaskData t : store.uploads().collected()) {
            out.add(
                new UploadApi.Dataset(
                    t.taskName(),
                    t.episodes(),
                    t.frames(),
                    t.hours(),
                    t.successes(),
                    flywheel.dataset(t.taskName()).toAbsolutePath().toString()));
          }
          reply(ctx, 200, out);
        });
    r.get(
        ApiPaths.episodes(),
        ctx -> { // kept episodes, ?task= for one task's
          auth.operator(ctx);
          reply(ctx, 200, store.uploads().episodes(ctx.queryParam("task")));
        });
    r.delete(
        ApiPaths.BASE + "/episodes/{id}",
        ctx -> { // out of the store, off the disk, out of the task's dataset
          auth.operator(ctx);
          long id = pathLong(ctx, "id");
          Records.Episode e =
              store
                  .uploads()
                  .episode(id)
                  .orElseThrow(() -> new ApiException(404, "no episode " + id));
          store.uploads().deleteEpisode(id);
          files.deleteEpisode(
              Path.of(e.path())); // its own folder: episodes/<sha256>, and a digest is kept once
          flywheel.episodeKept(e.taskName()); // rebuilds the task's dataset without it
          events.publish(new FleetEvent.EpisodeDeleted(id, true));
          reply(ctx, 200, new UploadApi.EpisodeDeleted(id, true));
        });
    r.get(
        ApiPaths.quarantine(),
        ctx -> {
          auth.operator(ctx);
          reply(ctx, 200, store.uploads().quarantined());
        });
    r.get(
        QUARANTINED + "/archive",
        ctx -> { // the archive as the robot sent it, to inspect
          auth.operator(ctx);
          String uid = ctx.pathParam("uid");
          Path zip = files.quarantined(uid);
          if (store.uploads().quarantined().stream().noneMatch(q -> q.id().equals(uid))
              || !Files.isRegularFile(zip)) {
            throw new ApiException(404, "no quarantined upload " + uid);
          }
          ctx.contentType("application/zip").result(Files.newInputStream(zip));
        });
    r.delete(
        QUARANTINED,
        ctx -> {
          auth.operator(ctx);
          String uid = ctx.pathParam("uid");
          Path zip = files.quarantined(uid);
          if (!store.uploads().deleteQuarantined(uid))
            throw new ApiException(404, "no quarantined upload " + uid);
          Files.deleteIfExists(zip);
          reply(ctx, 200, new UploadApi.QuarantineDeleted(uid, true));
        });
  }

  /** Opens, or finds again to resume, an episode upload, within the robot's quotas. */
  private UploadApi.Opened open(String robotId, JsonNode b)
      throws SQLException, java.io.IOException {
    String sha = text(b, "sha256");
    if (!sha.matches("[0-9a-f]{64}"))
      throw new ApiException(400, "sha256 must be 64 lowercase hex digits");
    long size = number(b, "size_bytes");
    if (size < 1 || size > limits.maxUploadBytes())
      throw new ApiException(
          400, "size_bytes must lie in 1.." + limits.maxUploadBytes() + ", got " + size);
    // the episode belongs to a task the fleet planned: its name (the dataset it joins) comes from
    // the task, not the robot
    long taskId = number(b, "task_id");
    Records.Task task =
        store.tasks().task(taskId).orElseThrow(() -> new ApiException(400, "no task " + taskId));
    if (task.attempts() == 0)
      throw new ApiException(403, "task " + taskId + " was never given to a robot");
    if (!store.tasks().attempted(taskId, robotId))
      throw new ApiException(403, "task " + taskId + " was never given to robot " + robotId);
    if (store.uploads().quarantinedCount(robotId)
        >= limits
            .maxQuarantined()) { // each holds up to maxUploadBytes: a robot cannot fill the disk
      // with rejects
      throw new ApiException(
          429,
          "robot "
              + robotId
              + " has "
              + limits.maxQuarantined()
              + " quarantined uploads; an operator must review them first"
              + " ('wam4j fleet quarantine')");
    }
    if (store.uploads().openCount(robotId) >= limits.maxOpenUploads()
        && !store.uploads().hasOpen(robotId, sha)) { // resuming one stays possible
      throw new ApiException(
          429,
          "robot "
              + robotId
              + " has "
              + limits.maxOpenUploads()
              + " uploads open; finish one first (open ones expire after "
              + limits.uploadExpiryHours()
              + " h)");
    }
    Records.Upload u = store.uploads().open(robotId, taskId, task.stepName(), sha, size);
    return new UploadApi.Opened(
        u.id(), u.status(), u.id() == null ? size : files.received(u.id()), u.episodeId());
  }

  /** Checks a fully received upload and keeps it as an episode, or quarantines it (422). */
  private UploadApi.Completed complete(Records.Upload u) throws SQLException, java.io.IOException {
    if (u.status() == UploadStatus.COMPLETE)
      return new UploadApi.Completed(u.episodeId(), null, true);
    refuseQuarantined(u);
    EpisodeFiles.Kept stored;
    try {
      stored = files.keep(u.id(), u.sha256(), u.sizeBytes(), u.taskName());
    } catch (
        EpisodeFiles.Rejected
            rejected) { // the bytes are as sent and unusable: set aside, never retried, never in a
      // dataset
      Records.Quarantined q = store.uploads().quarantine(u.id(), rejected.getMessage());
      events.publish(new FleetEvent.Quarantined(q));
      throw new ApiException(422, "episode quarantined (" + q.id() + "): " + rejected.getMessage());
    }
    Records.Episode e;
    try {
      e =
          store
              .uploads()
              .complete(
                  u.id(),
                  stored.frames(),
                  stored.success(),
                  stored.dir().toAbsolutePath().toString());
    } catch (SQLException ex) {
      if (!FleetStore.isConstraintViolation(ex)) throw ex;
      // the same episode was kept meanwhile (another upload of the same bytes); without one, the
      // upload itself changed under us (expired, quarantined): the robot asks again
      Long kept =
          store
              .uploads()
              .keptEpisode(u.sha256())
              .orElseThrow(
                  () ->
                      new ApiException(
                          409,
                          "upload "
                              + u.id()
                              + " changed while it was checked (expired or set aside); open it again"));
      return new UploadApi.Completed(kept, null, true);
    }
    files.discard(u.id()); // only now: a crash before the commit keeps the bytes for a retry
    flywheel.episodeKept(u.taskName());
    events.publish(new FleetEvent.EpisodeKept(e.id(), u.robotId(), u.taskName(), e.frames()));
    return new UploadApi.Completed(e.id(), e.frames(), false);
  }

  private static void refuseQuarantined(Records.Upload u) {
    if (u.status() == UploadStatus.QUARANTINED)
      throw new ApiException(
          409, "upload " + u.id() + " is quarantined; an operator decides what becomes of it");
  }

  /** The upload of the path, which must belong to the calling robot. */
  private Records.Upload ownUpload(Context ctx) throws SQLException {
    Principal.Robot robot = auth.robot(ctx);
    String uid = ctx.pathParam("uid");
    Records.Upload u =
        store.uploads().find(uid).orElseThrow(() -> new ApiException(404, "no upload " + uid));
    if (!u.robotId().equals(robot.robotId()))
      throw new ApiException(403, "upload " + uid + " belongs to another robot");
    return u;
  }
}
