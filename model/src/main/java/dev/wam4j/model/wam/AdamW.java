package dev.wam4j.model.wam;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.util.ArrayList;
import java.util.List;

/**
 * AdamW (decoupled weight decay) with global-norm gradient clipping, plus an exponential moving
 * average of the weights. Written here rather than taken from DJL because a resumable run must save
 * and restore the moment estimates, which DJL's optimizers keep private.
 *
 * <p>All state arrays live in the model's manager and are updated in place; call {@link #step}
 * inside an {@link ai.djl.ndarray.NDScope} so its temporaries are freed. Biases and 1-D weights are
 * not decayed. Not thread-safe.
 */
final class AdamW {
  private static final float BETA1 = 0.9f, BETA2 = 0.999f, EPS = 1e-8f;

  private final List<Parameter> params;
  private final List<Boolean> frozen =
      new ArrayList<>(); // kept (checkpoints hold every weight), never updated
  private final NDList m = new NDList(), v = new NDList(), ema = new NDList();
  private final float weightDecay;
  private final float gradClip;
  private final float emaDecay;
  private long updates;

  /** Create outside any {@code NDScope}: the state arrays must outlive it. */
  AdamW(
      Iterable<Pair<String, Parameter>> parameters,
      NDManager manager,
      double weightDecay,
      double gradClip,
      double emaDecay) {
    this(parameters, manager, weightDecay, gradClip, emaDecay, name -> false);
  }

  /**
   * The same, leaving the weights whose names {@code frozen} accepts as they are (they get no
   * gradient).
   */
  AdamW(
      Iterable<Pair<String, Parameter>> parameters,
      NDManager manager,
      double weightDecay,
      double gradClip,
      double emaDecay,
      java.util.function.Predicate<String> frozen) {
    this.params = new ArrayList<>();
    for (Pair<String, Parameter> p : parameters) {
      if (!p.getValue().requiresGradient()) continue;
      params.add(p.getValue());
      this.frozen.add(frozen.test(p.getKey()));
      NDArray w = p.getValue().getArray();
      m.add(manager.zeros(w.getShape()));
      v.add(manager.zeros(w.getShape()));
      ema.add(w.duplicate());
    }
    this.weightDecay = (float) weightDecay;
    this.gradClip = (float) gradClip;
    this.emaDecay = (float) emaDecay;
  }

  /**
   * Clips, updates every weight and the moving average, and zeroes the gradients.
   *
   * @return the gradient's global norm before clipping
   * @throws IllegalStateException when the gradient norm is not finite (weights left untouched)
   */
  float step(double learningRate) {
    NDList grads = new NDList(params.size());
    double sq = 0;
    for (int i = 0; i < params.size(); i++) {
      if (frozen.get(i)) {
        grads.add(null);
        continue;
      }
      NDArray g = params.get(i).getArray().getGradient();
      grads.add(g);
      sq += g.square().sum().getFloat();
    }
    float norm = (float) Math.sqrt(sq);
    if (!Float.isFinite(norm)) throw new IllegalStateException("gradient norm is " + norm);
    float scale = norm > gradClip ? gradClip / norm : 1f;
    updates++;
    float c1 = (float) (1 - Math.pow(BETA1, updates)), c2 = (float) (1 - Math.pow(BETA2, updates));
    float lr = (float) learningRate;
    for (int i = 0; i < params.size(); i++) {
      if (frozen.get(i)) continue;
      NDArray w = params.get(i).getArray(), g = grads.get(i).mul(scale);
      m.get(i).muli(BETA1).addi(g.mul(1 - BETA1));
      v.get(i).muli(BETA2).addi(g.square().muli(1 - BETA2));
      NDArray update = m.get(i).div(c1).divi(v.get(i).div(c2).sqrt().addi(EPS));
      if (w.getShape().dimension() > 1 && weightDecay > 0) update.addi(w.mul(weightDecay));
      w.subi(update.muli(lr));
      grads.get(i).subi(grads.get(i));
      // Early on the average tracks the weights closely (warm-up as in Diffusion Policy's EMA).
      float decay = Math.min(emaDecay, (1f + updates) / (10f + updates));
      ema.get(i).muli(decay).addi(w.mul(1 - decay));
    }
    return norm;
  }

  /**
   * Exchanges the weights with their moving average (call twice to undo): to score what the policy
   * runs.
   */
  void swapAverage() {
    for (int i = 0; i < params.size(); i++) {
      NDArray w = params.get(i).getArray();
      float[] raw = w.toFloatArray();
      w.set(ema.get(i).toFloatArray());
      ema.get(i).set(raw);
    }
  }

  /**
   * Restarts the moving average at the current weights (a run initialised from another checkpoint).
   */
  void resetAverage() {
    for (int i = 0; i < params.size(); i++) ema.get(i).set(params.get(i).getArray().toFloatArray());
  }

  long updates() {
    return updates;
  }

  /** The moving-average weights, in parameter order (owned by this optimizer). */
  NDList averagedWeights() {
    return ema;
  }

  /** Everything a resumed run needs: moments, averaged weights (in parameter order). */
  NDList state() {
    NDList out = new NDList();
    out.addAll(m);
    out.addAll(v);
    out.addAll(ema);
    return out;
  }

  /** Restores {@link #state()} saved after {@code updates} updates. */
  void restore(NDList state, long updates) {
    int n = params.size();
    if (state.size() != 3 * n) {
      throw new IllegalArgumentException(
          "optimizer state holds " + state.size() + " arrays, expected " + 3 * n);
    }
    for (int i = 0; i < n; i++) {
      if (!state.get(i).getShape().equals(m.get(i).getShape())) {
        throw new IllegalArgumentException(
            "optimizer state array "
                + i
                + " has shape "
                + state.get(i).getShape()
                + ", expected "
                + m.get(i).getShape());
      }
      m.get(i).set(state.get(i).toFloatArray());
      v.get(i).set(state.get(n + i).toFloatArray());
      ema.get(i).set(state.get(2 * n + i).toFloatArray());
    }
    this.updates = updates;
  }

  List<Parameter> parameters() {
    return params;
  }
}
