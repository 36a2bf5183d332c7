package dev.wam4j.fleet.server;

import static dev.wam4j.fleet.server.JsonExchange.body;
import static dev.wam4j.fleet.server.JsonExchange.pathLong;
import static dev.wam4j.fleet.server.JsonExchange.reply;
import static dev.wam4j.fleet.server.JsonExchange.smallNumber;
import static dev.wam4j.fleet.server.JsonExchange.text;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wam4j.fleet.api.ApiPaths;
import dev.wam4j.fleet.api.FleetEvent;
import dev.wam4j.fleet.api.ModelApi;
import dev.wam4j.fleet.store.DeploymentStatus;
import dev.wam4j.fleet.store.FleetStore;
import dev.wam4j.fleet.store.Principal;
import dev.wam4j.fleet.store.Records;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.nio.file.Files;
import java.util.Optional;

/**
 * The model registry: operators upload checkpoints (each upload of a name is its next version),
 * deploy a version to a robot group (through a canary first if asked), promote or roll back; a
 * robot downloads the version deployed to it, nothing else.
 */
final class ModelRoutes {
  private final FleetStore store;
  private final Auth auth;
  private final EventBus events;
  private final ModelFiles models;

  ModelRoutes(FleetStore store, Auth auth, EventBus events, ModelFiles models) {
    this.store = store;
    this.auth = auth;
    this.events = events;
    this.models = models;
  }

  void register(RoutesConfig r) {
    r.post(
        ApiPaths.BASE + "/models/{name}",
        ctx -> { // a checkpoint directory as a zip: the next version of the model
          auth.operator(ctx);
          String name = ctx.pathParam("name");
          if (!name.matches(
              "[A-Za-z0-9][A-Za-z0-9._-]{0,63}")) { // never '.' or '..': the name is a folder in
            // the data root
            throw new ApiException(
                400,
                "model name must be 1-64 of A-Z a-z 0-9 . _ -, starting with a letter or digit, got '"
                    + name
                    + "'");
          }
          Records.Model m = models.add(name, ctx.bodyAsBytes());
          events.publish(new FleetEvent.ModelAdded(m.name(), m.version()));
          reply(ctx, 201, m);
        });
    r.get(
        ApiPaths.models(),
        ctx -> {
          auth.operator(ctx);
          reply(ctx, 200, store.models().all());
        });
    r.get(ApiPaths.BASE + "/models/{name}/{version}/archive", this::archive);
    r.post(
        ApiPaths.deployments(),
        ctx -> {
          auth.operator(ctx);
          JsonNode b = body(ctx);
          ModelApi.Deploy req =
              new ModelApi.Deploy(
                  text(b, "model", true, 64),
                  smallNumber(b, "version"),
                  text(b, "group", 64, "default"),
                  b.path("canary").asBoolean(false));
          Records.Deployment d =
              store.models().deploy(req.model(), req.version(), req.group(), req.canary());
          events.publish(new FleetEvent.DeploymentChanged(d));
          reply(ctx, 201, d);
        });
    r.get(
        ApiPaths.deployments(),
        ctx -> {
          auth.operator(ctx);
          reply(ctx, 200, store.models().deployments());
        });
    r.post(
        ApiPaths.BASE + "/deployments/{id}/promote",
        ctx -> setStatus(ctx, DeploymentStatus.ACTIVE));
    r.post(
        ApiPaths.BASE + "/deployments/{id}/rollback",
        ctx -> setStatus(ctx, DeploymentStatus.ROLLED_BACK));
  }

  private void archive(Context ctx) throws Exception {
    long v = pathLong(ctx, "version");
    if (v < 1 || v > Integer.MAX_VALUE)
      throw new ApiException(400, "version must lie in 1.." + Integer.MAX_VALUE);
    int version = (int) v;
    String name = ctx.pathParam("name");
    if (auth.principal(ctx)
        instanceof
        Principal.Robot robot) { // a robot downloads the model deployed to it, nothing else
      Optional<Records.Model> assigned = store.models().assigned(robot.robotId());
      if (assigned.isEmpty()
          || !assigned.get().name().equals(name)
          || assigned.get().version() != version) {
        throw new ApiException(
            403, "model " + name + " version " + version + " is not deployed to this robot");
      }
    }
    Records.Model m =
        store
            .models()
            .find(name, version)
            .orElseThrow(() -> new ApiException(404, "no model " + name + " version " + version));
    ctx.header("X-Sha256", m.sha256())
        .contentType("application/zip")
        .result(Files.newInputStream(models.archive(m)));
  }

  private void setStatus(Context ctx, DeploymentStatus status) throws Exception {
    auth.operator(ctx);
    Records.Deployment d = store.models().setStatus(pathLong(ctx, "id"), status);
    events.publish(new FleetEvent.DeploymentChanged(d));
    reply(ctx, 200, d);
  }
}
