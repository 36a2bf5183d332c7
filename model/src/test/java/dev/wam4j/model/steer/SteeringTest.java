package dev.wam4j.model.steer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wam4j.model.CheckpointException;
import dev.wam4j.model.policy.PlanSettings;
import dev.wam4j.model.wam.WamPolicy;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SteeringTest {
  @TempDir Path tmp;

  private static Steering of(String mode) {
    return new Steering(Steering.Mode.parse(mode), 8, 1, 20, 2.5, null);
  }

  @Test
  void aResidualShiftsEveryTargetByAtMostItsScaleAndStaysInTheWorkspace() {
    float[] chunk = {100, 100, 505, 10, 300, 200};
    of("residual").shift(new float[] {0.5f, -3f}, 0, chunk);
    assertThat(chunk).containsExactly(110, 80, 512, 0, 310, 180);
  }

  @Test
  void noiseIsClippedToItsBound() {
    float[] noise = new float[3];
    of("noise").noise(new float[] {9, 0, 0.4f, -7}, 1, noise);
    assertThat(noise).containsExactly(0, 0.4f, -2.5f);
  }

  @Test
  void theActorReadsTheModelsPerceptionAndAnEpisodesFirstPlanSeesNoMotion() {
    var p =
        new WamPolicy.Perception(
            300, 250, 0.3, new float[0], new float[] {90, 90, 100, 120}, new float[0]);
    double[] before = new double[5];
    float[] f = new float[PoseFeatures.COUNT];
    Steering.features(p, before, true, f, 0);
    assertThat(before).containsExactly(100, 120, 300, 250, 0.3);
    for (int k = 12; k < 17; k++) assertThat(f[k]).as("velocity feature %d", k).isZero();
    var later =
        new WamPolicy.Perception(
            310, 250, 0.3, new float[0], new float[] {100, 120, 110, 120}, new float[0]);
    Steering.features(later, before, false, f, 0);
    assertThat(f[12])
        .isEqualTo((float) (20 * 10 / 512.0)); // the agent moved 10 px since the last plan
    assertThat(f[14]).isEqualTo((float) (20 * 10 / 512.0)); // and so did the block
  }

  @Test
  void badSteeringValuesAndFilesAreRefusedNamingThem() throws Exception {
    assertThatThrownBy(() -> Steering.Mode.parse("dsrl")).hasMessageContaining("got 'dsrl'");
    assertThat(Steering.Mode.parse("residual-zero")).isEqualTo(Steering.Mode.RESIDUAL_ZERO);
    assertThat(of("residual-zero").outputs(32)).isEqualTo(2);
    assertThat(of("noise").outputs(32)).isEqualTo(32);
    assertThatThrownBy(() -> new Steering(Steering.Mode.NOISE, 8, 1, 20, 0, null))
        .hasMessageContaining("noiseClip");
    assertThatThrownBy(
            () -> new Steering(Steering.Mode.NOISE, 8, 1, 20, 2, new float[] {Float.NaN}))
        .hasMessageContaining("actor weight is NaN");
    Files.writeString(
        tmp.resolve(SteeredPolicy.FILE),
        "{\"format\": \"wam4j-steered/1\", \"mode\": \"noise\", \"hidden\": 8, \"layers\": 1, "
            + "\"residual_scale_pixels\": 20, \"noise_clip\": 2.5, \"actor\": [1, \"x\"]}");
    assertThat(SteeredPolicy.isCheckpoint(tmp)).isTrue();
    assertThatThrownBy(() -> SteeredPolicy.load(tmp, PlanSettings.CHECKPOINT))
        .isInstanceOf(CheckpointException.class)
        .hasMessageContaining(SteeredPolicy.FILE)
        .hasMessageContaining("actor[1] is not a number");
    Files.writeString(tmp.resolve(SteeredPolicy.FILE), "{\"format\": \"other\"}");
    assertThatThrownBy(() -> SteeredPolicy.load(tmp, PlanSettings.CHECKPOINT))
        .hasMessageContaining("format is not wam4j-steered/1");
  }
}
