package dev.wam4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code wam4j fleet autopilot-sim} end to end on the shipped model, shrunk to a minute: two
 * simulated robots work, the first candidate is the deliberately bad one (labelled, fine-tuned in a
 * child process, evaluated, injected past the simulation gate, sent to a canary), and the result
 * carries the fields the issue names, every decision with its evidence; bad options are named.
 */
class AutopilotSimCommandTest {
  @TempDir Path tmp;

  @Test
  void aShortDayRunsTheLoopAndReportsEveryDecision() throws Exception {
    Path config =
        Files.writeString(
            tmp.resolve("autopilot.json"),
            """
            {"task": "t", "group": "g", "hoursPerCandidate": 0.005,
             "validationSeeds": "200000..200001",
             "canary": {"alpha": 0.05, "tunedForEpisodes": 10, "minEpisodes": 2},
             "maxCanaryEpisodes": 3, "stepSeconds": 1,
             "finetune": {"steps": 4, "batchSize": 8, "warmupSteps": 1, "checkpointEverySteps": 4}}
            """);
    Path out = tmp.resolve("day");
    CliRun r = new CliRun();
    int code =
        r.run(
            "fleet",
            "autopilot-sim",
            "--robots",
            "2",
            "--hours",
            "0.06",
            "--model",
            Path.of("../models/pusht-wam").toString(),
            "--autopilot",
            config.toString(),
            "--bad-candidate",
            "1",
            "--max-minutes",
            "4",
            "--out",
            out.toString(),
            "--json");
    assertThat(code).as(r.err.toString()).isZero();
    JsonNode j = new ObjectMapper().readTree(r.out.toString());
    for (String f :
        new String[] {
          "success_rate_start",
          "success_rate_end",
          "candidates",
          "promoted",
          "rolled_back",
          "interventions",
          "decisions"
        }) assertThat(j.has(f)).as(f).isTrue();
    assertThat(j.get("interventions").asInt()).isZero();
    assertThat(j.get("stopped_by").asText()).isIn("hours", "wall-clock limit");
    assertThat(j.get("episodes").asLong()).isPositive();
    assertThat(j.get("candidates").asInt()).isGreaterThanOrEqualTo(1);
    JsonNode first = j.get("decisions").get(0);
    assertThat(first.get("kind").asText()).isEqualTo("injected_past_simulation");
    assertThat(first.get("evidence").get("injected").asText()).startsWith("deliberately bad");
    assertThat(first.get("evidence").has("sim_success_candidate")).isTrue();
    assertThat(j.get("decisions").get(1).get("kind").asText()).isEqualTo("canary_deployed");
    assertThat(out.resolve("report.md")).exists();
    assertThat(out.resolve("success.png")).exists();
    assertThat(Files.readString(out.resolve("report.md"))).contains("injected_past_simulation");
  }

  @Test
  void badOptionsAreNamed() {
    CliRun r = new CliRun();
    assertThat(r.run("fleet", "autopilot-sim", "--robots", "1", "--out", tmp.toString()))
        .isNotZero();
    assertThat(r.err.toString()).contains("robots must be >= 2");
    CliRun b = new CliRun();
    assertThat(b.run("fleet", "autopilot-sim", "--bad-finetune", "[1]", "--out", tmp.toString()))
        .isNotZero();
    assertThat(b.err.toString()).contains("--bad-finetune must be a JSON object");
  }
}
