package dev.wam4j.model.wam;

/**
 * The futures a world action model's dream branch imagines for candidate action chunks from one
 * observation ({@link WamPolicy#dreamOf}), for a planner to compare chunks by what they lead to.
 * Immutable by convention: the arrays are the caller's to read, not to change.
 *
 * @param offsets steps after the observation each dreamed frame shows: futureStride,
 *     2*futureStride, ...
 * @param imageSize side of each dreamed frame, pixels
 * @param frames per candidate chunk, {@code [offsets.length][imageSize][imageSize][3]} RGB bytes,
 *     as {@link dev.wam4j.model.policy.Plan#dreamFrames()} holds them
 * @param latentValues values per latent frame
 * @param latents per candidate chunk, {@code [offsets.length][latentValues]}: the predicted latents
 *     the frames decode, as {@link dev.wam4j.model.policy.PlanSignals#dreamLatents()} holds them
 */
public record Dreams(
    int[] offsets, int imageSize, byte[][] frames, int latentValues, float[][] latents) {
  public Dreams {
    if (frames.length != latents.length) {
      throw new IllegalArgumentException(
          "dreams: " + frames.length + " candidates of frames, " + latents.length + " of latents");
    }
    for (int i = 0; i < frames.length; i++) {
      if (frames[i].length != offsets.length * imageSize * imageSize * 3
          || latents[i].length != offsets.length * latentValues) {
        throw new IllegalArgumentException(
            "dreams: candidate "
                + i
                + " holds "
                + frames[i].length
                + " frame bytes and "
                + latents[i].length
                + " latent values, expected "
                + offsets.length * imageSize * imageSize * 3
                + " and "
                + offsets.length * latentValues);
      }
    }
  }

  /** Candidate chunks dreamed. */
  public int candidates() {
    return frames.length;
  }
}
