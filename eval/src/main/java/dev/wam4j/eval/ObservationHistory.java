package dev.wam4j.eval;

import dev.wam4j.sim.pusht.PushTEnv;
import dev.wam4j.sim.render.Camera;
import dev.wam4j.sim.render.Sampling;
import dev.wam4j.sim.render.SceneLook;
import dev.wam4j.sim.render.SceneRenderer;
import dev.wam4j.sim.scene.Scene;

/**
 * What a visuomotor policy sees of one environment: the last {@code history} frames, drawn as the
 * reference draws PushT (its look, the robot agent, the whole world, reference sampling), and the
 * agent positions, oldest first; at an episode's start every slot holds the first observation.
 * Allocation-free after construction.
 */
public final class ObservationHistory {
  private final SceneRenderer renderer;
  private final int history;
  private final int frameBytes;
  private final byte[] images;
  private final float[] positions;

  /** For {@code history} frames of {@code size} x {@code size} pixels of {@code scene}. */
  public ObservationHistory(Scene scene, int size, int history) {
    if (size < 1 || history < 1)
      throw new IllegalArgumentException(
          "observation history: size " + size + " and history " + history + " must be >= 1");
    this.renderer =
        new SceneRenderer(SceneLook.of(scene), Camera.identity(), size, size, Sampling.REFERENCE);
    this.history = history;
    this.frameBytes = size * size * 3;
    this.images = new byte[history * frameBytes];
    this.positions = new float[history * 2];
  }

  /** Observes an episode's first state into every slot. */
  public void start(PushTEnv env) {
    observe(env);
    int last = (history - 1) * frameBytes;
    for (int k = 0; k < history - 1; k++) {
      System.arraycopy(images, last, images, k * frameBytes, frameBytes);
      positions[2 * k] = positions[2 * (history - 1)];
      positions[2 * k + 1] = positions[2 * (history - 1) + 1];
    }
  }

  /** Shifts the history one step and observes the current state last. */
  public void step(PushTEnv env) {
    if (history > 1) {
      System.arraycopy(images, frameBytes, images, 0, (history - 1) * frameBytes);
      System.arraycopy(positions, 2, positions, 0, (history - 1) * 2);
    }
    observe(env);
  }

  private void observe(PushTEnv env) {
    renderer.render(
        env.agentX(),
        env.agentY(),
        0,
        env.blockX(),
        env.blockY(),
        env.blockAngle(),
        images,
        (history - 1) * frameBytes);
    positions[2 * (history - 1)] = (float) env.agentX();
    positions[2 * (history - 1) + 1] = (float) env.agentY();
  }

  /**
   * {@code [history][size][size][3]} RGB bytes, oldest first: read, do not keep (the next step
   * overwrites it).
   */
  public byte[] images() {
    return images;
  }

  /** {@code [history][2]} agent positions, workspace pixels, oldest first. */
  public float[] positions() {
    return positions;
  }

  /** Where the newest frame starts in {@link #images()}. */
  public int newestImage() {
    return (history - 1) * frameBytes;
  }
}
