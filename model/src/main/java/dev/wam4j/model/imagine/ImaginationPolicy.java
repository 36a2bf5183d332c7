package dev.wam4j.model.imagine;

import dev.wam4j.model.policy.ChunkPolicy;
import dev.wam4j.model.policy.Plan;
import dev.wam4j.model.wam.Imagination;
import dev.wam4j.model.wam.WamConfig;
import dev.wam4j.model.wam.WamPolicy;
import dev.wam4j.sim.render.SceneLook;

/**
 * Imagination before action: a {@link ChunkPolicy} that, per plan, samples {@link #candidates()}
 * action chunks from a world action model in one batch ({@link WamPolicy#imagine}), lets its dream
 * branch imagine where each leads, and executes the chunk whose dream shows the block covering the
 * goal best: the share of the goal region's pixels that the LAST dream frame (the furthest offset,
 * e.g. 8 steps ahead) shows as block ({@link GoalCoverage}: the goal mask rendered once from the
 * scene's goal pose at the frame size, pixels labelled by the palette). Ties go to the first
 * candidate, the one the plain policy would have sampled.
 *
 * <p>With one candidate it is exactly the plain policy: each plan is the wrapped policy's own
 * {@link WamPolicy#plan}, same chunk, dream, signals and cost. With more, a plan carries the chosen
 * candidate's dream frames (when a dream is asked for; they were decoded to score it either way)
 * and signals whose predicted latents are that candidate's, so monitors read the future the
 * executed chunk was chosen for; {@link Plan#seconds()} includes the imagination. Reproducible: the
 * candidates' noise comes from the wrapped policy's generator, which {@link #reset} seeds.
 *
 * <p>Owns the wrapped policy (closing this closes it). Not thread-safe, as the policy it wraps.
 */
public final class ImaginationPolicy implements ChunkPolicy {
  /** Most candidates per plan: what a checkpoint may ship ({@link WamConfig#imagineCandidates}). */
  public static final int MAX_CANDIDATES = WamConfig.MAX_IMAGINE_CANDIDATES;

  private final WamPolicy policy;
  private final int candidates;
  private final GoalCoverage coverage;

  private ImaginationPolicy(WamPolicy policy, int candidates, SceneLook look) {
    if (candidates < 1 || candidates > MAX_CANDIDATES) {
      throw new IllegalArgumentException(
          "imagination candidates must lie in 1.." + MAX_CANDIDATES + ", got " + candidates);
    }
    if (!policy.config().dreamFromActions()) {
      throw new IllegalArgumentException(
          "imagination needs a checkpoint with a dream branch (dreamFromActions true): this one cannot "
              + "dream of a chunk it has not chosen");
    }
    this.policy = policy;
    this.candidates = candidates;
    this.coverage = new GoalCoverage(look, policy.imageSize());
  }

  /**
   * Plans by imagination with {@code policy}. Takes ownership of {@code policy} at once: it is
   * closed with the result, or here when refused, so a caller can pass a freshly loaded policy
   * straight in.
   *
   * @param policy a world action model with a dream branch ({@code dreamFromActions})
   * @param candidates chunks sampled and dreamed per plan, 1..{@value #MAX_CANDIDATES}
   * @param look the scene the observations show: its goal pose and colours score the dreams
   * @throws IllegalArgumentException when {@code candidates} is out of range, the policy is no
   *     world action model or its checkpoint has no dream branch
   */
  public static ImaginationPolicy of(ChunkPolicy policy, int candidates, SceneLook look) {
    try {
      if (!(policy instanceof WamPolicy wam)) {
        throw new IllegalArgumentException(
            "imagination needs a world action model; the policy is a "
                + policy.getClass().getSimpleName());
      }
      return new ImaginationPolicy(wam, candidates, look);
    } catch (RuntimeException e) {
      policy.close();
      throw e;
    }
  }

  /** Chunks sampled and dreamed per plan. */
  public int candidates() {
    return candidates;
  }

  @Override
  public int historyFrames() {
    return policy.historyFrames();
  }

  @Override
  public int imageSize() {
    return policy.imageSize();
  }

  @Override
  public int executeSteps() {
    return policy.executeSteps();
  }

  @Override
  public void reset(long seed) {
    policy.reset(seed);
  }

  @Override
  public void sampleActionSpread(int samples) {
    policy.sampleActionSpread(samples);
  }

  @Override
  public Plan plan(byte[] images, float[] agentPositions, boolean dream) {
    if (candidates == 1) return policy.plan(images, agentPositions, dream);
    long t0 = System.nanoTime();
    Imagination imagined = policy.imagine(images, agentPositions, candidates);
    int best = coverage.best(imagined.dreams());
    return imagined.plan(best, dream, (System.nanoTime() - t0) / 1e9);
  }

  @Override
  public void close() {
    policy.close();
  }
}
