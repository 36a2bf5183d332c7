package dev.wam4j.cli;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.wam4j.data.DataSets;
import dev.wam4j.data.FileTrees;
import dev.wam4j.data.collect.ExpertFilm;
import dev.wam4j.data.collect.FactoryFilm;
import dev.wam4j.data.collect.SimCollect;
import dev.wam4j.data.lerobot.DatasetValidation;
import dev.wam4j.data.pusht.PushTRate;
import dev.wam4j.data.pusht.PushTRoundTrip;
import dev.wam4j.data.pusht.PushTZarrImport;
import dev.wam4j.data.replay.DemonstrationReplay;
import dev.wam4j.data.replay.ReplayReport;
import dev.wam4j.data.video.VideoEncoding;
import dev.wam4j.data.video.VideoWriter;
import dev.wam4j.data.zarr.ReplayBuffer;
import dev.wam4j.eval.ClosedLoopEvaluation;
import dev.wam4j.fleet.agent.RobotAgent;
import dev.wam4j.fleet.demo.FleetDemo;
import dev.wam4j.model.cell.CellPusher;
import dev.wam4j.model.load.ChunkPolicies;
import dev.wam4j.model.policy.ChunkPolicy;
import dev.wam4j.sim.Embodiment;
import dev.wam4j.sim.cousins.CousinConfig;
import dev.wam4j.sim.cousins.CousinGallery;
import dev.wam4j.sim.factory.DesignParser;
import dev.wam4j.sim.factory.FactoryRun;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code wam4j demo}: the main job on embedded defaults. For now: the physics checked against the
 * real demonstrations, then the scripted expert solving PushT as the robot and as a human hand,
 * written as a video. Grows with each capability.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description =
        "Show what wam4j does today: replay fidelity, the expert solving PushT as robot and hand (video), digital cousins, "
            + "datasets written and read back, the shipped world action model pushing the T beside its dream (video), and a fleet "
            + "of three simulated robots doing a markdown job through the Physical API, and a product built lights-out from its"
            + " markdown design (video).")
final class DemoCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--out",
      description = "Output folder (default: ${DEFAULT-VALUE}).",
      defaultValue = "out/demo")
  Path out;

  @Option(
      names = "--seed",
      description = "Legacy reset seed of the expert episodes (default: ${DEFAULT-VALUE}).",
      defaultValue = "100000")
  long seed;

  @Option(
      names = "--size",
      description = "Video width and height in pixels (default: ${DEFAULT-VALUE}).",
      defaultValue = "384")
  int size;

  /** The physics replayed against the real demonstrations. */
  record Replay(
      String demonstrations, double float32ExactFraction, List<Integer> successEpisodes) {}

  /** Real demonstrations imported to LeRobot v3.0 and how they read back. */
  record RealDataset(Path dataset, int episodes, PushTRoundTrip.Report roundTrip) {}

  /** Simulated hand episodes collected. */
  record SimDataset(Path dataset, SimCollect.Result result) {}

  /** The datasets section: {@code real} is null without the real demonstrations. */
  record Datasets(RealDataset real, SimDataset simHand) {}

  /** The shipped model on the first seeds, or why it was skipped. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record WorldActionModel(
      String checkpoint,
      List<ClosedLoopEvaluation.Episode> perSeed,
      ClosedLoopEvaluation.Latency dreamPlanLatency,
      String video,
      String skipped) {}

  /**
   * What the demo did, section by section (demo.json); a section that could not run is null or says
   * why it was skipped.
   */
  record Summary(
      Replay replay,
      List<ExpertFilm.Episode> expertEpisodes,
      List<CousinGallery.Row> cousins,
      String video,
      Datasets datasets,
      WorldActionModel worldActionModel,
      FleetDemo.Result fleet,
      Factory factory) {}

  /** A product built lights-out from its design file, and its film. */
  record Factory(String design, String video, FactoryRun.Result result) {}

  @Override
  public Integer call() throws Exception {
    PrintWriter o = spec.commandLine().getOut();
    o.println("wam4j demo — PushT simulator");
    o.flush();

    DataSets.Located demonstrations = realDemonstrations(o);
    Path zarr = demonstrations == null ? null : demonstrations.path();
    Replay replay = null;
    if (zarr != null) {
      ReplayReport r = DemonstrationReplay.run(ReplayBuffer.open(zarr), 0, null);
      o.printf(
          "1. physics vs %d real human demonstrations (%s): %.4f%% of %,d recorded state values reproduced float32-exact;%n",
          r.episodes(),
          demonstrations.complete()
              ? "all of them"
              : "the sample in datasets/; 'wam4j data fetch pusht' for all "
                  + DataSets.PUSHT_EPISODES,
          100 * r.float32ExactFraction(),
          r.frames() * 5);
      o.printf(
          "   terminal successes in episodes %s (reference, all %d: 20, 32, 51, 124, 131, 160, 195)%n",
          r.successEpisodes(), DataSets.PUSHT_EPISODES);
      replay =
          new Replay(
              demonstrations.path().toString(), r.float32ExactFraction(), r.successEpisodes());
    }
    o.flush();

    Files.createDirectories(out);
    Path video = out.resolve("pusht-expert.mp4");
    List<ExpertFilm.Episode> episodes = new ArrayList<>();
    int side = size % 2 == 0 ? size : size + 1;
    try (VideoWriter writer =
        VideoWriter.open(video, side, side, PushTRate.FPS, VideoEncoding.AV1_LEROBOT)) {
      for (Embodiment embodiment :
          List.of(Embodiment.RobotPusher.reference(), Embodiment.HumanHand.standard())) {
        ExpertFilm.Episode e = ExpertFilm.record(embodiment, seed, side, writer);
        o.printf(
            "2. expert as %-5s seed %d: %s after %d steps, max coverage %.3f%n",
            e.embodiment(),
            seed,
            e.success() ? "success" : "no success",
            e.steps(),
            e.maxCoverage());
        o.flush();
        episodes.add(e);
      }
      writer.finish();
    }

    Path gallery = out.resolve("cousins.png");
    List<CousinGallery.Row> cousins =
        CousinGallery.write(CousinConfig.builtin("wide"), 0, 8, 160, gallery);
    long solved = cousins.stream().filter(CousinGallery.Row::expertSuccess).count();
    o.printf(
        "3. digital cousins (built-in 'wide' config, seeds 0..7): shapes %s, expert solved %d/8; gallery %s%n",
        cousins.stream().map(CousinGallery.Row::shape).toList(), solved, gallery);
    o.flush();
    Datasets datasets = datasets(zarr, o);
    WorldActionModel wam = worldActionModel(o);
    FleetDemo.Result fleet = fleet(o);
    Factory factory = factory(o);

    Path json = out.resolve("demo.json");
    Json.writeFile(
        json,
        Json.result(
            new Summary(replay, episodes, cousins, video.toString(), datasets, wam, fleet, factory),
            spec));
    o.printf(
        "8. videos: %s%s, %s%n   summary: %s%n",
        video, wam.video() == null ? "" : ", " + wam.video(), factory.video(), json);
    o.flush();
    return 0;
  }

  /**
   * A lights-out cell: the 4-part design built by the shipped cell pusher (seeing the parts through
   * the camera), filmed from above.
   */
  private Factory factory(PrintWriter o) throws Exception {
    Path design = Paths.root().resolve("configs/designs/arch.md");
    Path film = out.resolve("factory-arch.mp4");
    FactoryRun.Result r =
        FactoryFilm.record(
            DesignParser.read(design),
            FactoryRun.Config.of(seed, CellPusher.load(Paths.root().resolve("models/cell-pusher"))),
            film,
            line -> {});
    o.printf(
        "7. lights-out cell: '%s' (%d parts from a markdown design, %s executor) %s, %d/%d placed in %d pushes,"
            + " %.1f simulated minutes, %d interventions%n",
        r.design(),
        r.partsTotal(),
        r.executor(),
        r.productComplete() ? "complete" : "NOT complete",
        r.partsPlaced(),
        r.partsTotal(),
        r.pushes(),
        r.simMinutes(),
        r.interventions());
    o.flush();
    return new Factory(Paths.root().relativize(design).toString(), film.toString(), r);
  }

  /**
   * The shipped world action model driving the robot on the first protocol seeds, its dream beside
   * reality.
   */
  private WorldActionModel worldActionModel(PrintWriter o) throws Exception {
    Path checkpoint = Paths.root().resolve("models/pusht-wam");
    if (!Files.isRegularFile(checkpoint.resolve("checkpoint.json"))) {
      o.printf("5. world action model: skipped, %s not found%n", checkpoint);
      o.flush();
      return new WorldActionModel(null, null, null, null, checkpoint + " not found");
    }
    Path dreams = out.resolve("pusht-wam-dream.mp4");
    ClosedLoopEvaluation.Config config =
        ClosedLoopEvaluation.Config.seeds(seed, seed + 2).withVideo(dreams, 3);
    ClosedLoopEvaluation.Result r;
    try (ChunkPolicy policy = ChunkPolicies.load(checkpoint)) {
      r = ClosedLoopEvaluation.run(policy, config, null);
    }
    o.printf(
        "5. world action model %s on seeds %d..%d: max coverage %s, success %d/3; plan with dream p50 %.1f ms%n",
        Paths.root().relativize(checkpoint),
        seed,
        seed + 2,
        r.perSeed().stream().map(e -> String.format("%.2f", e.maxCoverage())).toList(),
        r.perSeed().stream().filter(ClosedLoopEvaluation.Episode::success).count(),
        r.dreamPlanLatency().p50Ms());
    o.printf("   reality (left) and the model's dream (right): %s%n", dreams);
    o.flush();
    return new WorldActionModel(
        checkpoint.toString(), r.perSeed(), r.dreamPlanLatency(), dreams.toString(), null);
  }

  /**
   * The Physical API in one process (see {@link FleetDemo}): three robots on the shipped model work
   * off a markdown job.
   */
  private FleetDemo.Result fleet(PrintWriter o) throws Exception {
    Path checkpoint = Paths.root().resolve("models/pusht-wam");
    if (!Files.isRegularFile(checkpoint.resolve("checkpoint.json"))) {
      o.println("6. fleet: skipped, the shipped model was not found");
      return null;
    }
    FleetDemo.Result r = FleetDemo.run(checkpoint, out.resolve("fleet"), 3, FleetDemo.JOB);
    long uploaded = r.robots().stream().mapToLong(RobotAgent.Summary::episodesUploaded).sum();
    long telemetry = r.robots().stream().mapToLong(RobotAgent.Summary::telemetryMessages).sum();
    o.printf(
        "6. fleet: server %s (embedded database %s), %d robots; job '%s' %s: %d/%d tasks done, %d failed attempts retried;%n",
        r.serverUrl(),
        r.serverData(),
        r.robots().size(),
        r.job().title(),
        r.job().status().wire(),
        r.job().done(),
        r.job().tasks(),
        r.robots().stream().mapToInt(sm -> sm.tasks() - sm.succeeded()).sum());
    o.printf(
        "   %d state messages streamed with the dream-divergence score, %d episodes uploaded -> %s (%d frames)%n",
        telemetry,
        uploaded,
        r.datasets().isEmpty() ? "-" : r.datasets().get(0).dataset(),
        r.datasets().isEmpty() ? 0 : r.datasets().get(0).frames());
    o.flush();
    return r;
  }

  /**
   * Real demonstrations imported to LeRobot v3.0 and read back; simulated hand episodes collected.
   */
  private Datasets datasets(Path zarr, PrintWriter o) throws Exception {
    Path data = out.resolve("datasets");
    RealDataset realDataset = null;
    FileTrees.delete(data);
    Files.createDirectories(data);
    if (zarr == null) {
      o.println("4. datasets: real demonstrations skipped (not found, see 1.)");
    } else {
      ReplayBuffer buffer = ReplayBuffer.open(zarr);
      Path real = data.resolve("pusht-real-10");
      PushTZarrImport.Result r =
          PushTZarrImport.run(
              buffer, real, 10, PushTZarrImport.config(VideoEncoding.AV1_LEROBOT), null);
      PushTRoundTrip.Report check = PushTRoundTrip.compare(buffer, real, null);
      realDataset = new RealDataset(real, r.episodes(), check);
      o.printf(
          "4. datasets: %d real demonstrations -> LeRobot v3.0 %s (%s); read back: state/action %s, PSNR %.1f dB mean%n",
          r.episodes(),
          real,
          DatasetValidation.validate(real).isEmpty() ? "valid" : "INVALID",
          check.stateExact() == 1.0 && check.actionExact() == 1.0 ? "bit-exact" : "NOT exact",
          check.psnrMeanDb());
    }
    Path hand = data.resolve("sim-hand-5");
    SimCollect.Result c =
        SimCollect.run(
            new SimCollect.Config(
                Embodiment.HumanHand.standard(), null, 5, 0, VideoEncoding.AV1_LEROBOT),
            hand,
            null);
    o.printf(
        "   %d simulated human-hand episodes (with hand poses) -> %s (%s)%n",
        5, hand, DatasetValidation.validate(hand).isEmpty() ? "valid" : "INVALID");
    o.flush();
    return new Datasets(realDataset, new SimDataset(hand, c));
  }

  /**
   * The real PushT demonstrations, or null after saying why they are missing (outside a checkout).
   */
  private static DataSets.Located realDemonstrations(PrintWriter o) {
    try {
      return DataSets.pushTDemonstrations();
    } catch (IllegalStateException e) {
      o.println("1. replay check skipped: " + e.getMessage());
      return null;
    }
  }
}
