package dev.wam4j.cli;

import dev.wam4j.data.replay.DemonstrationReplay;
import dev.wam4j.data.replay.ReplayReport;
import dev.wam4j.data.zarr.ReplayBuffer;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code wam4j sim replay}: replays recorded PushT demonstrations and compares every step. */
@Command(
    name = "replay",
    mixinStandardHelpOptions = true,
    description =
        "Replay the recorded PushT demonstrations (legacy reset with seed = episode index) and compare every step with the recorded states.")
final class ReplayCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--zarr",
      description =
          "Diffusion Policy replay buffer (default: the full PushT demonstrations from WAM4J_DATA or the download cache, else the 25-episode sample in datasets/).")
  Path zarr;

  @Option(
      names = "--episodes",
      description = "Replay only the first N episodes (default: all).",
      defaultValue = "0")
  int episodes;

  @Option(names = "--json", description = "Print the full report as JSON.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    Path path = zarr != null ? zarr : Paths.defaultPushTZarr(spec.commandLine().getErr());
    ReplayBuffer buffer = ReplayBuffer.open(path);
    int total = episodes > 0 ? Math.min(episodes, buffer.episodeCount()) : buffer.episodeCount();
    Progress progress = new Progress(spec.commandLine().getErr(), "replay", total, "episodes");
    ReplayReport report = DemonstrationReplay.run(buffer, episodes, e -> progress.update(e + 1));
    progress.done();
    if (json) {
      out.println(Json.result(report, spec));
    } else {
      out.printf(
          "episodes                      %d (%d recorded states)%n",
          report.episodes(), report.frames());
      out.printf("float32_exact_fraction        %.6f%n", report.float32ExactFraction());
      out.printf("position_error_final_median   %.3g%n", report.positionErrorFinalMedian());
      out.printf("position_error_max            %.3g%n", report.positionErrorMax());
      out.printf("angle_error_final_median      %.3g rad%n", report.angleErrorFinalMedian());
      out.printf(
          "replay_success_rate           %.4f (episodes %s)%n",
          report.replaySuccessRate(), report.successEpisodes());
      out.printf("terminal_coverage_median      %.4f%n", report.terminalCoverageMedian());
      out.printf("replay speed                  %.0f env steps/s%n", report.stepsPerSecond());
    }
    out.flush();
    return 0;
  }
}
