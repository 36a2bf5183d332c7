package dev.wam4j.fleet.server;

import static dev.wam4j.fleet.server.JsonExchange.body;
import static dev.wam4j.fleet.server.JsonExchange.document;
import static dev.wam4j.fleet.server.JsonExchange.number;
import static dev.wam4j.fleet.server.JsonExchange.optionalNumber;
import static dev.wam4j.fleet.server.JsonExchange.reply;
import static dev.wam4j.fleet.server.JsonExchange.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wam4j.fleet.api.ApiPaths;
import dev.wam4j.fleet.api.FleetEvent;
import dev.wam4j.fleet.api.RobotApi;
import dev.wam4j.fleet.store.FleetStore;
import dev.wam4j.fleet.store.Principal;
import dev.wam4j.fleet.store.Records;
import dev.wam4j.fleet.store.RobotState;
import dev.wam4j.fleet.store.Wire;
import io.javalin.config.RoutesConfig;
import java.util.List;
import java.util.Optional;

/**
 * The robot resource: enrolment and revocation (operators), and what a robot says and asks as
 * itself — its connection with its factsheet, telemetry, its next task, alerts, the model deployed
 * to it.
 */
final class RobotRoutes {
  private static final String ROBOT = ApiPaths.BASE + "/robots/{id}";
  private final FleetStore store;
  private final Auth auth;
  private final EventBus events;

  RobotRoutes(FleetStore store, Auth auth, EventBus events) {
    this.store = store;
    this.auth = auth;
    this.events = events;
  }

  void register(RoutesConfig r) {
    r.get(
        ApiPaths.whoami(),
        ctx ->
            reply(
                ctx,
                200,
                switch (auth.principal(ctx)) {
                  case Principal.Operator o -> RobotApi.Whoami.operator(o.name());
                  case Principal.Robot rb -> RobotApi.Whoami.robot(rb.robotId());
                }));
    r.post(
        ApiPaths.robots(),
        ctx -> {
          auth.operator(ctx);
          JsonNode b = body(ctx);
          RobotApi.Enroll req =
              new RobotApi.Enroll(text(b, "name", true, 128), text(b, "group", 64, "default"));
          Records.Enrollment e = store.robots().enroll(req.name(), req.group());
          events.publish(new FleetEvent.RobotChanged(e.robotId(), RobotState.ENROLLED));
          reply(ctx, 201, new RobotApi.Enrolled(e.robotId(), e.token()));
        });
    r.get(
        ApiPaths.robots(),
        ctx -> {
          auth.operator(ctx);
          reply(ctx, 200, store.robots().all());
        });
    r.get(
        ROBOT,
        ctx -> {
          String id = auth.self(ctx);
          reply(
              ctx,
              200,
              store.robots().find(id).orElseThrow(() -> new ApiException(404, "no robot " + id)));
        });
    r.post(
        ROBOT + "/connection",
        ctx -> { // VDA 5050 'connection' + 'factsheet': the agent is online
          String id = auth.self(ctx);
          JsonNode b = body(ctx);
          String embodiment = text(b, "embodiment");
          if (!List.of("robot", "hand").contains(embodiment))
            throw new ApiException(
                400, "embodiment must be robot or hand, got '" + embodiment + "'");
          store.robots().register(id, embodiment, document(b));
          events.publish(new FleetEvent.RobotChanged(id, RobotState.IDLE));
          reply(ctx, 200, new RobotApi.RobotChange(id, RobotState.IDLE));
        });
    r.post(
        ROBOT + "/state",
        ctx -> { // VDA 5050 'state': telemetry at the control rate
          String id = auth.self(ctx);
          JsonNode b = body(ctx);
          long seq = number(b, "seq");
          RobotState state = reportable(text(b, "state", true, 32));
          boolean fresh = store.robots().telemetry(id, seq, state, document(b));
          if (fresh)
            events.publish(
                new FleetEvent.StateReceived(((ObjectNode) b.deepCopy()).put("robot_id", id)));
          reply(ctx, 200, new RobotApi.StateAck(fresh, seq));
        });
    r.post(
        ROBOT + "/tasks/next",
        ctx -> {
          String id = auth.self(ctx);
          Optional<Records.Task> t = store.tasks().claim(id);
          if (t.isEmpty()) {
            ctx.status(204);
            return;
          }
          events.publish(
              new FleetEvent.TaskChanged(t.get().id(), t.get().jobId(), id, t.get().status()));
          reply(ctx, 200, t.get());
        });
    r.post(
        ROBOT + "/revoke",
        ctx -> {
          auth.operator(ctx);
          String id = ctx.pathParam("id");
          store.robots().find(id).orElseThrow(() -> new ApiException(404, "no robot " + id));
          int n = store.robots().revoke(id);
          events.publish(new FleetEvent.RobotChanged(id, RobotState.OFFLINE));
          reply(ctx, 200, new RobotApi.Revoked(id, n));
        });
    r.post(
        ROBOT + "/alerts",
        ctx -> {
          String id = auth.self(ctx);
          JsonNode b = body(ctx);
          Long task = optionalNumber(b, "task_id"); // checked first, as the API always did
          if (task != null && !store.tasks().attempted(task, id)) {
            throw new ApiException(400, "task " + task + " was never given to robot " + id);
          }
          RobotApi.Alert alert =
              new RobotApi.Alert(text(b, "kind", true, 32), task, text(b, "message", true, 2000));
          long alertId =
              store.robots().raiseAlert(id, alert.taskId(), alert.kind(), alert.message());
          events.publish(new FleetEvent.AlertRaised(alertId, id, alert.kind(), alert.message()));
          reply(ctx, 201, new RobotApi.AlertRaised(alertId));
        });
    r.get(
        ApiPaths.alerts(),
        ctx -> {
          auth.operator(ctx);
          reply(ctx, 200, store.robots().alerts());
        });
    r.get(
        ROBOT + "/model",
        ctx -> {
          String id = auth.self(ctx);
          Optional<Records.Model> m = store.models().assigned(id);
          if (m.isEmpty()) {
            ctx.status(204);
            return;
          }
          reply(
              ctx,
              200,
              new RobotApi.AssignedModel(m.get().name(), m.get().version(), m.get().sha256()));
        });
    r.get(
        ApiPaths.telemetryStats(),
        ctx -> {
          auth.operator(ctx);
          reply(ctx, 200, store.robots().telemetryStats());
        });
  }

  /** A state a robot may report, or a 400 listing them. */
  private static RobotState reportable(String state) {
    for (RobotState s : RobotState.REPORTABLE) {
      if (s.wire().equals(state)) return s;
    }
    throw new ApiException(
        400,
        "state must be one of "
            + RobotState.REPORTABLE.stream().map(Wire::wire).toList()
            + ", got '"
            + state
            + "'");
  }
}
