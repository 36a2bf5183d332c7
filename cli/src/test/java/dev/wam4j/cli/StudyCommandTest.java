package dev.wam4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The scaling fit reads real (tiny) stage-1 runs of two data sizes and writes its fits and plot.
 */
class StudyCommandTest {
  @TempDir Path tmp;

  Path run(int episodes, Path validation) throws Exception {
    CliRun cli = new CliRun();
    Path data = tmp.resolve("hand-" + episodes);
    assertThat(
            cli.run(
                "sim",
                "collect",
                "--embodiment",
                "hand",
                "--episodes",
                Integer.toString(episodes),
                "--seed",
                "11",
                "--out",
                data.toString()))
        .isZero();
    Path config = tmp.resolve("pre-" + episodes + ".json");
    Files.writeString(
        config,
        """
        {"dataset": "%s", "validationDataset": "%s", "steps": 4, "batchSize": 4, "latentChannels": 4,
         "encoderChannels": 8, "dynamicsChannels": 16, "dynamicsBlocks": 1, "featureSize": 32, "headWidth": 64,
         "headLayers": 2, "warmupSteps": 1, "logEverySteps": 2, "checkpointEverySteps": 2, "validationBatches": 1}
        """
            .formatted(data, validation));
    Path run = tmp.resolve("run-" + episodes);
    assertThat(cli.run("train", "pretrain", "--config", config.toString(), "--out", run.toString()))
        .isZero();
    return run;
  }

  @Test
  void scalingFitReportsBothLawsOverRunsOfDifferentSizes() throws Exception {
    CliRun collect = new CliRun();
    Path validation = tmp.resolve("val");
    assertThat(
            collect.run(
                "sim",
                "collect",
                "--embodiment",
                "hand",
                "--episodes",
                "1",
                "--seed",
                "99",
                "--out",
                validation.toString()))
        .isZero();
    Path small = run(1, validation), large = run(2, validation);
    CliRun cli = new CliRun();
    Path out = tmp.resolve("study");
    assertThat(
            cli.run(
                "study",
                "scaling-fit",
                "--runs",
                small + "," + large,
                "--out",
                out.toString(),
                "--json"))
        .isZero();
    JsonNode r = new ObjectMapper().readTree(cli.out.toString());
    assertThat(r.get("points")).hasSize(2);
    assertThat(r.get("points").get(0).get("hours").asDouble())
        .isLessThan(r.get("points").get(1).get("hours").asDouble());
    assertThat(r.get("log_linear").get("r2").asDouble())
        .isEqualTo(1.0); // two points fit any line exactly
    assertThat(out.resolve("scaling.png")).isRegularFile();
    assertThat(out.resolve("scaling.json")).isRegularFile();

    CliRun bad = new CliRun();
    assertThat(
            bad.run(
                "study",
                "scaling-fit",
                "--runs",
                small.toString(),
                "--metric",
                "nope",
                "--out",
                out.toString()))
        .isEqualTo(2);
    assertThat(bad.err.toString()).contains("no column 'nope'");
  }

  private static final String TINY =
      "\"batchSize\": 4, \"latentChannels\": 4, \"encoderChannels\": 8, \"dynamicsChannels\": 16, "
          + "\"dynamicsBlocks\": 1, \"featureSize\": 32, \"headWidth\": 64, \"headLayers\": 2, \"warmupSteps\": 1, \"logEverySteps\": 2, "
          + "\"checkpointEverySteps\": 2, \"validationBatches\": 1, \"steps\": 4";

  private Path collect(String embodiment, int episodes, int seed) {
    Path data = tmp.resolve(embodiment + "-" + episodes + "-" + seed);
    assertThat(
            new CliRun()
                .run(
                    "sim",
                    "collect",
                    "--embodiment",
                    embodiment,
                    "--episodes",
                    Integer.toString(episodes),
                    "--seed",
                    Integer.toString(seed),
                    "--out",
                    data.toString()))
        .isZero();
    return data;
  }

  /**
   * The same trained runs evaluated plainly and, their cached evaluations deleted, again with
   * --spark local[2]: every cell's outcome is equal.
   */
  @Test
  void ablationEvaluatedOnSparkEqualsThePlainStudy() throws Exception {
    Path robot = collect("robot", 1, 7), hand = collect("hand", 1, 11);
    Path study = tmp.resolve("ablation.json");
    Files.writeString(
        study,
        """
        {"pretrain": {"dataset": "%s", %s}, "finetune": {"dataset": "%s", %s}, "episodes": [1],
         "evalSeeds": "300100..300103"}
        """
            .formatted(hand, TINY, robot, TINY));
    Path plainDir = tmp.resolve("study");
    CliRun plain = new CliRun();
    assertThat(
            plain.run(
                "study",
                "ablation",
                "--config",
                study.toString(),
                "--out",
                plainDir.toString(),
                "--json"))
        .as(plain.err.toString())
        .isZero();
    try (var files = Files.walk(plainDir)) {
      for (Path p : files.toList())
        if (p.getFileName().toString().equals("study-eval.json")) Files.delete(p);
    }
    CliRun spark = new CliRun();
    assertThat(
            spark.run(
                "study",
                "ablation",
                "--config",
                study.toString(),
                "--out",
                plainDir.toString(),
                "--spark",
                "local[2]",
                "--json"))
        .as(spark.err.toString())
        .isZero();
    // trained once: the Spark study reused the runs and evaluated them again
    assertThat(spark.err.toString())
        .contains("reused")
        .contains("evaluating")
        .doesNotContain("steps on");
    JsonNode p = new ObjectMapper().readTree(plain.out.toString());
    JsonNode s = new ObjectMapper().readTree(spark.out.toString());
    assertThat(s.get("cells")).hasSize(2);
    for (int i = 0; i < 2; i++) {
      JsonNode a = p.get("cells").get(i).get("outcome"), b = s.get("cells").get(i).get("outcome");
      for (String f : List.of("episodes", "success_rate", "mean_max_coverage", "seeds", "step"))
        assertThat(b.get(f)).as("cell %d %s", i, f).isEqualTo(a.get(f));
    }
  }

  @Test
  void ablationFineTunesEachKWithAndWithoutPretrainingOncePerTrainingSeedAndAMonitorRunsOnItsRuns()
      throws Exception {
    Path robot = collect("robot", 2, 7), hand = collect("hand", 2, 11);
    Path study = tmp.resolve("ablation.json");
    Files.writeString(
        study,
        """
        {"pretrain": {"dataset": "%s", %s}, "finetune": {"dataset": "%s", %s}, "episodes": [1, 2], "trainingSeeds": [0, 5],
         "evalSeeds": "100000..100000"}
        """
            .formatted(hand, TINY, robot, TINY));
    Path out = tmp.resolve("ablation");
    CliRun cli = new CliRun();
    assertThat(
            cli.run(
                "study",
                "ablation",
                "--config",
                study.toString(),
                "--out",
                out.toString(),
                "--json"))
        .isZero();
    JsonNode r = new ObjectMapper().readTree(cli.out.toString());
    assertThat(r.get("cells")).hasSize(8);
    assertThat(r.get("cells").get(0).get("robot_episodes").asInt()).isEqualTo(1);
    assertThat(r.get("cells").get(0).get("pretrained").asBoolean()).isFalse();
    assertThat(r.get("cells").get(1).get("training_seed").asLong()).isEqualTo(5);
    assertThat(r.get("cells").get(2).get("init").asText())
        .isEqualTo(out.resolve("pretrain").toAbsolutePath().normalize().toString());
    assertThat(r.get("cells").get(7).get("outcome").get("episodes").asInt()).isEqualTo(1);
    // an arm per K and init, its mean and standard error over the two seeds' runs
    JsonNode arm = r.get("arms").get(0),
        a = r.get("cells").get(0).get("outcome"),
        b = r.get("cells").get(1).get("outcome");
    assertThat(r.get("arms")).hasSize(4);
    assertThat(arm.get("runs").asInt()).isEqualTo(2);
    double ca = a.get("mean_max_coverage").asDouble(), cb = b.get("mean_max_coverage").asDouble();
    assertThat(arm.get("mean_max_coverage").asDouble())
        .isCloseTo((ca + cb) / 2, org.assertj.core.data.Offset.offset(1e-12));
    assertThat(arm.get("mean_max_coverage_standard_error").asDouble())
        .isCloseTo(Math.abs(ca - cb) / 2, org.assertj.core.data.Offset.offset(1e-12));
    // the fine-tuning runs trained on the first K robot episodes only, with the cell's seed
    JsonNode meta =
        new ObjectMapper()
            .readTree(
                Files.readString(out.resolve("k1-scratch-seed5/step-0000004/checkpoint.json")));
    assertThat(meta.get("data").get("dataset_episodes").asInt()).isEqualTo(1);
    assertThat(meta.get("config").get("seed").asLong()).isEqualTo(5);
    assertThat(Files.readString(out.resolve("ablation.html")))
        .contains("<table>")
        .contains("data:image/png;base64,")
        .contains("data:video/mp4;base64,");
    assertThat(out.resolve("ablation.png")).isRegularFile();

    CliRun again = new CliRun();
    assertThat(
            again.run("study", "ablation", "--config", study.toString(), "--out", out.toString()))
        .isZero();
    assertThat(again.err.toString())
        .contains("k2-pretrained-seed5: finished earlier (step 4), reused")
        .doesNotContain("evaluating");

    CliRun monitor = new CliRun();
    Path mon = tmp.resolve("monitor");
    assertThat(
            monitor.run(
                "monitor",
                "--checkpoint",
                out.resolve("k2-pretrained-seed0").toString(),
                "--seeds",
                "300000..300001",
                "--calibration-seeds",
                "200000..200001",
                "--success-score",
                "0.05",
                "--stop-on-alarm",
                "--video-episodes",
                "1",
                "--out",
                mon.toString(),
                "--json"))
        .isZero();
    JsonNode top = new ObjectMapper().readTree(monitor.out.toString()), m = top.get("result");
    assertThat(top.get("alarm_signal").asText())
        .isIn(
            "latent_divergence",
            "relative_latent_divergence",
            "pixel_divergence",
            "block_divergence",
            "coverage_shortfall");
    assertThat(top.get("test_episodes").asInt()).isEqualTo(2);
    assertThat(top.get("baseline").get("signal").asText()).isEqualTo("action_spread");
    assertThat(m.get("signals")).hasSize(6);
    assertThat(m.get("signals").get(0).get("signal").asText()).isEqualTo("latent_divergence");
    assertThat(m.get("test_episodes").asInt()).isEqualTo(2);
    assertThat(
            m.get("test_episode_scores").get(0).get("scores").get("latent_divergence").asDouble())
        .isPositive();
    assertThat(mon.resolve("monitor.json")).isRegularFile();
    assertThat(Files.readString(mon.resolve("monitor.html")))
        .contains("data:video/mp4;base64,")
        .contains("ROC-AUC")
        .contains("Alarm signal: ");
  }

  @Test
  void scalingSweepPretrainsOnNestedSubsetsFitsTheLawAndFineTunesFromEachSize() throws Exception {
    Path hand = collect("hand", 3, 11),
        val = collect("hand", 1, 99),
        robot = collect("robot", 1, 7);
    Path study = tmp.resolve("scaling.json");
    Files.writeString(
        study,
        """
        {"pretrain": {"dataset": "%s", "validationDataset": "%s", %s}, "finetune": {"dataset": "%s", %s},
         "episodes": [1, 3], "evalSeeds": "100000..100000"}
        """
            .formatted(hand, val, TINY, robot, TINY));
    Path out = tmp.resolve("scaling");
    CliRun cli = new CliRun();
    assertThat(
            cli.run(
                "study",
                "scaling",
                "--config",
                study.toString(),
                "--out",
                out.toString(),
                "--json"))
        .isZero();
    JsonNode r = new ObjectMapper().readTree(cli.out.toString());
    JsonNode points = r.get("fit").get("points");
    assertThat(points).hasSize(2);
    assertThat(points.get(0).get("frames").asLong())
        .isLessThan(points.get(1).get("frames").asLong());
    assertThat(r.get("downstream")).hasSize(2);
    assertThat(r.get("downstream").get(1).get("video_episodes").asInt()).isEqualTo(3);
    assertThat(Files.readString(out.resolve("scaling.html")))
        .contains("Downstream")
        .contains("data:image/png;base64,")
        .contains("data:video/mp4;base64,");
    assertThat(
            new ObjectMapper()
                .readTree(Files.readString(out.resolve("scaling.json")))
                .get("span")
                .asDouble())
        .isGreaterThan(1);

    CliRun bad = new CliRun();
    Path broken = tmp.resolve("broken.json");
    Files.writeString(broken, "{\"episodes\": [1, 3], \"finetune\": {\"dataset\": \"x\"}}");
    assertThat(bad.run("study", "scaling", "--config", broken.toString(), "--out", out.toString()))
        .isEqualTo(2);
    assertThat(bad.err.toString()).contains("the scaling sweep needs the field 'pretrain'");
  }
}
