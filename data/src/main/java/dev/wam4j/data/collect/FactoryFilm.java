package dev.wam4j.data.collect;

import dev.wam4j.data.video.VideoEncoding;
import dev.wam4j.data.video.VideoWriter;
import dev.wam4j.sim.factory.Design;
import dev.wam4j.sim.factory.FactoryRun;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * A factory run on film: the camera's picture of the cell at every control step, each target's
 * outline in its part's colour and the plan as a caption, as an AV1 video (10 fps, published
 * whole).
 */
public final class FactoryFilm {
  private FactoryFilm() {}

  /** Runs {@code design} as {@link FactoryRun#run} does, writing its video to {@code video}. */
  public static FactoryRun.Result record(
      Design design, FactoryRun.Config config, Path video, Consumer<String> log)
      throws IOException {
    int side = config.cameraSize();
    byte[] rgb = new byte[side * side * 3];
    // the writer publishes the file only when it is finished (a failed run leaves no video behind)
    try (VideoWriter writer = VideoWriter.open(video, side, side, 10, VideoEncoding.AV1_LEROBOT)) {
      FactoryRun.Result result =
          FactoryRun.run(
              design,
              config,
              log,
              (cell, camera, plan) -> {
                pack(camera.annotated(plan), rgb);
                try {
                  writer.writeFrame(rgb, 0);
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
              });
      writer.finish();
      return result;
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }

  private static void pack(BufferedImage image, byte[] rgb) {
    int w = image.getWidth();
    int[] pixels = image.getRGB(0, 0, w, image.getHeight(), null, 0, w);
    for (int k = 0, o = 0; k < pixels.length; k++, o += 3) {
      rgb[o] = (byte) (pixels[k] >> 16);
      rgb[o + 1] = (byte) (pixels[k] >> 8);
      rgb[o + 2] = (byte) pixels[k];
    }
  }
}
