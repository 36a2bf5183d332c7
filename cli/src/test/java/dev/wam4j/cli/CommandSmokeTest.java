package dev.wam4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every command of the README, run at tiny sizes through the real command line. */
class CommandSmokeTest {
  private final CliRun cli = new CliRun();
  private final java.io.StringWriter out = cli.out;
  private final java.io.StringWriter err = cli.err;

  private int run(String... args) {
    return cli.run(args);
  }

  private JsonNode json() throws Exception {
    return new ObjectMapper().readTree(out.toString());
  }

  @Test
  void replayJsonHasTheRequiredKeysAndIsExact() throws Exception {
    assertThat(run("sim", "replay", "--episodes", "3", "--json")).isZero();
    JsonNode n = json();
    for (String key :
        new String[] {
          "episodes",
          "replay_success_rate",
          "position_error_final_median",
          "position_error_max",
          "angle_error_final_median",
          "float32_exact_fraction",
          "per_episode"
        }) {
      assertThat(n.has(key)).as(key).isTrue();
    }
    assertThat(n.get("episodes").asInt()).isEqualTo(3);
    assertThat(n.get("float32_exact_fraction").asDouble()).isEqualTo(1.0);
    assertThat(n.get("per_episode")).hasSize(3);
  }

  @Test
  void benchJsonHasTheRequiredKeys() throws Exception {
    assertThat(
            run(
                "sim",
                "bench",
                "--json",
                "--envs",
                "4",
                "--threads",
                "2",
                "--seconds",
                "0.2",
                "--warmup",
                "0.1",
                "--render"))
        .isZero();
    JsonNode n = json();
    assertThat(n.get("env_steps_per_second").asDouble()).isPositive();
    assertThat(n.get("threads").asInt()).isEqualTo(2);
    assertThat(n.get("envs").asInt()).isEqualTo(4);
    assertThat(n.get("render").asBoolean()).isTrue();
  }

  @Test
  void expertSolvesAFewSeeds() throws Exception {
    assertThat(run("sim", "expert", "--seeds", "0..2", "--embodiment", "robot", "--json")).isZero();
    JsonNode e = json().get("experts").get(0);
    assertThat(e.get("episodes").asInt()).isEqualTo(3);
    assertThat(e.get("success_rate").asDouble()).isEqualTo(1.0);
  }

  @Test
  void badArgumentsGiveOneClearLineAndExitCode2() {
    assertThat(run("sim", "expert", "--seeds", "nine")).isEqualTo(2);
    assertThat(err.toString()).contains("--seeds").contains("nine");
    assertThat(run("sim", "expert", "--scene", "/no/such/scene.json")).isEqualTo(2);
    assertThat(err.toString()).contains("scene.json");
  }

  @Test
  void demoRunsEverySectionFromTheCheckoutAloneAndSkipsNothing(@TempDir Path dir) throws Exception {
    assertThat(run("demo", "--out", dir.toString(), "--size", "96")).isZero();
    String printed = out.toString();
    for (String section :
        new String[] {
          "1. physics vs ",
          "3. digital cousins",
          "4. datasets: ",
          "5. world action model ",
          "6. fleet: ",
          "7. lights-out cell: 'Arch' (4 parts from a markdown design, vision executor) complete",
          "8. videos: "
        }) {
      assertThat(printed).as(section).contains(section);
    }
    assertThat(printed).doesNotContain("skipped");
    assertThat(Files.size(dir.resolve("pusht-expert.mp4"))).isPositive();
    JsonNode summary = new ObjectMapper().readTree(dir.resolve("demo.json").toFile());
    assertThat(summary.get("replay").get("float32_exact_fraction").asDouble()).isEqualTo(1.0);
    assertThat(summary.get("expert_episodes")).hasSize(2);
    assertThat(out.toString()).contains("pusht-expert.mp4");
    assertThat(Files.size(dir.resolve("cousins.png"))).isPositive();
    assertThat(summary.get("datasets").get("real").get("round_trip").get("state_exact").asDouble())
        .isEqualTo(1.0);
    assertThat(dir.resolve("datasets/sim-hand-5/meta/info.json")).exists();
    assertThat(summary.get("world_action_model").get("per_seed")).hasSize(3);
    assertThat(summary.get("fleet").get("job").get("status").asText()).isNotBlank();
    assertThat(dir.resolve("pusht-wam-dream.mp4")).isNotEmptyFile();
  }

  @Test
  void factoryCheckReadsTheShippedDesignsAndNamesTheLineOfABadOne(@TempDir Path dir)
      throws Exception {
    for (String design : new String[] {"pair", "gate", "arch", "workshop"}) {
      assertThat(
              run(
                  "factory",
                  "check",
                  Paths.root().resolve("configs/designs/" + design + ".md").toString()))
          .as(design)
          .isZero();
    }
    assertThat(out.toString()).contains("Workshop: 6 parts").contains("dropped by the feeder");
    Path bad = dir.resolve("bad.md");
    Files.writeString(bad, "# Bad\n## Parts\n- a: T at 256, 200, 0\n- b: Q at 100, 100, 0\n");
    assertThat(run("factory", "check", bad.toString())).isEqualTo(2);
    assertThat(err.toString()).contains("bad.md: line 4: part 'b': unknown shape family 'Q'");
    out.getBuffer().setLength(0);
    assertThat(
            run(
                "factory",
                "check",
                "--json",
                Paths.root().resolve("configs/designs/pair.md").toString()))
        .isZero();
    assertThat(json().get("parts")).hasSize(2);
  }

  @Test
  void factoryRunBuildsADesignLightsOutAndFilmsIt(@TempDir Path dir) throws Exception {
    String pair = Paths.root().resolve("configs/designs/pair.md").toString();
    Path video = dir.resolve("pair.mp4");
    assertThat(
            run("factory", "run", pair, "--seed", "200000", "--json", "--video", video.toString()))
        .isZero();
    JsonNode n = json();
    assertThat(n.get("product_complete").asBoolean()).isTrue();
    assertThat(n.get("executor").asText())
        .as("the shipped cell pusher by default")
        .isEqualTo("vision");
    assertThat(n.get("interventions").asInt()).isZero();
    assertThat(n.get("parts")).hasSize(2);
    assertThat(n.has("provenance")).isTrue();
    assertThat(Files.size(video)).isPositive();
    out.getBuffer().setLength(0);
    assertThat(run("factory", "run", pair, "--seed", "200000", "--executor", "expert", "--json"))
        .isZero();
    assertThat(json().get("executor").asText()).isEqualTo("expert");
    assertThat(run("factory", "run", pair, "--executor", "wam")).isEqualTo(2);
    assertThat(err.toString()).contains("--executor wam").contains("vision or expert");
    assertThat(run("factory", "run", pair, "--executor", "vision", "--checkpoint", dir.toString()))
        .isEqualTo(2);
    assertThat(err.toString()).contains("not a cell pusher checkpoint");
    out.getBuffer().setLength(0);
    Path pushes = dir.resolve("pushes");
    assertThat(
            run(
                "factory",
                "collect",
                pair,
                "--episodes",
                "2",
                "--max-steps",
                "4",
                "--out",
                pushes.toString(),
                "--json"))
        .isZero();
    assertThat(json().get("episodes").asInt()).isEqualTo(2);
    assertThat(pushes.resolve("meta/info.json")).exists();
  }

  @Test
  void cousinsWritesAGalleryAndEchoesItsConfig(@TempDir Path dir) throws Exception {
    assertThat(
            run(
                "sim",
                "cousins",
                "--seeds",
                "3..4",
                "--size",
                "32",
                "--out",
                dir.toString(),
                "--json"))
        .isZero();
    JsonNode n = json();
    assertThat(n.get("cousins")).hasSize(2);
    assertThat(n.get("config_values").get("shapes")).isNotEmpty();
    assertThat(javax.imageio.ImageIO.read(dir.resolve("cousins.png").toFile()).getWidth())
        .isEqualTo(64);
  }
}
