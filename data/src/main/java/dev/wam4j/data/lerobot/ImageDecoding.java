package dev.wam4j.data.lerobot;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import javax.imageio.ImageIO;

/**
 * Decodes the PNG or JPEG bytes of an {@code image} feature's cell into packed HWC RGB.
 *
 * <p>Gray, gray+alpha, RGB, RGBA and BGR-stored images give their stored samples unchanged (alpha
 * dropped, gray repeated over R, G and B), as PIL hands them to LeRobot; Java's own colour
 * conversion ({@link BufferedImage#getRGB}) is avoided for them because it treats 8-bit gray as
 * linear and re-encodes it. Samples deeper than 8 bits are rounded to 8. Palette and other colour
 * spaces go through {@code getRGB} (a palette holds sRGB entries, so that is exact).
 */
final class ImageDecoding {
  private ImageDecoding() {}

  /**
   * Decodes {@code bytes} into {@code rgbOut} from {@code offset} ({@code width * height * 3}
   * bytes).
   *
   * @throws IllegalArgumentException when the bytes are no image ImageIO can decode or the image
   *     has another size; the message says which (the caller adds file, episode and frame)
   */
  static void decodeRgb(byte[] bytes, int width, int height, byte[] rgbOut, int offset) {
    BufferedImage img;
    try {
      img = ImageIO.read(new ByteArrayInputStream(bytes));
    } catch (IOException | RuntimeException e) {
      // ImageIO's decoders throw unchecked exceptions too on some damaged inputs.
      throw new IllegalArgumentException(
          "cannot decode the image bytes (" + bytes.length + " bytes): " + e.getMessage(), e);
    }
    if (img == null) {
      throw new IllegalArgumentException(
          "the image bytes ("
              + bytes.length
              + " bytes) are no format ImageIO reads"
              + " (PNG, JPEG, BMP, GIF, TIFF, WBMP)");
    }
    if (img.getWidth() != width || img.getHeight() != height) {
      throw new IllegalArgumentException(
          "image is "
              + img.getWidth()
              + "x"
              + img.getHeight()
              + ", info.json shape says "
              + width
              + "x"
              + height);
    }
    ColorModel cm = img.getColorModel();
    int space = cm.getColorSpace().getType();
    boolean direct =
        !(cm instanceof IndexColorModel)
            && (space == ColorSpace.TYPE_RGB || space == ColorSpace.TYPE_GRAY)
            && cm.getNumColorComponents() == (space == ColorSpace.TYPE_GRAY ? 1 : 3);
    if (direct) {
      copySamples(
          img.getRaster(), cm, space == ColorSpace.TYPE_GRAY, width, height, rgbOut, offset);
    } else {
      int[] row = new int[width];
      for (int y = 0; y < height; y++) {
        img.getRGB(0, y, width, 1, row, 0, width);
        for (int x = 0, o = offset + y * width * 3; x < width; x++, o += 3) {
          int p = row[x];
          rgbOut[o] = (byte) (p >> 16);
          rgbOut[o + 1] = (byte) (p >> 8);
          rgbOut[o + 2] = (byte) p;
        }
      }
    }
  }

  /**
   * Raster bands are in colour-model order (R, G, B[, A] or gray[, A]) whatever the storage order.
   */
  private static void copySamples(
      Raster r, ColorModel cm, boolean gray, int width, int height, byte[] out, int offset) {
    int bands = r.getNumBands();
    int bits = cm.getComponentSize(0);
    int max = (1 << bits) - 1;
    int[] row = new int[width * bands];
    for (int y = 0; y < height; y++) {
      r.getPixels(0, y, width, 1, row);
      for (int x = 0, o = offset + y * width * 3; x < width; x++, o += 3) {
        int s = x * bands;
        if (gray) {
          byte v = scale(row[s], bits, max);
          out[o] = v;
          out[o + 1] = v;
          out[o + 2] = v;
        } else {
          out[o] = scale(row[s], bits, max);
          out[o + 1] = scale(row[s + 1], bits, max);
          out[o + 2] = scale(row[s + 2], bits, max);
        }
      }
    }
  }

  private static byte scale(int sample, int bits, int max) {
    return (byte) (bits == 8 ? sample : (sample * 255 + max / 2) / max);
  }
}
