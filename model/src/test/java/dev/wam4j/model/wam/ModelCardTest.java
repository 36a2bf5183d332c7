package dev.wam4j.model.wam;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ModelCardTest {
  private static WamConfig config(String json) throws Exception {
    return WamRun.parseConfig(new ObjectMapper().readTree(json), Path.of("."), "test");
  }

  @Test
  void aOnePartStageLeavesOutTheLossTermsItNeverComputes() throws Exception {
    WamConfig dream =
        config(
            "{\"dataset\": \"d\", \"init\": \"x\", \"dreamFromActions\": true, \"dreamOnly\": true}");
    assertThat(ModelCard.untrained("loss_action", dream)).isTrue();
    assertThat(ModelCard.untrained("val_recon", dream)).isTrue();
    assertThat(ModelCard.untrained("loss_video", dream)).isFalse();
    assertThat(ModelCard.untrained("val_video", dream)).isFalse();
    assertThat(ModelCard.untrained("val_loss", dream)).as("the total stays").isFalse();
    assertThat(ModelCard.untrained("samples_per_s", dream)).isFalse();

    WamConfig head =
        config(
            "{\"dataset\": \"d\", \"init\": \"x\", \"keypoints\": 16, \"poseWeight\": 4, \"actionFromPose\": true, \"headOnly\": true}");
    assertThat(ModelCard.untrained("loss_video", head)).isTrue();
    assertThat(ModelCard.untrained("val_pose_px", head)).isTrue();
    assertThat(ModelCard.untrained("loss_action", head)).isFalse();

    WamConfig joint = WamConfig.defaults();
    assertThat(ModelCard.untrained("loss_action", joint))
        .as("a joint stage shows every term")
        .isFalse();
    assertThat(ModelCard.untrained("loss_recon", joint)).isFalse();
  }
}
