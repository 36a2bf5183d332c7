package dev.wam4j.cli;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.wam4j.data.pusht.PushTRoundTrip;
import dev.wam4j.data.pusht.PushTZarrImport;
import dev.wam4j.data.video.VideoCodec;
import dev.wam4j.data.video.VideoEncoding;
import dev.wam4j.data.zarr.ReplayBuffer;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code wam4j dataset import}: the PushT zarr replay buffer to a LeRobot v3.0 dataset. */
@Command(
    name = "import",
    mixinStandardHelpOptions = true,
    description =
        "Import the Diffusion Policy PushT replay buffer (zarr) into a LeRobot v3.0 dataset laid out like lerobot/pusht "
            + "(next.* labels from the simulator's coverage; the terminal state is simulated).")
final class DatasetImportCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--zarr",
      description =
          "Replay buffer (default: the full PushT demonstrations from WAM4J_DATA or the download cache, else the 25-episode sample in datasets/).")
  Path zarr;

  @Option(
      names = "--out",
      required = true,
      description = "Dataset directory to create (must not exist).")
  Path out;

  @Option(
      names = "--episodes",
      description = "Import only the first N episodes (default: all).",
      defaultValue = "0")
  int episodes;

  @Option(
      names = "--codec",
      description = "av1 or h264 (default: ${DEFAULT-VALUE}).",
      defaultValue = "av1")
  String codec;

  @Option(
      names = "--crf",
      description = "Quality: AV1 crf 1..63 or H.264 QP 1..51 (default: 30 for av1, 23 for h264).")
  Integer crf;

  @Option(
      names = "--verify",
      description =
          "Read the dataset back and compare state, action and every decoded frame with the zarr.")
  boolean verify;

  @Option(names = "--json", description = "Print the result as JSON.")
  boolean json;

  /**
   * The dataset imported and how it was encoded; {@code verify} (left out without --verify) is how
   * it reads back.
   */
  record Result(
      String dataset,
      String zarr,
      String codebaseVersion,
      int totalEpisodes,
      long totalFrames,
      List<Integer> successEpisodes,
      String videoCodec,
      int crf,
      double seconds,
      @JsonInclude(JsonInclude.Include.NON_NULL) PushTRoundTrip.Report verify) {}

  @Override
  public Integer call() throws Exception {
    VideoEncoding encoding = encoding(codec, crf);
    Path path = zarr != null ? zarr : Paths.defaultPushTZarr(spec.commandLine().getErr());
    ReplayBuffer buffer = ReplayBuffer.open(path);
    int total = episodes > 0 ? Math.min(episodes, buffer.episodeCount()) : buffer.episodeCount();
    Progress progress = new Progress(spec.commandLine().getErr(), "import", total, "episodes");
    PushTZarrImport.Result r =
        PushTZarrImport.run(
            buffer, out, episodes, PushTZarrImport.config(encoding), progress::update);
    progress.done();
    PushTRoundTrip.Report check = null;
    if (verify) {
      Progress vp = new Progress(spec.commandLine().getErr(), "verify", r.episodes(), "episodes");
      check = PushTRoundTrip.compare(buffer, r.dataset(), vp::update);
      vp.done();
    }
    Result result =
        new Result(
            r.dataset().toString(),
            path.toString(),
            "v3.0",
            r.episodes(),
            r.frames(),
            r.successEpisodes(),
            encoding.codec().name().toLowerCase(java.util.Locale.ROOT),
            encoding.crf(),
            r.seconds(),
            check);
    PrintWriter o = spec.commandLine().getOut();
    if (json) {
      o.println(Json.result(result, spec));
    } else {
      o.printf(
          "imported %d episodes, %d frames into %s in %.1f s%n",
          r.episodes(), r.frames(), r.dataset(), r.seconds());
      o.printf("episodes ending in success: %s%n", r.successEpisodes());
      if (check != null) {
        o.printf(
            "read back: state %.6f and action %.6f of values bit-exact; PSNR mean %.2f dB, min %.2f dB; decode %.0f frames/s%n",
            check.stateExact(),
            check.actionExact(),
            check.psnrMeanDb(),
            check.psnrMinDb(),
            check.decodeFramesPerSecond());
      }
    }
    o.flush();
    return 0;
  }

  /** The encoding for {@code --codec} and {@code --crf}. */
  static VideoEncoding encoding(String codec, Integer crf) {
    return switch (codec) {
      case "av1" ->
          crf == null
              ? VideoEncoding.AV1_LEROBOT
              : new VideoEncoding(
                  VideoCodec.AV1,
                  crf,
                  VideoEncoding.AV1_LEROBOT.gop(),
                  VideoEncoding.AV1_LEROBOT.preset());
      case "h264" ->
          crf == null ? VideoEncoding.H264_DEFAULT : new VideoEncoding(VideoCodec.H264, crf, 2, 0);
      default ->
          throw new IllegalArgumentException("--codec must be av1 or h264, got '" + codec + "'");
    };
  }
}
