package dev.wam4j.rl.ppo;

import dev.wam4j.sim.pusht.PushTEnv;
import dev.wam4j.sim.render.Camera;
import dev.wam4j.sim.render.Sampling;
import dev.wam4j.sim.render.SceneLook;
import dev.wam4j.sim.render.SceneRenderer;
import dev.wam4j.sim.scene.Scene;

/**
 * What a PPO policy observes of one environment ({@link PpoConfig#observation}): the privileged
 * state ({@link PushTask}'s features: the state teacher) or pixels (a policy that learns to see
 * from scratch, to compare with RL on a world action model, which brings its own perception). One
 * per environment.
 */
sealed interface PpoObservation {
  /** Features per observation. */
  int size();

  /** Observes an episode's first state (after the environment's reset and the task's start). */
  void start(PushTEnv env);

  /** Observes the state after a step. */
  void step(PushTEnv env);

  /** Writes the current observation into {@code out[offset .. offset + size())}. */
  void write(PushTask task, float[] out, int offset);

  /** The observation a config names, for an environment of {@code scene}. */
  static PpoObservation of(String kind, Scene scene) {
    return switch (kind) {
      case "state" -> new State();
      case "pixels" -> new Pixels(scene);
      default ->
          throw new IllegalArgumentException(
              "ppo config: observation must be 'state' or 'pixels', got '" + kind + "'");
    };
  }

  /** Features of a kind of observation. */
  static int size(String kind) {
    return "pixels".equals(kind) ? Pixels.SIZE : PushTask.OBSERVATIONS;
  }

  /** The simulator's state, as the task's features. */
  record State() implements PpoObservation {
    @Override
    public int size() {
      return PushTask.OBSERVATIONS;
    }

    @Override
    public void start(PushTEnv env) {}

    @Override
    public void step(PushTEnv env) {}

    @Override
    public void write(PushTask task, float[] out, int offset) {
      task.observe(out, offset);
    }
  }

  /**
   * The scene drawn as PushT looks, {@value #SIDE} x {@value #SIDE} grey levels in [0, 1], the
   * current frame and the one before it, and the agent's position now and before (scaled to [-1,
   * 1]): what the world action model sees (two frames and positions), at a size a plain MLP can
   * read.
   */
  final class Pixels implements PpoObservation {
    static final int SIDE = 32;
    static final int SIZE = 2 * SIDE * SIDE + 4;
    private final SceneRenderer renderer;
    private final byte[] rgb = new byte[SIDE * SIDE * 3];
    private final float[] now = new float[SIDE * SIDE + 2];
    private final float[] before = new float[SIDE * SIDE + 2];

    Pixels(Scene scene) {
      renderer =
          new SceneRenderer(SceneLook.of(scene), Camera.identity(), SIDE, SIDE, Sampling.REFERENCE);
    }

    @Override
    public int size() {
      return SIZE;
    }

    @Override
    public void start(PushTEnv env) {
      draw(env);
      System.arraycopy(now, 0, before, 0, now.length);
    }

    @Override
    public void step(PushTEnv env) {
      System.arraycopy(now, 0, before, 0, now.length);
      draw(env);
    }

    private void draw(PushTEnv env) {
      renderer.render(
          env.agentX(), env.agentY(), 0, env.blockX(), env.blockY(), env.blockAngle(), rgb, 0);
      for (int p = 0; p < SIDE * SIDE; p++) {
        now[p] =
            (0.299f * (rgb[3 * p] & 0xFF)
                    + 0.587f * (rgb[3 * p + 1] & 0xFF)
                    + 0.114f * (rgb[3 * p + 2] & 0xFF))
                / 255f;
      }
      now[SIDE * SIDE] = (float) (env.agentX() / 256 - 1);
      now[SIDE * SIDE + 1] = (float) (env.agentY() / 256 - 1);
    }

    @Override
    public void write(PushTask task, float[] out, int offset) {
      System.arraycopy(before, 0, out, offset, before.length);
      System.arraycopy(now, 0, out, offset + before.length, now.length);
    }
  }
}
