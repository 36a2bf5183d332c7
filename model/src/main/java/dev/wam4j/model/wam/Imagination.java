package dev.wam4j.model.wam;

import dev.wam4j.model.policy.Plan;
import dev.wam4j.model.policy.PlanSignals;

/**
 * Candidate action chunks a world action model sampled for one observation, and the future its
 * dream branch imagines for each ({@link WamPolicy#imagine}): what a planner chooses among.
 * Immutable by convention: the arrays are the caller's to read, not to change.
 *
 * @param chunks per candidate, {@code [actionHorizon][2]} absolute targets in workspace pixels, as
 *     {@link Plan#actions()} holds them
 * @param dreams the dream of each candidate, in the same order
 * @param observationLatent the newest observation's latent, as {@link
 *     PlanSignals#observationLatent()} holds it
 * @param actionSpreadPixels as {@link PlanSignals#actionSpreadPixels()}: NaN unless extra samples
 *     were asked for
 */
public record Imagination(
    float[][] chunks, Dreams dreams, float[] observationLatent, double actionSpreadPixels) {
  /**
   * @throws IllegalArgumentException when chunks and dreams disagree in number or latent size
   */
  public Imagination {
    if (chunks.length != dreams.candidates() || chunks.length == 0) {
      throw new IllegalArgumentException(
          "imagination: " + chunks.length + " chunks and " + dreams.candidates() + " dreams");
    }
    if (observationLatent.length != dreams.latentValues()) {
      throw new IllegalArgumentException(
          "imagination: observation latent of "
              + observationLatent.length
              + " values, dreams of "
              + dreams.latentValues());
    }
  }

  /** Candidate chunks sampled. */
  public int candidates() {
    return chunks.length;
  }

  /**
   * The plan that executes candidate {@code index}: its chunk, its dream frames when {@code
   * withDream}, and signals whose predicted latents are its dream's.
   *
   * @param seconds wall-clock time the whole plan took, imagination included
   */
  public Plan plan(int index, boolean withDream, double seconds) {
    if (index < 0 || index >= chunks.length)
      throw new IndexOutOfBoundsException("candidate " + index + " of " + chunks.length);
    int[] offsets = dreams.offsets();
    PlanSignals signals =
        new PlanSignals(
            dreams.latentValues(),
            observationLatent,
            dreams.latents()[index],
            offsets,
            actionSpreadPixels);
    float[] chunk = chunks[index];
    return new Plan(
        chunk,
        chunk.length / 2,
        withDream ? dreams.frames()[index] : new byte[0],
        withDream ? offsets : new int[0],
        seconds,
        signals);
  }
}
