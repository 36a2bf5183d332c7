package dev.wam4j.data.pusht;

/**
 * PushT's clock: the simulator steps its controller at 10 Hz (10 physics steps of 10 ms), Diffusion
 * Policy's demonstrations were recorded at 10 fps, and every dataset wam4j writes of PushT holds
 * one frame per control step. Hours of data are counted in these frames.
 */
public final class PushTRate {
  /** Frames (control steps) per second. */
  public static final int FPS = 10;

  private PushTRate() {}

  /** Hours of robot time in {@code frames} frames. */
  public static double hours(long frames) {
    return frames / (FPS * 3600.0);
  }
}
