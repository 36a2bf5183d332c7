package dev.wam4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The scaling fit reads real (tiny) stage-1 runs of two data sizes and writes its fits and plot. */
class StudyCommandTest {
  @TempDir Path tmp;

  Path run(int episodes, Path validation) throws Exception {
    CliRun cli = new CliRun();
    Path data = tmp.resolve("hand-" + episodes);
    assertThat(cli.run("sim", "collect", "--embodiment", "hand", "--episodes", Integer.toString(episodes), "--seed", "11",
        "--out", data.toString())).isZero();
    Path config = tmp.resolve("pre-" + episodes + ".json");
    Files.writeString(config, """
        {"dataset": "%s", "validationDataset": "%s", "steps": 4, "batchSize": 4, "latentChannels": 4,
         "encoderChannels": 8, "dynamicsChannels": 16, "dynamicsBlocks": 1, "featureSize": 32, "headWidth": 64,
         "headLayers": 2, "warmupSteps": 1, "logEverySteps": 2, "checkpointEverySteps": 2, "validationBatches": 1}
        """.formatted(data, validation));
    Path run = tmp.resolve("run-" + episodes);
    assertThat(cli.run("train", "pretrain", "--config", config.toString(), "--out", run.toString())).isZero();
    return run;
  }

  @Test
  void scalingFitReportsBothLawsOverRunsOfDifferentSizes() throws Exception {
    CliRun collect = new CliRun();
    Path validation = tmp.resolve("val");
    assertThat(collect.run("sim", "collect", "--embodiment", "hand", "--episodes", "1", "--seed", "99", "--out",
        validation.toString())).isZero();
    Path small = run(1, validation), large = run(2, validation);
    CliRun cli = new CliRun();
    Path out = tmp.resolve("study");
    assertThat(cli.run("study", "scaling-fit", "--runs", small + "," + large, "--out", out.toString(), "--json")).isZero();
    JsonNode r = new ObjectMapper().readTree(cli.out.toString());
    assertThat(r.get("points")).hasSize(2);
    assertThat(r.get("points").get(0).get("hours").asDouble()).isLessThan(r.get("points").get(1).get("hours").asDouble());
    assertThat(r.get("log_linear").get("r2").asDouble()).isEqualTo(1.0); // two points fit any line exactly
    assertThat(out.resolve("scaling.png")).isRegularFile();
    assertThat(out.resolve("scaling.json")).isRegularFile();

    CliRun bad = new CliRun();
    assertThat(bad.run("study", "scaling-fit", "--runs", small.toString(), "--metric", "nope", "--out", out.toString())).isEqualTo(2);
    assertThat(bad.err.toString()).contains("no column 'nope'");
  }
}
