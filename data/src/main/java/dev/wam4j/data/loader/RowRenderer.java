package dev.wam4j.data.loader;

/**
 * Draws a row's observation frame from what the row recorded (the agent's state and the block's
 * pose) instead of decoding it from the dataset's video: for simulated data the frames come out
 * exactly as the simulator shows them at run time, with no compression loss, and loading decodes
 * nothing. Implementations must be deterministic and allocation-free; a loader calls one from a
 * single thread.
 */
public interface RowRenderer {
  /** Bytes of one frame, height x width x 3 (RGB). */
  int frameBytes();

  /**
   * Draws one frame into {@code out[offset, offset + frameBytes())}.
   *
   * @param state the row's state values ({@code state[stateOffset]} on), the agent position first
   * @param blockPose the row's block pose (x, y in workspace units, angle in radians) at {@code
   *     poseOffset}
   */
  void render(
      float[] state, int stateOffset, float[] blockPose, int poseOffset, byte[] out, int offset);
}
