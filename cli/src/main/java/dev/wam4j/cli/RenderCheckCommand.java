package dev.wam4j.cli;

import dev.wam4j.data.pusht.RenderFidelity;
import dev.wam4j.data.zarr.ReplayBuffer;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code wam4j sim render-check}: renders every recorded PushT state and compares with the recorded
 * frames.
 */
@Command(
    name = "render-check",
    mixinStandardHelpOptions = true,
    description =
        "Render every recorded state of a PushT replay buffer and report the mean absolute pixel error (0-255) against its recorded frames.")
public final class RenderCheckCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--zarr",
      paramLabel = "PATH",
      description =
          "Replay buffer (default: the full PushT demonstrations from WAM4J_DATA or the download cache, else the 25-episode sample in datasets/).")
  Path zarr;

  @Option(names = "--json", description = "Print JSON.")
  boolean json;

  @Option(names = "--episodes", paramLabel = "N", description = "Check only the first N episodes.")
  Integer episodes;

  /**
   * The JSON of a check: the per-episode errors without their frame counts, which the totals give.
   */
  record Check(
      double meanAbsPixelError,
      long frames,
      int episodes,
      List<EpisodeCheck> perEpisode,
      double renderFramesPerSecond) {
    static Check of(RenderFidelity.Report r) {
      return new Check(
          r.meanAbsPixelError(),
          r.frames(),
          r.episodes().size(),
          r.episodes().stream()
              .map(e -> new EpisodeCheck(e.episode(), e.meanAbsPixelError()))
              .toList(),
          r.renderFramesPerSecond());
    }
  }

  /** One episode's mean absolute pixel error, 0..255 scale. */
  record EpisodeCheck(int episode, double meanAbsPixelError) {}

  @Override
  public Integer call() throws Exception {
    Path store = zarr != null ? zarr : Paths.defaultPushTZarr(spec.commandLine().getErr());
    if (episodes != null && episodes < 1)
      throw new IllegalArgumentException("--episodes must be >= 1, got " + episodes);
    RenderFidelity.Report r =
        RenderFidelity.check(ReplayBuffer.open(store), episodes == null ? 0 : episodes);
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      out.println(Json.result(Check.of(r), spec));
    } else {
      out.printf("store: %s%n", store);
      out.printf(
          "mean_abs_pixel_error: %.4f (0-255 scale, %d frames, %d episodes)%n",
          r.meanAbsPixelError(), r.frames(), r.episodes().size());
      out.printf("render_frames_per_second: %.0f%n", r.renderFramesPerSecond());
      out.println("episode  frames  mean_abs_pixel_error");
      for (RenderFidelity.EpisodeError e : r.episodes())
        out.printf("%7d  %6d  %.4f%n", e.episode(), e.frames(), e.meanAbsPixelError());
    }
    out.flush();
    return 0;
  }
}
