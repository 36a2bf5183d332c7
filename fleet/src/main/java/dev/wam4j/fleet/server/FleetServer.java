package dev.wam4j.fleet.server;

import static dev.wam4j.fleet.server.JsonExchange.error;

import com.fasterxml.jackson.core.JacksonException;
import dev.wam4j.data.AtomicFiles;
import dev.wam4j.data.video.VideoEncoding;
import dev.wam4j.fleet.api.ApiPaths;
import dev.wam4j.fleet.api.FleetEvent;
import dev.wam4j.fleet.job.JobDocumentException;
import dev.wam4j.fleet.judge.HumanJudge;
import dev.wam4j.fleet.store.FleetStore;
import dev.wam4j.fleet.store.Principal;
import dev.wam4j.fleet.teleop.Teleop;
import dev.wam4j.fleet.teleop.TeleopDataset;
import io.javalin.Javalin;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.concurrent.Callable;

/**
 * The Physical API server: HTTP + JSON under {@code /api/v1}, its OpenAPI document at {@code
 * /openapi.json}, live events as server-sent events at {@code /api/v1/events}. Requests carry
 * {@code Authorization: Bearer <token>}: operators manage everything; a robot token acts only as
 * its robot ({@link Auth}). Bad input gets a 400 with a message, never a 500. Runs on virtual
 * threads. The routes live with their resource: {@link RobotRoutes}, {@link JobRoutes}, {@link
 * UploadRoutes}, {@link ModelRoutes}, {@link ViewRoutes}, {@link BuildRoutes}, {@link
 * TeleopRoutes}; this class holds the configuration, the filters, the error mapping and the
 * lifecycle.
 */
public final class FleetServer implements AutoCloseable {
  static final String OPERATOR_TOKEN_FILE = "operator.token";
  static final long MAX_MODEL_BYTES = 512L << 20;

  /** Where episodes teleoperated from {@code /teleop} go, under the data folder. */
  public static final String TELEOP_DATASET = "teleop";

  /**
   * How to run.
   *
   * @param port TCP port (0: any free one)
   * @param dataDir the data folder: embedded database, operator token, uploaded files
   * @param dbUrl JDBC URL of the database, or {@code null} for the embedded one in {@code dataDir}
   * @param maxRequestBytes largest request body accepted (413 above)
   * @param offlineAfterMs a robot silent this long goes offline and its task is queued again
   * @param maxAttempts tries of each task before it (and its job) fails
   * @param finetuneCommand shell command the data flywheel runs when a task's data grows by {@code
   *     finetuneEveryHours}, or null
   * @param finetuneEveryHours hours of new data per task that trigger {@code finetuneCommand}
   * @param limits what one robot may cost (rates, retention, header deadline)
   * @param tls HTTPS key store, or null for plain HTTP (loopback, or behind a TLS reverse proxy)
   */
  public record Config(
      String host,
      int port,
      Path dataDir,
      String dbUrl,
      long maxRequestBytes,
      long offlineAfterMs,
      int maxAttempts,
      String finetuneCommand,
      double finetuneEveryHours,
      Limits limits,
      Tls tls) {
    /**
     * Listens on loopback only unless told otherwise: tokens are bearer secrets and the API is
     * plain HTTP.
     */
    public static final String LOOPBACK = "127.0.0.1";

    public Config {
      if (host == null || host.isBlank())
        throw new IllegalArgumentException(
            "host must be an address to listen on, e.g. 127.0.0.1 or 0.0.0.0");
      if (port < 0 || port > 65535)
        throw new IllegalArgumentException("port must lie in 0..65535, got " + port);
      if (maxRequestBytes < 1024)
        throw new IllegalArgumentException(
            "maxRequestBytes must be >= 1024, got " + maxRequestBytes);
      if (offlineAfterMs < 100)
        throw new IllegalArgumentException("offlineAfterMs must be >= 100, got " + offlineAfterMs);
      if (maxAttempts < 1)
        throw new IllegalArgumentException("maxAttempts must be >= 1, got " + maxAttempts);
      if (!(finetuneEveryHours > 0))
        throw new IllegalArgumentException(
            "finetuneEveryHours must be > 0, got " + finetuneEveryHours);
      if (limits == null)
        throw new IllegalArgumentException("limits are required (Limits.defaults())");
    }

    /**
     * Defaults: loopback, 1 MiB requests, offline after 10 s of silence, 3 attempts per task,
     * {@link Limits#defaults()}, plain HTTP.
     */
    public static Config of(int port, Path dataDir, String dbUrl) {
      return new Config(
          LOOPBACK, port, dataDir, dbUrl, 1 << 20, 10_000, 3, null, 1.0, Limits.defaults(), null);
    }

    public Config withLimits(Limits l) {
      return new Config(
          host,
          port,
          dataDir,
          dbUrl,
          maxRequestBytes,
          offlineAfterMs,
          maxAttempts,
          finetuneCommand,
          finetuneEveryHours,
          l,
          tls);
    }

    public Config withTls(Tls t) {
      return new Config(
          host,
          port,
          dataDir,
          dbUrl,
          maxRequestBytes,
          offlineAfterMs,
          maxAttempts,
          finetuneCommand,
          finetuneEveryHours,
          limits,
          t);
    }
  }

  private final Config config;
  private final FleetStore store;
  private final Javalin app;
  private final Auth auth;
  private final EventBus events;
  private final Thread watchdog;
  private final String bootstrapToken;
  private final EpisodeFiles files;
  private final Flywheel flywheel;
  private final ModelFiles models;
  private final RateLimiter limiter;
  private final SlowHeaderGuard headerGuard;
  private final Teleop teleop;
  private final java.util.concurrent.atomic.AtomicReference<AutopilotService> autopilot =
      new java.util.concurrent.atomic.AtomicReference<>();

  private FleetServer(
      Config config,
      FleetStore store,
      EventBus events,
      String bootstrapToken,
      Callable<HumanJudge> judge)
      throws IOException {
    this.config = config;
    this.store = store;
    this.events = events;
    this.bootstrapToken = bootstrapToken;
    this.files = new EpisodeFiles(config.dataDir());
    this.models = new ModelFiles(store, config.dataDir());
    this.flywheel =
        new Flywheel(
            store,
            config.dataDir(),
            config.finetuneCommand(),
            config.finetuneEveryHours(),
            events::publish);
    this.auth = new Auth(store.robots());
    this.limiter = new RateLimiter(config.limits(), System::nanoTime);
    this.headerGuard = new SlowHeaderGuard(config.limits().headerTimeoutMs());
    this.teleop =
        new Teleop(
            new TeleopDataset(config.dataDir().resolve(TELEOP_DATASET), VideoEncoding.AV1_LEROBOT),
            "pusht",
            null);
    this.app =
        Javalin.create(
            c -> {
              c.jetty.addConnector(
                  (server, http) ->
                      Listener.create(
                          server, http, config.host(), config.port(), config.tls(), headerGuard));
              c.http.maxRequestSize =
                  MAX_MODEL_BYTES; // model archives; every other endpoint is held to
              // maxRequestBytes below
              c.concurrency.useVirtualThreads = true;
              c.startup.showJavalinBanner = false;
              c.routes.exception(
                  ApiException.class,
                  JsonExchange.neverThrowing(
                      "fleet", (e, ctx) -> error(ctx, e.status, e.getMessage())));
              c.routes.exception(
                  JacksonException.class,
                  JsonExchange.neverThrowing(
                      "fleet",
                      (e, ctx) -> error(ctx, 400, "malformed JSON: " + e.getOriginalMessage())));
              c.routes.exception(
                  JobDocumentException.class,
                  JsonExchange.neverThrowing(
                      "fleet", (e, ctx) -> error(ctx, 400, "job document " + e.getMessage())));
              c.routes.exception(
                  IllegalArgumentException.class,
                  JsonExchange.neverThrowing("fleet", (e, ctx) -> error(ctx, 400, e.getMessage())));
              c.routes.exception(
                  SQLException.class, JsonExchange.neverThrowing("fleet", FleetServer::sqlError));
              c.routes.exception(
                  Exception.class,
                  JsonExchange.neverThrowing("fleet", (e, ctx) -> internal(ctx, e)));
              c.routes.error(
                  404,
                  ctx -> { // Javalin's own 404 is plain text; ours are JSON already
                    if (!"application/json".equals(ctx.res().getContentType()))
                      error(ctx, 404, "no such endpoint: " + ctx.method() + " " + ctx.path());
                  });
              c.routes.error(
                  413,
                  ctx ->
                      error(
                          ctx,
                          413,
                          "request body larger than " + config.maxRequestBytes() + " bytes"));
              filters(c.routes);
              new RobotRoutes(store, auth, events).register(c.routes);
              new JobRoutes(store, auth, events, config.maxAttempts()).register(c.routes);
              new UploadRoutes(store, auth, events, files, flywheel, config.limits())
                  .register(c.routes);
              new ModelRoutes(store, auth, events, models).register(c.routes);
              new ViewRoutes(store, auth, events).register(c.routes);
              new BuildRoutes(auth, events).register(c.routes);
              new TeleopRoutes(teleop, auth::operator).register(c.routes);
              AutopilotService.register(c.routes, auth, autopilot);
              new JudgeRoutes(
                      judge != null
                          ? judge
                          : TeleopServer.defaultJudge(
                              config.dataDir().resolve(TeleopServer.JUDGEMENTS_FILE)),
                      auth::operator)
                  .register(c.routes);
            });
    this.watchdog = Thread.ofVirtual().name("fleet-watchdog").unstarted(this::watch);
  }

  /**
   * Opens the database (migrating it), writes the first operator token if there is none, and starts
   * serving.
   */
  public static FleetServer start(Config config) throws SQLException, IOException {
    return start(config, null);
  }

  /**
   * The same with the human judge ({@code /judge}) from {@code judge}; {@code null}: the scripted
   * expert, answers in {@code judgements.jsonl} in the data folder.
   */
  public static FleetServer start(Config config, Callable<HumanJudge> judge)
      throws SQLException, IOException {
    FleetStore store =
        config.dbUrl() == null
            ? FleetStore.embedded(config.dataDir())
            : FleetStore.open(config.dbUrl(), "", "");
    EventBus events = null;
    try {
      String token = null;
      if (!store.robots().hasOperators()) {
        token = store.robots().createOperatorToken("admin");
        AtomicFiles.writeSecret(config.dataDir().resolve(OPERATOR_TOKEN_FILE), token + "\n");
      }
      events = new EventBus(store);
      FleetServer s = new FleetServer(config, store, events, token, judge);
      s.flywheel.catchUp();
      try {
        s.app.start();
      } catch (RuntimeException e) {
        s.headerGuard.close();
        s.teleop.close();
        throw e;
      }
      s.watchdog.start();
      return s;
    } catch (RuntimeException | IOException | SQLException e) {
      if (events != null) events.close();
      store.close();
      throw e;
    }
  }

  /** The port served. */
  public int port() {
    return app.port();
  }

  /** Connections closed so far for sending their headers too slowly. */
  long headerGuardClosed() {
    return headerGuard.closed();
  }

  /** The operator token created at this start ({@code null} when the database already had one). */
  public String bootstrapToken() {
    return bootstrapToken;
  }

  /** The store behind the API (for in-process tools and tests). */
  public FleetStore store() {
    return store;
  }

  /**
   * Starts the autopilot for one task and group (docs/FLEET.md "The autopilot"): its state and
   * candidates under {@code autopilot/<task>/} in the data folder, resumed from there; {@code
   * around} may wrap its hands on the fleet (a test's deliberately bad candidate), else identity.
   *
   * @throws IllegalStateException when this server already runs one
   * @throws IllegalArgumentException naming a scene that does not load or a fine-tuning field that
   *     is not one
   */
  public dev.wam4j.fleet.autopilot.Autopilot startAutopilot(
      dev.wam4j.fleet.autopilot.AutopilotConfig ap,
      dev.wam4j.eval.CheckpointEvaluator evaluator,
      dev.wam4j.fleet.autopilot.CandidateTraining training,
      java.util.function.UnaryOperator<dev.wam4j.fleet.autopilot.Autopilot.Fleet> around,
      java.util.function.Consumer<String> log)
      throws IOException {
    Path dir = autopilotDir(ap);
    var hands =
        new AutopilotFleet(
            ap,
            store,
            models,
            dir.resolve("candidates"),
            evaluator,
            training,
            events::publish,
            log);
    hands.check(); // a bad scene or fine-tuning field now, not after the first candidate's data
    var a =
        new dev.wam4j.fleet.autopilot.Autopilot(
            ap, around.apply(hands), dir, System::currentTimeMillis);
    AutopilotService s = new AutopilotService(a, store, log);
    if (!autopilot.compareAndSet(null, s))
      throw new IllegalStateException("this server already runs an autopilot");
    s.start();
    return a;
  }

  /** Stops the autopilot, if one runs, once its current step ends (see {@link #close}). */
  public void stopAutopilot() {
    AutopilotService ap = autopilot.getAndSet(null);
    if (ap != null) ap.close();
  }

  /**
   * The autopilot's hands on this server's fleet for {@code ap}, its candidates in {@code
   * candidates} under the task's autopilot folder (a test builds a second pair to make a
   * deliberately bad candidate with other fine-tuning settings).
   */
  public dev.wam4j.fleet.autopilot.Autopilot.Fleet autopilotHands(
      dev.wam4j.fleet.autopilot.AutopilotConfig ap,
      dev.wam4j.eval.CheckpointEvaluator evaluator,
      dev.wam4j.fleet.autopilot.CandidateTraining training,
      String candidates,
      java.util.function.Consumer<String> log)
      throws IOException {
    return new AutopilotFleet(
        ap,
        store,
        models,
        autopilotDir(ap).resolve(candidates),
        evaluator,
        training,
        events::publish,
        log);
  }

  /** Where the autopilot of {@code ap}'s task keeps its state, decisions and candidates. */
  public Path autopilotDir(dev.wam4j.fleet.autopilot.AutopilotConfig ap) {
    return config.dataDir().resolve("autopilot").resolve(Flywheel.slug(ap.task()));
  }

  /** Waits until the data flywheel has processed every episode kept so far. */
  public void awaitDatasets() throws InterruptedException {
    flywheel.drain();
  }

  /** The folder of a task's dataset (LeRobot v3.0), rebuilt after each kept episode. */
  public Path dataset(String taskName) {
    return flywheel.dataset(taskName);
  }

  @Override
  public void close() {
    events.endStreams(); // their requests end, so that stopping need not wait for them
    app.stop(); // no new requests, then the background work ends, then the store closes: nothing
    // writes after close returns
    watchdog.interrupt();
    stopAutopilot(); // waits for its step to end: nothing writes after the store closes
    try {
      watchdog.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    headerGuard.close();
    teleop.close();
    flywheel.close();
    events.close(); // after the flywheel, whose last rebuild may still publish (to other servers)
    store.close();
  }

  /** The request size limit (except for model archives), and each robot within its rates. */
  private void filters(RoutesConfig r) {
    r.before(
        ctx -> {
          if (ctx.path().startsWith(ApiPaths.BASE + "/models/")
              && "POST".equals(ctx.method().name())) return;
          long length = ctx.req().getContentLengthLong();
          if (length > config.maxRequestBytes()
              || (length < 0 && ctx.req().getHeader("Transfer-Encoding") != null)) {
            throw new ApiException(
                413,
                "request body larger than "
                    + config.maxRequestBytes()
                    + " bytes (or of unknown length)");
          }
        });
    r.before(
        ApiPaths.BASE + "/*",
        ctx -> { // episode chunks count as requests only (uploads have their own quota)
          if (ctx.header("Authorization") == null
              || !(auth.principalOrNull(ctx) instanceof Principal.Robot robot)) return;
          boolean chunk =
              "PUT".equals(ctx.method().name())
                  && ctx.path().startsWith(ApiPaths.BASE + "/uploads/");
          long wait =
              limiter.admit(
                  robot.robotId(), chunk ? 0 : Math.max(0, ctx.req().getContentLengthLong()));
          if (wait > 0) {
            ctx.header("Retry-After", Long.toString(wait));
            throw new ApiException(
                429,
                "robot "
                    + robot.robotId()
                    + " is over its rate ("
                    + config.limits().robotRequestsPerSecond()
                    + " requests/s, "
                    + config.limits().robotBytesPerSecond()
                    + " bytes/s); retry after "
                    + wait
                    + " s");
          }
        });
    r.before(
        ApiPaths.events(),
        auth::operator); // refused before the stream starts: a 401 stops a browser's EventSource
    // retrying
  }

  /** Bad data the checks missed is the caller's fault (400, 409), not the server's. */
  private static void sqlError(SQLException e, Context ctx) {
    String state = e.getSQLState() == null ? "" : e.getSQLState();
    if (state.startsWith("22"))
      error(ctx, 400, "a value does not fit: " + firstLine(e.getMessage()));
    else if (FleetStore.isConstraintViolation(e))
      error(ctx, 409, "conflicts with stored data: " + firstLine(e.getMessage()));
    else internal(ctx, e);
  }

  private static void internal(Context ctx, Exception e) {
    System.err.println(
        "wam4j fleet: internal error on " + ctx.method() + " " + ctx.path() + ": " + e);
    error(ctx, 500, "internal error (" + e.getClass().getSimpleName() + "); see the server's log");
  }

  private static String firstLine(String s) {
    if (s == null) return "";
    int nl = s.indexOf('\n');
    return (nl < 0 ? s : s.substring(0, nl)).replaceAll("\\s+", " ");
  }

  /** Live-event listeners subscribed now (tests wait on it instead of sleeping). */
  int eventListeners() {
    return events.listeners();
  }

  /** The live events (tests look at their relay). */
  EventBus eventBus() {
    return events;
  }

  /**
   * Robots that fall silent go offline (their tasks back to the queue); stale uploads and old
   * telemetry go.
   */
  private void watch() {
    while (!Thread.currentThread().isInterrupted()) {
      try {
        Thread.sleep(Math.min(2_000, config.offlineAfterMs() / 2));
        if (store.robots().expireSilent(config.offlineAfterMs()) > 0)
          events.publish(new FleetEvent.RobotsChanged(store.robots().all()));
        for (String expired :
            store.uploads().expire((long) (config.limits().uploadExpiryHours() * 3_600_000)))
          files.discard(expired);
        store
            .robots()
            .pruneTelemetry((long) (config.limits().telemetryRetentionHours() * 3_600_000));
      } catch (InterruptedException e) {
        return;
      } catch (SQLException | IOException | RuntimeException e) {
        // the database is gone (shutting down) or a partial file would not go: try again on the
        // next tick
      }
    }
  }
}
