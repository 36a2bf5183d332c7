package dev.wam4j.eval.monitor;

import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.wam4j.data.Provenance;
import dev.wam4j.eval.ClosedLoopEvaluation;
import dev.wam4j.eval.ClosedLoopEvaluation.Episode;
import dev.wam4j.eval.SeedRange;
import dev.wam4j.eval.report.HtmlReport;
import dev.wam4j.eval.report.ReportFiles;
import dev.wam4j.model.chart.LineChart;
import dev.wam4j.model.policy.ChunkPolicy;
import dev.wam4j.sim.render.SceneLook;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Does the dream's departure from reality predict failure? Rolls the policy out under a {@link
 * DreamMonitor} on calibration seeds (to choose each signal's alarm threshold) and on separate test
 * seeds (to score it): ROC-AUC of the episode score against failure, and at the calibrated
 * threshold the detection rate, the false-alarm rate on successful episodes and the lead time
 * (steps from the alarm to the end of a failed episode) — for the dream signals and the baseline
 * alike. One signal is the alarm's (see {@link Headline}): its test figures beside the baseline's
 * are the study's answer. Optionally replays the test seeds with the alarm stopping (handing over)
 * episodes.
 */
public final class MonitorStudy {
  private static final ObjectMapper JSON =
      new ObjectMapper()
          .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
          .enable(SerializationFeature.INDENT_OUTPUT);

  /**
   * What to run.
   *
   * @param calibrationSeeds seeds whose episodes choose the thresholds
   * @param testSeeds seeds whose episodes score the monitor (disjoint from calibration)
   * @param successScore an episode succeeds when its max score {@code min(coverage/0.95, 1)}
   *     reaches this; 1 is the protocol's success (coverage > 0.95)
   * @param window samples in a signal's running score
   * @param spreadSamples extra action chunks sampled per plan for the baseline
   * @param alarmSignal the signal the alarm watches, or {@code null}: the dream signal with the
   *     highest calibration ROC-AUC (see {@link MonitorStudy#alarmSignal(List, Signal)})
   * @param threshold the alarm threshold; NaN: calibrated. A number needs a named {@code
   *     alarmSignal}: thresholds are on each signal's own scale, and which signal calibration picks
   *     is not known in advance
   * @param stopOnAlarm replay the test seeds with the alarm handing episodes over
   * @param policySeed the policy's noise seed (mixed with each episode's)
   * @param video side-by-side reality | dream video of the first test episodes, or {@code null}
   * @param videoEpisodes episodes in the video
   * @param disturbance someone else pushing the block in some episodes (calibration and test
   *     alike), or {@code null}
   */
  public record Config(
      SeedRange calibrationSeeds,
      SeedRange testSeeds,
      double successScore,
      int window,
      int spreadSamples,
      Signal alarmSignal,
      double threshold,
      boolean stopOnAlarm,
      long policySeed,
      Path video,
      int videoEpisodes,
      ClosedLoopEvaluation.Disturbance disturbance) {
    public Config {
      if (!(successScore > 0 && successScore <= 1))
        throw new IllegalArgumentException("success score must lie in (0, 1], got " + successScore);
      if (window < 1) throw new IllegalArgumentException("window must be >= 1, got " + window);
      if (spreadSamples < 2)
        throw new IllegalArgumentException(
            "spread samples must be >= 2 (a spread needs two chunks), got " + spreadSamples);
      if (calibrationSeeds.last() >= testSeeds.first()
          && testSeeds.last() >= calibrationSeeds.first()) {
        throw new IllegalArgumentException(
            "calibration seeds " + calibrationSeeds + " overlap test seeds " + testSeeds);
      }
      if (alarmSignal == null && !Double.isNaN(threshold)) {
        throw new IllegalArgumentException(
            "a threshold ("
                + threshold
                + ") needs an alarm signal: thresholds are on each signal's own scale");
      }
    }
  }

  /**
   * One signal's figures. NaN where a class of episodes was empty.
   *
   * @param disturbanceRocAuc whether the signal notices a surprise, apart from foretelling a
   *     failure: among the test episodes that succeeded, the ROC-AUC of their scores separating the
   *     disturbed ones from the undisturbed (NaN without disturbances, or when either group is
   *     empty). Successes only, because disturbed episodes fail more often and a failure predictor
   *     would otherwise score here too.
   */
  public record SignalResult(
      String signal,
      boolean dream,
      double calibrationRocAuc,
      double threshold,
      double rocAuc,
      int detected,
      double detectionRate,
      int falseAlarms,
      double falseAlarmRate,
      double leadTimeSteps,
      double leadTimeMedianSteps,
      double disturbanceRocAuc) {}

  /**
   * The study's answer in one place: the alarm signal and how it does on the test seeds, beside the
   * baseline. Every figure is {@code null} where it is undefined (no failed or no successful
   * episode to score against, no calibrated threshold, no detected failure to time), never NaN.
   *
   * @param alarmSignal the alarm's signal ({@link Signal#id()})
   * @param alarmSignalChosenBy why this signal
   * @param calibrationRocAuc the alarm signal's ROC-AUC on the calibration seeds
   * @param threshold the alarm threshold: the caller's, or calibrated (Youden's J)
   * @param rocAuc the alarm signal's ROC-AUC on the test seeds
   * @param detectionRate share of failed test episodes in which the alarm fires
   * @param falseAlarmRate share of successful test episodes in which the alarm fires
   * @param leadTimeSteps mean control steps from the alarm to the end of a detected failed test
   *     episode
   * @param testEpisodes episodes on the test seeds
   * @param testFailures of those, episodes that failed
   * @param baseline the action-spread baseline at its own calibrated threshold
   */
  public record Headline(
      String alarmSignal,
      AlarmChoice alarmSignalChosenBy,
      Double calibrationRocAuc,
      Double threshold,
      Double rocAuc,
      Double detectionRate,
      Double falseAlarmRate,
      Double leadTimeSteps,
      int testEpisodes,
      int testFailures,
      Baseline baseline) {
    /**
     * The headline of {@code signals} (one row per {@link Signal}, in its order) with {@code alarm}
     * chosen by {@link MonitorStudy#alarmSignal(List, Signal)}.
     *
     * @param forced whether the caller named the alarm signal
     */
    public static Headline of(
        List<SignalResult> signals,
        Signal alarm,
        boolean forced,
        int testEpisodes,
        int testFailures) {
      SignalResult a = signals.get(alarm.ordinal());
      AlarmChoice by =
          forced
              ? AlarmChoice.OPTION
              : Double.isNaN(a.calibrationRocAuc())
                  ? AlarmChoice.FALLBACK
                  : AlarmChoice.CALIBRATION;
      return new Headline(
          a.signal(),
          by,
          defined(a.calibrationRocAuc()),
          defined(a.threshold()),
          defined(a.rocAuc()),
          defined(a.detectionRate()),
          defined(a.falseAlarmRate()),
          defined(a.leadTimeSteps()),
          testEpisodes,
          testFailures,
          Baseline.of(signals.get(Signal.ACTION_SPREAD.ordinal())));
    }
  }

  /** Why the alarm watches its signal; written in JSON as the lower-case name. */
  public enum AlarmChoice {
    /** The caller named it ({@link Config#alarmSignal()}). */
    OPTION,
    /** The dream signal with the highest calibration ROC-AUC. */
    CALIBRATION,
    /**
     * No dream signal had a calibration ROC-AUC (the calibration episodes all failed or all
     * succeeded), so the first dream signal.
     */
    FALLBACK;

    /** The name in reports and JSON. */
    @JsonValue
    public String id() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /**
   * The baseline's figures on the test seeds, {@code null} where undefined (as in {@link
   * Headline}).
   *
   * @param signal {@link Signal#ACTION_SPREAD}'s id
   * @param threshold its calibrated threshold
   */
  public record Baseline(
      String signal,
      Double calibrationRocAuc,
      Double threshold,
      Double rocAuc,
      Double detectionRate,
      Double falseAlarmRate,
      Double leadTimeSteps) {
    static Baseline of(SignalResult b) {
      return new Baseline(
          b.signal(),
          defined(b.calibrationRocAuc()),
          defined(b.threshold()),
          defined(b.rocAuc()),
          defined(b.detectionRate()),
          defined(b.falseAlarmRate()),
          defined(b.leadTimeSteps()));
    }
  }

  /**
   * The runtime alarm replayed on the test seeds with stopping on.
   *
   * @param handedOver episodes the alarm stopped
   * @param handedOverThatFailed of those, episodes that fail when left to run
   * @param successesLost of those, episodes that succeed when left to run
   * @param stopsMatchOffline every stop happened at the step the offline trace predicts (the
   *     rollouts are deterministic)
   */
  public record Handover(
      String signal,
      double threshold,
      int handedOver,
      int handedOverThatFailed,
      int successesLost,
      boolean stopsMatchOffline) {}

  /** One test episode. */
  public record EpisodeRow(
      long seed,
      double maxCoverage,
      boolean failed,
      int steps,
      int disturbedAtStep,
      Map<String, Double> scores) {}

  /**
   * Everything the monitor measured.
   *
   * @param headline the alarm signal's test figures beside the baseline's
   */
  public record Result(
      Headline headline,
      String calibrationSeeds,
      String testSeeds,
      double successScore,
      int window,
      int spreadSamples,
      ClosedLoopEvaluation.Disturbance disturbance,
      int calibrationEpisodes,
      int calibrationFailures,
      int testEpisodes,
      int testFailures,
      int testDisturbed,
      int testDisturbedFailures,
      double testMeanMaxCoverage,
      List<SignalResult> signals,
      Handover handover,
      String video,
      double wallSeconds,
      List<EpisodeRow> testEpisodeScores) {}

  private MonitorStudy() {}

  /**
   * Runs the study; writes {@code monitor.html} (with its plots and the video, if any) in {@code
   * out}.
   *
   * @param provenance echoed into the page
   */
  public static Result run(
      ChunkPolicy policy, Config c, Path out, Provenance provenance, Consumer<String> log)
      throws IOException {
    long t0 = System.nanoTime();
    policy.sampleActionSpread(c.spreadSamples());
    log.accept("calibration episodes " + c.calibrationSeeds());
    List<Trace> calibration = rollouts(policy, c, c.calibrationSeeds(), null, null, log);
    log.accept("test episodes " + c.testSeeds());
    List<Trace> test = rollouts(policy, c, c.testSeeds(), null, c.video(), log);
    boolean[] calFailed = failed(calibration, c), testFailed = failed(test, c);
    List<Integer> succeeded = new ArrayList<>();
    for (int i = 0; i < test.size(); i++) if (!testFailed[i]) succeeded.add(i);
    boolean[] succeededDisturbed = new boolean[succeeded.size()];
    for (int k = 0; k < succeeded.size(); k++)
      succeededDisturbed[k] = test.get(succeeded.get(k)).episode().disturbedAtStep() >= 0;
    List<SignalResult> signals = new ArrayList<>();
    for (Signal s : Signal.values()) {
      if (!measured(calibration, s) || !measured(test, s)) {
        // e.g. the latent signals of a model that replans between its dream offsets: no sample is
        // no evidence, not AUC 0.5
        log.accept(
            "signal "
                + s.id()
                + " was never measured on the "
                + (measured(calibration, s) ? "test" : "calibration")
                + " seeds: not scored");
        signals.add(
            operatingPoint(
                s, test, testFailed, c.window(), Double.NaN, Double.NaN, Double.NaN, Double.NaN));
        continue;
      }
      double[] cal = scores(calibration, s, c.window()), tst = scores(test, s, c.window());
      double threshold =
          s == c.alarmSignal() && !Double.isNaN(c.threshold())
              ? c.threshold()
              : FailurePrediction.youdenThreshold(cal, calFailed);
      signals.add(
          operatingPoint(
              s,
              test,
              testFailed,
              c.window(),
              FailurePrediction.rocAuc(cal, calFailed),
              threshold,
              FailurePrediction.rocAuc(tst, testFailed),
              FailurePrediction.rocAuc(
                  succeeded.stream().mapToDouble(i -> tst[i]).toArray(), succeededDisturbed)));
    }
    Signal alarmSignal = alarmSignal(signals, c.alarmSignal());
    Headline headline =
        Headline.of(
            signals,
            alarmSignal,
            c.alarmSignal() != null,
            test.size(),
            FailurePrediction.count(testFailed, true));
    log.accept(
        "alarm signal " + alarmSignal.id() + " (" + headline.alarmSignalChosenBy().id() + ")");
    Handover handover = null;
    double alarmThreshold = signals.get(alarmSignal.ordinal()).threshold();
    if (c.stopOnAlarm()) {
      if (Double.isNaN(alarmThreshold)) {
        log.accept(
            "no threshold for "
                + alarmSignal.id()
                + " (calibration episodes all failed or all succeeded); no handover replay");
      } else {
        log.accept(
            "replaying the test episodes with the "
                + alarmSignal.id()
                + " alarm handing over at "
                + alarmThreshold);
        DreamMonitor.Alarm alarm =
            new DreamMonitor.Alarm(alarmSignal, c.window(), alarmThreshold, true);
        List<Trace> stopped = rollouts(policy, c, c.testSeeds(), alarm, null, log);
        handover = handover(c, test, testFailed, stopped, alarm);
      }
    }
    double meanCoverage =
        test.stream().mapToDouble(t -> t.episode().maxCoverage()).average().orElse(Double.NaN);
    List<EpisodeRow> rows = new ArrayList<>();
    for (int i = 0; i < test.size(); i++) {
      Map<String, Double> sc = new LinkedHashMap<>();
      for (Signal s : Signal.values()) sc.put(s.id(), test.get(i).score(s, c.window()));
      Episode e = test.get(i).episode();
      rows.add(
          new EpisodeRow(
              e.seed(), e.maxCoverage(), testFailed[i], e.steps(), e.disturbedAtStep(), sc));
    }
    int disturbed = 0, disturbedFailed = 0;
    for (int i = 0; i < test.size(); i++) {
      if (test.get(i).episode().disturbedAtStep() >= 0) {
        disturbed++;
        if (testFailed[i]) disturbedFailed++;
      }
    }
    Result r =
        new Result(
            headline,
            c.calibrationSeeds().toString(),
            c.testSeeds().toString(),
            c.successScore(),
            c.window(),
            c.spreadSamples(),
            c.disturbance(),
            calibration.size(),
            FailurePrediction.count(calFailed, true),
            test.size(),
            FailurePrediction.count(testFailed, true),
            disturbed,
            disturbedFailed,
            meanCoverage,
            signals,
            handover,
            c.video() == null ? null : c.video().toString(),
            (System.nanoTime() - t0) / 1e9,
            rows);
    report(r, c, test, testFailed, out, provenance);
    return r;
  }

  private static List<Trace> rollouts(
      ChunkPolicy policy,
      Config c,
      SeedRange seeds,
      DreamMonitor.Alarm alarm,
      Path video,
      Consumer<String> log)
      throws IOException {
    DreamMonitor monitor = new DreamMonitor(policy.imageSize(), SceneLook.pushtReference(), alarm);
    ClosedLoopEvaluation.Config ec =
        ClosedLoopEvaluation.Config.seeds(seeds.first(), seeds.last())
            .withPolicySeed(c.policySeed())
            .withVideo(video, Math.max(1, c.videoEpisodes()))
            .withDisturbance(c.disturbance());
    int[] done = {0};
    ClosedLoopEvaluation.run(
        policy,
        ec,
        e -> {
          if (++done[0] % 25 == 0 || done[0] == seeds.count())
            log.accept("  " + done[0] + "/" + seeds.count() + " episodes");
        },
        monitor);
    return monitor.traces();
  }

  /**
   * The signal the alarm watches: {@code forced} if not null; else the dream signal with the
   * highest calibration ROC-AUC (the test seeds play no part, so its test figures stay honest;
   * among equals the earlier in {@link Signal} order); else, when no dream signal has one, the
   * first dream signal. Never the baseline unless forced: the question is whether the dream
   * predicts failure.
   *
   * @param signals one row per {@link Signal}, in its order
   */
  static Signal alarmSignal(List<SignalResult> signals, Signal forced) {
    if (forced != null) return forced;
    Signal best = null;
    double bestAuc = Double.NEGATIVE_INFINITY;
    for (Signal s : Signal.values()) {
      double auc = signals.get(s.ordinal()).calibrationRocAuc();
      if (s.isDream() && auc > bestAuc) { // NaN compares false: an undefined ROC-AUC never wins
        best = s;
        bestAuc = auc;
      }
    }
    return best != null
        ? best
        : Arrays.stream(Signal.values()).filter(Signal::isDream).findFirst().orElseThrow();
  }

  /**
   * {@code v}, or {@code null} when NaN: an undefined figure is written as JSON null, not as the
   * string "NaN".
   */
  private static Double defined(double v) {
    return Double.isNaN(v) ? null : v;
  }

  static boolean failed(Episode e, double successScore) {
    return successScore >= 1 ? !e.success() : e.maxCoverage() < successScore;
  }

  private static boolean[] failed(List<Trace> traces, Config c) {
    boolean[] f = new boolean[traces.size()];
    for (int i = 0; i < f.length; i++) f[i] = failed(traces.get(i).episode(), c.successScore());
    return f;
  }

  private static double[] scores(List<Trace> traces, Signal s, int window) {
    return traces.stream().mapToDouble(t -> t.score(s, window)).toArray();
  }

  /** Whether any episode of {@code traces} has a sample of {@code signal}. */
  static boolean measured(List<Trace> traces, Signal signal) {
    return traces.stream().anyMatch(t -> t.values()[signal.ordinal()].length > 0);
  }

  static SignalResult operatingPoint(
      Signal s,
      List<Trace> test,
      boolean[] failed,
      int window,
      double calAuc,
      double threshold,
      double auc,
      double disturbanceAuc) {
    int pos = FailurePrediction.count(failed, true),
        neg = failed.length - pos,
        detected = 0,
        falseAlarms = 0;
    List<Double> leads = new ArrayList<>();
    if (!Double.isNaN(threshold)) {
      for (int i = 0; i < failed.length; i++) {
        int alarm = test.get(i).alarmStep(s, window, threshold);
        if (alarm < 0) continue;
        if (failed[i]) {
          detected++;
          leads.add((double) (test.get(i).episode().steps() - alarm));
        } else {
          falseAlarms++;
        }
      }
    }
    double[] l = leads.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    double mean = l.length == 0 ? Double.NaN : Arrays.stream(l).average().orElseThrow();
    double median =
        l.length == 0
            ? Double.NaN
            : l.length % 2 == 1 ? l[l.length / 2] : (l[l.length / 2 - 1] + l[l.length / 2]) / 2;
    boolean none = Double.isNaN(threshold);
    return new SignalResult(
        s.id(),
        s.isDream(),
        calAuc,
        threshold,
        auc,
        detected,
        none || pos == 0 ? Double.NaN : detected / (double) pos,
        falseAlarms,
        none || neg == 0 ? Double.NaN : falseAlarms / (double) neg,
        mean,
        median,
        disturbanceAuc);
  }

  private static Handover handover(
      Config c, List<Trace> test, boolean[] failed, List<Trace> stopped, DreamMonitor.Alarm alarm) {
    int handed = 0, thatFailed = 0, lost = 0;
    boolean match = true;
    for (int i = 0; i < stopped.size(); i++) {
      Trace s = stopped.get(i);
      int predicted = test.get(i).alarmStep(alarm.signal(), alarm.window(), alarm.threshold());
      // an alarm on the episode's last step cannot stop anything: the episode ends there anyway
      boolean expectStop = predicted >= 0 && predicted < test.get(i).episode().steps();
      if (s.episode().handedOver()) {
        handed++;
        if (failed[i]) thatFailed++;
        else lost++;
        match &= s.alarmStep() == predicted;
      } else {
        match &= !expectStop;
      }
    }
    return new Handover(alarm.signal().id(), alarm.threshold(), handed, thatFailed, lost, match);
  }

  private static void report(
      Result r, Config c, List<Trace> test, boolean[] failed, Path out, Provenance provenance)
      throws IOException {
    Files.createDirectories(out);
    HtmlReport html =
        new HtmlReport("Dream monitor: does the dream's departure from reality predict failure?");
    html.paragraph(
        String.format(
            "Calibration seeds %s (%d episodes, %d failed) choose each signal's threshold (Youden's J); test seeds %s "
                + "(%d episodes, %d failed, mean max coverage %.3f) score it. An episode fails when its best min(coverage/0.95, 1) stays below %.2f%s. "
                + "A signal's running score is the mean of its last %d samples; the episode score is its maximum; an alarm fires when the running "
                + "score reaches the threshold. Baseline: spread of %d extra sampled action chunks per plan. Published anchor (Foresight, "
                + "world-model latents, real robots): ROC-AUC 0.79-0.93.",
            r.calibrationSeeds(),
            r.calibrationEpisodes(),
            r.calibrationFailures(),
            r.testSeeds(),
            r.testEpisodes(),
            r.testFailures(),
            r.testMeanMaxCoverage(),
            r.successScore(),
            r.successScore() >= 1 ? " (the protocol's success: coverage > 0.95)" : "",
            r.window(),
            r.spreadSamples()));
    if (r.disturbance() != null) {
      ClosedLoopEvaluation.Disturbance d = r.disturbance();
      html.paragraph(
          String.format(
              "Disturbances: in %.0f%% of episodes someone else pushes the block once, between steps %d and %d, by "
                  + "%.0f-%.0f pixels and up to %.2f rad. Test: %d episodes disturbed, %d of them failed; %d undisturbed, %d failed.",
              100 * d.probability(),
              d.firstStep(),
              d.lastStep(),
              d.distancePixels() / 2,
              d.distancePixels(),
              d.maxTurnRadians(),
              r.testDisturbed(),
              r.testDisturbedFailures(),
              r.testEpisodes() - r.testDisturbed(),
              r.testFailures() - r.testDisturbedFailures()));
    }
    Headline head = r.headline();
    Baseline b = head.baseline();
    html.paragraph(
        String.format(
            "Alarm signal: %s (%s). On the test seeds: ROC-AUC %s, detection rate %s, false-alarm rate %s, "
                + "lead time %s steps; the baseline (%s): ROC-AUC %s, detection rate %s, false-alarm rate %s, lead time %s steps.",
            head.alarmSignal(),
            switch (head.alarmSignalChosenBy()) {
              case OPTION -> "named by the caller";
              case CALIBRATION ->
                  "the dream signal with the highest calibration ROC-AUC, "
                      + f3(head.calibrationRocAuc());
              case FALLBACK -> "no dream signal has a calibration ROC-AUC, so the first";
            },
            f3(head.rocAuc()),
            f3(head.detectionRate()),
            f3(head.falseAlarmRate()),
            f1(head.leadTimeSteps()),
            b.signal(),
            f3(b.rocAuc()),
            f3(b.detectionRate()),
            f3(b.falseAlarmRate()),
            f1(b.leadTimeSteps())));
    List<List<String>> rows = new ArrayList<>();
    for (SignalResult s : r.signals()) {
      String name =
          s.signal()
              + (s.dream() ? "" : " (baseline)")
              + (s.signal().equals(head.alarmSignal()) ? " (alarm)" : "");
      rows.add(
          List.of(
              name,
              f3(s.rocAuc()),
              f3(s.calibrationRocAuc()),
              Double.isNaN(s.threshold()) ? "n/a" : String.format("%.4g", s.threshold()),
              f3(s.detectionRate()),
              f3(s.falseAlarmRate()),
              Double.isNaN(s.leadTimeSteps()) ? "n/a" : String.format("%.1f", s.leadTimeSteps()),
              Double.isNaN(s.leadTimeMedianSteps())
                  ? "n/a"
                  : String.format("%.1f", s.leadTimeMedianSteps()),
              f3(s.disturbanceRocAuc())));
    }
    html.table(
        List.of(
            "signal",
            "ROC-AUC (test)",
            "ROC-AUC (calibration)",
            "threshold",
            "detection rate",
            "false-alarm rate",
            "lead time mean (steps)",
            "lead time median",
            "ROC-AUC disturbed vs not, successful test episodes"),
        rows);
    if (r.handover() != null) {
      Handover h = r.handover();
      html.paragraph(
          String.format(
              "Runtime handover (%s alarm at %.4g, test seeds replayed with stopping on): %d episodes handed over, %d of "
                  + "which fail when left to run and %d succeed; stops at the offline-predicted steps: %s.",
              h.signal(),
              h.threshold(),
              h.handedOver(),
              h.handedOverThatFailed(),
              h.successesLost(),
              h.stopsMatchOffline()));
    }
    LineChart roc = new LineChart("ROC on test episodes", "false-alarm rate", "detection rate");
    for (Signal s : Signal.values()) {
      double[][] curve =
          FailurePrediction.rocCurve(
              test.stream().mapToDouble(t -> t.score(s, c.window())).toArray(), failed);
      roc.series(s.id() + (s.isDream() ? "" : " (baseline)"), curve[0], curve[1]);
    }
    roc.curve("chance", new double[] {0, 1}, new double[] {0, 1});
    byte[] rocPng = roc.png();
    ReportFiles.write(out.resolve("roc.png"), rocPng);
    html.png(rocPng, "ROC curves");
    Signal alarm = Signal.ofId(r.headline().alarmSignal());
    html.png(
        timeline(test, failed, alarm, c.window(), r.signals().get(alarm.ordinal()).threshold()),
        "running score over an episode");
    if (c.video() != null && Files.isRegularFile(c.video())) {
      html.video(
          Files.readAllBytes(c.video()),
          "The first "
              + c.videoEpisodes()
              + " test episodes: reality (left) and the dream (right)");
    }
    html.heading("Provenance");
    html.code(JSON.writeValueAsString(provenance));
    html.write(out.resolve("monitor.html"));
  }

  /**
   * The alarm signal's running score over the first few failed and successful test episodes, with
   * the threshold.
   */
  private static byte[] timeline(
      List<Trace> test, boolean[] failed, Signal s, int window, double threshold) {
    LineChart chart =
        new LineChart(
            s.id() + " running score (window " + window + ") over test episodes",
            "control step",
            s.id());
    int shownFailed = 0, shownOk = 0, maxStep = 1;
    for (int i = 0; i < test.size(); i++) {
      boolean f = failed[i];
      if ((f && shownFailed >= 3) || (!f && shownOk >= 3)) continue;
      Trace t = test.get(i);
      double[] x = Arrays.stream(t.steps()[s.ordinal()]).asDoubleStream().toArray();
      if (x.length == 0) continue;
      maxStep = Math.max(maxStep, t.episode().steps());
      chart.series(
          "seed " + t.episode().seed() + (f ? " failed" : " succeeded"),
          x,
          t.runningScore(s, window));
      if (f) shownFailed++;
      else shownOk++;
    }
    if (!Double.isNaN(threshold))
      chart.curve("threshold", new double[] {0, maxStep}, new double[] {threshold, threshold});
    return chart.png();
  }

  private static String f3(double v) {
    return Double.isNaN(v) ? "n/a" : String.format("%.3f", v);
  }

  private static String f3(Double v) {
    return v == null ? "n/a" : f3(v.doubleValue());
  }

  private static String f1(Double v) {
    return v == null ? "n/a" : String.format("%.1f", v);
  }
}
