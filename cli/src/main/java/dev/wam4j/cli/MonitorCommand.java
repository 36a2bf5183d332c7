package dev.wam4j.cli;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import dev.wam4j.eval.ClosedLoopEvaluation;
import dev.wam4j.eval.SeedRange;
import dev.wam4j.eval.monitor.MonitorStudy;
import dev.wam4j.eval.monitor.Signal;
import dev.wam4j.model.Engines;
import dev.wam4j.model.load.ChunkPolicies;
import dev.wam4j.model.policy.ChunkPolicy;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code wam4j monitor}: does the dream's departure from reality predict failure? */
@Command(
    name = "monitor",
    mixinStandardHelpOptions = true,
    description = {
      "The dream monitor: roll a world action model out on PushT while comparing what it predicted k steps ago with what the camera "
          + "shows now (latent and pixel divergence), and measure how well that predicts episode failure against a baseline (the "
          + "spread of sampled action chunks).",
      "Thresholds are chosen on --calibration-seeds, figures measured on --seeds: roc_auc, detection and false-alarm rates, "
          + "lead_time_steps. The alarm signal is the dream signal with the best calibration roc_auc unless --alarm-signal names one; "
          + "its test figures head the JSON beside the baseline's. --stop-on-alarm replays the test seeds with the alarm handing "
          + "episodes over.",
      "Writes monitor.json, monitor.html (self-contained: tables, ROC and score plots, reality|dream clip), roc.png and monitor.mp4."
    })
final class MonitorCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--checkpoint",
      required = true,
      paramLabel = "DIR",
      description = "World action model checkpoint or run directory.")
  Path checkpoint;

  @Option(
      names = "--seeds",
      paramLabel = "A..B",
      description = "Test seeds (default: ${DEFAULT-VALUE}).",
      defaultValue = "300000..300199")
  String seeds;

  @Option(
      names = "--calibration-seeds",
      paramLabel = "A..B",
      description =
          "Seeds that choose the thresholds, disjoint from --seeds "
              + "(default: ${DEFAULT-VALUE}).",
      defaultValue = "200000..200099")
  String calibrationSeeds;

  @Option(
      names = "--success-score",
      description =
          "An episode succeeds when its best min(coverage/0.95, 1) reaches this; 1 is the "
              + "protocol's success (default: ${DEFAULT-VALUE}).",
      defaultValue = "1.0")
  double successScore;

  @Option(
      names = "--window",
      description = "Samples in a signal's running score (default: ${DEFAULT-VALUE}).",
      defaultValue = "3")
  int window;

  @Option(
      names = "--spread-samples",
      description =
          "Extra action chunks sampled per plan for the baseline (default: ${DEFAULT-VALUE}).",
      defaultValue = "8")
  int spreadSamples;

  @Option(
      names = "--alarm-signal",
      description =
          "Signal the alarm watches: latent, relative, pixel, block, shortfall or spread (default: the dream signal "
              + "with the highest ROC-AUC on the calibration seeds).")
  String alarmSignal;

  @Option(
      names = "--threshold",
      description =
          "Alarm threshold of --alarm-signal, which it needs (default: chosen on the calibration seeds).")
  Double threshold;

  @Option(
      names = "--stop-on-alarm",
      description =
          "Replay the test seeds with the alarm stopping (handing over) each episode it fires in.")
  boolean stopOnAlarm;

  @Option(
      names = "--policy-seed",
      description = "Seed of the policy's sampling noise (default: ${DEFAULT-VALUE}).",
      defaultValue = "0")
  long policySeed;

  @Option(
      names = "--video-episodes",
      description =
          "Test episodes in the reality|dream clip, 0 for none (default: ${DEFAULT-VALUE}).",
      defaultValue = "3")
  int videoEpisodes;

  @Option(
      names = "--disturb",
      paramLabel = "P",
      description =
          "Share of episodes in which someone else pushes the block once (60-120 px, "
              + "up to 0.8 rad, between steps 40 and 200): surprises the dream should notice (default: ${DEFAULT-VALUE}, the protocol).",
      defaultValue = "0")
  double disturb;

  @Option(
      names = "--out",
      paramLabel = "DIR",
      description = "Output folder (default: ${DEFAULT-VALUE}).",
      defaultValue = "out/monitor")
  Path out;

  @Option(
      names = "--threads",
      description =
          "Intra-op threads of the policy's engine (default: all cores; 1 beside a training run).")
  Integer threads;

  @Option(names = "--json", description = "Print the result as JSON.")
  boolean json;

  @Override
  public Integer call() throws IOException {
    Signal signal =
        alarmSignal == null
            ? null
            : switch (alarmSignal.toLowerCase(Locale.ROOT)) {
              case "latent" -> Signal.LATENT;
              case "relative" -> Signal.LATENT_RELATIVE;
              case "pixel" -> Signal.PIXEL;
              case "block" -> Signal.BLOCK;
              case "shortfall" -> Signal.COVERAGE_SHORTFALL;
              case "spread" -> Signal.ACTION_SPREAD;
              default ->
                  throw new IllegalArgumentException(
                      "--alarm-signal must be latent, relative, pixel, block, shortfall or spread, got '"
                          + alarmSignal
                          + "'");
            };
    if (videoEpisodes < 0)
      throw new IllegalArgumentException("--video-episodes must be >= 0, got " + videoEpisodes);
    if (threshold != null && !Double.isFinite(threshold))
      throw new IllegalArgumentException("--threshold must be finite, got " + threshold);
    if (threshold != null && signal == null) {
      throw new IllegalArgumentException(
          "--threshold needs --alarm-signal: thresholds are on each signal's own scale");
    }
    MonitorStudy.Config config =
        new MonitorStudy.Config(
            SeedRange.parse(calibrationSeeds, "--calibration-seeds"),
            SeedRange.parse(seeds, "--seeds"),
            successScore,
            window,
            spreadSamples,
            signal,
            threshold == null ? Double.NaN : threshold,
            stopOnAlarm,
            policySeed,
            videoEpisodes == 0 ? null : out.resolve("monitor.mp4"),
            Math.max(1, videoEpisodes),
            disturb == 0 ? null : ClosedLoopEvaluation.Disturbance.pushes(disturb));
    if (!Files.exists(checkpoint))
      throw new IllegalArgumentException(
          "--checkpoint " + checkpoint + ": no such file or directory");
    if (threads != null) {
      if (threads < 1) throw new IllegalArgumentException("--threads must be >= 1, got " + threads);
      Engines.useThreads(threads);
    }
    Files.createDirectories(out);
    PrintWriter err = spec.commandLine().getErr();
    MonitorStudy.Result r;
    try (ChunkPolicy policy = ChunkPolicies.load(checkpoint)) {
      r =
          MonitorStudy.run(
              policy,
              config,
              out,
              Json.provenance(spec),
              line -> {
                err.println(line);
                err.flush();
              });
    }
    String text = Json.result(new Output(checkpoint.toString(), r.headline(), r), spec);
    Json.writeFile(out.resolve("monitor.json"), text);
    PrintWriter o = spec.commandLine().getOut();
    if (json) {
      o.println(text);
    } else {
      o.printf(
          "test %s: %d episodes, %d failed (success score %.2f); calibration %s: %d episodes, %d failed%n",
          r.testSeeds(),
          r.testEpisodes(),
          r.testFailures(),
          r.successScore(),
          r.calibrationSeeds(),
          r.calibrationEpisodes(),
          r.calibrationFailures());
      if (r.disturbance() != null) {
        o.printf(
            "disturbed test episodes: %d, of which %d failed%n",
            r.testDisturbed(), r.testDisturbedFailures());
      }
      boolean pushed = r.disturbance() != null;
      o.printf(
          "%-28s %8s %10s %10s %12s %12s%s%n",
          "signal",
          "roc_auc",
          "threshold",
          "detection",
          "false_alarm",
          "lead_steps",
          pushed ? "  disturbed_roc_auc" : "");
      for (MonitorStudy.SignalResult s : r.signals()) {
        o.printf(
            "%-28s %8.3f %10.4g %10.3f %12.3f %12.1f%s%n",
            s.signal() + (s.dream() ? "" : "*"),
            s.rocAuc(),
            s.threshold(),
            s.detectionRate(),
            s.falseAlarmRate(),
            s.leadTimeSteps(),
            pushed ? String.format(" %18.3f", s.disturbanceRocAuc()) : "");
      }
      o.println(
          "(* baseline"
              + (pushed
                  ? "; disturbed_roc_auc: the score separating pushed from unpushed episodes among the successful ones"
                  : "")
              + ")");
      MonitorStudy.Headline h = r.headline();
      o.printf(
          "alarm %s (%s): roc_auc %s, detection %s, false_alarm %s, lead_steps %s; baseline %s: roc_auc %s, detection %s, "
              + "false_alarm %s, lead_steps %s%n",
          h.alarmSignal(),
          h.alarmSignalChosenBy().id(),
          f3(h.rocAuc()),
          f3(h.detectionRate()),
          f3(h.falseAlarmRate()),
          f1(h.leadTimeSteps()),
          h.baseline().signal(),
          f3(h.baseline().rocAuc()),
          f3(h.baseline().detectionRate()),
          f3(h.baseline().falseAlarmRate()),
          f1(h.baseline().leadTimeSteps()));
      if (r.handover() != null) {
        o.printf(
            "handover: %d episodes stopped (%d would fail, %d would succeed); stops at predicted steps: %s%n",
            r.handover().handedOver(),
            r.handover().handedOverThatFailed(),
            r.handover().successesLost(),
            r.handover().stopsMatchOffline());
      }
      o.printf("report %s%n", out.resolve("monitor.html"));
    }
    o.flush();
    return 0;
  }

  /**
   * What {@code monitor.json} holds: the headline's fields at the top level, so that a reader finds
   * the answer without walking the tables, then the full result (without the headline again).
   */
  record Output(
      String checkpoint,
      @JsonUnwrapped MonitorStudy.Headline headline,
      @JsonIgnoreProperties("headline") MonitorStudy.Result result) {}

  private static String f3(Double v) {
    return v == null ? "n/a" : String.format("%.3f", v);
  }

  private static String f1(Double v) {
    return v == null ? "n/a" : String.format("%.1f", v);
  }
}
