package dev.wam4j.model.steer;

import dev.wam4j.model.mlp.Mlp;
import dev.wam4j.model.wam.WamPolicy;
import dev.wam4j.sim.scene.Pose;
import dev.wam4j.sim.scene.Scene;

/**
 * A small actor that steers a frozen world action model, and how its output acts on the model's
 * chunk. The actor reads {@link PoseFeatures} of what the model perceives (its pose head) and
 * outputs, by {@link Mode}:
 *
 * <ul>
 *   <li>{@link Mode#NOISE}: the flow's initial noise, one value per action value, clipped to {@code
 *       +-noiseClip} (DSRL, Wagenmaker et al. 2025: RL in the latent-noise space of a diffusion or
 *       flow policy, the policy itself untouched; an untrained actor, its mean near 0 and its
 *       spread 1, samples noise nearly as the model does, up to the clip);
 *   <li>{@link Mode#RESIDUAL}: a 2-D shift of every target of the model's own sampled chunk,
 *       clipped to {@code [-1, 1]} and scaled by {@code residualScalePixels} (residual RL,
 *       Johannink et al. 2019);
 *   <li>{@link Mode#RESIDUAL_ZERO}: the same shift of the chunk the model integrates from zero
 *       noise (its deterministic chunk, which alone plans better than its samples: RESULTS 25.4).
 * </ul>
 *
 * @param mode what the actor's output is
 * @param hidden width of the actor's hidden layers
 * @param layers hidden layers
 * @param residualScalePixels a residual output of 1 moves every target this far, workspace pixels
 * @param noiseClip the noise output is clipped to {@code +-noiseClip} standard deviations
 * @param actor the actor's weights in {@link Mlp}'s layout ({@code PoseFeatures.COUNT ->
 *     hidden^layers -> outputs})
 */
public record Steering(
    Mode mode,
    int hidden,
    int layers,
    double residualScalePixels,
    double noiseClip,
    float[] actor) {
  private static final Pose GOAL = Scene.pushT().goal().pose();

  /** What the actor's output is. */
  public enum Mode {
    /** The flow's initial noise (DSRL). */
    NOISE,
    /** A shift of the model's own sampled chunk. */
    RESIDUAL,
    /** A shift of the model's zero-noise chunk. */
    RESIDUAL_ZERO;

    /** The name in configs and files. */
    public String id() {
      return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }

    /**
     * @throws IllegalArgumentException naming the value and the choices
     */
    public static Mode parse(String s) {
      for (Mode m : values()) if (m.id().equals(s)) return m;
      throw new IllegalArgumentException(
          "steering mode must be 'noise', 'residual' or 'residual-zero', got '" + s + "'");
    }
  }

  public Steering {
    if (mode == null) throw new IllegalArgumentException("steering: mode is required");
    if (hidden < 1 || layers < 1)
      throw new IllegalArgumentException(
          "steering: hidden and layers must be >= 1, got " + hidden + ", " + layers);
    if (!(residualScalePixels > 0 && residualScalePixels <= 512)) {
      throw new IllegalArgumentException(
          "steering: residualScalePixels must lie in (0, 512], got " + residualScalePixels);
    }
    if (!(noiseClip > 0 && noiseClip <= 10))
      throw new IllegalArgumentException(
          "steering: noiseClip must lie in (0, 10], got " + noiseClip);
    if (actor != null)
      for (float w : actor)
        if (!Float.isFinite(w))
          throw new IllegalArgumentException("steering: an actor weight is " + w);
  }

  /** Outputs of the actor for a model whose chunks hold {@code actionValues} values. */
  public int outputs(int actionValues) {
    return mode == Mode.NOISE ? actionValues : 2;
  }

  /** The actor's network shape. */
  public Mlp network(int actionValues) {
    int[] sizes = new int[layers + 2];
    sizes[0] = PoseFeatures.COUNT;
    for (int l = 1; l <= layers; l++) sizes[l] = hidden;
    sizes[layers + 1] = outputs(actionValues);
    return new Mlp(sizes);
  }

  /** The same steering with other weights. */
  public Steering withActor(float[] weights) {
    return new Steering(mode, hidden, layers, residualScalePixels, noiseClip, weights);
  }

  /**
   * Writes the actor's features of a perception into {@code out[offset..]} and remembers the state
   * in {@code before} (agent x, y, block x, y, angle at the previous plan; an episode's first plan
   * passes {@code first} and compares the state with itself). The goal is PushT's.
   */
  public static void features(
      WamPolicy.Perception p, double[] before, boolean first, float[] out, int offset) {
    float[] positions = p.agentPositions();
    double[] now = {
      positions[positions.length - 2],
      positions[positions.length - 1],
      p.blockX(),
      p.blockY(),
      p.blockAngle()
    };
    if (first) System.arraycopy(now, 0, before, 0, 5);
    PoseFeatures.write(now, before, GOAL.x(), GOAL.y(), GOAL.angle(), 0, out, offset);
    System.arraycopy(now, 0, before, 0, 5);
  }

  /**
   * The chunk the actor's {@code output} (at {@code offset}) makes of the model's sampling from
   * {@code p}, workspace pixels.
   */
  public float[] chunk(WamPolicy model, WamPolicy.Perception p, float[] output, int offset) {
    if (mode == Mode.NOISE) {
      float[] noise = new float[model.actionValues()];
      noise(output, offset, noise);
      return model.chunk(p, noise);
    }
    float[] chunk = model.chunk(p, mode == Mode.RESIDUAL ? null : new float[model.actionValues()]);
    shift(output, offset, chunk);
    return chunk;
  }

  /** Writes the noise an output asks for ({@link Mode#NOISE}): clipped to {@code +-noiseClip}. */
  public void noise(float[] output, int offset, float[] noise) {
    for (int i = 0; i < noise.length; i++)
      noise[i] = (float) Math.max(-noiseClip, Math.min(noiseClip, output[offset + i]));
  }

  /**
   * Shifts every target of {@code chunk} by the output's residual ({@link Mode#RESIDUAL}), kept
   * inside the workspace.
   */
  public void shift(float[] output, int offset, float[] chunk) {
    double dx = residualScalePixels * Math.max(-1, Math.min(1, output[offset]));
    double dy = residualScalePixels * Math.max(-1, Math.min(1, output[offset + 1]));
    for (int k = 0; k + 1 < chunk.length; k += 2) {
      chunk[k] = (float) Math.max(0, Math.min(512, chunk[k] + dx));
      chunk[k + 1] = (float) Math.max(0, Math.min(512, chunk[k + 1] + dy));
    }
  }
}
