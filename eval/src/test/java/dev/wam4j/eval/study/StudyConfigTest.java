package dev.wam4j.eval.study;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StudyConfigTest {
  @TempDir Path tmp;

  private Path file(String json) throws Exception {
    Path f = tmp.resolve("study.json");
    Files.writeString(f, json);
    return f;
  }

  @Test
  void nestedConfigsResolveAgainstTheStudyFileAndEachCellSetsItsEpisodesAndInit() throws Exception {
    StudyConfig c =
        StudyConfig.load(
            file(
                """
        {"pretrain": {"dataset": "data/hand", "steps": 7},
         "finetune": {"dataset": "data/robot", "init": "elsewhere", "steps": 9},
         "episodes": [10, 25], "evalSeeds": "5..9"}
        """));
    assertThat(c.episodes()).containsExactly(10, 25);
    assertThat(c.evalSeeds().count()).isEqualTo(5);
    assertThat(c.metric()).isEqualTo("val_video");
    assertThat(c.pretrainConfig(25).datasetEpisodes()).isEqualTo(25);
    assertThat(c.pretrainConfig(25).dataset()).isEqualTo(tmp.resolve("data/hand").toString());
    assertThat(c.finetuneConfig(10, null).init())
        .as("the arm without pre-training starts fresh")
        .isNull();
    assertThat(c.finetuneConfig(10, tmp.resolve("pre")).init())
        .isEqualTo(tmp.resolve("pre").toString());
    assertThat(c.finetuneConfig(10, null).steps()).isEqualTo(9);
    assertThat(c.trainingSeeds())
        .as("no trainingSeeds: one run per cell with the config's seed")
        .isEmpty();
  }

  @Test
  void trainingSeedsReplaceTheFinetuneConfigsSeedPerRun() throws Exception {
    StudyConfig c =
        StudyConfig.load(
            file(
                """
        {"finetune": {"dataset": "data/robot", "seed": 3}, "episodes": [10], "trainingSeeds": [0, 7]}
        """));
    assertThat(c.trainingSeeds()).containsExactly(0L, 7L);
    assertThat(c.finetuneConfig(10, null, 7L).seed()).isEqualTo(7);
    assertThat(c.finetuneConfig(10, null).seed()).isEqualTo(3);
    assertThatThrownBy(
            () -> StudyConfig.load(file("{\"episodes\": [1], \"trainingSeeds\": [1, 1]}")))
        .hasMessageContaining("field 'trainingSeeds'")
        .hasMessageContaining("distinct");
    assertThatThrownBy(() -> StudyConfig.load(file("{\"episodes\": [1], \"trainingSeeds\": []}")))
        .hasMessageContaining("field 'trainingSeeds' must be a non-empty array");
  }

  @Test
  void mistakesAreNamedWithTheFileAndField() throws Exception {
    assertThatThrownBy(() -> StudyConfig.load(file("{\"episodes\": [1], \"finetun\": {}}")))
        .hasMessageContaining("study.json")
        .hasMessageContaining("unknown field 'finetun'");
    assertThatThrownBy(() -> StudyConfig.load(file("{\"episodes\": [25, 10]}")))
        .hasMessageContaining("'episodes' must be ascending");
    assertThatThrownBy(() -> StudyConfig.load(file("{\"episodes\": [0]}")))
        .hasMessageContaining("each must be an integer >= 1");
    assertThatThrownBy(() -> StudyConfig.load(file("{}"))).hasMessageContaining("field 'episodes'");
    assertThatThrownBy(
            () ->
                StudyConfig.load(
                    file("{\"episodes\": [1], \"finetune\": {\"dataset\": \"d\", \"stpes\": 3}}")))
        .hasMessageContaining("field 'finetune'")
        .hasMessageContaining("unknown field 'stpes'");
    assertThatThrownBy(() -> StudyConfig.load(file("{\"episodes\": [1], \"evalSeeds\": \"9..3\"}")))
        .hasMessageContaining("field 'evalSeeds'")
        .hasMessageContaining("9..3");
    assertThatThrownBy(() -> StudyConfig.load(tmp.resolve("missing.json")))
        .hasMessageContaining("missing.json does not exist");
  }
}
