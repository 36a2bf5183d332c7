package dev.wam4j.fleet.server;

import static dev.wam4j.fleet.server.JsonExchange.body;
import static dev.wam4j.fleet.server.JsonExchange.bool;
import static dev.wam4j.fleet.server.JsonExchange.document;
import static dev.wam4j.fleet.server.JsonExchange.pathLong;
import static dev.wam4j.fleet.server.JsonExchange.reply;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wam4j.fleet.api.ApiPaths;
import dev.wam4j.fleet.api.FleetEvent;
import dev.wam4j.fleet.api.JobApi;
import dev.wam4j.fleet.job.JobDocument;
import dev.wam4j.fleet.job.JobDocumentParser;
import dev.wam4j.fleet.store.FleetStore;
import dev.wam4j.fleet.store.Principal;
import dev.wam4j.fleet.store.Records;
import io.javalin.config.RoutesConfig;

/**
 * Jobs and their tasks: an operator submits a job document (markdown), follows and cancels it; a
 * robot reports how the task it was given ended.
 */
final class JobRoutes {
  private static final String JOB = ApiPaths.BASE + "/jobs/{id}";
  private final FleetStore store;
  private final Auth auth;
  private final EventBus events;
  private final int maxAttempts;

  JobRoutes(FleetStore store, Auth auth, EventBus events, int maxAttempts) {
    this.store = store;
    this.auth = auth;
    this.events = events;
    this.maxAttempts = maxAttempts;
  }

  void register(RoutesConfig r) {
    r.post(
        ApiPaths.jobs(),
        ctx -> {
          auth.operator(ctx);
          String markdown = ctx.body();
          JobDocument doc = JobDocumentParser.parse(markdown);
          long id = store.tasks().submit(doc, markdown, maxAttempts);
          Records.Job job = store.tasks().job(id).orElseThrow();
          events.publish(new FleetEvent.JobChanged(job));
          reply(ctx, 201, job);
        });
    r.get(
        ApiPaths.jobs(),
        ctx -> {
          auth.operator(ctx);
          reply(ctx, 200, store.tasks().jobs());
        });
    r.get(
        JOB,
        ctx -> {
          auth.operator(ctx);
          long id = pathLong(ctx, "id");
          Records.Job job =
              store.tasks().job(id).orElseThrow(() -> new ApiException(404, "no job " + id));
          reply(ctx, 200, new JobApi.JobDetail(job, store.tasks().tasks(id)));
        });
    r.post(
        JOB + "/cancel",
        ctx -> {
          auth.operator(ctx);
          long id = pathLong(ctx, "id");
          Records.Job before =
              store.tasks().job(id).orElseThrow(() -> new ApiException(404, "no job " + id));
          if (!store.tasks().cancel(id))
            throw new ApiException(
                409, "job " + id + " is " + before.status().wire() + ", not running");
          Records.Job job = store.tasks().job(id).orElseThrow();
          events.publish(new FleetEvent.JobChanged(job));
          reply(ctx, 200, job);
        });
    r.post(
        ApiPaths.BASE + "/tasks/{id}/result",
        ctx -> {
          Principal.Robot robot = auth.robot(ctx);
          long taskId = pathLong(ctx, "id");
          JsonNode b = body(ctx);
          boolean success = bool(b, "success");
          Records.Task t =
              store
                  .tasks()
                  .task(taskId)
                  .orElseThrow(() -> new ApiException(404, "no task " + taskId));
          if (!robot.robotId().equals(t.robotId()))
            throw new ApiException(403, "task " + taskId + " is not assigned to this robot");
          Records.Task done = store.tasks().finish(robot.robotId(), taskId, success, document(b));
          events.publish(
              new FleetEvent.TaskChanged(taskId, done.jobId(), robot.robotId(), done.status()));
          events.publish(new FleetEvent.JobChanged(store.tasks().job(done.jobId()).orElseThrow()));
          reply(ctx, 200, done);
        });
  }
}
