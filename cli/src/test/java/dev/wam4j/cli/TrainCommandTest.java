package dev.wam4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * From simulated demonstrations to a trained, evaluated policy through the command line, in
 * seconds.
 */
class TrainCommandTest {
  @TempDir static Path tmp;
  static Path dataset;

  @BeforeAll
  static void collectTwoRobotEpisodes() {
    CliRun cli = new CliRun();
    dataset = tmp.resolve("robot-2");
    assertThat(
            cli.run(
                "sim", "collect", "--episodes", "2", "--seed", "7", "--out", dataset.toString()))
        .isZero();
  }

  static Path tinyConfig(String name, int steps) throws Exception {
    return tinyConfig(name, steps, "");
  }

  /** The tiny config with {@code extra} fields (JSON members, each followed by a comma). */
  static Path tinyConfig(String name, int steps, String extra) throws Exception {
    Path file = tmp.resolve(name + ".json");
    Files.writeString(
        file,
        """
        {"dataset": "robot-2", "steps": %d, "batchSize": 4, "latentChannels": 4, "encoderChannels": 8,
         "dynamicsChannels": 16, "dynamicsBlocks": 1, "featureSize": 32, "headWidth": 64, "headLayers": 2, %s
         "warmupSteps": 1, "logEverySteps": 2, "checkpointEverySteps": 4, "threads": 2}
        """
            .formatted(steps, extra));
    return file;
  }

  @Test
  void finetuneWritesARunDirectoryThatEvalLoadsAndDreamsFrom() throws Exception {
    CliRun cli = new CliRun();
    Path config = tinyConfig("tiny", 8), run = tmp.resolve("run");
    assertThat(
            cli.run(
                "train",
                "finetune",
                "--config",
                config.toString(),
                "--out",
                run.toString(),
                "--json"))
        .isZero();
    JsonNode r = new ObjectMapper().readTree(cli.out.toString());
    assertThat(r.get("steps").asLong()).isEqualTo(8);
    assertThat(r.get("config").get("batchSize").asInt()).isEqualTo(4);
    assertThat(run.resolve("log.csv")).isRegularFile();
    assertThat(run.resolve("loss.png")).isRegularFile();
    assertThat(run.resolve("step-0000008/MODEL_CARD.md")).isRegularFile();

    CliRun eval = new CliRun();
    Path video = tmp.resolve("eval.mp4");
    assertThat(
            eval.run(
                "eval",
                "--checkpoint",
                run.toString(),
                "--seeds",
                "100000..100001",
                "--max-steps",
                "12",
                "--video",
                video.toString(),
                "--json"))
        .isZero();
    JsonNode e = new ObjectMapper().readTree(eval.out.toString());
    assertThat(e.get("episodes").asInt()).isEqualTo(2);
    assertThat(e.get("per_seed")).hasSize(2);
    assertThat(e.get("mean_max_coverage").asDouble()).isBetween(0.0, 1.0);
    assertThat(e.get("dream_plan_latency").get("plans").asInt())
        .isEqualTo(2 * 2); // 12 steps, 8 executed per plan (the default)
    assertThat(video).isRegularFile();
  }

  /** A tiny run with a dream branch, trained once for the tests that imagine with it. */
  static synchronized Path dreamingRun() throws Exception {
    Path run = tmp.resolve("dreaming");
    if (Files.isRegularFile(run.resolve("latest"))) return run;
    Path config =
        tinyConfig(
            "dreaming", 4, "\"dreamFromActions\": true, \"dreamChannels\": 8, \"dreamBlocks\": 1,");
    assertThat(
            new CliRun()
                .run(
                    "train",
                    "finetune",
                    "--config",
                    config.toString(),
                    "--out",
                    run.toString(),
                    "--json"))
        .isZero();
    return run;
  }

  /** {@code eval --json} of one seed, 12 steps, with {@code flags}. */
  static JsonNode evalOneSeed(Path checkpoint, String... flags) throws Exception {
    java.util.List<String> args =
        new java.util.ArrayList<>(
            java.util.List.of(
                "eval",
                "--checkpoint",
                checkpoint.toString(),
                "--seeds",
                "100000..100000",
                "--max-steps",
                "12",
                "--json"));
    args.addAll(java.util.List.of(flags));
    CliRun eval = new CliRun();
    assertThat(eval.run(args.toArray(String[]::new))).as(eval.err.toString()).isZero();
    return new ObjectMapper().readTree(eval.out.toString());
  }

  @Test
  void aRunWithADreamBranchEvaluatesByImaginationAndTheJsonEchoesTheCandidates() throws Exception {
    Path run = dreamingRun();
    JsonNode e = evalOneSeed(run, "--imagine", "4");
    assertThat(e.get("imagine").asInt()).isEqualTo(4);
    assertThat(e.get("dream_plan_latency").get("plans").asInt())
        .as("12 steps, 8 executed per plan")
        .isEqualTo(2);
    assertThat(e.get("dream_quality").get("horizons")).isNotEmpty();
    assertThat(evalOneSeed(run).get("imagine").asInt())
        .as("a run plans without imagination")
        .isEqualTo(1);
  }

  @Test
  void aModelExportedWithImaginationShipsItAndEvalPlansByItUnlessImagineOneTurnsItOff()
      throws Exception {
    Path run = dreamingRun(), shipped = tmp.resolve("dreaming-model");
    CliRun export = new CliRun();
    assertThat(
            export.run(
                "train",
                "export",
                "--checkpoint",
                run.toString(),
                "--out",
                shipped.toString(),
                "--imagine",
                "4"))
        .as(export.err.toString())
        .isZero();
    JsonNode meta = new ObjectMapper().readTree(shipped.resolve("checkpoint.json").toFile());
    assertThat(meta.get("config").get("imagineCandidates").asInt()).isEqualTo(4);
    assertThat(Files.readString(shipped.resolve("MODEL_CARD.md")))
        .contains(
            "- Plans by imagination: 4 candidate chunks, the one whose dream covers the goal best");

    assertThat(evalOneSeed(shipped).get("imagine").asInt())
        .as("the checkpoint's own setting")
        .isEqualTo(4);
    JsonNode off = evalOneSeed(shipped, "--imagine", "1"), plain = evalOneSeed(run);
    assertThat(off.get("imagine").asInt()).isEqualTo(1);
    assertThat(off.get("per_seed"))
        .as("the plain policy: the run's own episode")
        .isEqualTo(plain.get("per_seed"));
  }

  @Test
  void imaginationOfACheckpointWithoutADreamBranchIsRefusedNamingTheFlag() throws Exception {
    Path run = tmp.resolve("no-dream-branch");
    assertThat(
            new CliRun()
                .run(
                    "train",
                    "finetune",
                    "--config",
                    tinyConfig("no-dream-branch", 2).toString(),
                    "--out",
                    run.toString()))
        .isZero();
    String model = run.toString();
    Path out = tmp.resolve("never-shipped");
    CliRun cli = new CliRun();
    assertThat(
            cli.run(
                "train",
                "export",
                "--checkpoint",
                model,
                "--out",
                out.toString(),
                "--imagine",
                "4"))
        .isEqualTo(2);
    assertThat(cli.err.toString())
        .contains("--imagine 4: " + model)
        .contains("dream branch (dreamFromActions true)")
        .doesNotContain("\tat ");
    assertThat(out).doesNotExist();

    CliRun eval = new CliRun();
    assertThat(
            eval.run(
                "eval",
                "--checkpoint",
                model,
                "--seeds",
                "200000..200000",
                "--imagine",
                "4",
                "--threads",
                "1"))
        .isEqualTo(2);
    assertThat(eval.err.toString())
        .contains("--imagine 4: " + model)
        .contains("dream branch (dreamFromActions true)")
        .doesNotContain("Exception")
        .doesNotContain("\tat ");
    assertThat(eval.out.toString()).isEmpty();
  }

  @Test
  void daggerRoundsRunFromTheCommandLineAndTheExportedModelCountsTheirCompute() throws Exception {
    Path config = tinyConfig("dagger-train", 4),
        file = tmp.resolve("dagger.json"),
        run = tmp.resolve("dagger");
    Files.writeString(
        file,
        "{\"train\": \"dagger-train.json\", \"rounds\": 2, \"episodesPerRound\": 1, \"stepsPerRound\": 4, "
            + "\"validationEpisodes\": 1, \"threads\": 2}");
    CliRun cli = new CliRun();
    assertThat(
            cli.run("rl", "dagger", "--config", file.toString(), "--out", run.toString(), "--json"))
        .isZero();
    JsonNode r = new ObjectMapper().readTree(cli.out.toString());
    assertThat(r.get("rounds")).hasSize(2);
    assertThat(r.get("rounds").get(0).get("beta").asDouble()).isEqualTo(1.0);
    assertThat(run.resolve("round-01/data/meta/info.json")).isRegularFile();
    CliRun export = new CliRun();
    Path shipped = tmp.resolve("dagger-model");
    assertThat(
            export.run(
                "train",
                "export",
                "--checkpoint",
                run.resolve("round-01/train").toString(),
                "--out",
                shipped.toString(),
                "--compute",
                "sim collect 2 episodes=0.8"))
        .isZero();
    assertThat(export.out.toString()).contains("compute behind it");
    JsonNode meta = new ObjectMapper().readTree(shipped.resolve("checkpoint.json").toFile());
    assertThat(meta.get("lineage")).hasSize(1 + 2 * 4);
    assertThat(meta.get("lineage").get(0).get("name").asText()).isEqualTo("sim collect 2 episodes");
    assertThat(meta.get("lineage_train_seconds").asDouble())
        .isCloseTo(r.get("seconds").asDouble() + 0.8, org.assertj.core.data.Offset.offset(1e-6));
    CliRun bad = new CliRun();
    assertThat(
            bad.run(
                "train",
                "export",
                "--checkpoint",
                run.resolve("round-01/train").toString(),
                "--out",
                tmp.resolve("x").toString(),
                "--compute",
                "no seconds"))
        .isEqualTo(2);
    assertThat(bad.err.toString()).contains("NAME=SECONDS");
  }

  @Test
  void aPretrainConfigWithAnInitCheckpointIsRefused() throws Exception {
    Path file = tmp.resolve("pre-init.json");
    Files.writeString(file, "{\"dataset\": \"robot-2\", \"init\": \"somewhere\"}");
    CliRun cli = new CliRun();
    assertThat(cli.run("train", "pretrain", "--config", file.toString())).isEqualTo(2);
    assertThat(cli.err.toString())
        .contains("a pretrain run starts from fresh weights")
        .doesNotContain("\tat ");
  }

  @Test
  void anUnknownConfigFieldIsNamedWithTheFile() throws Exception {
    Path file = tmp.resolve("typo.json");
    Files.writeString(file, "{\"dataset\": \"robot-2\", \"learningrate\": 0.1}");
    CliRun cli = new CliRun();
    assertThat(cli.run("train", "finetune", "--config", file.toString())).isEqualTo(2);
    assertThat(cli.err.toString())
        .contains(file.toString())
        .contains("unknown field 'learningrate'");
  }

  @Test
  void theEvaluationQuotedInAShippedCardNamesNoPathOfTheMachine() throws Exception {
    JsonNode eval =
        new ObjectMapper()
            .readTree(
                """
        {"seeds": "100000..100049", "episodes": 50, "success_rate": 0.1, "mean_max_coverage": 0.5, "per_seed": [],
         "provenance": {"command": ["eval", "--checkpoint", "/elsewhere/runs/export-b4", "--out=/elsewhere/e.json", "--seeds", "1..2"],
                        "git_commit": "abc", "created_utc": "2026-12-05T00:00:00Z"}}
        """);
    String md = TrainExportCommand.markdown(eval, Path.of("e.json"));
    assertThat(md)
        .contains("`wam4j eval --checkpoint export-b4 --out=e.json --seeds 1..2`")
        .doesNotContain("/elsewhere");
  }
}
