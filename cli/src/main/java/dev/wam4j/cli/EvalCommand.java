package dev.wam4j.cli;

import dev.wam4j.cluster.CheckpointSource;
import dev.wam4j.cluster.SparkEvaluation;
import dev.wam4j.eval.ClosedLoopEvaluation;
import dev.wam4j.eval.DreamQuality;
import dev.wam4j.eval.SeedRange;
import dev.wam4j.model.Engines;
import dev.wam4j.model.imagine.ImaginationPolicy;
import dev.wam4j.model.load.ChunkPolicies;
import dev.wam4j.model.policy.ChunkPolicy;
import dev.wam4j.model.policy.PlanSettings;
import dev.wam4j.sim.motion.MotionStyle;
import dev.wam4j.sim.scene.Physics;
import java.io.IOException;
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
 * {@code wam4j eval}: closed-loop evaluation of a policy checkpoint on PushT (Diffusion Policy
 * protocol).
 */
@Command(
    name = "eval",
    mixinStandardHelpOptions = true,
    description = {
      "Evaluate a policy checkpoint in closed loop on PushT (Diffusion Policy protocol).",
      "One episode per seed from the legacy reset, at most 300 steps; an episode's score is the max over its steps "
          + "of min(coverage / 0.95, 1), success is coverage > 0.95.",
      "Reports success rate, mean max coverage, per-seed outcomes and plan latency; optionally writes a video with "
          + "reality on the left and the policy's dream on the right."
    })
final class EvalCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--checkpoint",
      required = true,
      paramLabel = "DIR",
      description = "Policy checkpoint directory.")
  Path checkpoint;

  @Option(
      names = "--seeds",
      paramLabel = "A..B",
      description = "Legacy reset seeds, inclusive (default: ${DEFAULT-VALUE}, the published 50).",
      defaultValue = "100000..100049")
  String seeds;

  @Option(
      names = "--max-steps",
      description = "Control steps per episode at most, 1..300 (default: ${DEFAULT-VALUE}).",
      defaultValue = "300")
  int maxSteps;

  @Option(
      names = "--no-dream",
      description = "Do not ask the policy to decode its predicted frames (faster plans).")
  boolean noDream;

  @Option(
      names = "--policy-seed",
      description =
          "Seed of the policy's sampling noise, mixed with each episode's seed (default: ${DEFAULT-VALUE}).",
      defaultValue = "0")
  long policySeed;

  @Option(
      names = "--motion",
      paramLabel = "none|RESPONSE_S,MAX_SPEED",
      description =
          "How the policy's targets are followed: 'none' passes them to the simulator (the protocol), "
              + "'0.3,150' moves a hand towards each one like a person's mouse (a critically damped spring of "
              + "0.3 s response, at most 150 px/s; docs/TURING.md) (default: ${DEFAULT-VALUE}).",
      defaultValue = "none")
  String motion;

  @Option(
      names = "--video",
      paramLabel = "OUT.mp4",
      description = "Write an AV1 video: reality left, dream right, one frame per step.")
  Path video;

  @Option(
      names = "--video-episodes",
      paramLabel = "N",
      description = "Episodes in the video, the first ones (default: ${DEFAULT-VALUE}).",
      defaultValue = "5")
  int videoEpisodes;

  @Option(
      names = "--video-scale",
      paramLabel = "K",
      description =
          "Nearest-neighbour magnification of each half of the video, 1..8 (default: ${DEFAULT-VALUE}).",
      defaultValue = "2")
  int videoScale;

  @Option(
      names = "--execute-steps",
      paramLabel = "N",
      description =
          "Actions of each plan executed before planning again (default: the checkpoint's executeSteps).")
  Integer executeSteps;

  @Option(
      names = "--sample-steps",
      paramLabel = "N",
      description =
          "Euler steps integrating each sampled action chunk (default: the checkpoint's sampleSteps).")
  Integer sampleSteps;

  @Option(
      names = "--sample-noise",
      paramLabel = "S",
      description =
          "Scale of the noise the policy's action chunks are sampled from, 0..1; 0 plans deterministically (default: the checkpoint's sampleNoise).")
  Double sampleNoise;

  @Option(
      names = "--imagine",
      paramLabel = "N",
      description =
          "Plan by imagination: sample N action chunks per plan, dream each with the checkpoint's dream branch and execute "
              + "the one whose last dream frame shows the block covering the goal most; 1..64, 1 plans without imagination "
              + "(default: the checkpoint's imagineCandidates, 1 unless it was exported with --imagine).")
  Integer imagine;

  @Option(
      names = "--true-pose",
      description =
          "Measure the action head alone: drive a pose-reading head (actionFromPose) with the "
              + "simulator's true block pose instead of its estimate; prints coverage and successes only.")
  boolean truePose;

  @Option(
      names = "--perception-near-goal",
      paramLabel = "COVERAGE",
      description =
          "Measure the perception alone: a pose-reading checkpoint's pose estimate against the simulator's pose on every state "
              + "of the scripted expert's episodes (--seeds) with at least this coverage, e.g. 0.8; prints the errors only.")
  Double perceptionNearGoal;

  @Option(
      names = "--json",
      description = "Print JSON (config, results, per-seed list, provenance) instead of a summary.")
  boolean json;

  @Option(
      names = "--out",
      paramLabel = "FILE.json",
      description = "Also write the JSON to this file (atomically).")
  Path out;

  @Option(
      names = "--scene",
      paramLabel = "NAME|FILE",
      description =
          "Evaluate in another scene: a built-in name (pusht, cousin_l, "
              + "cousin_i, cousin_plus) or a scene file, e.g. configs/scenes/pusht-slippery-0.035.json (default: pusht, the protocol).")
  String scene;

  @Option(
      names = "--spark",
      paramLabel = "MASTER",
      description =
          "Run the episodes on Apache Spark: local[N] (N task threads here) or spark://host:port (a standalone "
              + "cluster whose nodes have wam4j and the checkpoint at the same paths). Each executor loads the "
              + "checkpoint once per task slot; each policy plans on --threads threads (default 1 here, one task per core): "
              + "per-seed outcomes equal a plain run's with the same --threads. docs/CLUSTER.md")
  String spark;

  @Option(
      names = "--threads",
      description =
          "Intra-op threads of the policy's engine (default: all cores; use 1 beside a training run).")
  Integer threads;

  /**
   * The evaluation and the settings it ran with (--json, --out): {@code imagine} 1 is the plain
   * policy, a null {@code threads}, {@code sampleSteps} or {@code sampleNoise} is the default's, a
   * null {@code dreamQuality} means no plan dreamed.
   */
  record Evaluation(
      String checkpoint,
      String seeds,
      String scene,
      Physics scenePhysics,
      int maxSteps,
      boolean dream,
      long policySeed,
      String motion,
      int imagine,
      Integer threads,
      int executeSteps,
      Integer sampleSteps,
      Double sampleNoise,
      String video,
      int videoEpisodes,
      int episodes,
      double successRate,
      double meanMaxCoverage,
      ClosedLoopEvaluation.Latency planLatency,
      ClosedLoopEvaluation.Latency dreamPlanLatency,
      DreamQuality dreamQuality,
      double wallSeconds,
      List<ClosedLoopEvaluation.Episode> perSeed,
      SparkEvaluation.Run spark) {}

  @Override
  public Integer call() throws IOException {
    SeedRange range = SeedRange.parse(seeds, "--seeds");
    int limit = ClosedLoopEvaluation.Config.PROTOCOL_MAX_STEPS;
    if (maxSteps < 1 || maxSteps > limit)
      throw new IllegalArgumentException(
          "--max-steps must be in 1.." + limit + ", got " + maxSteps);
    if (videoEpisodes < 1)
      throw new IllegalArgumentException("--video-episodes must be >= 1, got " + videoEpisodes);
    if (videoScale < 1 || videoScale > 8)
      throw new IllegalArgumentException("--video-scale must be in 1..8, got " + videoScale);
    int most = ImaginationPolicy.MAX_CANDIDATES;
    if (imagine != null && (imagine < 1 || imagine > most))
      throw new IllegalArgumentException("--imagine must be in 1.." + most + ", got " + imagine);
    if (imagine != null && (truePose || perceptionNearGoal != null)) {
      throw new IllegalArgumentException(
          "--imagine plans in closed loop: drop "
              + (truePose ? "--true-pose" : "--perception-near-goal"));
    }
    if (spark != null && (truePose || perceptionNearGoal != null)) {
      throw new IllegalArgumentException(
          "--spark is for closed-loop evaluation: drop "
              + (truePose ? "--true-pose" : "--perception-near-goal"));
    }
    if (scene != null && (truePose || perceptionNearGoal != null)) {
      throw new IllegalArgumentException(
          "--scene is for closed-loop evaluation: drop "
              + (truePose ? "--true-pose" : "--perception-near-goal"));
    }
    dev.wam4j.sim.scene.SceneFile world =
        dev.wam4j.sim.scene.Scenes.resolve(scene == null ? "pusht" : scene);
    ClosedLoopEvaluation.Config config =
        new ClosedLoopEvaluation.Config(
                range.first(),
                range.last(),
                maxSteps,
                !noDream,
                video,
                videoEpisodes,
                videoScale,
                policySeed)
            .withScene(world.scene())
            .withMotion(MotionStyle.parse(motion));
    if (!Files.exists(checkpoint))
      throw new IllegalArgumentException(
          "--checkpoint " + checkpoint + ": no such file or directory");
    if (threads != null) {
      if (threads < 1) throw new IllegalArgumentException("--threads must be >= 1, got " + threads);
      // read by DJL when the engine starts, which loading the policy does
      Engines.useThreads(threads);
    }
    PrintWriter o = spec.commandLine().getOut();
    ClosedLoopEvaluation.Result result;
    int executed;
    PlanSettings settings = PlanFlags.settings(executeSteps, sampleSteps, sampleNoise, imagine);
    // the head- and perception-only measurements read the world action model itself, whatever
    // planning it ships
    PlanSettings plain = settings.withImagineCandidates(1);
    if (perceptionNearGoal != null) {
      List<String> extra = new ArrayList<>();
      if (truePose) extra.add("--true-pose");
      if (json) extra.add("--json");
      if (out != null) extra.add("--out");
      if (video != null) extra.add("--video");
      if (!extra.isEmpty())
        throw new IllegalArgumentException(
            "--perception-near-goal prints the pose errors only: drop " + String.join(", ", extra));
      if (!spec.commandLine().getParseResult().hasMatchedOption("--seeds")) {
        // the default seeds are the protocol's, which only the shipped model's one evaluation may
        // touch
        throw new IllegalArgumentException(
            "--perception-near-goal needs --seeds (validation seeds, e.g. 200000..200019)");
      }
      if (!(perceptionNearGoal >= 0 && perceptionNearGoal < 1)) {
        throw new IllegalArgumentException(
            "--perception-near-goal must lie in [0, 1), got " + perceptionNearGoal);
      }
      try (ChunkPolicy policy = load(checkpoint, plain)) {
        var r =
            dev.wam4j.eval.PerceptionNearGoal.run(
                worldActionModel(policy, "--perception-near-goal"),
                range.first(),
                range.count(),
                perceptionNearGoal);
        o.printf(
            "eval %s seeds %d..%d, perception on %d expert states with coverage >= %.2f: rms %.2f px per axis, %.2f deg; "
                + "bias x %+.2f px, y %+.2f px, %+.2f deg; p90 %.2f px, %.2f deg%n",
            checkpoint,
            range.first(),
            range.last(),
            r.states(),
            perceptionNearGoal,
            r.rmsPixels(),
            r.rmsDegrees(),
            r.biasXPixels(),
            r.biasYPixels(),
            r.biasDegrees(),
            r.p90Pixels(),
            r.p90Degrees());
        o.flush();
        return 0;
      }
    }
    if (truePose) {
      if (json || out != null || video != null) {
        throw new IllegalArgumentException(
            "--true-pose prints coverage and successes only: drop --json, --out and --video");
      }
      try (ChunkPolicy policy = load(checkpoint, plain)) {
        var r =
            dev.wam4j.eval.TruePoseEvaluation.run(
                worldActionModel(policy, "--true-pose"),
                range.first(),
                range.count(),
                maxSteps,
                policySeed);
        o.printf(
            "eval %s seeds %d..%d, the head on the true pose: success %.1f%% (%d/%d), mean max coverage %.3f%n",
            checkpoint,
            r.firstSeed(),
            r.firstSeed() + r.episodes() - 1,
            100.0 * r.successes() / r.episodes(),
            r.successes(),
            r.episodes(),
            r.meanMaxCoverage());
        o.flush();
        return 0;
      }
    }
    int imagined; // the candidates per plan it runs with: the flag's, else the checkpoint's
    SparkEvaluation.Run sparkRun = null;
    if (spark != null) {
      if (video != null)
        throw new IllegalArgumentException("--spark writes no video: drop --video");
      var job =
          new SparkEvaluation.Job(
              CheckpointSource.of(checkpoint, settings, threads == null ? 1 : threads),
              config.firstSeed(),
              config.lastSeed(),
              config.maxSteps(),
              config.dream(),
              config.policySeed(),
              SparkEvaluation.Job.sceneForExecutors(scene),
              motion);
      Progress progress =
          new Progress(spec.commandLine().getErr(), "eval", config.episodes(), "episodes");
      int[] done = {0};
      var outcome =
          SparkEvaluation.run(
              spark,
              job,
              0,
              n -> {
                synchronized (done) {
                  progress.update(done[0] += n);
                }
              });
      progress.done();
      result = outcome.result();
      executed = outcome.executeSteps();
      imagined = outcome.imagineCandidates();
      sparkRun = outcome.spark();
    } else {
      try (ChunkPolicy policy = load(checkpoint, settings)) {
        // --threads on this thread too, should the engine have started before (in-process callers)
        if (threads != null) Engines.useThreadsOnThisThread(threads);
        executed = policy.executeSteps();
        imagined = policy instanceof ImaginationPolicy planner ? planner.candidates() : 1;
        Progress progress =
            new Progress(spec.commandLine().getErr(), "eval", config.episodes(), "episodes");
        int[] done = {0};
        result = ClosedLoopEvaluation.run(policy, config, e -> progress.update(++done[0]));
        progress.done();
      }
    }
    Evaluation m =
        new Evaluation(
            checkpoint.toString(),
            range.first() + ".." + range.last(),
            scene == null ? "pusht" : scene,
            world.scene().physics(),
            config.maxSteps(),
            config.dream(),
            config.policySeed(),
            config.motion().toString(),
            imagined,
            spark != null && threads == null ? Integer.valueOf(1) : threads,
            executed,
            sampleSteps,
            sampleNoise,
            video == null ? null : video.toString(),
            video == null ? 0 : Math.min(videoEpisodes, config.episodes()),
            result.episodes(),
            result.successRate(),
            result.meanMaxCoverage(),
            result.planLatency(),
            result.dreamPlanLatency(),
            result.dreamQuality(),
            result.wallSeconds(),
            result.perSeed(),
            sparkRun);
    String text = Json.result(m, spec);
    if (out != null) Json.writeFile(out, text);
    if (json) {
      o.println(text);
    } else {
      long ok = result.perSeed().stream().filter(ClosedLoopEvaluation.Episode::success).count();
      o.printf(
          "eval %s seeds %s%s%s%s: success %.1f%% (%d/%d), mean max coverage %.3f%n",
          checkpoint,
          m.seeds(),
          scene == null ? "" : " in " + scene,
          m.motion().equals("none") ? "" : ", targets followed by a hand " + m.motion(),
          imagined == 1 ? "" : ", imagining " + imagined + " chunks per plan",
          100 * result.successRate(),
          ok,
          result.episodes(),
          result.meanMaxCoverage());
      latency(o, "plan latency", result.planLatency());
      latency(o, "plan latency with dream", result.dreamPlanLatency());
      dreamQuality(o, result.dreamQuality());
      if (sparkRun != null)
        o.printf(
            "  spark %s: %d partitions on %d executor JVMs, %d policy loads%n",
            sparkRun.master(), sparkRun.partitions(), sparkRun.executors(), sparkRun.policyLoads());
      o.printf(
          "  wall %.1f s%s%s%n",
          result.wallSeconds(),
          video == null ? "" : ", video " + video,
          out == null ? "" : ", json " + out);
    }
    o.flush();
    return 0;
  }

  private static void latency(PrintWriter o, String what, ClosedLoopEvaluation.Latency l) {
    if (l != null)
      o.printf(
          "  %s: p50 %.1f ms, p99 %.1f ms (%d plans)%n", what, l.p50Ms(), l.p99Ms(), l.plans());
  }

  /**
   * One line per dream offset, the copy-last baseline in brackets; nothing when no plan dreamed.
   */
  private static void dreamQuality(PrintWriter o, DreamQuality q) {
    if (q == null) return;
    for (DreamQuality.Horizon h : q.perHorizon()) {
      o.printf(
          "  dream %d steps ahead, %d samples (copy-last baseline in brackets): PSNR %s dB (%s), block IoU %s (%s); "
              + "where the block moved (%d): IoU %s (%s); agent off by %s px (%d without agent)%n",
          h.stepsAhead(),
          h.samples(),
          number(h.psnrDb(), "%.1f"),
          number(h.copyLastPsnrDb(), "%.1f"),
          number(h.blockIou(), "%.3f"),
          number(h.copyLastBlockIou(), "%.3f"),
          h.movingSamples(),
          number(h.movingBlockIou(), "%.3f"),
          number(h.copyLastMovingBlockIou(), "%.3f"),
          number(h.agentErrorPx(), "%.1f"),
          h.agentMissing());
    }
  }

  /** {@code value} in {@code format}, or "n/a" for a mean without samples. */
  private static String number(Double value, String format) {
    return value == null ? "n/a" : format.formatted(value);
  }

  /**
   * The policy, planning as the checkpoint ships it where the flags do not say otherwise (by
   * imagination when it was exported with it), or one clear line (through the command line's
   * handler) when it cannot be loaded or cannot plan as asked (e.g. {@code --imagine} without a
   * dream branch).
   */
  private static ChunkPolicy load(Path checkpoint, PlanSettings settings) {
    try {
      return ChunkPolicies.load(checkpoint, settings);
    } catch (IOException e) {
      String why = e.getMessage() == null ? e.toString() : e.getMessage();
      throw new IllegalArgumentException(
          why.contains(checkpoint.toString())
              ? "cannot load a policy: " + why
              : "cannot load a policy from --checkpoint " + checkpoint + ": " + why,
          e);
    } catch (IllegalArgumentException e) {
      throw PlanFlags.refused(settings, checkpoint, e);
    }
  }

  /** The policy as a world action model, which the head- and perception-only measurements need. */
  private dev.wam4j.model.wam.WamPolicy worldActionModel(ChunkPolicy policy, String flag) {
    if (policy instanceof dev.wam4j.model.wam.WamPolicy wam) return wam;
    throw new IllegalArgumentException(
        flag
            + " needs a world action model checkpoint; "
            + checkpoint
            + " holds a "
            + policy.getClass().getSimpleName());
  }
}
