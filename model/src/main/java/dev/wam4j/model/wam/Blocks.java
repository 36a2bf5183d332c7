package dev.wam4j.model.wam;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Block;
import ai.djl.nn.LambdaBlock;

/** Parameter-free blocks the network needs that DJL does not name. */
final class Blocks {
  private Blocks() {}

  /**
   * Depth to space: (N, C*r*r, H, W) to (N, C, H*r, W*r). Upsamples in the decoder (the PyTorch
   * engine of DJL does not implement transposed convolutions).
   */
  static Block pixelShuffle(int r) {
    return new LambdaBlock(
        list -> {
          NDArray x = list.singletonOrThrow();
          long n = x.getShape().get(0),
              c = x.getShape().get(1) / (r * r),
              h = x.getShape().get(2),
              w = x.getShape().get(3);
          return new NDList(
              x.reshape(n, c, r, r, h, w).transpose(0, 1, 4, 2, 5, 3).reshape(n, c, h * r, w * r));
        },
        "pixel_shuffle");
  }

  /** (N, ...) to (N, prod(...)). */
  static Block flatten() {
    return new LambdaBlock(
        list -> {
          NDArray x = list.singletonOrThrow();
          return new NDList(x.reshape(x.getShape().get(0), -1));
        },
        "flatten");
  }
}
