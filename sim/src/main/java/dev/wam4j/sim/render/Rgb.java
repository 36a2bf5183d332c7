package dev.wam4j.sim.render;

/** An opaque sRGB colour, each channel 0..255. */
public record Rgb(int r, int g, int b) {
  /**
   * @throws IllegalArgumentException if a channel is outside 0..255
   */
  public Rgb {
    if ((r | g | b) < 0 || r > 255 || g > 255 || b > 255) {
      throw new IllegalArgumentException(
          "colour (" + r + ", " + g + ", " + b + ") has a channel outside 0..255");
    }
  }

  /** 0xRRGGBB. */
  int packed() {
    return r << 16 | g << 8 | b;
  }
}
