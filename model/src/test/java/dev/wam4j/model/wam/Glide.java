package dev.wam4j.model.wam;

import dev.wam4j.data.lerobot.write.LeRobotWriteConfig;
import dev.wam4j.data.lerobot.write.LeRobotWriter;
import dev.wam4j.data.lerobot.write.WriteFeature;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Test data: episodes of a dark square gliding across a light frame. The state is its position, the
 * action the position two steps on, so both the next frames and the actions follow from the
 * history.
 */
final class Glide {
  private Glide() {}

  /**
   * The config the tests train: narrow layers, batch 8, horizon 8 (4 executed), 2 future frames.
   */
  static WamConfig tiny() {
    WamConfig d = WamConfig.defaults();
    return new WamConfig(
        null,
        null,
        null,
        d.imageKey(),
        d.stateKey(),
        d.actionKey(),
        96,
        512,
        2,
        8,
        4,
        2,
        2,
        4,
        8,
        16,
        1,
        32,
        64,
        2,
        2,
        4,
        1,
        1,
        1,
        8,
        40,
        2e-3,
        1e-4,
        5,
        1.0,
        0.9,
        5,
        20,
        2,
        2,
        3,
        java.util.List.of(),
        0,
        0);
  }

  /**
   * Writes a dataset.
   *
   * @param withImage whether to include observation.image
   * @param overflowAction whether actions are near float32 max (a corrupt dataset whose loss
   *     overflows)
   */
  static Path write(Path dir, boolean withImage, boolean overflowAction) throws IOException {
    List<WriteFeature> features = new ArrayList<>();
    if (withImage) features.add(new WriteFeature.Video("observation.image", 96, 96));
    features.add(new WriteFeature.Vector("observation.state", List.of("x", "y")));
    features.add(new WriteFeature.Vector("action", List.of("x", "y")));
    byte[] frame = new byte[96 * 96 * 3];
    try (LeRobotWriter w =
        LeRobotWriter.create(dir, LeRobotWriteConfig.of(10, "glide", features))) {
      for (int e = 0; e < 4; e++) {
        w.beginEpisode("glide");
        for (int t = 0; t < 24; t++) {
          float x = 60 + 16 * t, y = 100 + 90 * e;
          Arrays.fill(frame, (byte) 220);
          int cx = (int) (x * 96 / 512), cy = (int) (y * 96 / 512);
          for (int r = Math.max(0, cy - 6); r < Math.min(96, cy + 6); r++) {
            for (int c = Math.max(0, cx - 6); c < Math.min(96, cx + 6); c++) {
              int i = (r * 96 + c) * 3;
              frame[i] = 30;
              frame[i + 1] = 40;
              frame[i + 2] = (byte) 160;
            }
          }
          if (withImage) w.setImage("observation.image", frame, 0);
          float ax = overflowAction ? 3e38f : x + 32;
          w.setVector("observation.state", new float[] {x, y})
              .setVector("action", new float[] {ax, y});
          w.endFrame();
        }
        w.endEpisode();
      }
      return w.finish();
    }
  }
}
