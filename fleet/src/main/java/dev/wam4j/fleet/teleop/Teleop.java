package dev.wam4j.fleet.teleop;

import dev.wam4j.data.pusht.PushTRate;
import dev.wam4j.sim.Embodiment;
import dev.wam4j.sim.scene.Scene;
import dev.wam4j.sim.scene.SceneFile;
import dev.wam4j.sim.scene.Scenes;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The teleoperation service behind the page: open sessions by id, one clock that steps every open
 * session at {@link PushTRate#FPS} (10 Hz), and the dataset kept episodes go to. The clock is the
 * server's so the physics run at the reference rate however fast the page polls or posts. At most
 * {@value #MAX_SESSIONS} sessions are open; starting another drops the oldest unsaved one (an
 * abandoned tab must not hold memory for ever). Thread-safe.
 */
public final class Teleop implements AutoCloseable {
  /** Open sessions kept at once. */
  public static final int MAX_SESSIONS = 16;

  private final TeleopDataset dataset;
  private final String defaultScene;
  private final SceneFile defaultSceneFile;
  private final String defaultOperator;
  private final Map<String, TeleopSession> sessions = new LinkedHashMap<>();
  private final ScheduledExecutorService clock;

  /**
   * Starts the clock.
   *
   * @param dataset where saved episodes go
   * @param defaultScene a built-in scene name or a scene file, used when a start names none
   * @param defaultOperator the operator when a start names none, or null to require one
   * @throws IllegalArgumentException when the scene is neither a built-in scene nor a file
   * @throws IOException when the scene file cannot be read
   */
  public Teleop(TeleopDataset dataset, String defaultScene, String defaultOperator)
      throws IOException {
    this.dataset = dataset;
    this.defaultScene = defaultScene;
    this.defaultSceneFile = Scenes.resolve(defaultScene);
    this.defaultOperator = defaultOperator;
    this.clock =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "teleop-clock");
              t.setDaemon(true);
              return t;
            });
    long periodUs = Math.round(1e6 / PushTRate.FPS);
    periodNanos = periodUs * 1000;
    clock.scheduleAtFixedRate(this::tickAll, periodUs, periodUs, TimeUnit.MICROSECONDS);
  }

  /** The dataset saved episodes go to. */
  public TeleopDataset dataset() {
    return dataset;
  }

  /** The operator used when a start names none (null: a start must name one). */
  public String defaultOperator() {
    return defaultOperator;
  }

  /**
   * Opens a session.
   *
   * @param scene a built-in scene name, or null for the default scene
   * @param embodiment {@code robot} or {@code hand}, or null for the scene's own
   * @param seed reset seed in 0..2^32-1
   * @param operator who teleoperates, or null for the default operator
   * @throws IllegalArgumentException for an unknown scene or embodiment, a bad seed or no operator
   */
  public TeleopSession start(String scene, String embodiment, long seed, String operator)
      throws IOException {
    String sceneName;
    SceneFile file;
    if (scene == null || scene.equals(defaultScene)) {
      sceneName = defaultScene;
      file = defaultSceneFile;
    } else if (Scenes.names().contains(scene)) { // the page may pick only built-in scenes, no paths
      sceneName = scene;
      file = Scenes.builtinFile(scene);
    } else {
      throw new IllegalArgumentException(
          "unknown scene '" + scene + "' (built-in: " + String.join(", ", Scenes.names()) + ")");
    }
    Embodiment who = embodiment == null ? file.embodiment() : Embodiment.parse(embodiment);
    String op = operator != null ? operator : defaultOperator;
    if (op == null)
      throw new IllegalArgumentException("operator is required (who teleoperates this episode)");
    Scene s = file.scene();
    TeleopSession session =
        new TeleopSession(UUID.randomUUID().toString(), sceneName, s, who, seed, op);
    synchronized (sessions) {
      if (sessions.size() >= MAX_SESSIONS) {
        String oldest = sessions.keySet().iterator().next();
        sessions.remove(oldest);
      }
      sessions.put(session.id(), session);
    }
    return session;
  }

  /**
   * An open session.
   *
   * @throws java.util.NoSuchElementException when there is none of that id
   */
  public TeleopSession session(String id) {
    synchronized (sessions) {
      TeleopSession s = sessions.get(id);
      if (s == null)
        throw new java.util.NoSuchElementException(
            "no open teleop session " + id + " (saved, discarded or never started)");
      return s;
    }
  }

  /** Saves a session's episode to the dataset and closes it. */
  public TeleopDataset.EpisodeRecord save(String id) throws IOException {
    TeleopSession s = session(id);
    TeleopDataset.EpisodeRecord rec = dataset.save(s);
    forget(id);
    return rec;
  }

  /** Drops a session's episode. */
  public void discard(String id) {
    session(id).close();
    forget(id);
  }

  private void forget(String id) {
    synchronized (sessions) {
      sessions.remove(id);
    }
  }

  private final long periodNanos;
  private long lastTickNanos = System.nanoTime();

  private void tickAll() {
    long now = System.nanoTime();
    // after a stall (a pause of the JVM, a sleeping laptop) the executor runs the missed ticks back
    // to back: skip them, so that a recorded episode stays at 10 Hz of wall time
    if (now - lastTickNanos < periodNanos / 2) return;
    lastTickNanos = now;
    TeleopSession[] open;
    synchronized (sessions) {
      open = sessions.values().toArray(TeleopSession[]::new);
    }
    for (TeleopSession s : open) {
      try {
        s.tick();
      } catch (Throwable e) {
        // one broken session must not stop the clock of the others (anything that escaped would
        // cancel the periodic task for good)
        System.err.println("teleop: session " + s.id() + " failed to step: " + e);
        try {
          s.close();
        } catch (RuntimeException closedMeanwhile) {
          // saved or discarded between the tick and here: nothing left to close
        }
        forget(s.id());
      }
    }
  }

  /** Stops the clock; open sessions are dropped. */
  @Override
  public void close() {
    clock.shutdownNow();
  }
}
