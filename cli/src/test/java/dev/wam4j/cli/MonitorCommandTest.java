package dev.wam4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wam4j.eval.monitor.MonitorStudy;
import dev.wam4j.eval.monitor.MonitorStudy.SignalResult;
import dev.wam4j.eval.monitor.Signal;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The monitor's JSON without a model: a result built by hand, written as the command writes it. */
class MonitorCommandTest {
  private static JsonNode json(
      List<SignalResult> rows, Signal alarm, int testEpisodes, int testFailures) throws Exception {
    MonitorStudy.Headline h =
        MonitorStudy.Headline.of(rows, alarm, false, testEpisodes, testFailures);
    MonitorStudy.Result r =
        new MonitorStudy.Result(
            h,
            "200000..200001",
            "300000..300001",
            1.0,
            3,
            8,
            null,
            2,
            1,
            testEpisodes,
            testFailures,
            0,
            0,
            0.3,
            rows,
            null,
            null,
            1.0,
            List.of());
    return new ObjectMapper().readTree(Json.write(new MonitorCommand.Output("ckpt", h, r)));
  }

  @Test
  void theJsonTopLevelCarriesTheAlarmSignalsRowAndTheBaselines() throws Exception {
    List<SignalResult> rows =
        List.of(
            new SignalResult(
                "latent_divergence",
                true,
                0.4,
                0.02,
                0.37,
                0,
                0.0,
                0,
                0.0,
                Double.NaN,
                Double.NaN,
                0.5),
            new SignalResult(
                "relative_latent_divergence",
                true,
                0.57,
                1.63,
                0.61,
                70,
                0.47,
                17,
                0.33,
                153.0,
                164.0,
                0.6),
            new SignalResult(
                "pixel_divergence", true, 0.48, 0.007, 0.44, 9, 0.06, 3, 0.06, 169.0, 228.0, 0.83),
            new SignalResult(
                "block_divergence", true, 0.45, 0.4, 0.42, 8, 0.05, 4, 0.07, 160.0, 200.0, 0.82),
            new SignalResult(
                "coverage_shortfall", true, 0.3, 0.15, 0.5, 20, 0.9, 160, 0.9, 230.0, 250.0, 0.8),
            new SignalResult(
                "action_spread", false, 0.35, 37.0, 0.31, 7, 0.047, 2, 0.039, 300.0, 300.0, 0.54));
    JsonNode j = json(rows, Signal.LATENT_RELATIVE, 200, 149);
    assertThat(j.get("checkpoint").asText()).isEqualTo("ckpt");
    assertThat(j.get("alarm_signal").asText()).isEqualTo("relative_latent_divergence");
    assertThat(j.get("alarm_signal_chosen_by").asText()).isEqualTo("calibration");
    assertThat(j.get("roc_auc").asDouble()).isEqualTo(0.61);
    assertThat(j.get("detection_rate").asDouble()).isEqualTo(0.47);
    assertThat(j.get("false_alarm_rate").asDouble()).isEqualTo(0.33);
    assertThat(j.get("lead_time_steps").asDouble()).isEqualTo(153.0);
    assertThat(j.get("test_episodes").asInt()).isEqualTo(200);
    assertThat(j.get("test_failures").asInt()).isEqualTo(149);
    assertThat(j.get("baseline").get("signal").asText()).isEqualTo("action_spread");
    assertThat(j.get("baseline").get("roc_auc").asDouble()).isEqualTo(0.31);
    assertThat(j.get("baseline").get("lead_time_steps").asDouble()).isEqualTo(300.0);
    // the per-signal table stays in the result; the headline is not repeated there
    assertThat(j.get("result").get("signals")).hasSize(6);
    assertThat(j.get("result").get("signals").get(2).get("disturbance_roc_auc").asDouble())
        .isEqualTo(0.83);
    assertThat(j.get("result").has("headline")).isFalse();
  }

  @Test
  void undefinedHeadlineFiguresAreJsonNull() throws Exception {
    // no successful episode anywhere: no ROC-AUC, no threshold, no operating point
    List<SignalResult> rows =
        Arrays.stream(Signal.values())
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
    JsonNode j = json(rows, Signal.LATENT, 2, 2);
    for (String key :
        List.of(
            "roc_auc",
            "detection_rate",
            "false_alarm_rate",
            "lead_time_steps",
            "threshold",
            "calibration_roc_auc")) {
      assertThat(j.has(key)).as(key).isTrue();
      assertThat(j.get(key).isNull()).as(key).isTrue();
      assertThat(j.get("baseline").get(key).isNull()).as("baseline " + key).isTrue();
    }
    assertThat(j.get("alarm_signal_chosen_by").asText()).isEqualTo("fallback");
  }

  @Test
  void aThresholdWithoutItsSignalIsRefused() {
    CliRun cli = new CliRun();
    assertThat(cli.run("monitor", "--checkpoint", "nowhere", "--threshold", "0.5")).isEqualTo(2);
    assertThat(cli.err.toString()).contains("--threshold needs --alarm-signal");
  }
}
