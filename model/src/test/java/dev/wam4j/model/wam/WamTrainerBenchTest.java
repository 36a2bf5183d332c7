package dev.wam4j.model.wam;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WamTrainerBenchTest {
  @TempDir Path tmp;

  @Test
  void timesTheStepsAfterTheWarmUpAndReportsTheirRate() throws Exception {
    Path dataset = Glide.write(tmp.resolve("glide"), true, false);
    Path file = tmp.resolve("tiny.json");
    Files.writeString(
        file, WamRun.toJson(Glide.tiny().withData(dataset.toString(), null, null)).toString());
    List<String> heard = new ArrayList<>();
    WamTrainerBench.Result r =
        WamTrainerBench.run(
            file,
            1,
            1,
            3,
            new WamTrainerBench.Listener() {
              @Override
              public void loaded() {
                heard.add("loaded");
              }

              @Override
              public void stepped(int done) {
                heard.add("step " + done);
              }
            });
    assertThat(heard).containsExactly("loaded", "step 1", "step 2", "step 3", "step 4");
    assertThat(r.config()).isEqualTo(file.toString());
    assertThat(r.dataset()).isEqualTo(dataset.toString());
    assertThat(r.threads()).isEqualTo(1);
    assertThat(r.warmupSteps()).isEqualTo(1);
    assertThat(r.timedSteps()).isEqualTo(3);
    assertThat(r.parameters()).isPositive();
    assertThat(r.videoPrediction()).isTrue();
    assertThat(r.samplesPerS())
        .isCloseTo(r.batchSize() * 1000 / r.msPerStepMean(), within(1e-9 * r.samplesPerS()));
    assertThat(r.msPerStepP50()).isPositive();
    assertThat(r.wamConfig().get("threads").asInt()).isEqualTo(1);
  }
}
