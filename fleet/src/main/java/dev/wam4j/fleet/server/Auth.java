package dev.wam4j.fleet.server;

import dev.wam4j.fleet.api.ApiPaths;
import dev.wam4j.fleet.store.Principal;
import dev.wam4j.fleet.store.Robots;
import io.javalin.http.Context;
import java.sql.SQLException;

/**
 * Who a request acts as, from {@code Authorization: Bearer <token>} (or, for the event stream only,
 * {@code ?access_token=}, since a browser's EventSource sends no headers), and what it may do:
 * operators everything, a robot only as itself. Refusals are 401 (no or unknown token) and 403 (not
 * allowed).
 */
final class Auth {
  private static final String PRINCIPAL = "wam4j.principal";
  private final Robots robots;

  Auth(Robots robots) {
    this.robots = robots;
  }

  /** The caller; looked up once per request. */
  Principal principal(Context ctx) throws SQLException {
    if (ctx.attribute(PRINCIPAL) instanceof Principal known) return known;
    Principal p = authenticate(ctx);
    ctx.attribute(PRINCIPAL, p);
    return p;
  }

  /** The caller, or null when its token is missing or unknown (the route then answers 401). */
  Principal principalOrNull(Context ctx) throws SQLException {
    try {
      return principal(ctx);
    } catch (ApiException e) {
      return null;
    }
  }

  /** The calling operator's name; refuses anyone else. */
  String operatorName(Context ctx) throws SQLException {
    if (principal(ctx) instanceof Principal.Operator o) return o.name();
    throw new ApiException(403, "operators only");
  }

  /** Refuses anyone but an operator. */
  void operator(Context ctx) throws SQLException {
    if (!(principal(ctx) instanceof Principal.Operator))
      throw new ApiException(403, "operators only");
  }

  /** The calling robot; refuses operators. */
  Principal.Robot robot(Context ctx) throws SQLException {
    if (principal(ctx) instanceof Principal.Robot r) return r;
    throw new ApiException(403, "robots only");
  }

  /**
   * The robot of the path ({@code {id}}): the caller must be that robot (or, for reads, an
   * operator), and it must exist.
   */
  String self(Context ctx) throws SQLException {
    String id = ctx.pathParam("id");
    boolean read = "GET".equals(ctx.method().name());
    switch (principal(ctx)) {
      case Principal.Robot r when r.robotId().equals(id) -> {}
      case Principal.Operator o when read -> {}
      default -> throw new ApiException(403, "a robot may act only as itself");
    }
    if (robots.find(id).isEmpty()) throw new ApiException(404, "no robot " + id);
    return id;
  }

  private Principal authenticate(Context ctx) throws SQLException {
    String h = ctx.header("Authorization");
    String token;
    if (h != null && h.startsWith("Bearer ")) token = h.substring(7).strip();
    else if (ctx.path().equals(ApiPaths.events()) && ctx.queryParam("access_token") != null)
      token = ctx.queryParam("access_token");
    else throw new ApiException(401, "missing 'Authorization: Bearer <token>'");
    return robots.authenticate(token).orElseThrow(() -> new ApiException(401, "unknown token"));
  }
}
