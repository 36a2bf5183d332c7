package dev.wam4j.eval.study;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The search spaces in configs/ parse, and reach the shipped recipe's budget on their top rung. */
class ResearchConfigsTest {
  @Test
  void thePolicyHeadSpaceParsesAndItsTopRungTrainsAsLongAsTheHandTunedRecipe() throws Exception {
    ResearchSpace s = ResearchSpace.load(Path.of("..", "configs", "research-pusht-head.json"));
    assertThat(s.schedule().rungs()).isEqualTo(4);
    assertThat(s.schedule().budget(s.schedule().rungs() - 1)).isEqualTo(15000.0);
    assertThat(s.config(0, 15000).steps()).isEqualTo(15000);
    assertThat(s.config(0, 15000).headOnly()).isTrue();
    assertThat(s.search().keySet())
        .containsExactly("learningRate", "poseNoisePixels", "angleHarmonics");
    // the baseline is the hand-tuned recipe's last stage itself (checkpoints kept more often)
    assertThat(s.baselineConfig())
        .usingRecursiveComparison()
        .ignoringFields("checkpointEverySteps")
        .isEqualTo(
            dev.wam4j.model.wam.WamRun.loadConfig(
                Path.of("..", "configs", "pusht-wam-head-final.json")));
  }
}
