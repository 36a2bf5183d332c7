package dev.wam4j.data.lerobot;

import dev.wam4j.data.AtomicFiles;
import dev.wam4j.data.ProgressListener;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes an episode's decoded video or image frames as PNG files {@code frame_000000.png, ...},
 * each published whole.
 */
public final class FrameExport {
  private FrameExport() {}

  /**
   * @param folder where the PNG files went
   * @param frames PNG files written, one per frame of the episode
   * @param width frame width in pixels
   * @param height frame height in pixels
   */
  public record Result(Path folder, String key, int episode, int frames, int width, int height) {}

  /**
   * Decodes every frame of {@code episode}'s {@code key} (a video or image feature) in the dataset
   * at {@code dataset} into {@code folder} (created if needed); {@code progress} (may be null)
   * hears frames written.
   */
  public static Result write(
      Path dataset, int episode, String key, Path folder, ProgressListener progress)
      throws IOException {
    try (LeRobotDataset ds = LeRobotDataset.open(dataset)) {
      if (!ds.frameKeys().contains(key)) {
        throw new IllegalArgumentException(
            "feature '"
                + key
                + "' is not a video or image key of "
                + ds.root()
                + "; frame keys are "
                + ds.frameKeys());
      }
      Episode e = ds.episode(episode);
      Feature f = ds.features().get(key);
      int w = f.width();
      int h = f.height();
      byte[] rgb = new byte[ds.frameBytes(key)];
      BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
      int[] pixels = new int[w * h];
      Files.createDirectories(folder);
      for (int i = 0; i < e.length(); i++) {
        ds.readFrame(episode, i, key, rgb, 0);
        for (int p = 0, b = 0; p < pixels.length; p++, b += 3) {
          pixels[p] = (rgb[b] & 0xff) << 16 | (rgb[b + 1] & 0xff) << 8 | (rgb[b + 2] & 0xff);
        }
        img.setRGB(0, 0, w, h, pixels, 0, w);
        AtomicFiles.writePng(folder.resolve(String.format("frame_%06d.png", i)), img);
        if (progress != null) progress.update(i + 1, e.length());
      }
      return new Result(folder, key, episode, e.length(), w, h);
    }
  }
}
