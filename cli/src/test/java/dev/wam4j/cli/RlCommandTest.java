package dev.wam4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RlCommandTest {
  @TempDir Path tmp;

  @Test
  void trainThenEvaluateAPpoRunAndBenchItAgainstTheRawSimulator() throws Exception {
    // PushT with 16-step episodes, so that a checkpoint every 16 steps does not cut them short
    String pusht;
    try (var in = RlCommandTest.class.getResourceAsStream("/dev/wam4j/sim/scenes/pusht.json")) {
      pusht = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    }
    Files.writeString(
        tmp.resolve("short.json"), pusht.replace("\"max_steps\": 300", "\"max_steps\": 16"));
    Path config = tmp.resolve("tiny.json");
    Files.writeString(
        config,
        """
        {"comment": "two updates", "scene": "short.json", "envs": 2, "totalSteps": 64, "rolloutSteps": 16, "minibatches": 2, "hidden": 8,
         "checkpointEveryUpdates": 1}
        """);
    Path run = tmp.resolve("run");
    CliRun train = new CliRun();
    assertThat(
            train.run(
                "rl", "train", "--config", config.toString(), "--out", run.toString(), "--json"))
        .isZero();
    JsonNode t = new ObjectMapper().readTree(train.out.toString());
    assertThat(t.get("updates").asLong()).isEqualTo(2);
    assertThat(t.get("env_steps").asLong()).isEqualTo(64);
    assertThat(t.get("config").get("envs").asInt()).isEqualTo(2);
    assertThat(run.resolve("log.csv")).isRegularFile();

    CliRun eval = new CliRun();
    assertThat(
            eval.run(
                "rl",
                "eval",
                "--checkpoint",
                run.toString(),
                "--seeds",
                "200000..200001",
                "--scene",
                "pusht",
                "--json"))
        .isZero();
    JsonNode e = new ObjectMapper().readTree(eval.out.toString());
    assertThat(e.get("episodes").asInt()).isEqualTo(2);
    assertThat(e.get("update").asLong()).isEqualTo(2);
    assertThat(e.get("per_seed").get(1).get("seed").asLong()).isEqualTo(200001);

    CliRun bench = new CliRun();
    assertThat(
            bench.run(
                "rl",
                "bench",
                "--config",
                config.toString(),
                "--threads",
                "1",
                "--updates",
                "1",
                "--json"))
        .isZero();
    JsonNode b = new ObjectMapper().readTree(bench.out.toString()).get("rows").get(0);
    assertThat(b.get("threads").asInt()).isEqualTo(1);
    assertThat(b.get("raw_steps_per_second").asDouble()).isPositive();
    assertThat(b.get("loop_share_of_raw").asDouble()).isPositive();

    CliRun bad = new CliRun();
    assertThat(bad.run("rl", "eval", "--checkpoint", tmp.toString())).isNotZero();
    assertThat(bad.err.toString()).contains("not a PPO run folder");
  }
}
