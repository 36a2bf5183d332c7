package dev.wam4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wam4j.data.DataSets;
import org.junit.jupiter.api.Test;

class TuringCommandTest {
  private final String sample = DataSets.pushTSample().toString();

  @Test
  void jsonHasTheVerdictItsEpisodesAndTheFeatures() throws Exception {
    CliRun run = new CliRun();
    int code = run.run("turing", "--expert", "--zarr", sample, "--episodes", "12", "--json");
    assertThat(code).as(run.err.toString()).isZero();
    JsonNode n = new ObjectMapper().readTree(run.out.toString());
    assertThat(n.get("judge_roc_auc").asDouble()).isBetween(0.0, 1.0);
    assertThat(n.get("episodes_human").asInt()).isEqualTo(12);
    assertThat(n.get("episodes_robot").asInt()).isEqualTo(12);
    assertThat(n.get("robot").asText()).isEqualTo("expert");
    assertThat(n.get("folds").asInt()).isEqualTo(5);
    JsonNode first = n.get("features").get(0);
    for (String key :
        new String[] {"name", "auc", "separation", "coefficient", "human_mean", "robot_mean"})
      assertThat(first.has(key)).as(key).isTrue();
    assertThat(n.has("provenance")).isTrue();
  }

  @Test
  void textNamesTheAucAndTheTopFeatures() {
    CliRun run = new CliRun();
    int code = run.run("turing", "--expert", "--zarr", sample, "--episodes", "10");
    assertThat(code).as(run.err.toString()).isZero();
    assertThat(run.out.toString()).contains("judge_roc_auc").contains("features that separate");
  }

  @Test
  void badOptionsAreOneClearError() {
    CliRun none = new CliRun();
    assertThat(none.run("turing", "--zarr", sample)).isEqualTo(2);
    assertThat(none.err.toString()).contains("--expert or --checkpoint");

    CliRun folds = new CliRun();
    assertThat(folds.run("turing", "--expert", "--zarr", sample, "--folds", "1")).isEqualTo(2);
    assertThat(folds.err.toString()).contains("--folds must be >= 2");

    CliRun few = new CliRun();
    assertThat(few.run("turing", "--expert", "--zarr", sample, "--episodes", "3")).isEqualTo(2);
    assertThat(few.err.toString()).contains("3 demonstrations, fewer than the 5 folds");

    CliRun both = new CliRun();
    assertThat(both.run("turing", "--expert", "--checkpoint", "models/pusht-wam")).isEqualTo(2);
    assertThat(both.err.toString()).contains("--expert or --checkpoint");

    CliRun missing = new CliRun();
    assertThat(missing.run("turing", "--checkpoint", "no/such/checkpoint", "--zarr", sample))
        .isEqualTo(2);
    assertThat(missing.err.toString()).contains("no/such/checkpoint: no such file");

    CliRun unknown = new CliRun();
    assertThat(unknown.run("turing", "--expert", "--bogus")).isEqualTo(2);
    assertThat(unknown.err.toString()).contains("--bogus");
  }
}
