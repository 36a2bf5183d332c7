package dev.wam4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code wam4j research} end to end on tiny real training runs: a search that trains and scores
 * trials, writes its notebook and evaluates its winner once; a second run of the same command finds
 * it finished; bad input and a budget too small for one trial are one clear line each.
 */
class ResearchCommandTest {
  @TempDir Path tmp;

  private static final String TINY =
      "\"batchSize\": 4, \"latentChannels\": 4, \"encoderChannels\": 8, \"dynamicsChannels\": 16, "
          + "\"dynamicsBlocks\": 1, \"featureSize\": 32, \"headWidth\": 64, \"headLayers\": 2, \"warmupSteps\": 1, "
          + "\"logEverySteps\": 2, \"checkpointEverySteps\": 2, \"validationBatches\": 1";

  private Path space(String budget) throws Exception {
    Path robot = tmp.resolve("robot");
    if (!Files.exists(robot)) {
      CliRun c = new CliRun();
      assertThat(
              c.run(
                  "sim",
                  "collect",
                  "--embodiment",
                  "robot",
                  "--episodes",
                  "1",
                  "--seed",
                  "7",
                  "--out",
                  robot.toString()))
          .as(c.err.toString())
          .isZero();
    }
    Path f = tmp.resolve("space.json");
    Files.writeString(
        f,
        """
        {"stage": "finetune", "hypothesis": "tiny", "base": {"dataset": "%s", %s},
         "search": {"learningRate": {"logUniform": [1e-4, 1e-2]}},
         "budget": %s,
         "validationSeeds": "300100..300100", "protocolSeeds": "300200..300200", "seed": 1}
        """
            .formatted(robot, TINY, budget));
    return f;
  }

  @Test
  void aTinySearchTrainsScoresAndReportsItsWinnerOnce() throws Exception {
    Path space = space("{\"field\": \"steps\", \"min\": 2, \"max\": 4, \"eta\": 2}");
    Path out = tmp.resolve("search");
    CliRun r = new CliRun();
    assertThat(
            r.run(
                "research",
                "--space",
                space.toString(),
                "--budget",
                "0.6",
                "--out",
                out.toString(),
                "--json"))
        .as(r.err.toString())
        .isZero();
    JsonNode b = new ObjectMapper().readTree(r.out.toString());
    assertThat(b.get("entries").size()).isGreaterThanOrEqualTo(1);
    assertThat(b.get("winner").get("outcome").get("seeds").asText()).isEqualTo("300100..300100");
    assertThat(b.get("protocol").get("seeds").asText()).isEqualTo("300200..300200");
    assertThat(b.get("protocol").get("episodes").asInt()).isEqualTo(1);
    assertThat(Files.readString(out.resolve("notebook.md"))).contains("## Winner");
    assertThat(r.err.toString()).contains("trial-0-rung-0: new trial on rung 0");

    CliRun again = new CliRun();
    assertThat(
            again.run(
                "research",
                "--space",
                space.toString(),
                "--budget",
                "0.6",
                "--out",
                out.toString()))
        .isZero();
    assertThat(again.err.toString()).contains("is finished").doesNotContain("evaluating");
  }

  @Test
  void badInputIsOneClearLine() throws Exception {
    Path space = space("{\"field\": \"steps\", \"min\": 2, \"max\": 4, \"eta\": 2, \"rungs\": 3}");
    CliRun r = new CliRun();
    assertThat(r.run("research", "--space", space.toString(), "--budget", "1")).isEqualTo(2);
    assertThat(r.err.toString())
        .contains("wam4j: ")
        .contains("field 'budget': unknown field 'rungs'");

    Path ok = space("{\"field\": \"steps\", \"min\": 2000, \"max\": 4000, \"eta\": 2}");
    CliRun small = new CliRun();
    assertThat(
            small.run(
                "research",
                "--space",
                ok.toString(),
                "--budget",
                "0.001",
                "--out",
                tmp.resolve("small").toString()))
        .isEqualTo(2);
    assertThat(small.err.toString()).contains("budget too small for one trial");
  }
}
