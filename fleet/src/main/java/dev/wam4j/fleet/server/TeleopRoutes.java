package dev.wam4j.fleet.server;

import static dev.wam4j.fleet.server.JsonExchange.body;
import static dev.wam4j.fleet.server.JsonExchange.reply;
import static dev.wam4j.fleet.server.JsonExchange.text;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wam4j.fleet.api.ApiPaths;
import dev.wam4j.fleet.teleop.Teleop;
import dev.wam4j.fleet.teleop.TeleopDataset;
import dev.wam4j.fleet.teleop.TeleopSession;
import dev.wam4j.sim.scene.ConvexPart;
import dev.wam4j.sim.scene.Pose;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * Teleoperation: the page {@code /teleop} and its routes under {@code /api/v1/teleop/sessions}:
 * start a session, post the pointer target, read the state, save or discard the episode. Mounted by
 * {@link TeleopServer} (standalone, no fleet) and by {@link FleetServer} (operators only).
 */
final class TeleopRoutes {
  static final String SESSIONS = ApiPaths.BASE + "/teleop/sessions";
  private static final HtmlPage PAGE = HtmlPage.load("/fleet/teleop.html");

  /** Who may call the routes: in the fleet only operators, standalone anyone on loopback. */
  interface Guard {
    /** Refuses the request (by throwing) unless its caller may teleoperate. */
    void check(Context ctx) throws Exception;
  }

  /**
   * What a start returns: the scene's fixed geometry, drawn once, and the state.
   *
   * @param sessionId the session's id, for the other routes
   * @param scene the scene's name
   * @param embodiment robot or hand
   * @param seed the reset seed
   * @param operator who teleoperates
   * @param width scene width, world units
   * @param height scene height, world units
   * @param agentRadius the agent's collision radius
   * @param blockParts the block's convex parts, each as x0, y0, x1, y1, ... in the block's frame
   * @param goal the goal pose of the block
   * @param successCoverage coverage of the goal that counts as success
   * @param state the state now
   */
  record Started(
      String sessionId,
      String scene,
      String embodiment,
      long seed,
      String operator,
      double width,
      double height,
      double agentRadius,
      List<double[]> blockParts,
      Pose goal,
      double successCoverage,
      TeleopSession.Snapshot state) {}

  /**
   * What a save returns.
   *
   * @param dataset the dataset folder
   * @param episode the episode's record in the dataset (its index and operator)
   */
  record Saved(String dataset, TeleopDataset.EpisodeRecord episode) {}

  private final Teleop teleop;
  private final Guard guard;

  TeleopRoutes(Teleop teleop, Guard guard) {
    this.teleop = teleop;
    this.guard = guard;
  }

  void register(RoutesConfig r) {
    r.get("/teleop", PAGE::serve); // the page itself holds no secret; its calls are guarded
    r.post(
        SESSIONS,
        ctx -> {
          guard.check(ctx);
          JsonNode b = body(ctx);
          long seed = JsonExchange.number(b, "seed");
          TeleopSession s =
              teleop.start(
                  text(b, "scene", 64, null),
                  text(b, "embodiment", 16, null),
                  seed,
                  text(b, "operator", 64, null));
          reply(ctx, 201, started(s));
        });
    r.post(
        SESSIONS + "/{id}/target",
        ctx -> {
          guard.check(ctx);
          JsonNode b = body(ctx);
          session(ctx).target(coordinate(b, "x"), coordinate(b, "y"));
          ctx.status(204);
        });
    r.get(
        SESSIONS + "/{id}",
        ctx -> {
          guard.check(ctx);
          reply(ctx, 200, session(ctx).snapshot());
        });
    r.post(
        SESSIONS + "/{id}/save",
        ctx -> {
          guard.check(ctx);
          TeleopSession s = session(ctx);
          try {
            TeleopDataset.EpisodeRecord rec = teleop.save(s.id());
            reply(ctx, 201, new Saved(teleop.dataset().dir().toString(), rec));
          } catch (IllegalStateException e) {
            throw new ApiException(409, e.getMessage());
          }
        });
    r.post(
        SESSIONS + "/{id}/discard",
        ctx -> {
          guard.check(ctx);
          TeleopSession s = session(ctx);
          try {
            teleop.discard(s.id());
          } catch (IllegalStateException | NoSuchElementException e) {
            throw new ApiException(409, e.getMessage());
          }
          ctx.status(204);
        });
  }

  private TeleopSession session(Context ctx) {
    try {
      return teleop.session(ctx.pathParam("id"));
    } catch (NoSuchElementException e) {
      throw new ApiException(404, e.getMessage());
    }
  }

  private static double coordinate(JsonNode b, String field) {
    JsonNode n = b.get(field);
    if (n == null || !n.isNumber() || !Double.isFinite(n.asDouble()))
      throw new ApiException(400, "field '" + field + "' must be a finite number (world units)");
    return n.asDouble();
  }

  private static Started started(TeleopSession s) {
    var scene = s.scene();
    List<double[]> parts = scene.goalObject().parts().stream().map(ConvexPart::xy).toList();
    return new Started(
        s.id(),
        s.sceneName(),
        s.embodiment().id(),
        s.seed(),
        s.operator(),
        scene.width(),
        scene.height(),
        s.embodiment().radius(),
        parts,
        scene.goal().pose(),
        scene.goal().successCoverage(),
        s.snapshot());
  }
}
