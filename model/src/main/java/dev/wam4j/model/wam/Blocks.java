package dev.wam4j.model.wam;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Block;
import ai.djl.nn.LambdaBlock;

/** Parameter-free blocks the network needs that DJL does not name. */
final class Blocks {
  private Blocks() {}

  /** (N, ...) to (N, prod(...)). */
  static Block flatten() {
    return new LambdaBlock(list -> {
      NDArray x = list.singletonOrThrow();
      return new NDList(x.reshape(x.getShape().get(0), -1));
    }, "flatten");
  }
}
