package dev.wam4j.fleet.server;

import static dev.wam4j.fleet.server.JsonExchange.error;

import com.fasterxml.jackson.core.JacksonException;
import dev.wam4j.data.DataSets;
import dev.wam4j.eval.turing.TuringTest;
import dev.wam4j.fleet.judge.HumanJudge;
import dev.wam4j.fleet.judge.JudgeSources;
import dev.wam4j.fleet.teleop.Teleop;
import io.javalin.Javalin;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * A small server for teleoperation alone ({@code wam4j teleop}): the page {@code /teleop} and its
 * routes ({@link TeleopRoutes}), and the human judge's page {@code /judge} ({@link JudgeRoutes}),
 * no fleet database and no tokens, so it listens on loopback only. Bad input gets a 400 with a
 * message.
 */
public final class TeleopServer implements AutoCloseable {
  private final Teleop teleop;
  private final Javalin app;
  private final SlowHeaderGuard headerGuard = new SlowHeaderGuard(10_000);

  private TeleopServer(Teleop teleop, Callable<HumanJudge> judge, int port) {
    this.teleop = teleop;
    this.app =
        Javalin.create(
            c -> {
              c.jetty.addConnector(
                  (server, http) ->
                      Listener.create(
                          server, http, FleetServer.Config.LOOPBACK, port, null, headerGuard));
              c.http.maxRequestSize = 1 << 16; // targets and starts are a few bytes
              c.concurrency.useVirtualThreads = true;
              c.startup.showJavalinBanner = false;
              c.routes.exception(
                  ApiException.class,
                  JsonExchange.neverThrowing(
                      "teleop", (e, ctx) -> error(ctx, e.status, e.getMessage())));
              c.routes.exception(
                  JacksonException.class,
                  JsonExchange.neverThrowing(
                      "teleop",
                      (e, ctx) -> error(ctx, 400, "malformed JSON: " + e.getOriginalMessage())));
              c.routes.exception(
                  IllegalArgumentException.class,
                  JsonExchange.neverThrowing(
                      "teleop", (e, ctx) -> error(ctx, 400, e.getMessage())));
              c.routes.exception(
                  Exception.class,
                  JsonExchange.neverThrowing(
                      "teleop",
                      (e, ctx) -> {
                        System.err.println(
                            "wam4j teleop: internal error on "
                                + ctx.method()
                                + " "
                                + ctx.path()
                                + ": "
                                + e);
                        error(ctx, 500, "internal error (" + e + ")");
                      }));
              c.routes.error(
                  404,
                  ctx -> {
                    if (!"application/json".equals(ctx.res().getContentType()))
                      error(ctx, 404, "no such endpoint: " + ctx.method() + " " + ctx.path());
                  });
              c.routes.get("/", ctx -> ctx.redirect("/teleop"));
              new TeleopRoutes(teleop, TeleopServer::jsonOnly).register(c.routes);
              new JudgeRoutes(judge, TeleopServer::jsonOnly).register(c.routes);
            });
  }

  /**
   * The standalone server has no tokens: a POST must say it carries JSON. A web page of another
   * site that the operator visits can send a form or plain text to loopback without asking, but not
   * {@code application/json} (the browser asks the server first, and this one never allows it), so
   * no other page can start, steer, save or judge here. Every call must also name this machine in
   * its {@code Host} header: a site that re-points its own name at 127.0.0.1 (DNS rebinding) would
   * otherwise be same-origin with this server.
   */
  static void jsonOnly(io.javalin.http.Context ctx) {
    loopbackHost(ctx);
    if (!"POST".equals(ctx.method().name())) return;
    String type = ctx.contentType();
    if (type == null || !type.toLowerCase(java.util.Locale.ROOT).startsWith("application/json"))
      throw new ApiException(
          415,
          "a POST here needs Content-Type: application/json, got "
              + (type == null ? "none" : type));
  }

  /**
   * Refuses a call whose {@code Host} header is not a loopback name (localhost, 127.0.0.1, [::1]),
   * with any port.
   */
  static void loopbackHost(io.javalin.http.Context ctx) {
    String host = ctx.header("Host");
    String name = host == null ? "" : host.strip().toLowerCase(java.util.Locale.ROOT);
    if (name.startsWith("[")) {
      int end = name.indexOf(']');
      name = end < 0 ? name : name.substring(0, end + 1);
    } else if (name.indexOf(':') >= 0) {
      name = name.substring(0, name.indexOf(':'));
    }
    if (!(name.equals("localhost") || name.equals("127.0.0.1") || name.equals("[::1]")))
      throw new ApiException(
          403,
          "Host "
              + (host == null ? "(none)" : "'" + host + "'")
              + " is not this machine's loopback name: the standalone teleop server answers only"
              + " to localhost, 127.0.0.1 or [::1]");
  }

  /**
   * Starts serving on loopback, the human judge ({@code /judge}) over the first {@link
   * HumanJudge#DEFAULT_PAIRS} PushT demonstrations found ({@link DataSets#pushTDemonstrations()})
   * with its answers in {@code judgements.jsonl} next to the teleop dataset's folder.
   *
   * @param teleop the sessions and the dataset (closed with the server)
   * @param port TCP port, 0 for any free one
   */
  public static TeleopServer start(Teleop teleop, int port) {
    Path judgements = teleop.dataset().dir().toAbsolutePath().resolveSibling(JUDGEMENTS_FILE);
    return start(teleop, defaultJudge(judgements), port);
  }

  /** The judgements file's default name. */
  public static final String JUDGEMENTS_FILE = "judgements.jsonl";

  /**
   * The human judge over the first {@link HumanJudge#DEFAULT_PAIRS} PushT demonstrations found
   * ({@link DataSets#pushTDemonstrations()}, the shipped sample when nothing else is), the scripted
   * expert as the robot, left/right seed 0; built when first called ({@link JudgeSources#expert}).
   */
  public static Callable<HumanJudge> defaultJudge(Path judgements) {
    return JudgeSources.expert(judgements);
  }

  /**
   * The human judge with {@code checkpoint}'s policy as the robot ({@link JudgeSources#checkpoint},
   * its clips computed in the background from now on), or the scripted expert when {@code
   * checkpoint} is null.
   *
   * @param progress told as the robot's clips are done (may be null)
   */
  public static Callable<HumanJudge> judge(
      Path judgements, Path checkpoint, TuringTest.ProgressListener progress) {
    return checkpoint == null
        ? defaultJudge(judgements)
        : JudgeSources.checkpoint(judgements, checkpoint, progress);
  }

  /**
   * Starts serving on loopback.
   *
   * @param teleop the sessions and the dataset (closed with the server)
   * @param judge builds the human judge when {@code /judge} is first used
   * @param port TCP port, 0 for any free one
   */
  public static TeleopServer start(Teleop teleop, Callable<HumanJudge> judge, int port) {
    if (port < 0 || port > 65535)
      throw new IllegalArgumentException("port must lie in 0..65535, got " + port);
    TeleopServer s = new TeleopServer(teleop, judge, port);
    try {
      s.app.start();
    } catch (RuntimeException e) {
      s.headerGuard.close();
      throw e;
    }
    return s;
  }

  /** The port served. */
  public int port() {
    return app.port();
  }

  @Override
  public void close() {
    app.stop();
    headerGuard.close();
    teleop.close();
  }
}
