package dev.wam4j.model.wam;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.SplittableRandom;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

/** The shipped perception's pose estimates, one observation at a time and many in one pass. */
class PoseEstimatesTest {
  @Test
  void aBatchOfObservationsGivesEachTheEstimateItGetsAlone() throws Exception {
    try (WamPolicy policy = WamPolicy.load(Path.of("../models/pusht-wam"))) {
      int h = policy.config().historyFrames(), size = policy.config().imageSize();
      int frameBytes = size * size * 3, n = 5;
      SplittableRandom rng = new SplittableRandom(7);
      byte[] images = new byte[n * h * frameBytes];
      for (int i = 0; i < images.length; i++) images[i] = (byte) rng.nextInt(256);
      float[] positions = new float[n * h * 2];
      for (int i = 0; i < positions.length; i++)
        positions[i] = (float) (50 + 400 * rng.nextDouble());

      double[] batch = policy.estimatePoses(images, positions, n);
      assertThat(batch).hasSize(3 * n);
      for (int i = 0; i < n; i++) {
        byte[] one =
            java.util.Arrays.copyOfRange(images, i * h * frameBytes, (i + 1) * h * frameBytes);
        float[] at = java.util.Arrays.copyOfRange(positions, i * h * 2, (i + 1) * h * 2);
        double[] alone = policy.estimatePose(one, at);
        assertThat(batch[3 * i]).as("x of %d", i).isCloseTo(alone[0], Offset.offset(0.05));
        assertThat(batch[3 * i + 1]).as("y of %d", i).isCloseTo(alone[1], Offset.offset(0.05));
        assertThat(batch[3 * i + 2]).as("angle of %d", i).isCloseTo(alone[2], Offset.offset(1e-3));
      }
      assertThatThrownBy(() -> policy.estimatePoses(images, positions, n + 1))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("estimatePoses: expected 6 observations");
    }
  }

  @Test
  void anEpisodesFramesSeenOnceEachGiveWhatOverlappingObservationsGive() throws Exception {
    try (WamPolicy policy = WamPolicy.load(Path.of("../models/pusht-wam"))) {
      int h = policy.config().historyFrames(), size = policy.config().imageSize();
      int frameBytes = size * size * 3, n = 6, m = n + h - 1;
      SplittableRandom rng = new SplittableRandom(11);
      byte[] frames = new byte[m * frameBytes];
      for (int i = 0; i < frames.length; i++) frames[i] = (byte) rng.nextInt(256);
      float[] positions = new float[m * 2];
      for (int i = 0; i < positions.length; i++)
        positions[i] = (float) (50 + 400 * rng.nextDouble());
      // the same observations the way estimatePoses takes them: each its h frames, overlapping
      byte[] observations = new byte[n * h * frameBytes];
      float[] histories = new float[n * h * 2];
      for (int i = 0; i < n; i++) {
        System.arraycopy(frames, i * frameBytes, observations, i * h * frameBytes, h * frameBytes);
        System.arraycopy(positions, 2 * i, histories, 2 * i * h, 2 * h);
      }
      double[] once = policy.estimatePosesAlong(frames, positions, n);
      double[] overlapping = policy.estimatePoses(observations, histories, n);
      assertThat(once).hasSize(3 * n);
      for (int i = 0; i < n; i++) {
        assertThat(once[3 * i]).as("x of %d", i).isCloseTo(overlapping[3 * i], Offset.offset(0.05));
        assertThat(once[3 * i + 1])
            .as("y of %d", i)
            .isCloseTo(overlapping[3 * i + 1], Offset.offset(0.05));
        assertThat(once[3 * i + 2])
            .as("angle of %d", i)
            .isCloseTo(overlapping[3 * i + 2], Offset.offset(1e-3));
      }
      assertThatThrownBy(() -> policy.estimatePosesAlong(frames, positions, n + 1))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("estimatePosesAlong: expected " + (m + 1) + " frames for 7");
    }
  }
}
