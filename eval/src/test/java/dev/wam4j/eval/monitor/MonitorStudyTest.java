package dev.wam4j.eval.monitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wam4j.eval.SeedRange;
import dev.wam4j.eval.monitor.MonitorStudy.SignalResult;
import java.util.List;
import org.junit.jupiter.api.Test;

class MonitorStudyTest {
  /**
   * One row per signal, in {@link Signal} order, with these calibration ROC-AUCs and otherwise
   * distinct figures.
   */
  static List<SignalResult> rows(double latent, double relative, double pixel, double spread) {
    // the block and coverage-shortfall signals: undefined, so the four named here decide
    double[] cal = {latent, relative, pixel, Double.NaN, Double.NaN, spread};
    return java.util.Arrays.stream(Signal.values())
        .map(
            s ->
                new SignalResult(
                    s.id(),
                    s.isDream(),
                    cal[s.ordinal()],
                    0.1 * (s.ordinal() + 1),
                    0.5 + 0.1 * s.ordinal(),
                    s.ordinal(),
                    0.2 * s.ordinal(),
                    1,
                    0.05 * s.ordinal(),
                    10.0 * (s.ordinal() + 1),
                    11.0,
                    Double.NaN))
        .toList();
  }

  @Test
  void theAlarmSignalIsTheDreamSignalWithTheHighestCalibrationRocAuc() {
    assertThat(MonitorStudy.alarmSignal(rows(0.4, 0.6, 0.5, 0.3), null))
        .isEqualTo(Signal.LATENT_RELATIVE);
    assertThat(MonitorStudy.alarmSignal(rows(0.4, Double.NaN, 0.5, 0.3), null))
        .isEqualTo(Signal.PIXEL); // undefined never wins
    assertThat(MonitorStudy.alarmSignal(rows(0.6, 0.6, 0.5, 0.3), null))
        .isEqualTo(Signal.LATENT); // ties: the earlier
  }

  @Test
  void theBaselineIsNeverChosenEvenWhenItPredictsBest() {
    assertThat(MonitorStudy.alarmSignal(rows(0.4, 0.6, 0.5, 0.99), null))
        .isEqualTo(Signal.LATENT_RELATIVE);
    assertThat(MonitorStudy.alarmSignal(rows(Double.NaN, Double.NaN, Double.NaN, 0.99), null))
        .isEqualTo(Signal.LATENT);
  }

  @Test
  void aSignalTheCallerNamesIsTheAlarmSignalWhateverItsCalibration() {
    assertThat(MonitorStudy.alarmSignal(rows(0.4, 0.6, 0.5, 0.3), Signal.PIXEL))
        .isEqualTo(Signal.PIXEL);
    assertThat(MonitorStudy.alarmSignal(rows(0.4, 0.6, 0.5, 0.3), Signal.ACTION_SPREAD))
        .isEqualTo(Signal.ACTION_SPREAD);
  }

  @Test
  void theHeadlineCarriesTheAlarmRowsFiguresAndTheBaselinesBesideThem() {
    List<SignalResult> rows = rows(0.4, 0.6, 0.5, 0.3);
    MonitorStudy.Headline h = MonitorStudy.Headline.of(rows, Signal.LATENT_RELATIVE, false, 20, 7);
    SignalResult r = rows.get(Signal.LATENT_RELATIVE.ordinal()),
        b = rows.get(Signal.ACTION_SPREAD.ordinal());
    assertThat(h)
        .isEqualTo(
            new MonitorStudy.Headline(
                "relative_latent_divergence",
                MonitorStudy.AlarmChoice.CALIBRATION,
                0.6,
                r.threshold(),
                r.rocAuc(),
                r.detectionRate(),
                r.falseAlarmRate(),
                r.leadTimeSteps(),
                20,
                7,
                new MonitorStudy.Baseline(
                    "action_spread",
                    0.3,
                    b.threshold(),
                    b.rocAuc(),
                    b.detectionRate(),
                    b.falseAlarmRate(),
                    b.leadTimeSteps())));
    assertThat(MonitorStudy.Headline.of(rows, Signal.PIXEL, true, 20, 7).alarmSignalChosenBy())
        .isEqualTo(MonitorStudy.AlarmChoice.OPTION);
  }

  @Test
  void undefinedFiguresAreNullNotNaN() {
    // no successful calibration or test episode: no ROC-AUC, no threshold, hence no operating point
    List<SignalResult> rows =
        java.util.Arrays.stream(Signal.values())
            .map(
                s ->
                    new SignalResult(
                        s.id(),
                        s.isDream(),
                        Double.NaN,
                        Double.NaN,
                        Double.NaN,
                        0,
                        Double.NaN,
                        0,
                        Double.NaN,
                        Double.NaN,
                        Double.NaN,
                        Double.NaN))
            .toList();
    MonitorStudy.Headline h =
        MonitorStudy.Headline.of(rows, MonitorStudy.alarmSignal(rows, null), false, 3, 3);
    assertThat(h.alarmSignal()).isEqualTo("latent_divergence");
    assertThat(h.alarmSignalChosenBy()).isEqualTo(MonitorStudy.AlarmChoice.FALLBACK);
    assertThat(
            java.util.Arrays.asList(
                h.calibrationRocAuc(),
                h.threshold(),
                h.rocAuc(),
                h.detectionRate(),
                h.falseAlarmRate(),
                h.leadTimeSteps()))
        .containsOnlyNulls();
    assertThat(h.baseline().rocAuc()).isNull();
    assertThat(h.testFailures()).isEqualTo(3);
  }

  @Test
  void aThresholdNeedsTheSignalItIsFor() {
    assertThatThrownBy(
            () ->
                new MonitorStudy.Config(
                    new SeedRange(0, 1),
                    new SeedRange(2, 3),
                    1,
                    3,
                    8,
                    null,
                    0.5,
                    false,
                    0,
                    null,
                    1,
                    null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("needs an alarm signal");
  }

  @Test
  void aSignalNeverMeasuredIsNotScoredAndNeverChosen() {
    int n = Signal.values().length;
    java.util.function.IntFunction<Trace> trace =
        k -> {
          int[][] steps = new int[n][];
          double[][] values = new double[n][];
          for (Signal s :
              Signal.values()) { // only the pixel signal has samples, as with a model replanning
            // between dream offsets
            boolean sampled = s == Signal.PIXEL;
            steps[s.ordinal()] = sampled ? new int[] {10, 20} : new int[0];
            values[s.ordinal()] = sampled ? new double[] {0.1 * k, 0.2 * k} : new double[0];
          }
          return new Trace(
              new dev.wam4j.eval.ClosedLoopEvaluation.Episode(k, 0.5, k % 2 == 0, 30, 3, false, -1),
              steps,
              values,
              -1);
        };
    List<Trace> traces = java.util.stream.IntStream.range(0, 6).mapToObj(trace).toList();
    assertThat(MonitorStudy.measured(traces, Signal.PIXEL)).isTrue();
    assertThat(MonitorStudy.measured(traces, Signal.LATENT)).isFalse();
    SignalResult unmeasured =
        MonitorStudy.operatingPoint(
            Signal.LATENT,
            traces,
            new boolean[] {true, false, true, false, true, false},
            3,
            Double.NaN,
            Double.NaN,
            Double.NaN,
            Double.NaN);
    assertThat(unmeasured.rocAuc()).isNaN();
    assertThat(unmeasured.detectionRate()).isNaN();
    assertThat(MonitorStudy.alarmSignal(rows(Double.NaN, Double.NaN, 0.55, 0.9), null))
        .isEqualTo(Signal.PIXEL);
  }
}
