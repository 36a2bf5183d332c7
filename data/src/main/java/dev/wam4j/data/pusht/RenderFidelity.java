package dev.wam4j.data.pusht;

import dev.wam4j.data.zarr.EpisodeRange;
import dev.wam4j.data.zarr.ReplayBuffer;
import dev.wam4j.data.zarr.ZarrArray;
import dev.wam4j.data.zarr.ZarrFormatException;
import dev.wam4j.sim.render.SceneRenderer;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Renders every recorded PushT state ({@code data/state} = agent x, agent y, block x, block y,
 * block angle) with the reference-sampling renderer and compares it with the recorded frame ({@code
 * data/img}, float 0..255, (N, 96, 96, 3)).
 *
 * <p>Frames are streamed in blocks of the image array's chunk length, so memory stays at one chunk.
 */
public final class RenderFidelity {
  private RenderFidelity() {}

  /** Error of one episode: mean absolute difference per channel value, 0..255 scale. */
  public record EpisodeError(int episode, int frames, double meanAbsPixelError) {}

  /**
   * @param meanAbsPixelError over all frames, pixels and channels, 0..255 scale
   * @param frames frames compared
   * @param episodes per-episode errors, in episode order
   * @param renderFramesPerSecond rendering alone (no decoding or comparison), one thread
   */
  public record Report(
      double meanAbsPixelError,
      long frames,
      List<EpisodeError> episodes,
      double renderFramesPerSecond) {}

  /**
   * Compares the first {@code maxEpisodes} episodes (all if {@code maxEpisodes <= 0} or larger).
   *
   * @throws ZarrFormatException if the store lacks {@code state} or {@code img} of the expected
   *     shapes
   */
  public static Report check(ReplayBuffer buffer, int maxEpisodes) throws IOException {
    int episodes =
        maxEpisodes <= 0 ? buffer.episodeCount() : Math.min(maxEpisodes, buffer.episodeCount());
    ZarrArray state = buffer.array("state");
    ZarrArray img = buffer.array("img");
    SceneRenderer renderer = SceneRenderer.pushtObservation();
    int frameSize = renderer.frameBytes();
    if (state.rowSize() != 5)
      throw new ZarrFormatException(
          state.path(), "data/state rows have " + state.rowSize() + " values, PushT needs 5");
    if (img.rowSize() != frameSize) {
      throw new ZarrFormatException(
          img.path(),
          "data/img frames have " + img.rowSize() + " values, expected 96 x 96 x 3 = " + frameSize);
    }
    int end = episodes == 0 ? 0 : buffer.episodeRange(episodes - 1).end();
    float[] states = state.readFloats(0, end);
    int block = Math.max(1, img.chunks()[0]);
    float[] recorded = new float[block * frameSize];
    byte[] rendered = new byte[frameSize];
    double[] frameError = new double[end];
    long renderNanos = 0;
    for (int start = 0; start < end; start += block) {
      int n = Math.min(block, end - start);
      img.readFloats(start, n, recorded, 0);
      for (int f = 0; f < n; f++) {
        int s = (start + f) * 5;
        long t0 = System.nanoTime();
        renderer.render(
            states[s], states[s + 1], 0, states[s + 2], states[s + 3], states[s + 4], rendered, 0);
        renderNanos += System.nanoTime() - t0;
        long sum = 0;
        int base = f * frameSize;
        for (int i = 0; i < frameSize; i++)
          sum += Math.abs(Math.round(recorded[base + i]) - (rendered[i] & 0xff));
        frameError[start + f] = (double) sum / frameSize;
      }
    }
    List<EpisodeError> perEpisode = new ArrayList<>(episodes);
    double total = 0;
    for (int e = 0; e < episodes; e++) {
      EpisodeRange r = buffer.episodeRange(e);
      double sum = 0;
      for (int f = r.start(); f < r.end(); f++) sum += frameError[f];
      total += sum;
      perEpisode.add(new EpisodeError(e, r.length(), r.length() == 0 ? 0 : sum / r.length()));
    }
    double fps = renderNanos == 0 ? 0 : end / (renderNanos / 1e9);
    return new Report(end == 0 ? 0 : total / end, end, List.copyOf(perEpisode), fps);
  }
}
