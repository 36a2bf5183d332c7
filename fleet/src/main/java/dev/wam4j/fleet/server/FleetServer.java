package dev.wam4j.fleet.server;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wam4j.fleet.job.JobDocument;
import dev.wam4j.fleet.job.JobDocumentException;
import dev.wam4j.fleet.job.JobDocumentParser;
import dev.wam4j.fleet.store.FleetStore;
import dev.wam4j.fleet.store.Principal;
import dev.wam4j.fleet.store.Records;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Physical API server: HTTP + JSON under {@code /api/v1}, its OpenAPI document at
 * {@code /openapi.json}, live events as server-sent events at {@code /api/v1/events}. Requests carry
 * {@code Authorization: Bearer <token>}: operators manage everything; a robot token acts only as its
 * robot. Bad input gets a 400 with a message, never a 500. Runs on virtual threads.
 */
public final class FleetServer implements AutoCloseable {
  static final ObjectMapper JSON = new ObjectMapper().setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);
  static final String OPERATOR_TOKEN_FILE = "operator.token";
  static final long MAX_MODEL_BYTES = 512L << 20;
  /** What a robot may say it is doing. */
  static final List<String> ROBOT_STATES = List.of("idle", "busy", "stopped", "offline", "error");

  /**
   * How to run.
   *
   * @param port TCP port (0: any free one)
   * @param dataDir the data folder: embedded database, operator token, uploaded files
   * @param dbUrl JDBC URL of the database, or {@code null} for the embedded one in {@code dataDir}
   * @param maxRequestBytes largest request body accepted (413 above)
   * @param offlineAfterMs a robot silent this long goes offline and its task is queued again
   * @param maxAttempts tries of each task before it (and its job) fails
   * @param finetuneCommand shell command the data flywheel runs when a task's data grows by {@code finetuneEveryHours}, or null
   * @param finetuneEveryHours hours of new data per task that trigger {@code finetuneCommand}
   * @param limits what one robot may cost (rates, retention, header deadline)
   * @param tls HTTPS key store, or null for plain HTTP (loopback, or behind a TLS reverse proxy)
   */
  public record Config(String host, int port, Path dataDir, String dbUrl, long maxRequestBytes, long offlineAfterMs, int maxAttempts,
      String finetuneCommand, double finetuneEveryHours, Limits limits, Tls tls) {
    /** Listens on loopback only unless told otherwise: tokens are bearer secrets and the API is plain HTTP. */
    public static final String LOOPBACK = "127.0.0.1";

    public Config {
      if (host == null || host.isBlank()) throw new IllegalArgumentException("host must be an address to listen on, e.g. 127.0.0.1 or 0.0.0.0");
      if (port < 0 || port > 65535) throw new IllegalArgumentException("port must lie in 0..65535, got " + port);
      if (maxRequestBytes < 1024) throw new IllegalArgumentException("maxRequestBytes must be >= 1024, got " + maxRequestBytes);
      if (offlineAfterMs < 100) throw new IllegalArgumentException("offlineAfterMs must be >= 100, got " + offlineAfterMs);
      if (maxAttempts < 1) throw new IllegalArgumentException("maxAttempts must be >= 1, got " + maxAttempts);
      if (!(finetuneEveryHours > 0)) throw new IllegalArgumentException("finetuneEveryHours must be > 0, got " + finetuneEveryHours);
      if (limits == null) throw new IllegalArgumentException("limits are required (Limits.defaults())");
    }

    /** Defaults: loopback, 1 MiB requests, offline after 10 s of silence, 3 attempts per task, {@link Limits#defaults()}, plain HTTP. */
    public static Config of(int port, Path dataDir, String dbUrl) {
      return new Config(LOOPBACK, port, dataDir, dbUrl, 1 << 20, 10_000, 3, null, 1.0, Limits.defaults(), null);
    }

    public Config withLimits(Limits l) {
      return new Config(host, port, dataDir, dbUrl, maxRequestBytes, offlineAfterMs, maxAttempts, finetuneCommand, finetuneEveryHours, l, tls);
    }

    public Config withTls(Tls t) {
      return new Config(host, port, dataDir, dbUrl, maxRequestBytes, offlineAfterMs, maxAttempts, finetuneCommand, finetuneEveryHours, limits, t);
    }
  }

  private final Config config;
  private final FleetStore store;
  private final Javalin app;
  private final EventHub events = new EventHub(1_000); // a listener 1,000 events behind is dropped
  private final Map<String, View> views = new java.util.concurrent.ConcurrentHashMap<>();
  private final Thread watchdog;
  private final String bootstrapToken;
  private final EpisodeFiles files;
  private final Flywheel flywheel;
  private final ModelFiles models;
  private final RateLimiter limiter;
  private final SlowHeaderGuard headerGuard;

  private FleetServer(Config config, FleetStore store, String bootstrapToken) throws IOException {
    this.config = config;
    this.store = store;
    this.bootstrapToken = bootstrapToken;
    this.files = new EpisodeFiles(config.dataDir());
    this.models = new ModelFiles(store, config.dataDir());
    this.flywheel = new Flywheel(store, config.dataDir(), config.finetuneCommand(), config.finetuneEveryHours(), this::emit);
    this.limiter = new RateLimiter(config.limits(), System::nanoTime);
    this.headerGuard = new SlowHeaderGuard(config.limits().headerTimeoutMs());
    this.app = Javalin.create(c -> {
      c.jetty.addConnector((server, http) -> Listener.create(server, http, config.host(), config.port(), config.tls(), headerGuard));
      c.http.maxRequestSize = MAX_MODEL_BYTES; // model archives; every other endpoint is held to maxRequestBytes below
      c.concurrency.useVirtualThreads = true;
      c.startup.showJavalinBanner = false;
      c.routes.exception(ApiException.class, (e, ctx) -> error(ctx, e.status, e.getMessage()));
      c.routes.exception(JacksonException.class, (e, ctx) -> error(ctx, 400, "malformed JSON: " + e.getOriginalMessage()));
      c.routes.exception(JobDocumentException.class, (e, ctx) -> error(ctx, 400, "job document " + e.getMessage()));
      c.routes.exception(IllegalArgumentException.class, (e, ctx) -> error(ctx, 400, e.getMessage()));
      c.routes.exception(java.sql.SQLException.class, (e, ctx) -> { // bad data the checks missed: the caller's fault, not the server's
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        if (state.startsWith("22")) error(ctx, 400, "a value does not fit: " + firstLine(e.getMessage()));
        else if (FleetStore.isConstraintViolation(e)) error(ctx, 409, "conflicts with stored data: " + firstLine(e.getMessage()));
        else internal(ctx, e);
      });
      c.routes.exception(Exception.class, (e, ctx) -> internal(ctx, e));
      c.routes.error(404, ctx -> { // Javalin's own 404 is plain text; ours are JSON already
        if (!"application/json".equals(ctx.res().getContentType())) error(ctx, 404, "no such endpoint: " + ctx.method() + " " + ctx.path());
      });
      c.routes.error(413, ctx -> error(ctx, 413, "request body larger than " + config.maxRequestBytes() + " bytes"));
      routes(c.routes);
    });
    this.watchdog = Thread.ofVirtual().name("fleet-watchdog").unstarted(this::watch);
  }

  /** Opens the database (migrating it), writes the first operator token if there is none, and starts serving. */
  public static FleetServer start(Config config) throws SQLException, IOException {
    FleetStore store = config.dbUrl() == null ? FleetStore.embedded(config.dataDir()) : FleetStore.open(config.dbUrl(), "", "");
    try {
      String token = null;
      if (!store.hasOperators()) {
        token = store.createOperatorToken("admin");
        writeSecret(config.dataDir().resolve(OPERATOR_TOKEN_FILE), token);
      }
      FleetServer s = new FleetServer(config, store, token);
      s.flywheel.catchUp();
      try {
        s.app.start();
      } catch (RuntimeException e) {
        s.headerGuard.close();
        throw e;
      }
      s.watchdog.start();
      return s;
    } catch (RuntimeException | IOException e) {
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
    app.stop(); // no new requests, then the background work ends, then the store closes: nothing writes after close returns
    watchdog.interrupt();
    try {
      watchdog.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    headerGuard.close();
    events.close();
    flywheel.close();
    store.close();
  }

  // ---- routes -------------------------------------------------------------------------------

  /** The dashboard page and the CSP hash of its one inline script, read once. */
  private record Dashboard(byte[] html, String scriptHash) {
    static Dashboard load() {
      try (InputStream in = FleetServer.class.getResourceAsStream("/fleet/dashboard.html")) {
        byte[] html = in.readAllBytes();
        String page = new String(html, java.nio.charset.StandardCharsets.UTF_8);
        int open = page.indexOf("<script>") + "<script>".length(), close = page.indexOf("</script>", open);
        byte[] script = page.substring(open, close).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        String hash = java.util.Base64.getEncoder().encodeToString(java.security.MessageDigest.getInstance("SHA-256").digest(script));
        return new Dashboard(html, "sha256-" + hash);
      } catch (IOException | java.security.NoSuchAlgorithmException | RuntimeException e) {
        throw new IllegalStateException("the dashboard page is missing from the fleet jar: " + e, e);
      }
    }
  }

  private static final Dashboard DASHBOARD = Dashboard.load();
  private void routes(io.javalin.config.RoutesConfig r) {
    r.before(ctx -> { // the request size limit, except for model archives
      if (ctx.path().startsWith("/api/v1/models/") && "POST".equals(ctx.method().name())) return;
      long length = ctx.req().getContentLengthLong();
      if (length > config.maxRequestBytes() || (length < 0 && ctx.req().getHeader("Transfer-Encoding") != null)) {
        throw new ApiException(413, "request body larger than " + config.maxRequestBytes() + " bytes (or of unknown length)");
      }
    });
    r.before("/api/v1/*", ctx -> { // each robot within its rates; episode chunks count as requests only (uploads have their own quota)
      if (ctx.header("Authorization") == null || !(principalOrNull(ctx) instanceof Principal.Robot robot)) return;
      boolean chunk = "PUT".equals(ctx.method().name()) && ctx.path().startsWith("/api/v1/uploads/");
      long wait = limiter.admit(robot.robotId(), chunk ? 0 : Math.max(0, ctx.req().getContentLengthLong()));
      if (wait > 0) {
        ctx.header("Retry-After", Long.toString(wait));
        throw new ApiException(429, "robot " + robot.robotId() + " is over its rate (" + config.limits().robotRequestsPerSecond() + " requests/s, "
            + config.limits().robotBytesPerSecond() + " bytes/s); retry after " + wait + " s");
      }
    });
    r.before("/api/v1/events", ctx -> operator(ctx)); // refused before the stream starts: a 401 stops a browser's EventSource retrying
    r.get("/api/v1/health", ctx -> json(ctx, 200, Map.of("status", "ok")));
    r.get("/openapi.json", ctx -> {
      try (InputStream in = FleetServer.class.getResourceAsStream("/fleet/openapi.json")) {
        ctx.contentType("application/json").result(in.readAllBytes());
      }
    });
    r.get("/api/v1/whoami", ctx -> json(ctx, 200, switch (principal(ctx)) {
      case Principal.Operator o -> Map.of("kind", "operator", "name", o.name());
      case Principal.Robot rb -> Map.of("kind", "robot", "robot_id", rb.robotId());
    }));
    r.post("/api/v1/robots", ctx -> {
      operator(ctx);
      JsonNode b = body(ctx);
      Records.Enrollment e = store.enrollRobot(text(b, "name", true, 128), b.hasNonNull("group") ? text(b, "group", true, 64) : "default");
      emit("robot", Map.of("robot_id", e.robotId(), "state", "enrolled"));
      json(ctx, 201, Map.of("robot_id", e.robotId(), "token", e.token()));
    });
    r.get("/api/v1/robots", ctx -> {
      operator(ctx);
      json(ctx, 200, store.robots());
    });
    r.get("/api/v1/robots/{id}", ctx -> {
      String id = self(ctx);
      json(ctx, 200, store.robot(id).orElseThrow(() -> new ApiException(404, "no robot " + id)));
    });
    r.post("/api/v1/robots/{id}/connection", ctx -> { // VDA 5050 'connection' + 'factsheet': the agent is online
      String id = self(ctx);
      JsonNode b = body(ctx);
      String embodiment = text(b, "embodiment", true);
      if (!List.of("robot", "hand").contains(embodiment)) throw new ApiException(400, "embodiment must be robot or hand, got '" + embodiment + "'");
      store.register(id, embodiment, document(b));
      emit("robot", Map.of("robot_id", id, "state", "idle"));
      json(ctx, 200, Map.of("robot_id", id, "state", "idle"));
    });
    r.post("/api/v1/robots/{id}/state", ctx -> { // VDA 5050 'state': telemetry at the control rate
      String id = self(ctx);
      JsonNode b = body(ctx);
      long seq = number(b, "seq").longValue();
      String state = text(b, "state", true, 32);
      if (!ROBOT_STATES.contains(state)) throw new ApiException(400, "state must be one of " + ROBOT_STATES + ", got '" + state + "'");
      boolean fresh = store.telemetry(id, seq, state, document(b));
      if (fresh) emit("state", ((ObjectNode) b.deepCopy()).put("robot_id", id));
      json(ctx, 200, Map.of("stored", fresh, "seq", seq));
    });
    r.post("/api/v1/robots/{id}/tasks/next", ctx -> {
      String id = self(ctx);
      var t = store.claimTask(id);
      if (t.isEmpty()) {
        ctx.status(204);
        return;
      }
      emit("task", Map.of("task_id", t.get().id(), "job_id", t.get().jobId(), "robot_id", id, "status", "assigned"));
      json(ctx, 200, t.get());
    });
    r.post("/api/v1/tasks/{id}/result", ctx -> {
      Principal.Robot robot = robot(ctx);
      long taskId = pathLong(ctx, "id");
      JsonNode b = body(ctx);
      if (!b.has("success") || !b.get("success").isBoolean()) throw new ApiException(400, "field 'success' (true or false) is required");
      Records.Task t = store.task(taskId).orElseThrow(() -> new ApiException(404, "no task " + taskId));
      if (!robot.robotId().equals(t.robotId())) throw new ApiException(403, "task " + taskId + " is not assigned to this robot");
      Records.Task done = store.finishTask(robot.robotId(), taskId, b.get("success").asBoolean(), document(b));
      emit("task", Map.of("task_id", taskId, "job_id", done.jobId(), "robot_id", robot.robotId(), "status", done.status()));
      emit("job", store.job(done.jobId()).orElseThrow());
      json(ctx, 200, done);
    });
    r.post("/api/v1/jobs", ctx -> {
      operator(ctx);
      String markdown = ctx.body();
      JobDocument doc = JobDocumentParser.parse(markdown);
      long id = store.submitJob(doc, markdown, config.maxAttempts());
      Records.Job job = store.job(id).orElseThrow();
      emit("job", job);
      json(ctx, 201, job);
    });
    r.get("/api/v1/jobs", ctx -> {
      operator(ctx);
      json(ctx, 200, store.jobs());
    });
    r.get("/api/v1/jobs/{id}", ctx -> {
      operator(ctx);
      long id = pathLong(ctx, "id");
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("job", store.job(id).orElseThrow(() -> new ApiException(404, "no job " + id)));
      m.put("tasks", store.tasks(id));
      json(ctx, 200, m);
    });
    r.post("/api/v1/jobs/{id}/cancel", ctx -> {
      operator(ctx);
      long id = pathLong(ctx, "id");
      Records.Job before = store.job(id).orElseThrow(() -> new ApiException(404, "no job " + id));
      if (!store.cancelJob(id)) throw new ApiException(409, "job " + id + " is " + before.status() + ", not running");
      Records.Job job = store.job(id).orElseThrow();
      emit("job", job);
      json(ctx, 200, job);
    });
    r.post("/api/v1/robots/{id}/revoke", ctx -> {
      operator(ctx);
      String id = ctx.pathParam("id");
      store.robot(id).orElseThrow(() -> new ApiException(404, "no robot " + id));
      int n = store.revokeRobot(id);
      emit("robot", Map.of("robot_id", id, "state", "offline"));
      json(ctx, 200, Map.of("robot_id", id, "tokens_revoked", n));
    });
    r.post("/api/v1/robots/{id}/alerts", ctx -> {
      String id = self(ctx);
      JsonNode b = body(ctx);
      Long task = b.hasNonNull("task_id") ? number(b, "task_id").longValue() : null;
      if (task != null && !store.attempted(task, id)) throw new ApiException(400, "task " + task + " was never given to robot " + id);
      long alert = store.raiseAlert(id, task, text(b, "kind", true, 32), text(b, "message", true, 2000));
      emit("alert", Map.of("alert_id", alert, "robot_id", id, "kind", b.get("kind").asText(), "message", b.get("message").asText()));
      json(ctx, 201, Map.of("alert_id", alert));
    });
    r.post("/api/v1/robots/{id}/uploads", ctx -> { // open, or find again to resume, an episode upload
      String id = self(ctx);
      JsonNode b = body(ctx);
      String sha = text(b, "sha256", true);
      if (!sha.matches("[0-9a-f]{64}")) throw new ApiException(400, "sha256 must be 64 lowercase hex digits");
      long size = number(b, "size_bytes").longValue();
      Limits limits = config.limits();
      if (size < 1 || size > limits.maxUploadBytes()) throw new ApiException(400, "size_bytes must lie in 1.." + limits.maxUploadBytes() + ", got " + size);
      // the episode belongs to a task the fleet planned: its name (the dataset it joins) comes from the task, not the robot
      long taskId = number(b, "task_id").longValue();
      Records.Task task = store.task(taskId).orElseThrow(() -> new ApiException(400, "no task " + taskId));
      if (task.attempts() == 0) throw new ApiException(403, "task " + taskId + " was never given to a robot");
      if (!store.attempted(taskId, id)) throw new ApiException(403, "task " + taskId + " was never given to robot " + id);
      if (store.quarantinedUploads(id) >= limits.maxQuarantined()) { // each holds up to maxUploadBytes: a robot cannot fill the disk with rejects
        throw new ApiException(429, "robot " + id + " has " + limits.maxQuarantined() + " quarantined uploads; an operator must review them first"
            + " ('wam4j fleet quarantine')");
      }
      if (store.openUploads(id) >= limits.maxOpenUploads() && !store.hasOpenUpload(id, sha)) { // resuming one of them stays possible
        throw new ApiException(429, "robot " + id + " has " + limits.maxOpenUploads() + " uploads open; finish one first (open ones expire after "
            + limits.uploadExpiryHours() + " h)");
      }
      Records.Upload u = store.openUpload(id, taskId, task.stepName(), sha, size);
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("upload_id", u.id());
      m.put("status", u.status());
      m.put("received_bytes", u.id() == null ? size : files.received(u.id()));
      m.put("episode_id", u.episodeId());
      json(ctx, 200, m);
    });
    r.put("/api/v1/uploads/{uid}", ctx -> { // one chunk at ?offset=, acknowledged once on disk
      Records.Upload u = ownUpload(ctx);
      String off = ctx.queryParam("offset");
      if (off == null) throw new ApiException(400, "query parameter 'offset' is required");
      long offset;
      try {
        offset = Long.parseLong(off);
      } catch (NumberFormatException e) {
        throw new ApiException(400, "offset must be a number, got '" + off + "'");
      }
      if ("complete".equals(u.status())) {
        json(ctx, 200, Map.of("received_bytes", u.sizeBytes(), "status", "complete"));
        return;
      }
      if ("quarantined".equals(u.status())) throw new ApiException(409, "upload " + u.id() + " is quarantined; an operator decides what becomes of it");
      json(ctx, 200, Map.of("received_bytes", files.append(u.id(), offset, ctx.bodyAsBytes(), u.sizeBytes()), "status", "open"));
    });
    r.get("/api/v1/uploads/{uid}", ctx -> {
      Records.Upload u = ownUpload(ctx);
      json(ctx, 200, Map.of("received_bytes", "complete".equals(u.status()) ? u.sizeBytes() : files.received(u.id()), "status", u.status()));
    });
    r.post("/api/v1/uploads/{uid}/complete", ctx -> {
      Records.Upload u = ownUpload(ctx);
      if ("complete".equals(u.status())) {
        json(ctx, 200, Map.of("episode_id", u.episodeId(), "duplicate", true));
        return;
      }
      if ("quarantined".equals(u.status())) throw new ApiException(409, "upload " + u.id() + " is quarantined; an operator decides what becomes of it");
      EpisodeFiles.Kept kept;
      try {
        kept = files.keep(u.id(), u.sha256(), u.sizeBytes());
      } catch (EpisodeFiles.Rejected rejected) { // the bytes are as sent and unusable: set aside, never retried, never in a dataset
        Records.Quarantined q = store.quarantine(u.id(), rejected.getMessage());
        emit("quarantine", q);
        throw new ApiException(422, "episode quarantined (" + q.id() + "): " + rejected.getMessage());
      }
      Records.Episode e;
      try {
        e = store.completeUpload(u.id(), kept.frames(), kept.success(), kept.dir().toAbsolutePath().toString());
      } catch (java.sql.SQLException ex) {
        if (!FleetStore.isConstraintViolation(ex)) throw ex;
        json(ctx, 200, Map.of("duplicate", true)); // the same episode was kept meanwhile (another upload of the same bytes)
        return;
      }
      files.discard(u.id()); // only now: a crash before the commit keeps the bytes for a retry
      flywheel.episodeKept(u.taskName());
      emit("episode", Map.of("episode_id", e.id(), "robot_id", u.robotId(), "task", u.taskName(), "frames", e.frames()));
      json(ctx, 201, Map.of("episode_id", e.id(), "frames", e.frames(), "duplicate", false));
    });
    r.get("/api/v1/datasets", ctx -> {
      operator(ctx);
      List<Map<String, Object>> out = new java.util.ArrayList<>();
      for (Records.TaskData t : store.collected()) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("task", t.taskName());
        m.put("episodes", t.episodes());
        m.put("frames", t.frames());
        m.put("hours", t.hours());
        m.put("successes", t.successes());
        m.put("dataset", flywheel.dataset(t.taskName()).toAbsolutePath().toString());
        out.add(m);
      }
      json(ctx, 200, out);
    });
    r.get("/api/v1/episodes", ctx -> { // kept episodes, ?task= for one task's
      operator(ctx);
      json(ctx, 200, store.allEpisodes(ctx.queryParam("task")));
    });
    r.delete("/api/v1/episodes/{id}", ctx -> { // out of the store, off the disk, out of the task's dataset
      operator(ctx);
      long id = pathLong(ctx, "id");
      Records.Episode e = store.episode(id).orElseThrow(() -> new ApiException(404, "no episode " + id));
      store.deleteEpisode(id);
      files.deleteEpisode(Path.of(e.path())); // its own folder: episodes/<sha256>, and a digest is kept once
      flywheel.episodeKept(e.taskName()); // rebuilds the task's dataset without it
      emit("episode", Map.of("episode_id", id, "deleted", true));
      json(ctx, 200, Map.of("episode_id", id, "deleted", true));
    });
    r.get("/api/v1/quarantine", ctx -> {
      operator(ctx);
      json(ctx, 200, store.quarantined());
    });
    r.get("/api/v1/quarantine/{uid}/archive", ctx -> { // the archive as the robot sent it, to inspect
      operator(ctx);
      String uid = ctx.pathParam("uid");
      Path zip = files.quarantined(uid);
      if (store.quarantined().stream().noneMatch(q -> q.id().equals(uid)) || !Files.isRegularFile(zip)) throw new ApiException(404, "no quarantined upload " + uid);
      ctx.contentType("application/zip").result(Files.newInputStream(zip));
    });
    r.delete("/api/v1/quarantine/{uid}", ctx -> {
      operator(ctx);
      String uid = ctx.pathParam("uid");
      Path zip = files.quarantined(uid);
      if (!store.deleteQuarantined(uid)) throw new ApiException(404, "no quarantined upload " + uid);
      Files.deleteIfExists(zip);
      json(ctx, 200, Map.of("upload_id", uid, "deleted", true));
    });
    r.post("/api/v1/models/{name}", ctx -> { // a checkpoint directory as a zip: the next version of the model
      operator(ctx);
      String name = ctx.pathParam("name");
      if (!name.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,63}")) { // never '.' or '..': the name is a folder in the data root
        throw new ApiException(400, "model name must be 1-64 of A-Z a-z 0-9 . _ -, starting with a letter or digit, got '" + name + "'");
      }
      Records.Model m = models.add(name, ctx.bodyAsBytes());
      emit("model", Map.of("name", m.name(), "version", m.version()));
      json(ctx, 201, m);
    });
    r.get("/api/v1/models", ctx -> {
      operator(ctx);
      json(ctx, 200, store.models());
    });
    r.get("/api/v1/models/{name}/{version}/archive", ctx -> {
      long v = pathLong(ctx, "version");
      if (v < 1 || v > Integer.MAX_VALUE) throw new ApiException(400, "version must lie in 1.." + Integer.MAX_VALUE);
      int version = (int) v;
      if (principal(ctx) instanceof Principal.Robot robot) { // a robot downloads the model deployed to it, nothing else
        var assigned = store.assignedModel(robot.robotId());
        if (assigned.isEmpty() || !assigned.get().name().equals(ctx.pathParam("name")) || assigned.get().version() != version) {
          throw new ApiException(403, "model " + ctx.pathParam("name") + " version " + version + " is not deployed to this robot");
        }
      }
      Records.Model m = store.model(ctx.pathParam("name"), version).orElseThrow(() -> new ApiException(404, "no model " + ctx.pathParam("name")
          + " version " + version));
      ctx.header("X-Sha256", m.sha256()).contentType("application/zip").result(Files.newInputStream(models.archive(m)));
    });
    r.post("/api/v1/deployments", ctx -> {
      operator(ctx);
      JsonNode b = body(ctx);
      Records.Deployment d = store.deploy(text(b, "model", true, 64), smallNumber(b, "version"),
          b.hasNonNull("group") ? text(b, "group", true, 64) : "default", b.path("canary").asBoolean(false));
      emit("deployment", d);
      json(ctx, 201, d);
    });
    r.get("/api/v1/deployments", ctx -> {
      operator(ctx);
      json(ctx, 200, store.deployments());
    });
    r.post("/api/v1/deployments/{id}/promote", ctx -> {
      operator(ctx);
      Records.Deployment d = store.setDeploymentStatus(pathLong(ctx, "id"), "active");
      emit("deployment", d);
      json(ctx, 200, d);
    });
    r.post("/api/v1/deployments/{id}/rollback", ctx -> {
      operator(ctx);
      Records.Deployment d = store.setDeploymentStatus(pathLong(ctx, "id"), "rolled_back");
      emit("deployment", d);
      json(ctx, 200, d);
    });
    r.get("/api/v1/robots/{id}/model", ctx -> {
      String id = self(ctx);
      var m = store.assignedModel(id);
      if (m.isEmpty()) {
        ctx.status(204);
        return;
      }
      json(ctx, 200, Map.of("name", m.get().name(), "version", m.get().version(), "sha256", m.get().sha256()));
    });
    r.post("/api/v1/robots/{id}/view", ctx -> { // what the camera shows and what the model dreams, latest only (not stored)
      String id = self(ctx);
      JsonNode b = body(ctx);
      int size = smallNumber(b, "size");
      if (size < 8 || size > 256) throw new ApiException(400, "size must lie in 8..256, got " + size);
      byte[] camera = rgb(b, "camera", size), dream = b.hasNonNull("dream") ? rgb(b, "dream", size) : null;
      views.put(id, new View(size, camera, dream, b.path("step").asInt(), b.path("dream_offset").asInt(), System.currentTimeMillis()));
      ctx.status(204);
    });
    r.get("/api/v1/robots/{id}/view", ctx -> {
      String id = self(ctx);
      View v = views.get(id);
      if (v == null) throw new ApiException(404, "robot " + id + " has sent no view yet");
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("step", v.step());
      m.put("dream_offset", v.dreamOffset());
      m.put("age_ms", System.currentTimeMillis() - v.receivedMs());
      m.put("camera", "data:image/png;base64," + java.util.Base64.getEncoder().encodeToString(png(v.camera(), v.size())));
      m.put("dream", v.dream() == null ? null : "data:image/png;base64," + java.util.Base64.getEncoder().encodeToString(png(v.dream(), v.size())));
      json(ctx, 200, m);
    });
    r.get("/", ctx -> ctx.redirect("/dashboard"));
    r.get("/dashboard", ctx -> {
      // its one inline script is allowed by hash, nothing else runs; no framing; the ?token= never leaves in a Referer
      ctx.header("Content-Security-Policy", "default-src 'self'; script-src '" + DASHBOARD.scriptHash() + "'; style-src 'self' 'unsafe-inline';"
          + " img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'");
      ctx.header("X-Frame-Options", "DENY").header("Referrer-Policy", "no-referrer").header("X-Content-Type-Options", "nosniff");
      ctx.contentType("text/html; charset=utf-8").result(DASHBOARD.html());
    });
    r.get("/api/v1/telemetry/stats", ctx -> {
      operator(ctx);
      Map<String, Object> out = new LinkedHashMap<>();
      for (var e : store.telemetryStats().entrySet()) out.put(e.getKey(), Map.of("messages", e.getValue()[0], "max_seq", e.getValue()[1]));
      json(ctx, 200, out);
    });
    r.get("/api/v1/alerts", ctx -> {
      operator(ctx);
      json(ctx, 200, store.alerts());
    });
    r.sse("/api/v1/events", client -> {
      try {
        operator(client.ctx());
        client.keepAlive();
        client.sendEvent("hello", JSON.writeValueAsString(Map.of("robots", store.robots())));
        EventHub.Subscriber subscriber = new EventHub.Subscriber() {
          @Override
          public void send(String event, String data) throws IOException {
            client.sendEvent(event, data);
            if (client.terminated()) throw new IOException("event stream closed");
          }

          @Override
          public void close() {
            client.close();
          }
        };
        client.onClose(() -> events.unsubscribe(subscriber));
        events.subscribe(subscriber);
      } catch (ApiException | SQLException | JacksonException e) {
        client.sendEvent("error", e.getMessage());
        client.close();
      }
    });
  }

  // ---- auth ---------------------------------------------------------------------------------

  /** The caller, or null when its token is missing or unknown (the route then answers 401). */
  private Principal principalOrNull(Context ctx) throws SQLException {
    try {
      return principal(ctx);
    } catch (ApiException e) {
      return null;
    }
  }

  private Principal principal(Context ctx) throws SQLException {
    if (ctx.attribute(PRINCIPAL) instanceof Principal known) return known; // one token lookup per request
    Principal p = authenticate(ctx);
    ctx.attribute(PRINCIPAL, p);
    return p;
  }

  private static final String PRINCIPAL = "wam4j.principal";

  private Principal authenticate(Context ctx) throws SQLException {
    String h = ctx.header("Authorization");
    String token;
    if (h != null && h.startsWith("Bearer ")) token = h.substring(7).strip();
    else if (ctx.path().equals("/api/v1/events") && ctx.queryParam("access_token") != null) token = ctx.queryParam("access_token"); // EventSource sends no headers
    else throw new ApiException(401, "missing 'Authorization: Bearer <token>'");
    return store.authenticate(token).orElseThrow(() -> new ApiException(401, "unknown token"));
  }

  private void operator(Context ctx) throws SQLException {
    if (!(principal(ctx) instanceof Principal.Operator)) throw new ApiException(403, "operators only");
  }

  private Principal.Robot robot(Context ctx) throws SQLException {
    if (principal(ctx) instanceof Principal.Robot r) return r;
    throw new ApiException(403, "robots only");
  }

  /** The robot of the path: the caller must be that robot (or, for reads, an operator). */
  private String self(Context ctx) throws SQLException {
    String id = ctx.pathParam("id");
    Principal p = principal(ctx);
    boolean read = "GET".equals(ctx.method().name());
    switch (p) {
      case Principal.Robot r when r.robotId().equals(id) -> {}
      case Principal.Operator o when read -> {}
      default -> throw new ApiException(403, "a robot may act only as itself");
    }
    if (store.robot(id).isEmpty()) throw new ApiException(404, "no robot " + id);
    return id;
  }

  /** The upload of the path, which must belong to the calling robot. */
  private Records.Upload ownUpload(Context ctx) throws SQLException {
    Principal.Robot robot = robot(ctx);
    String uid = ctx.pathParam("uid");
    Records.Upload u = store.upload(uid).orElseThrow(() -> new ApiException(404, "no upload " + uid));
    if (!u.robotId().equals(robot.robotId())) throw new ApiException(403, "upload " + uid + " belongs to another robot");
    return u;
  }

  /** A robot's latest camera and dream frames (RGB, {@code size} x {@code size}). */
  record View(int size, byte[] camera, byte[] dream, int step, int dreamOffset, long receivedMs) {}

  private static byte[] rgb(JsonNode b, String field, int size) {
    JsonNode n = b.get(field);
    if (n == null || !n.isTextual()) throw new ApiException(400, "field '" + field + "' (base64 RGB bytes) is required");
    byte[] v;
    try {
      v = java.util.Base64.getDecoder().decode(n.asText());
    } catch (IllegalArgumentException e) {
      throw new ApiException(400, "field '" + field + "' must be base64");
    }
    if (v.length != size * size * 3) throw new ApiException(400, "field '" + field + "' holds " + v.length + " bytes, not " + size + "x" + size + "x3");
    return v;
  }

  private static byte[] png(byte[] rgb, int size) throws IOException {
    java.awt.image.BufferedImage img = new java.awt.image.BufferedImage(size, size, java.awt.image.BufferedImage.TYPE_INT_RGB);
    for (int y = 0, i = 0; y < size; y++) {
      for (int x = 0; x < size; x++, i += 3) img.setRGB(x, y, (rgb[i] & 0xFF) << 16 | (rgb[i + 1] & 0xFF) << 8 | (rgb[i + 2] & 0xFF));
    }
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    javax.imageio.ImageIO.write(img, "png", out);
    return out.toByteArray();
  }

  // ---- helpers ------------------------------------------------------------------------------

  private static JsonNode body(Context ctx) throws JacksonException {
    String text = ctx.body();
    if (text == null || text.isBlank()) throw new ApiException(400, "empty body; expected a JSON object");
    JsonNode n = JSON.readTree(text);
    if (n == null || !n.isObject()) throw new ApiException(400, "expected a JSON object");
    return n;
  }

  private static String text(JsonNode b, String field, boolean required) {
    return text(b, field, required, 64);
  }

  /** A required (or optional) string field of at most {@code max} characters without control characters. */
  private static String text(JsonNode b, String field, boolean required, int max) {
    JsonNode n = b.get(field);
    if (n == null || n.isNull()) {
      if (required) throw new ApiException(400, "field '" + field + "' is required");
      return null;
    }
    if (!n.isTextual() || n.asText().isBlank() || n.asText().length() > max || n.asText().chars().anyMatch(c -> c < 0x20 && c != '\t')) {
      throw new ApiException(400, "field '" + field + "' must be a non-empty string of at most " + max + " characters, no control characters");
    }
    return n.asText();
  }

  /** A JSON document kept as text: at most 60,000 characters (its column holds 65,536). */
  private static String document(JsonNode b) throws JacksonException {
    String text = JSON.writeValueAsString(b);
    if (text.length() > 60_000) throw new ApiException(413, "document of " + text.length() + " characters; at most 60,000 are kept");
    return text;
  }

  private static Number number(JsonNode b, String field) {
    JsonNode n = b.get(field);
    if (n == null || !n.isIntegralNumber() || !n.canConvertToLong() || n.asLong() < 0) {
      throw new ApiException(400, "field '" + field + "' must be an integer in 0..2^63-1");
    }
    return n.asLong();
  }

  private static int smallNumber(JsonNode b, String field) {
    long v = number(b, field).longValue();
    if (v > Integer.MAX_VALUE) throw new ApiException(400, "field '" + field + "' must be at most " + Integer.MAX_VALUE);
    return (int) v;
  }

  private static long pathLong(Context ctx, String name) {
    try {
      return Long.parseLong(ctx.pathParam(name));
    } catch (NumberFormatException e) {
      throw new ApiException(400, name + " must be a number, got '" + ctx.pathParam(name) + "'");
    }
  }

  private static void json(Context ctx, int status, Object value) throws JacksonException {
    ctx.status(status).contentType("application/json").result(JSON.writeValueAsString(value));
  }

  private static void internal(Context ctx, Exception e) {
    System.err.println("wam4j fleet: internal error on " + ctx.method() + " " + ctx.path() + ": " + e);
    error(ctx, 500, "internal error (" + e.getClass().getSimpleName() + "); see the server's log");
  }

  private static String firstLine(String s) {
    if (s == null) return "";
    int nl = s.indexOf('\n');
    return (nl < 0 ? s : s.substring(0, nl)).replaceAll("\\s+", " ");
  }

  private static void error(Context ctx, int status, String message) {
    ObjectNode n = JSON.createObjectNode().put("error", message).put("status", status);
    ctx.status(status).contentType("application/json").result(n.toString());
  }

  /** Live-event listeners subscribed now (tests wait on it instead of sleeping). */
  int eventListeners() {
    return events.listeners();
  }

  /** Sends an event to the live listeners; never blocks a request (each listener has its own queue, see EventHub). */
  private void emit(String event, Object payload) {
    if (events.isEmpty()) return;
    try {
      events.publish(event, JSON.writeValueAsString(payload));
    } catch (JacksonException e) {
      // not serialisable: nothing to send
    }
  }

  private void watch() {
    while (!Thread.currentThread().isInterrupted()) {
      try {
        Thread.sleep(Math.min(2_000, config.offlineAfterMs() / 2));
        if (store.expireSilentRobots(config.offlineAfterMs()) > 0) emit("robots", store.robots());
        for (String expired : store.expireUploads((long) (config.limits().uploadExpiryHours() * 3_600_000))) files.discard(expired);
        store.pruneTelemetry((long) (config.limits().telemetryRetentionHours() * 3_600_000));
      } catch (InterruptedException e) {
        return;
      } catch (SQLException | IOException | RuntimeException e) {
        // the database is gone (shutting down) or a partial file would not go: try again on the next tick
      }
    }
  }

  /** Writes a secret readable by the owner only, atomically. */
  static void writeSecret(Path file, String secret) throws IOException {
    Files.createDirectories(file.toAbsolutePath().getParent());
    Path tmp = Files.createTempFile(file.toAbsolutePath().getParent(), "." + file.getFileName(), ".part",
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    try {
      Files.writeString(tmp, secret + "\n", StandardCharsets.UTF_8);
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }
}
