package dev.wam4j.fleet.server;

import static dev.wam4j.fleet.server.JsonExchange.reply;

import dev.wam4j.fleet.api.ApiPaths;
import dev.wam4j.fleet.autopilot.Autopilot;
import dev.wam4j.fleet.store.FleetStore;
import io.javalin.config.RoutesConfig;
import java.io.IOException;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * Runs a server's {@link Autopilot}: one platform thread advances it every {@code stepSeconds}
 * while holding the database-wide autopilot lock, so of several servers on one database one leads
 * at a time (another takes over when it stops); and answers {@code GET /api/v1/autopilot} (config,
 * state, the last decisions) and operators' {@code POST .../pause} and {@code .../resume}.
 */
final class AutopilotService implements AutoCloseable {
  private static final String LOCK = "wam4j fleet autopilot";
  private static final int DECISIONS_SHOWN = 50;

  private final Autopilot autopilot;
  private final FleetStore store;
  private final Consumer<String> log;
  private final Thread thread;
  private volatile boolean stopped;

  AutopilotService(Autopilot autopilot, FleetStore store, Consumer<String> log) {
    this.autopilot = autopilot;
    this.store = store;
    this.log = log;
    this.thread = Thread.ofPlatform().daemon().name("fleet-autopilot").unstarted(this::run);
  }

  void start() {
    thread.start();
  }

  Autopilot autopilot() {
    return autopilot;
  }

  private void run() {
    long pauseMs = (long) (autopilot.config().stepSeconds() * 1000);
    while (!stopped) {
      try {
        store.exclusivelyIfFree(
            LOCK,
            () -> {
              autopilot.step();
              return null;
            });
      } catch (IOException | SQLException | RuntimeException e) {
        // a failed step (a training that crashed, a database that went away) is tried again: the
        // state file says where the loop is
        log.accept("autopilot: step failed, retrying in " + pauseMs + " ms: " + e);
      }
      try {
        Thread.sleep(pauseMs);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  /** The routes, answering 404 while {@code service} holds no autopilot. */
  static void register(RoutesConfig r, Auth auth, AtomicReference<AutopilotService> service) {
    r.get(
        ApiPaths.autopilot(),
        ctx -> {
          auth.operator(ctx);
          Autopilot a = of(service);
          List<Autopilot.Decision> all = a.decisions();
          reply(
              ctx,
              200,
              Map.of(
                  "config",
                  a.config().describe(),
                  "state",
                  a.state(),
                  "decisions",
                  all.subList(Math.max(0, all.size() - DECISIONS_SHOWN), all.size())));
        });
    r.post(
        ApiPaths.autopilot() + "/pause",
        ctx -> {
          String who = auth.operatorName(ctx);
          reply(ctx, 200, of(service).pause(who));
        });
    r.post(
        ApiPaths.autopilot() + "/resume",
        ctx -> {
          String who = auth.operatorName(ctx);
          reply(ctx, 200, of(service).resume(who));
        });
  }

  private static Autopilot of(AtomicReference<AutopilotService> service) {
    AutopilotService s = service.get();
    if (s == null)
      throw new ApiException(404, "this server runs no autopilot (serve --autopilot CONFIG)");
    return s.autopilot;
  }

  /**
   * Stops the loop: a training in progress is stopped (its child process destroyed; it resumes from
   * its last checkpoint at the next start), and the step ends before this returns (waiting at most
   * a minute: an evaluation in progress runs to its end).
   */
  @Override
  public void close() {
    stopped = true;
    thread.interrupt();
    try {
      thread.join(60_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
