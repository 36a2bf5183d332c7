package dev.wam4j.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.loss.Loss;

/**
 * Mean squared error over the action chunk, ignoring the actions that ran past an episode's end
 * (LeRobot pads those by repeating the last action; learning them would teach the policy to stop).
 *
 * <p>Labels: {@code [target (B, H, A), mask (B, H, 1)]} with mask 1 for real actions, 0 for
 * padding. Prediction: {@code (B, H, A)}. Result: a scalar, the mean over the unmasked values.
 */
final class MaskedMse extends Loss {
  MaskedMse() {
    super("masked_mse");
  }

  @Override
  public NDArray evaluate(NDList labels, NDList predictions) {
    NDArray target = labels.get(0), mask = labels.get(1), pred = predictions.singletonOrThrow();
    long actionDim = pred.getShape().get(2);
    NDArray squared = pred.sub(target).square().mul(mask); // (B, H, A), zero on padding
    // Number overloads are safe here only because the mask needs no gradient: autograd saves
    // nothing of
    // them (see model/README.md on scalars in the training graph)
    return squared.sum().div(mask.sum().mul(actionDim).maximum(1f));
  }
}
