package dev.wam4j.sim.cousins;

/** An 8-bit sRGB colour, channels in [0, 255]. */
public record Rgb(int r, int g, int b) {
  public Rgb {
    if (r < 0 || r > 255 || g < 0 || g > 255 || b < 0 || b > 255) {
      throw new IllegalArgumentException("colour channels must be in [0, 255], got (" + r + ", " + g + ", " + b + ")");
    }
  }
}
