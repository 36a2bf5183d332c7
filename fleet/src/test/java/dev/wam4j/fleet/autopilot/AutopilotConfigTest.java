package dev.wam4j.fleet.autopilot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wam4j.eval.SeedRange;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The autopilot's config file: defaults, overrides, and bad input named by file and field. */
class AutopilotConfigTest {
  @TempDir Path dir;

  private Path file(String json) throws Exception {
    return Files.writeString(dir.resolve("autopilot.json"), json);
  }

  @Test
  void aFileOverridesTheDefaultsAndResolvesASceneFileBesideIt() throws Exception {
    AutopilotConfig c =
        AutopilotConfig.load(
            file(
                "{\"task\": \"push\", \"group\": \"lab\", \"hoursPerCandidate\": 0.5,"
                    + " \"validationSeeds\": \"200000..200099\", \"canary\": {\"alpha\": 0.01},"
                    + " \"scene\": \"scenes/soft.json\", \"finetune\": {\"steps\": 300}}"));
    assertThat(c.hoursPerCandidate()).isEqualTo(0.5);
    assertThat(c.validationSeeds()).isEqualTo(new SeedRange(200000, 200099));
    assertThat(c.canary().alpha()).isEqualTo(0.01);
    assertThat(c.canary().minEpisodes()).isEqualTo(20); // the rest of the canary test's defaults
    assertThat(c.scene()).isEqualTo(dir.resolve("scenes/soft.json").toString());
    assertThat(c.finetune().get("steps").asInt()).isEqualTo(300);
    assertThat(c.finetune().get("headOnly").asBoolean()).isTrue(); // the default fine-tune stays
    assertThat(c.successfulOnly()).isTrue();
    assertThat(c.maxCanaryEpisodes()).isEqualTo(500);
    assertThat(c.maxCanaryHours()).isEqualTo(24.0);
    assertThat(c.labels()).isEqualTo(AutopilotConfig.LABELS_EXECUTED);
    AutopilotConfig shorter =
        AutopilotConfig.load(file("{\"task\": \"t\", \"group\": \"g\", \"maxCanaryHours\": 2.5}"));
    assertThat(shorter.maxCanaryHours()).isEqualTo(2.5);
    assertThat(shorter.describe()).containsEntry("maxCanaryHours", 2.5);
  }

  @Test
  void expertLabelsAndReplayedDatasetsBesideTheFileAreRead() throws Exception {
    AutopilotConfig c =
        AutopilotConfig.load(
            file(
                "{\"task\": \"push\", \"group\": \"lab\", \"labels\": \"expert\","
                    + " \"finetune\": {\"extraDatasets\": [\"data/demos\", \"/abs/more\"]}}"));
    assertThat(c.labels()).isEqualTo(AutopilotConfig.LABELS_EXPERT);
    assertThat(c.finetune().get("extraDatasets"))
        .extracting(com.fasterxml.jackson.databind.JsonNode::asText)
        .containsExactly(dir.resolve("data/demos").toString(), "/abs/more");
    assertThat(c.describe()).containsEntry("labels", "expert");
    assertThat(c.recentHours()).isZero();
    assertThatThrownBy(
            () ->
                AutopilotConfig.load(
                    file("{\"task\": \"t\", \"group\": \"g\", \"recentHours\": -1}")))
        .hasMessageContaining("recentHours must be >= 0, got -1.0");
    assertThatThrownBy(
            () ->
                AutopilotConfig.load(
                    file("{\"task\": \"t\", \"group\": \"g\", \"labels\": \"teacher\"}")))
        .hasMessageContaining("labels must be one of [executed, expert], got 'teacher'");
    assertThatThrownBy(
            () ->
                AutopilotConfig.load(
                    file(
                        "{\"task\": \"t\", \"group\": \"g\","
                            + " \"finetune\": {\"extraDatasets\": \"d\"}}")))
        .hasMessageContaining("field 'finetune.extraDatasets' must be an array");
  }

  @Test
  void unknownFieldsAndBadValuesAreNamed() throws Exception {
    assertThatThrownBy(
            () -> AutopilotConfig.load(file("{\"task\": \"t\", \"group\": \"g\", \"hours\": 1}")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("autopilot.json: unknown field 'hours' (known: [canary,");
    assertThatThrownBy(
            () ->
                AutopilotConfig.load(
                    file("{\"task\": \"t\", \"group\": \"g\", \"canary\": {\"beta\": 1}}")))
        .hasMessageContaining("unknown field 'canary.beta'");
    assertThatThrownBy(() -> AutopilotConfig.load(file("{\"group\": \"g\"}")))
        .hasMessageContaining("field 'task' is required");
    assertThatThrownBy(
            () ->
                AutopilotConfig.load(
                    file("{\"task\": \"t\", \"group\": \"g\", \"hoursPerCandidate\": \"1\"}")))
        .hasMessageContaining("field 'hoursPerCandidate' must be a number, got \"1\"");
    assertThatThrownBy(
            () ->
                AutopilotConfig.load(
                    file("{\"task\": \"t\", \"group\": \"g\", \"finetune\": {\"init\": \"x\"}}")))
        .hasMessageContaining("field 'finetune.init' is set by the autopilot");
    assertThatThrownBy(() -> AutopilotConfig.load(file("{\"task\": ")))
        .hasMessageContaining("autopilot.json: not valid JSON");
    assertThatThrownBy(() -> AutopilotConfig.load(dir.resolve("missing.json")))
        .hasMessageContaining(
            "autopilot config " + dir.resolve("missing.json") + " does not exist");
  }
}
