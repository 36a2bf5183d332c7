package dev.wam4j.fleet.teleop;

import dev.wam4j.sim.Embodiment;
import dev.wam4j.sim.pusht.PushTEnv;
import dev.wam4j.sim.render.AgentLook;
import dev.wam4j.sim.scene.Scene;
import java.util.ArrayList;
import java.util.List;

/**
 * One teleoperated episode: a {@link PushTEnv} reset by seed, the latest pointer target the page
 * sent, and the frames recorded so far. {@link #tick()} is called by the server's 10 Hz clock (not
 * by the page), so a slow or fast client changes only which target each step sees, never the
 * physics. Recording starts with the first target: before the person touches the canvas nothing
 * moves, as in the reference collection. Frame t holds the state before action t and the labels
 * after it, as {@code sim collect} records them. Thread-safe (every method synchronized).
 */
public final class TeleopSession {
  /**
   * One recorded step.
   *
   * @param agentX agent x before the step
   * @param agentY agent y before the step
   * @param heading the hand's heading before the step (radians; 0 for the robot)
   * @param blockX block x before the step
   * @param blockY block y before the step
   * @param blockAngle block angle before the step
   * @param targetX the action: the pointer target x
   * @param targetY the action: the pointer target y
   * @param coverage goal coverage after the step
   * @param done whether the episode ended with this step
   */
  public record Frame(
      double agentX,
      double agentY,
      double heading,
      double blockX,
      double blockY,
      double blockAngle,
      double targetX,
      double targetY,
      double coverage,
      boolean done) {}

  private final String id;
  private final String sceneName;
  private final Scene scene;
  private final Embodiment embodiment;
  private final long seed;
  private final String operator;
  private final PushTEnv env;
  private final List<Frame> frames = new ArrayList<>();
  private double[] target; // null until the page sends one
  private double heading;
  private boolean stopped; // no more steps: a save is under way or done
  private boolean closed;

  /**
   * Starts an episode.
   *
   * @param id the session's id
   * @param sceneName how the scene was named (recorded with the episode)
   * @param scene the scene (PushT or a cousin or scene file)
   * @param embodiment who pushes
   * @param seed reset seed, in 0..2^32-1
   * @param operator who teleoperates, recorded with the episode
   * @throws IllegalArgumentException for a seed out of range or a blank operator
   */
  public TeleopSession(
      String id, String sceneName, Scene scene, Embodiment embodiment, long seed, String operator) {
    if (seed < 0 || seed > 0xFFFF_FFFFL)
      throw new IllegalArgumentException(
          "seed must lie in 0..2^32-1 (numpy's seed range), got " + seed);
    if (operator == null || operator.isBlank())
      throw new IllegalArgumentException("operator must be a non-empty name");
    this.id = id;
    this.sceneName = sceneName;
    this.scene = scene;
    this.embodiment = embodiment;
    this.seed = seed;
    this.operator = operator;
    this.env = new PushTEnv(scene, embodiment);
    env.reset(seed);
  }

  /** The session's id. */
  public String id() {
    return id;
  }

  /** How the scene was named. */
  public String sceneName() {
    return sceneName;
  }

  /** The scene. */
  public Scene scene() {
    return scene;
  }

  /** Who pushes. */
  public Embodiment embodiment() {
    return embodiment;
  }

  /** The reset seed. */
  public long seed() {
    return seed;
  }

  /** Who teleoperates. */
  public String operator() {
    return operator;
  }

  /**
   * Sets the pointer target the next steps drive towards, clamped to the scene and rounded to
   * float.
   *
   * @throws IllegalArgumentException for a non-finite coordinate
   */
  public synchronized void target(double x, double y) {
    if (!Double.isFinite(x) || !Double.isFinite(y))
      throw new IllegalArgumentException("target must be finite, got (" + x + ", " + y + ")");
    // rounded to float as the dataset stores the action, so replaying the stored actions from the
    // seed retraces the episode exactly
    target =
        new double[] {
          (float) Math.min(Math.max(x, 0), scene.width()),
          (float) Math.min(Math.max(y, 0), scene.height())
        };
  }

  /**
   * Advances one 10 Hz step towards the latest target and records it; nothing happens before the
   * first target, after the episode ended, or once saved or discarded.
   *
   * @return whether a step was taken
   */
  public synchronized boolean tick() {
    if (stopped || target == null || done()) return false;
    double ax = env.agentX(), ay = env.agentY();
    double bx = env.blockX(), by = env.blockY(), ba = env.blockAngle();
    double h = heading;
    env.step(target[0], target[1]);
    frames.add(new Frame(ax, ay, h, bx, by, ba, target[0], target[1], env.coverage(), done()));
    heading = AgentLook.Hand.heading(heading, ax, ay, env.agentX(), env.agentY());
    return true;
  }

  /** Whether the episode ended: success or the scene's step limit. */
  public synchronized boolean done() {
    return env.terminated() || env.truncated();
  }

  /** Whether the goal's coverage threshold was passed. */
  public synchronized boolean success() {
    return env.terminated();
  }

  /** What the page draws. */
  public synchronized Snapshot snapshot() {
    return new Snapshot(
        env.agentX(),
        env.agentY(),
        heading,
        env.blockX(),
        env.blockY(),
        env.blockAngle(),
        target == null ? null : target.clone(),
        env.coverage(),
        frames.size(),
        done(),
        env.terminated(),
        closed);
  }

  /**
   * The simulator's state now.
   *
   * @param agentX agent x
   * @param agentY agent y
   * @param heading hand heading (radians)
   * @param blockX block x
   * @param blockY block y
   * @param blockAngle block angle (radians)
   * @param target latest pointer target (x, y), or null before the first
   * @param coverage goal coverage in [0, 1]
   * @param step frames recorded
   * @param done whether the episode ended
   * @param success whether coverage passed the goal's threshold
   * @param closed whether the episode was saved or discarded
   */
  public record Snapshot(
      double agentX,
      double agentY,
      double heading,
      double blockX,
      double blockY,
      double blockAngle,
      double[] target,
      double coverage,
      int step,
      boolean done,
      boolean success,
      boolean closed) {}

  /**
   * Stops stepping (for a save) and hands over the frames; a failed save can be retried.
   *
   * @throws IllegalStateException when the session was already saved or discarded
   */
  public synchronized List<Frame> stop() {
    ensureOpen();
    stopped = true;
    return List.copyOf(frames);
  }

  /**
   * Ends the session (saved or discarded); later ticks do nothing.
   *
   * @throws IllegalStateException when the session was already saved or discarded
   */
  public synchronized void close() {
    ensureOpen();
    stopped = true;
    closed = true;
  }

  private void ensureOpen() {
    if (closed)
      throw new IllegalStateException("session " + id + " was already saved or discarded");
  }

  /** Whether the session was saved or discarded. */
  public synchronized boolean closed() {
    return closed;
  }

  /** Frames recorded so far. */
  public synchronized int frameCount() {
    return frames.size();
  }
}
