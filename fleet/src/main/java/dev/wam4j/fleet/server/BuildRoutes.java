package dev.wam4j.fleet.server;

import static dev.wam4j.fleet.server.JsonExchange.body;
import static dev.wam4j.fleet.server.JsonExchange.pathLong;
import static dev.wam4j.fleet.server.JsonExchange.reply;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wam4j.fleet.api.ApiPaths;
import dev.wam4j.fleet.api.BuildApi;
import dev.wam4j.fleet.api.FleetEvent;
import dev.wam4j.fleet.store.Principal;
import dev.wam4j.sim.factory.DesignException;
import io.javalin.config.RoutesConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Builds of product designs (docs/FACTORY.md) in the server's shared simulated cell: an operator
 * submits a design and follows the build (its progress, the camera's picture); robots claim its
 * placements and push them one control step at a time ({@link BuildCell}). Builds live in memory: a
 * restart loses them, as it would lose track of what a physical cell holds.
 */
final class BuildRoutes {
  /** Builds running at once; more are refused (409) until one ends. */
  static final int MAX_RUNNING = 8;

  /** Ended builds kept for reading; older ones are forgotten. */
  static final int KEEP_ENDED = 32;

  private static final String BUILD = ApiPaths.BASE + "/builds/{id}";
  private final Auth auth;
  private final EventBus events;
  private final ConcurrentSkipListMap<Long, BuildCell> builds = new ConcurrentSkipListMap<>();
  private final AtomicLong ids = new AtomicLong();

  BuildRoutes(Auth auth, EventBus events) {
    this.auth = auth;
    this.events = events;
  }

  void register(RoutesConfig r) {
    r.post(
        ApiPaths.builds(),
        ctx -> {
          auth.operator(ctx);
          JsonNode b = body(ctx);
          JsonNode design = b.get("design");
          if (design == null || !design.isTextual())
            throw new ApiException(400, "field 'design' (the design file's markdown) is required");
          JsonNode seedNode = b.get("seed");
          if (seedNode != null
              && !seedNode.isNull()
              && !(seedNode.isIntegralNumber() && seedNode.canConvertToLong()))
            throw new ApiException(400, "field 'seed' must be an integer");
          long seed = seedNode == null || seedNode.isNull() ? 0 : seedNode.asLong();
          BuildCell cell;
          synchronized (builds) {
            if (builds.values().stream().filter(BuildCell::running).count() >= MAX_RUNNING)
              throw new ApiException(
                  409, MAX_RUNNING + " builds are running; cancel one or wait for one to end");
            try {
              cell =
                  BuildCell.create(
                      ids.incrementAndGet(), design.asText(), seed, System::currentTimeMillis);
            } catch (DesignException e) {
              throw new ApiException(400, "design " + e.getMessage());
            }
            builds.put(cell.id(), cell);
            forgetOld();
          }
          BuildApi.BuildStatus s = cell.status();
          publish(s);
          reply(ctx, 201, s);
        });
    r.get(
        ApiPaths.builds(),
        ctx -> {
          auth.operator(ctx);
          List<BuildApi.BuildStatus> all = new ArrayList<>();
          for (BuildCell c : builds.values()) all.add(c.status());
          reply(ctx, 200, all);
        });
    r.get(
        BUILD,
        ctx -> {
          auth.operator(ctx);
          reply(ctx, 200, build(pathLong(ctx, "id")).status());
        });
    r.get(
        BUILD + "/picture",
        ctx -> {
          auth.operator(ctx);
          byte[] png = build(pathLong(ctx, "id")).picture();
          ctx.header("Cache-Control", "no-store").contentType("image/png").result(png);
        });
    r.post(
        BUILD + "/cancel",
        ctx -> {
          auth.operator(ctx);
          BuildCell c = build(pathLong(ctx, "id"));
          if (!c.cancel())
            throw new ApiException(
                409, "build " + c.id() + " is " + c.status().status().wire() + ", not running");
          BuildApi.BuildStatus s = c.status();
          publish(s);
          reply(ctx, 200, s);
        });
    r.post(
        ApiPaths.BASE + "/robots/{id}/placements/next",
        ctx -> {
          String robot = auth.self(ctx);
          for (BuildCell c : builds.values()) { // oldest build first
            Optional<BuildApi.Placement> p = c.claim(robot);
            if (p.isPresent()) {
              reply(ctx, 200, p.get());
              return;
            }
          }
          ctx.status(204);
        });
    r.post(
        BUILD + "/step",
        ctx -> {
          Principal.Robot robot = auth.robot(ctx);
          BuildCell c = build(pathLong(ctx, "id"));
          JsonNode b = body(ctx);
          BuildApi.Observation o = c.step(robot.robotId(), coordinate(b, "x"), coordinate(b, "y"));
          if (o.phase() != BuildApi.Phase.PUSHING) publish(c.status());
          reply(ctx, 200, o);
        });
  }

  private BuildCell build(long id) {
    BuildCell c = builds.get(id);
    if (c == null) throw new ApiException(404, "no build " + id);
    return c;
  }

  private void publish(BuildApi.BuildStatus s) {
    events.publish(
        new FleetEvent.BuildChanged(s.id(), s.status(), s.partsPlaced(), s.partsTotal()));
  }

  /** Keeps the newest {@link #KEEP_ENDED} ended builds (the running ones all). */
  private void forgetOld() {
    List<Long> ended = new ArrayList<>();
    for (BuildCell c : builds.values()) if (!c.running()) ended.add(c.id());
    for (int k = 0; k < ended.size() - KEEP_ENDED; k++) builds.remove(ended.get(k));
  }

  /** A required finite number, a coordinate in cell pixels. */
  private static double coordinate(JsonNode b, String field) {
    JsonNode n = b.get(field);
    if (n == null || !n.isNumber() || !Double.isFinite(n.asDouble()))
      throw new ApiException(400, "field '" + field + "' must be a finite number (cell pixels)");
    return n.asDouble();
  }
}
