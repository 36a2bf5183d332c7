package dev.wam4j.model.wam;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import dev.wam4j.data.loader.TrainingBatch;
import dev.wam4j.data.loader.TrainingLoader;
import dev.wam4j.model.Engines;
import java.nio.ByteBuffer;
import java.util.SplittableRandom;

/**
 * Trains the world action model on one objective, jointly:
 *
 * <ul>
 *   <li><b>action</b>: flow matching (rectified flow) on the normalised action chunk: for noise x0
 *       and a time t ~ U(0, 1), the head predicts x1 - x0 at (1 - t) x0 + t x1; padded actions are
 *       masked;
 *   <li><b>video</b>: the predicted future latent frames against the encoder's latents of the real
 *       future frames (held fixed), plus the decoded prediction against the real pixels;
 *   <li><b>recon</b>: the tokenizer's reconstruction of the current frame.
 * </ul>
 *
 * Weighted by {@link WamConfig#actionWeight()}, {@link WamConfig#videoWeight()} and {@link
 * WamConfig#reconWeight()}; the action-only ablation sets the last two to 0. With a dream branch
 * ({@link WamConfig#dreamFromActions}) the video term adds the branch's latent and pixel loss, its
 * prediction from the executed actions; {@link WamConfig#dreamOnly} trains that term alone, and
 * {@link WamConfig#headOnly} the action loss alone, every other weight held. AdamW with warm-up and
 * cosine decay. Each step runs in its own {@link NDScope}, so native memory stays flat. Flow noise
 * is drawn in Java from a generator seeded by (seed, step), so a resumed run draws the same noise
 * as an uninterrupted one. Not thread-safe; call from one platform thread.
 */
public final class WamTrainer implements AutoCloseable {
  /** Losses of one batch, before the update. */
  public record Losses(
      double total, double action, double video, double recon, double gradNorm, double pose) {}

  private final WamConfig config;
  private final Model model;
  private final WamNetwork net;
  private final AdamW optimizer;
  private final TrainingLoader loader;
  private final TrainingBatch batch;
  private final float[] positions, chunk, mask, noise, times, poseTarget, poseMask, poseInput;
  private final int[] shiftX,
      shiftY; // this batch's augmentation shifts, pixels (0 without augmentation)
  private final byte[] shiftedHistory, shiftedFuture; // augmented copies of the batch's frames
  private final ByteBuffer historyBuffer, futureBuffer; // direct, reused every step (see frames)
  private final float[]
      dreamPlanes; // the dream branch's input planes of a batch (empty without the branch)
  private final ByteBuffer dreamPlanesBuffer; // direct, reused every step (see frames)
  private long step;
  private float[]
      lastPosePrediction; // the pose head's output of the last evaluation batch (null before one)

  WamTrainer(WamConfig config, TrainingLoader loader) {
    this.config = config;
    this.loader = loader;
    // Read by DJL when the engine starts; a later run in the same JVM keeps the first run's
    // threads.
    Engines.useThreadsUnlessSet(config.threads());
    Engines.pytorch().setRandomSeed(Long.hashCode(config.seed()));
    this.model = Model.newInstance("wam", Engines.PYTORCH);
    this.net = new WamNetwork(config);
    model.setBlock(net);
    net.initialize(model.getNDManager(), DataType.FLOAT32, net.inputShapes());
    // headOnly: only the action head learns; dreamOnly: only the dream branch and the decoder. The
    // rest (what
    // init left) is held: AdamW neither moves those weights nor their moving average, which the
    // policy runs
    this.optimizer =
        new AdamW(
            net.getParameters(),
            model.getNDManager(),
            config.weightDecay(),
            config.gradClip(),
            config.emaDecay(),
            name ->
                config.headOnly()
                    ? !WamNetwork.isActionHead(name)
                    : config.dreamOnly()
                        && !WamNetwork.isDreamBranch(name)
                        && !WamNetwork.isDecoder(name));
    this.batch = loader.newBatch();
    int b = config.batchSize(), k = config.flowSamples();
    positions = new float[b * config.historyFrames() * 2];
    chunk = new float[b * net.actionValues()];
    mask = new float[b * config.actionHorizon()];
    noise = new float[b * k * net.actionValues()];
    times = new float[b * k];
    poseTarget = new float[b * WamNetwork.POSE_VALUES];
    poseInput = new float[b * WamNetwork.POSE_VALUES];
    poseMask = new float[b];
    shiftX = new int[b];
    shiftY = new int[b];
    shiftedHistory = new byte[config.shiftPixels() > 0 ? batch.images.length : 0];
    shiftedFuture = new byte[config.shiftPixels() > 0 ? batch.futureImages.length : 0];
    historyBuffer = ByteBuffer.allocateDirect(batch.images.length);
    futureBuffer = ByteBuffer.allocateDirect(batch.futureImages.length);
    dreamPlanes =
        new float
            [config.dreamFromActions()
                ? b * DreamPlanes.channels(config) * config.latentSize() * config.latentSize()
                : 0];
    dreamPlanesBuffer =
        ByteBuffer.allocateDirect(dreamPlanes.length * Float.BYTES)
            .order(java.nio.ByteOrder.nativeOrder());
  }

  /** A trainer with fresh weights. */
  public static WamTrainer create(WamConfig config, TrainingLoader loader) {
    return new WamTrainer(config, loader);
  }

  /**
   * The step size at {@code step} (0-based): linear warm-up, then cosine decay to 0 at {@code
   * steps}.
   */
  static double learningRate(WamConfig c, long step) {
    if (step < c.warmupSteps()) return c.learningRate() * (step + 1) / c.warmupSteps();
    double progress =
        Math.min(1.0, (double) (step - c.warmupSteps()) / Math.max(1, c.steps() - c.warmupSteps()));
    return c.learningRate() * 0.5 * (1 + Math.cos(Math.PI * progress));
  }

  /**
   * One optimizer step on a fresh batch.
   *
   * @throws IllegalStateException when the loss or gradient is NaN or infinite; the weights are
   *     left as they were
   */
  public Losses step() {
    loader.sample(batch);
    Losses losses;
    try (NDScope scope = new NDScope()) {
      scope.suppressNotUsedWarning();
      NDManager m = model.getNDManager();
      ParameterStore ps = new ParameterStore(m, false);
      NDArray[] terms;
      try (GradientCollector collector = model.getNDManager().getEngine().newGradientCollector()) {
        terms =
            losses(
                ps,
                m,
                batch,
                new SplittableRandom(mix(config.seed(), step)),
                true,
                step % config.videoEvery() == 0);
        double total = terms[0].getFloat();
        if (!Double.isFinite(total)) {
          throw new IllegalStateException(
              "wam trainer: loss is "
                  + total
                  + " at step "
                  + (step + 1)
                  + "; stopped before updating the weights (lower learningRate "
                  + config.learningRate()
                  + "?)");
        }
        collector.backward(terms[0]);
      }
      float gradNorm;
      try {
        gradNorm = optimizer.step(learningRate(config, step));
      } catch (IllegalStateException e) {
        throw new IllegalStateException(
            "wam trainer: "
                + e.getMessage()
                + " at step "
                + (step + 1)
                + "; stopped before updating the weights",
            e);
      }
      losses =
          new Losses(
              terms[0].getFloat(),
              terms[1].getFloat(),
              terms[2].getFloat(),
              terms[3].getFloat(),
              gradNorm,
              terms[4].getFloat());
    }
    step++;
    return losses;
  }

  /** The weighted loss and its terms for a batch, as scalars: total, action, video, recon, pose. */
  NDArray[] losses(
      ParameterStore ps, NDManager m, TrainingBatch batch, SplittableRandom rng, boolean training) {
    return losses(ps, m, batch, rng, training, true);
  }

  /**
   * The same; without {@code dream} the future frames are neither encoded nor predicted (the video
   * term is 0).
   */
  NDArray[] losses(
      ParameterStore ps,
      NDManager m,
      TrainingBatch batch,
      SplittableRandom rng,
      boolean training,
      boolean dream) {
    int b = config.batchSize(),
        h = config.historyFrames(),
        f = config.futureFrames(),
        z = config.latentChannels();
    int s = config.latentSize(), k = config.flowSamples(), a = net.actionValues();
    normalize(batch.states, positions, config.workspaceSize());
    ActionFrame.targets(config, batch.actions, batch.states, chunk);
    for (int i = 0; i < mask.length; i++) mask[i] = batch.actionIsPad[i] ? 0f : 1f;
    if (config.headOnly()) return headLosses(ps, m, batch, rng, training);

    byte[] historyBytes = batch.images, futureBytes = batch.futureImages;
    java.util.Arrays.fill(shiftX, 0);
    java.util.Arrays.fill(shiftY, 0);
    if (training && config.shiftPixels() > 0) {
      shift(batch, rng);
      historyBytes = shiftedHistory;
      futureBytes = shiftedFuture;
    }
    NDArray history = frames(m, historyBuffer, historyBytes, b * h, config.imageSize());
    NDArray pos = m.create(positions, new Shape(b, h * 2L));
    boolean video = config.videoWeight() > 0 && dream;
    NDArray latents;
    NDArray futureLatents = null, future = null;
    if (video) { // one encoder call for history and future frames; the future's latents are targets
      // only
      future = frames(m, futureBuffer, futureBytes, b * f, config.imageSize());
      NDArray all = net.encode(ps, history.concat(future, 0), training);
      latents = all.get("0:{}", (long) b * h);
      futureLatents = all.get("{}:", (long) b * h).stopGradient().reshape(b, (long) f * z, s, s);
    } else {
      latents = net.encode(ps, history, training);
    }
    if (config.dreamOnly()) { // the branch and the decoder alone: nothing else is computed
      NDArray videoLoss =
          dreamLoss(ps, m, batch, latents, history, future, futureLatents, training);
      NDArray zero = m.create(0f);
      return new NDArray[] {
        videoLoss.mul(scalar(m, (float) config.videoWeight())), zero, videoLoss, zero, zero
      };
    }
    NDList dyn = net.dynamics(ps, latents.reshape(b, (long) h * z, s, s), pos, history, training);

    NDArray zero = m.create(0f);
    NDArray videoLoss = zero, reconLoss = zero, actionLoss = zero, poseLoss = zero;
    if (config
        .hasPoseHead()) { // privileged: the simulator's block pose teaches where the block is;
      // never an input
      float half = (float) (config.workspaceSize() / 2),
          unitsPerPixel = (float) (config.workspaceSize() / config.imageSize());
      for (int i = 0; i < b; i++) {
        poseMask[i] = batch.hasBlockPose[i] ? 1f : 0f;
        // a frame shifted by (dx, dy) shows its content (dx, dy) pixels up and left: so is the
        // block, for the head's target
        poseTarget[4 * i] = (batch.blockPose[3 * i] - shiftX[i] * unitsPerPixel) / half - 1f;
        poseTarget[4 * i + 1] =
            (batch.blockPose[3 * i + 1] - shiftY[i] * unitsPerPixel) / half - 1f;
        poseTarget[4 * i + 2] = (float) Math.cos(batch.blockPose[3 * i + 2]);
        poseTarget[4 * i + 3] = (float) Math.sin(batch.blockPose[3 * i + 2]);
      }
      NDArray predicted = dyn.get(2);
      if (!training)
        lastPosePrediction =
            predicted.toFloatArray(); // read by poseErrors, for validation in pixels and degrees
      NDArray w = m.create(poseMask, new Shape(b, 1));
      NDArray err =
          predicted.sub(m.create(poseTarget, new Shape(b, WamNetwork.POSE_VALUES))).square().mul(w);
      poseLoss =
          err.sum().div(w.sum().mul(scalar(m, WamNetwork.POSE_VALUES)).maximum(scalar(m, 1f)));
    }
    if (video) {
      NDArray predicted = dyn.get(0);
      NDArray pixels = net.decode(ps, predicted.reshape((long) b * f, z, s, s), training);
      videoLoss =
          predicted
              .sub(futureLatents)
              .square()
              .mean()
              .add(pixelLoss(m, pixels, future, history, config));
      if (config.dreamFromActions())
        videoLoss =
            videoLoss.add(
                dreamLoss(ps, m, batch, latents, history, future, futureLatents, training));
    }
    if (config.reconWeight() > 0) {
      NDArray current = latents.reshape(b, h, z, s, s).get(":, -1");
      NDArray currentFrames =
          history.reshape(b, h, 3, config.imageSize(), config.imageSize()).get(":, -1");
      reconLoss = net.decode(ps, current, training).sub(currentFrames).square().mean();
    }
    if (config.actionWeight() > 0) {
      actionLoss =
          flowLoss(
              ps,
              m,
              rng,
              training,
              () -> {
                if (!config.actionFromPose()) return dyn.get(1);
                // the recorded pose (plus noise) where there is one, else the estimate, held fixed
                NDArray recorded =
                    m.create(
                        recordedPoses(batch, rng, training), new Shape(b, WamNetwork.POSE_VALUES));
                NDArray estimated = unshifted(m, dyn.get(2).stopGradient());
                NDArray w = m.create(poseMask, new Shape(b, 1));
                NDArray pose = recorded.mul(w).add(estimated.mul(w.neg().add(scalar(m, 1f))));
                return WamNetwork.poseCondition(
                    pos, pose, config.poseFeatures(), config.angleHarmonics());
              });
    }
    NDArray total =
        actionLoss
            .mul(scalar(m, (float) config.actionWeight()))
            .add(videoLoss.mul(scalar(m, (float) config.videoWeight())))
            .add(reconLoss.mul(scalar(m, (float) config.reconWeight())))
            .add(poseLoss.mul(scalar(m, (float) config.poseWeight())));
    return new NDArray[] {total, actionLoss, videoLoss, reconLoss, poseLoss};
  }

  /**
   * The dream branch's latent plus pixel loss on a batch: its prediction from the history's latents
   * (held fixed: the branch never trains the encoder) and the actions the episodes executed (not a
   * teacher's labels: the future frames show what was done), against the future frames' latents and
   * pixels.
   *
   * @param latents the history's latents (B*H, Z, 12, 12)
   * @param history the history's frames (B*H, 3, 96, 96), shifted as the future ones are
   * @param future the future frames (B*F, 3, 96, 96)
   * @param futureLatents their latents (B, F*Z, 12, 12), held fixed
   */
  private NDArray dreamLoss(
      ParameterStore ps,
      NDManager m,
      TrainingBatch batch,
      NDArray latents,
      NDArray history,
      NDArray future,
      NDArray futureLatents,
      boolean training) {
    int b = config.batchSize(),
        h = config.historyFrames(),
        f = config.futureFrames(),
        z = config.latentChannels(),
        s = config.latentSize();
    DreamPlanes.fill(config, batch.states, batch.executedActions, b, shiftX, shiftY, dreamPlanes);
    dreamPlanesBuffer.clear();
    dreamPlanesBuffer.asFloatBuffer().put(dreamPlanes);
    NDArray planes =
        m.create(
            dreamPlanesBuffer, new Shape(b, DreamPlanes.channels(config), s, s), DataType.FLOAT32);
    NDArray predicted =
        net.dream(
            ps,
            latents.stopGradient().reshape(b, (long) h * z, s, s),
            planes,
            training); // (B, F*Z, 12, 12)
    NDArray pixels = net.decode(ps, predicted.reshape((long) b * f, z, s, s), training);
    return predicted
        .sub(futureLatents)
        .square()
        .mean()
        .add(pixelLoss(m, pixels, future, history, config));
  }

  /**
   * The pixel loss of predicted future frames: the mean squared error, each pixel that changes
   * between the current frame and its real future frame weighted {@code 1 + movingPixelWeight}
   * ({@link WamConfig#movingPixelWeight}; 0: the plain mean, computed as it always was).
   *
   * @param predicted decoded predictions (B*F, 3, S, S), sample-major
   * @param future the real future frames (B*F, 3, S, S)
   * @param history the history's frames (B*H, 3, S, S), the current one last per sample
   */
  static NDArray pixelLoss(
      NDManager m, NDArray predicted, NDArray future, NDArray history, WamConfig c) {
    NDArray squared = predicted.sub(future).square();
    if (c.movingPixelWeight() == 0) return squared.mean();
    long n = future.getShape().get(0), size = future.getShape().get(2);
    int h = c.historyFrames(), f = c.futureFrames();
    NDArray current =
        history
            .reshape(n / f, h, 3, size, size)
            .get(":, -1")
            .repeat(0, f); // (B*F, 3, S, S): each sample's, per future frame
    NDArray moving =
        future
            .sub(current)
            .abs()
            .mean(new int[] {1}, true)
            .gt(scalar(m, (float) WamConfig.MOVING_PIXEL_THRESHOLD))
            .toType(
                DataType.FLOAT32,
                false); // (B*F, 1, S, S): 1 where the pixel changes, from data only (no gradient)
    NDArray weight = moving.mul(scalar(m, (float) c.movingPixelWeight())).add(scalar(m, 1f));
    return squared.mul(weight).mean();
  }

  /**
   * The pose head's errors on the batch the immediately preceding {@link #losses} call scored
   * without training, against its recorded poses: sums of squared position error (x and y together,
   * workspace pixels squared) and squared angle error (degrees squared), and the number of frames
   * with a pose. Zeros without a pose head, or when that call trained.
   */
  double[] poseErrors() {
    if (lastPosePrediction == null) return new double[3];
    return poseErrors(
        lastPosePrediction, poseTarget, poseMask, (float) (config.workspaceSize() / 2));
  }

  /**
   * {@link #poseErrors()} of predicted and target poses ([n][x, y, cos, sin], x and y in [-1, 1]
   * units of {@code half} pixels).
   */
  static double[] poseErrors(float[] p, float[] t, float[] mask, float half) {
    double pos = 0, ang = 0, n = 0;
    for (int i = 0; i < mask.length; i++) {
      if (mask[i] == 0) continue;
      double dx = (p[4 * i] - t[4 * i]) * half, dy = (p[4 * i + 1] - t[4 * i + 1]) * half;
      double d =
          Math.toDegrees(
              Math.atan2(p[4 * i + 3], p[4 * i + 2]) - Math.atan2(t[4 * i + 3], t[4 * i + 2]));
      d = ((d % 360) + 540) % 360 - 180; // wrapped into [-180, 180)
      pos += dx * dx + dy * dy;
      ang += d * d;
      n++;
    }
    return new double[] {pos, ang, n};
  }

  /**
   * A scalar tensor whose memory libtorch owns (autograd holds a reference as long as it needs it).
   * Never use DJL's {@code Number} overloads ({@code x.mul(2f)}) on a tensor autograd may
   * differentiate: the PyTorch engine wraps the number in a tensor that aliases a Java direct
   * buffer (no copy), closes it as soon as the op returns, and autograd keeps that tensor for
   * backward; once a garbage collection frees the buffer, backward reads freed memory and the
   * gradient is garbage (NaN at a random step). {@code manager.create(value)} would alias a buffer
   * too.
   */
  static NDArray scalar(NDManager m, float value) {
    return m.full(new Shape(), value);
  }

  /**
   * Moves every frame of each sample (history and future alike) by one random offset, edges
   * repeated.
   */
  private void shift(TrainingBatch batch, SplittableRandom rng) {
    int b = config.batchSize(),
        h = config.historyFrames(),
        f = config.futureFrames(),
        size = config.imageSize();
    int frameBytes = size * size * 3, max = config.shiftPixels();
    for (int i = 0; i < b; i++) {
      int dx = rng.nextInt(-max, max + 1), dy = rng.nextInt(-max, max + 1);
      shiftX[i] = dx;
      shiftY[i] = dy;
      for (int j = 0; j < h; j++)
        shiftFrame(batch.images, shiftedHistory, (i * h + j) * frameBytes, size, dx, dy);
      if (shiftedFuture.length > 0) {
        for (int j = 0; j < f; j++)
          shiftFrame(batch.futureImages, shiftedFuture, (i * f + j) * frameBytes, size, dx, dy);
      }
    }
  }

  /**
   * out(x, y) = in(clamp(x + dx), clamp(y + dy)) for one RGB frame at {@code offset} of both
   * arrays.
   */
  static void shiftFrame(byte[] in, byte[] out, int offset, int size, int dx, int dy) {
    for (int y = 0; y < size; y++) {
      int sy = Math.min(size - 1, Math.max(0, y + dy));
      int row = offset + y * size * 3, srcRow = offset + sy * size * 3;
      int x0 = Math.max(0, -dx), x1 = Math.min(size, size - dx); // where x + dx stays inside
      if (x1 > x0) System.arraycopy(in, srcRow + (x0 + dx) * 3, out, row + x0 * 3, (x1 - x0) * 3);
      for (int x = 0; x < x0; x++) System.arraycopy(in, srcRow, out, row + x * 3, 3);
      for (int x = Math.max(x1, 0); x < size; x++)
        System.arraycopy(in, srcRow + (size - 1) * 3, out, row + x * 3, 3);
    }
  }

  /**
   * The flow-matching action loss of a {@link WamConfig#headOnly} batch: the head reads the
   * normalised positions and the recorded block pose (plus noise); nothing else is computed.
   */
  private NDArray[] headLosses(
      ParameterStore ps, NDManager m, TrainingBatch batch, SplittableRandom rng, boolean training) {
    int b = config.batchSize(), h = config.historyFrames();
    for (int i = 0; i < b; i++) {
      if (!batch.hasBlockPose[i]) {
        throw new IllegalStateException(
            "wam trainer: headOnly needs the block pose on every row; sample "
                + i
                + " (episode "
                + batch.episode[i]
                + ", frame "
                + batch.frame[i]
                + ") has none");
      }
    }
    NDArray actionLoss =
        flowLoss(
            ps,
            m,
            rng,
            training,
            () ->
                WamNetwork.poseCondition(
                    m.create(positions, new Shape(b, h * 2L)),
                    m.create(
                        recordedPoses(batch, rng, training), new Shape(b, WamNetwork.POSE_VALUES)),
                    config.poseFeatures(),
                    config.angleHarmonics()));
    NDArray zero = m.create(0f);
    return new NDArray[] {
      actionLoss.mul(scalar(m, (float) config.actionWeight())), actionLoss, zero, zero, zero
    };
  }

  /**
   * The pose head's estimates (B, 4) of shifted frames moved back by each sample's shift: the
   * action head reads them beside unshifted positions.
   */
  private NDArray unshifted(NDManager m, NDArray estimated) {
    float[] back = new float[config.batchSize() * WamNetwork.POSE_VALUES];
    float perPixel =
        (float) (config.workspaceSize() / config.imageSize() / (config.workspaceSize() / 2));
    for (int i = 0; i < config.batchSize(); i++) {
      back[4 * i] = shiftX[i] * perPixel;
      back[4 * i + 1] = shiftY[i] * perPixel;
    }
    return estimated.add(m.create(back, new Shape(config.batchSize(), WamNetwork.POSE_VALUES)));
  }

  /**
   * The flow-matching action loss on this batch's chunks ({@link #chunk}, {@link #mask}): draws the
   * noise and flow times, then the head's condition (B, conditionSize) from {@code condition},
   * repeated per flow sample.
   */
  private NDArray flowLoss(
      ParameterStore ps,
      NDManager m,
      SplittableRandom rng,
      boolean training,
      java.util.function.Supplier<NDArray> condition) {
    int b = config.batchSize(), k = config.flowSamples(), a = net.actionValues();
    for (int i = 0; i < noise.length; i++) noise[i] = (float) gaussian(rng);
    for (int i = 0; i < times.length; i++) times[i] = (float) rng.nextDouble();
    NDArray x1 = m.create(chunk, new Shape(b, a)).repeat(0, k);
    NDArray x0 = m.create(noise, new Shape((long) b * k, a));
    NDArray t = m.create(times, new Shape((long) b * k, 1));
    NDArray xt = x0.mul(t.neg().add(scalar(m, 1f))).add(x1.mul(t));
    NDArray v = net.velocity(ps, xt, t, condition.get().repeat(0, k), training);
    NDArray w =
        m.create(mask, new Shape(b, config.actionHorizon(), 1))
            .repeat(0, k)
            .broadcast((long) b * k, config.actionHorizon(), 2)
            .reshape((long) b * k, a);
    return v.sub(x1.sub(x0)).square().mul(w).sum().div(w.sum().maximum(scalar(m, 1f)));
  }

  /**
   * The batch's recorded block poses as the action head reads them under {@link
   * WamConfig#actionFromPose} ([b][x, y, cos, sin], x and y normalised), with Gaussian noise of
   * {@link WamConfig#poseNoisePixels} and {@link WamConfig#poseNoiseDegrees} when training; sets
   * {@link #poseMask} to where a pose was recorded. Unshifted: the head's positions are not shifted
   * either.
   */
  private float[] recordedPoses(TrainingBatch batch, SplittableRandom rng, boolean training) {
    float half = (float) (config.workspaceSize() / 2);
    double px = training ? config.poseNoisePixels() : 0,
        rad = training ? Math.toRadians(config.poseNoiseDegrees()) : 0;
    for (int i = 0; i < config.batchSize(); i++) {
      poseMask[i] = batch.hasBlockPose[i] ? 1f : 0f;
      double x = batch.blockPose[3 * i] + px * gaussian(rng),
          y = batch.blockPose[3 * i + 1] + px * gaussian(rng);
      double angle = batch.blockPose[3 * i + 2] + rad * gaussian(rng);
      poseInput[4 * i] = (float) (x / half - 1);
      poseInput[4 * i + 1] = (float) (y / half - 1);
      poseInput[4 * i + 2] = (float) Math.cos(angle);
      poseInput[4 * i + 3] = (float) Math.sin(angle);
    }
    return poseInput;
  }

  /**
   * RGB bytes [n][size][size][3] to a float tensor (n, 3, size, size) in [-1, 1], through a
   * reusable direct buffer: DJL copies a heap buffer into a fresh direct one, which only a garbage
   * collection frees, so a training loop creating them every step grows its resident memory by
   * megabytes per step until the JVM's direct-memory limit forces a collection. The tensor made
   * from {@code direct} must be closed before the buffer is filled again (each step's scope does).
   */
  static NDArray frames(NDManager m, ByteBuffer direct, byte[] rgb, int n, int size) {
    int bytes = n * size * size * 3;
    direct.clear();
    direct.put(rgb, 0, bytes).flip();
    NDArray u8 = m.create(direct, new Shape(n, size, size, 3), DataType.UINT8);
    return u8.toType(DataType.FLOAT32, false).div(127.5f).sub(1f).transpose(0, 3, 1, 2);
  }

  /** Workspace pixels [0, size] to [-1, 1]. */
  static void normalize(float[] in, float[] out, double workspaceSize) {
    float scale = (float) (2 / workspaceSize);
    for (int i = 0; i < in.length; i++) out[i] = in[i] * scale - 1f;
  }

  static double gaussian(SplittableRandom rng) {
    double u1 = rng.nextDouble(), u2 = rng.nextDouble();
    return Math.sqrt(-2 * Math.log1p(-u1)) * Math.cos(2 * Math.PI * u2);
  }

  /** A well-mixed seed for (run seed, step). */
  static long mix(long seed, long step) {
    long x = seed * 0x9E3779B97F4A7C15L + step;
    x = (x ^ (x >>> 30)) * 0xBF58476D1CE4E5B9L;
    x = (x ^ (x >>> 27)) * 0x94D049BB133111EBL;
    return x ^ (x >>> 31);
  }

  /** Number of trainable weights. */
  public long parameterCount() {
    long n = 0;
    for (var p : optimizer.parameters()) n += p.getArray().size();
    return n;
  }

  /** Steps taken (including those of a resumed checkpoint). */
  public long steps() {
    return step;
  }

  public WamConfig config() {
    return config;
  }

  WamNetwork network() {
    return net;
  }

  AdamW optimizer() {
    return optimizer;
  }

  Model model() {
    return model;
  }

  void steps(long steps) {
    this.step = steps;
  }

  @Override
  public void close() {
    model.close();
  }
}
