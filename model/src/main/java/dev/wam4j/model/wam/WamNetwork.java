package dev.wam4j.model.wam;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.List;

/**
 * The world action model's network, in parts that share one set of weights:
 *
 * <ol>
 *   <li><b>Tokenizer</b>: an encoder maps each 96x96 RGB frame (values in [-1, 1]) to a 12x12
 *       latent frame of {@code latentChannels}; a decoder maps latent frames back to pixels.
 *   <li><b>Latent dynamics</b>: a residual convolutional network over the history's latent frames
 *       and agent positions (as constant planes) predicts the latent frames {@code futureStride},
 *       {@code 2*futureStride}, ... steps ahead (as changes to the current latent frame), and pools
 *       a trunk feature.
 *   <li><b>Action head</b>: a flow-matching MLP gives the velocity of a noisy action chunk at flow
 *       time t, conditioned on the trunk feature, the agent positions and (optionally)
 *       spatial-softmax keypoints of the frames; integrating it from Gaussian noise samples a
 *       chunk, so multimodal demonstrations stay multimodal.
 *   <li><b>Pose head</b> (optional): the block's pose from the trunk feature and the current
 *       keypoints.
 *   <li><b>Dream branch</b> (optional, {@link WamConfig#dreamFromActions}): a residual
 *       convolutional network of its own over the history's latent frames and {@link DreamPlanes}
 *       (the agent positions and the chunk about to run, on the latent grid) predicts the future
 *       latent frames that chunk leads to; nothing else reads it.
 * </ol>
 *
 * Shapes are NCHW. Package-private: {@link WamTrainer} and {@link WamPolicy} drive it.
 */
final class WamNetwork extends AbstractBlock {
  static final int TIME_EMBEDDING = 32;

  private final WamConfig c;
  private final SequentialBlock encoder;
  private final SequentialBlock decoder;
  private final SequentialBlock dynamicsIn;
  private final List<SequentialBlock> dynamicsBlocks = new ArrayList<>();
  private final SequentialBlock futureOut;
  private final SequentialBlock featureOut;
  private final SequentialBlock actionHead;
  private final SequentialBlock keypointNet; // null without keypoints
  private final SequentialBlock poseHead; // null without a pose head
  private final SequentialBlock dreamIn; // null without a dream branch, as are the two below
  private final List<SequentialBlock> dreamBlocks = new ArrayList<>();
  private final SequentialBlock dreamOut;
  static final int POSE_VALUES = 4; // x, y, cos, sin
  static final int POSE_HIDDEN = 128;
  private float[] gridX = new float[0], gridY = new float[0];

  WamNetwork(WamConfig config) {
    this.c = config;
    int e = config.encoderChannels(), z = config.latentChannels(), d = config.dynamicsChannels();
    encoder =
        addChildBlock(
            "encoder",
            new SequentialBlock()
                .add(conv(e, 4, 4, 0))
                .add(Activation::gelu) // 96 -> 24, a patchify stem
                .add(conv(e, 3, 1, 1))
                .add(Activation::gelu)
                .add(conv(2 * e, 3, 2, 1))
                .add(Activation::gelu) // 24 -> 12
                .add(conv(z, 1, 1, 0)));
    decoder =
        addChildBlock(
            "decoder",
            new SequentialBlock()
                .add(conv(2 * e, 3, 1, 1))
                .add(Activation::gelu)
                .add(conv(4 * e, 1, 1, 0))
                .add(Blocks.pixelShuffle(2))
                .add(Activation::gelu) // 12 -> 24
                .add(conv(e, 3, 1, 1))
                .add(Activation::gelu)
                .add(conv(3 * 16, 1, 1, 0))
                .add(Blocks.pixelShuffle(4))
                .add(Activation::tanh)); // 24 -> 96
    dynamicsIn =
        addChildBlock(
            "dynamics_in", new SequentialBlock().add(conv(d, 3, 1, 1)).add(Activation::gelu));
    for (int i = 0; i < config.dynamicsBlocks(); i++) {
      dynamicsBlocks.add(
          addChildBlock(
              "dynamics_block" + i,
              new SequentialBlock()
                  .add(conv(d, 3, 1, 1))
                  .add(Activation::gelu)
                  .add(conv(d, 3, 1, 1))));
    }
    futureOut =
        addChildBlock(
            "future_out", new SequentialBlock().add(conv(config.futureFrames() * z, 3, 1, 1)));
    featureOut =
        addChildBlock(
            "feature_out",
            new SequentialBlock()
                .add(conv(d, 3, 2, 1))
                .add(Activation::gelu) // 12 -> 6
                .add(Blocks.flatten())
                .add(Linear.builder().setUnits(config.featureSize()).build())
                .add(Activation::gelu));
    SequentialBlock head = new SequentialBlock();
    for (int i = 0; i < config.headLayers(); i++) {
      head.add(Linear.builder().setUnits(config.headWidth()).build()).add(Activation::gelu);
    }
    head.add(Linear.builder().setUnits(actionValues()).build());
    actionHead = addChildBlock("action_head", head);
    // added last, so the parameter names of checkpoints without keypoints stay as they were
    keypointNet =
        config.keypoints() == 0
            ? null
            : addChildBlock(
                "keypoints",
                new SequentialBlock()
                    .add(conv(e, 5, 2, 2))
                    .add(Activation::gelu) // 96 -> 48
                    .add(conv(e, 3, 1, 1))
                    .add(Activation::gelu)
                    .add(conv(config.keypoints(), 1, 1, 0)));
    poseHead =
        !config.hasPoseHead()
            ? null
            : addChildBlock(
                "pose_head",
                new SequentialBlock()
                    .add(Linear.builder().setUnits(POSE_HIDDEN).build())
                    .add(Activation::gelu)
                    .add(Linear.builder().setUnits(POSE_VALUES).build()));
    // last of all, so every other parameter keeps its name and a checkpoint without the branch
    // loads into this network
    dreamIn =
        !config.dreamFromActions()
            ? null
            : addChildBlock(
                "dream_in",
                new SequentialBlock()
                    .add(conv(config.dreamChannels(), 3, 1, 1))
                    .add(Activation::gelu));
    for (int i = 0; config.dreamFromActions() && i < config.dreamBlocks(); i++) {
      dreamBlocks.add(
          addChildBlock(
              "dream_block" + i,
              new SequentialBlock()
                  .add(conv(config.dreamChannels(), 3, 1, 1))
                  .add(Activation::gelu)
                  .add(conv(config.dreamChannels(), 3, 1, 1))));
    }
    dreamOut =
        !config.dreamFromActions()
            ? null
            : addChildBlock(
                "dream_out", new SequentialBlock().add(conv(config.futureFrames() * z, 3, 1, 1)));
  }

  /** Whether a parameter (by its name in {@code getParameters()}) belongs to the action head. */
  static boolean isActionHead(String parameterName) {
    return parameterName.matches("\\d+action_head_.*");
  }

  /** Whether a parameter belongs to the dream branch ({@link WamConfig#dreamFromActions}). */
  static boolean isDreamBranch(String parameterName) {
    return parameterName.matches("\\d+dream_.*");
  }

  /** Whether a parameter belongs to the tokenizer's decoder. */
  static boolean isDecoder(String parameterName) {
    return parameterName.matches("\\d+decoder_.*");
  }

  /** Floats into the pose head: the trunk feature and the current frame's keypoints. */
  private int poseInputs() {
    return c.featureSize() + 2 * c.keypoints();
  }

  /** Side of the keypoint heat maps. */
  private int keypointMapSize() {
    return c.imageSize() / 2;
  }

  /**
   * Spatial-softmax keypoints of frames (B*H, 3, 96, 96): each heat map's expected (x, y) in [-1,
   * 1], as (B, H * 2K): frame by frame, the K x's then the K y's.
   */
  NDArray keypoints(ParameterStore ps, NDArray frames, long batch, boolean training) {
    int k = c.keypoints(), side = keypointMapSize(), cells = side * side;
    long n = frames.getShape().get(0);
    NDArray maps =
        keypointNet
            .forward(ps, new NDList(frames), training)
            .singletonOrThrow()
            .reshape(n, k, cells);
    NDArray p = maps.softmax(2);
    if (gridX.length != cells) {
      float[] gx = new float[cells], gy = new float[cells];
      for (int y = 0; y < side; y++) {
        for (int x = 0; x < side; x++) {
          gx[y * side + x] = (2f * x + 1) / side - 1;
          gy[y * side + x] = (2f * y + 1) / side - 1;
        }
      }
      gridX = gx;
      gridY = gy;
    }
    NDManager m = frames.getManager();
    NDArray ex = p.mul(m.create(gridX, new Shape(1, 1, cells))).sum(new int[] {2});
    NDArray ey = p.mul(m.create(gridY, new Shape(1, 1, cells))).sum(new int[] {2});
    return ex.concat(ey, 1).reshape(batch, n / batch * 2L * k);
  }

  private static Conv2d conv(int filters, int kernel, int stride, int padding) {
    return Conv2d.builder()
        .setFilters(filters)
        .setKernelShape(new Shape(kernel, kernel))
        .optStride(new Shape(stride, stride))
        .optPadding(new Shape(padding, padding))
        .build();
  }

  /** Floats of one action chunk: horizon x (x, y). */
  int actionValues() {
    return c.actionHorizon() * 2;
  }

  /**
   * Floats of the action head's condition: trunk feature, the history's normalised positions, (if
   * on) its keypoints and (if on) the predicted block pose, in that order; with {@link
   * WamConfig#actionFromPose} only the positions and the pose ({@link #poseCondition}) (so a
   * checkpoint without the last two widens into this one: {@link PolicyWeights#loadWideningHead}).
   */
  int conditionSize() {
    if (c.actionFromPose()) {
      int raw = c.historyFrames() * 2 + POSE_VALUES;
      if (c.poseFeatures() == 0) return raw;
      int coordinates =
          c.historyFrames() * 2
              + 2
              + c.historyFrames() * 2; // positions, block x y, positions in the block's frame
      return raw
          + c.historyFrames() * 2
          + coordinates * 2 * c.poseFeatures()
          + 2 * c.angleHarmonics();
    }
    return c.featureSize()
        + c.historyFrames() * 2
        + c.historyFrames() * 2 * c.keypoints()
        + (c.hasPoseHead() ? POSE_VALUES : 0);
  }

  /** Frames (N, 3, 96, 96) in [-1, 1] to latent frames (N, Z, 12, 12). */
  NDArray encode(ParameterStore ps, NDArray frames, boolean training) {
    return encoder.forward(ps, new NDList(frames), training).singletonOrThrow();
  }

  /** Latent frames (N, Z, 12, 12) to frames (N, 3, 96, 96) in [-1, 1]. */
  NDArray decode(ParameterStore ps, NDArray latents, boolean training) {
    return decoder.forward(ps, new NDList(latents), training).singletonOrThrow();
  }

  /**
   * The latent dynamics.
   *
   * @param history latent frames of the history, (B, H*Z, 12, 12), oldest first
   * @param positions normalised agent positions, (B, H*2)
   * @param frames the history's frames (B*H, 3, 96, 96) in [-1, 1], read for keypoints (ignored
   *     without them)
   * @return predicted future latent frames (B, F*Z, 12, 12), the action head's condition (B,
   *     conditionSize) and, with a pose head, its raw estimate (B, 4)
   */
  NDList dynamics(
      ParameterStore ps, NDArray history, NDArray positions, NDArray frames, boolean training) {
    NDArray points =
        keypointNet == null ? null : keypoints(ps, frames, history.getShape().get(0), training);
    return dynamicsWithKeypoints(ps, history, positions, points, training);
  }

  /** Whether {@link #dynamics} reads keypoints from the frames (keypoints > 0). */
  boolean hasKeypoints() {
    return keypointNet != null;
  }

  /**
   * {@link #dynamics} with the history's keypoints already found: what lets a recorded episode's
   * frames be seen once each, not once per history they belong to.
   *
   * @param points the history's keypoints (B, H*2*K), frame after frame as {@link #keypoints} gives
   *     them; null when the network has none
   */
  NDList dynamicsWithKeypoints(
      ParameterStore ps, NDArray history, NDArray positions, NDArray points, boolean training) {
    long b = history.getShape().get(0);
    int s = c.latentSize(), z = c.latentChannels();
    NDArray planes =
        positions
            .reshape(b, c.historyFrames() * 2L, 1, 1)
            .broadcast(b, c.historyFrames() * 2L, s, s);
    NDArray h =
        dynamicsIn.forward(ps, new NDList(history.concat(planes, 1)), training).singletonOrThrow();
    for (SequentialBlock block : dynamicsBlocks) {
      h = h.add(block.forward(ps, new NDList(h), training).singletonOrThrow());
    }
    NDArray future =
        plusCurrent(history, futureOut.forward(ps, new NDList(h), training).singletonOrThrow());
    NDArray feature = featureOut.forward(ps, new NDList(h), training).singletonOrThrow();
    NDArray condition = feature.concat(positions, 1);
    if (points != null) condition = condition.concat(points, 1);
    if (poseHead != null) {
      NDArray in =
          points == null
              ? feature
              : feature.concat(
                  points.get(":, {}:", (long) (c.historyFrames() - 1) * 2 * c.keypoints()), 1);
      NDArray pose = poseHead.forward(ps, new NDList(in), training).singletonOrThrow();
      condition =
          c.actionFromPose()
              ? poseCondition(positions, pose, c.poseFeatures(), c.angleHarmonics())
              : condition.concat(pose, 1);
      return new NDList(future, condition, pose);
    }
    return new NDList(future, condition);
  }

  /**
   * Future latent frames (B, F*Z, 12, 12) from their predicted changes (B, F*Z, 12, 12) to the
   * history's (B, H*Z, 12, 12) current one.
   */
  private NDArray plusCurrent(NDArray history, NDArray change) {
    NDArray current = history.get(":, {}:", (long) (c.historyFrames() - 1) * c.latentChannels());
    NDList copies = new NDList();
    for (int k = 0; k < c.futureFrames(); k++) copies.add(current);
    return change.add(
        NDArrays.concat(copies, 1)); // (tile is not implemented by the PyTorch engine)
  }

  /**
   * The dream branch ({@link WamConfig#dreamFromActions}): the future latent frames an action chunk
   * leads to.
   *
   * @param history latent frames of the history, (B, H*Z, 12, 12), oldest first
   * @param planes the agent positions and the chunk's targets on the latent grid, (B, {@link
   *     DreamPlanes#channels}, 12, 12)
   * @return predicted future latent frames (B, F*Z, 12, 12), at futureStride, 2*futureStride, ...
   * @throws IllegalStateException when the network has no dream branch
   */
  NDArray dream(ParameterStore ps, NDArray history, NDArray planes, boolean training) {
    if (dreamIn == null)
      throw new IllegalStateException("wam network: no dream branch (dreamFromActions false)");
    NDArray h =
        dreamIn
            .forward(ps, new NDList(history.concat(planes, 1)), training)
            .singletonOrThrow(); // (B, dreamChannels, 12, 12)
    for (SequentialBlock block : dreamBlocks)
      h = h.add(block.forward(ps, new NDList(h), training).singletonOrThrow());
    return plusCurrent(history, dreamOut.forward(ps, new NDList(h), training).singletonOrThrow());
  }

  /**
   * The action head's condition under {@link WamConfig#actionFromPose}: normalised positions (B,
   * H*2) and a block pose (B, 4: x, y in [-1, 1], cos, sin), estimated or, in training, recorded;
   * with {@code octaves} ({@link WamConfig#poseFeatures}) and {@code harmonics} ({@link
   * WamConfig#angleHarmonics}) its Fourier features, the harmonics last so that a head trained
   * without them can be widened with zero weights.
   */
  static NDArray poseCondition(NDArray positions, NDArray pose, int octaves, int harmonics) {
    NDManager m = pose.getManager();
    // the estimate's (cos, sin) to unit length, as the recorded poses the head trains on are
    NDArray angle = pose.get(":, 2:4");
    NDArray length =
        angle.square().sum(new int[] {1}, true).sqrt().maximum(WamTrainer.scalar(m, 1e-3f));
    NDArray cs = angle.div(length), xy = pose.get(":, 0:2");
    NDArray raw = positions.concat(xy, 1).concat(cs, 1);
    if (octaves == 0) return raw;
    // the agent in the block's frame: R(-angle) (agent - block), for every history frame
    long b = positions.getShape().get(0), h = positions.getShape().get(1) / 2;
    NDArray agent = positions.reshape(b, h, 2);
    NDArray dx = agent.get(":, :, 0").sub(xy.get(":, 0:1")),
        dy = agent.get(":, :, 1").sub(xy.get(":, 1:2"));
    NDArray c = cs.get(":, 0:1"), s = cs.get(":, 1:2");
    NDArray along = dx.mul(c).add(dy.mul(s)), across = dy.mul(c).sub(dx.mul(s));
    NDArray relative = along.expandDims(2).concat(across.expandDims(2), 2).reshape(b, 2 * h);
    NDArray coordinates = positions.concat(xy, 1).concat(relative, 1);
    NDList parts = new NDList(raw, relative);
    for (int k = 0; k < octaves; k++) {
      NDArray scaled = coordinates.mul(WamTrainer.scalar(m, (float) (Math.PI * (1 << k))));
      parts.add(scaled.sin());
      parts.add(scaled.cos());
    }
    // cos and sin of 2^k times the angle, by doubling: cos 2a = c^2 - s^2, sin 2a = 2 s c
    NDArray hc = c, hs = s;
    for (int k = 1; k <= harmonics; k++) {
      NDArray nextC = hc.square().sub(hs.square()),
          nextS = hs.mul(hc).mul(WamTrainer.scalar(m, 2f));
      hc = nextC;
      hs = nextS;
      parts.add(hc);
      parts.add(hs);
    }
    return NDArrays.concat(parts, 1);
  }

  /**
   * Velocity of the flow at noisy chunks {@code xt} (N, horizon*2) and times {@code t} (N, 1) in
   * [0, 1], given conditions (N, conditionSize).
   */
  NDArray velocity(ParameterStore ps, NDArray xt, NDArray t, NDArray condition, boolean training) {
    return actionHead
        .forward(
            ps,
            new NDList(NDArrays.concat(new NDList(xt, timeEmbedding(t), condition), 1)),
            training)
        .singletonOrThrow();
  }

  /** Sinusoidal features of the flow time at geometrically spaced frequencies 1..1000. */
  static NDArray timeEmbedding(NDArray t) {
    int half = TIME_EMBEDDING / 2;
    float[] freq = new float[half];
    for (int i = 0; i < half; i++) freq[i] = (float) Math.exp(Math.log(1000.0) * i / (half - 1));
    NDArray angles = t.mul(t.getManager().create(freq, new Shape(1, half)));
    return angles.sin().concat(angles.cos(), 1);
  }

  /**
   * Whole-policy forward for a batch: history frames, positions, noisy chunks, times -> velocities.
   */
  @Override
  protected NDList forwardInternal(
      ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
    NDArray frames = inputs.get(0),
        positions = inputs.get(1),
        xt = inputs.get(2),
        t = inputs.get(3);
    long b = positions.getShape().get(0);
    int s = c.latentSize();
    NDArray latents =
        encode(ps, frames, training)
            .reshape(b, (long) c.historyFrames() * c.latentChannels(), s, s);
    NDArray condition = dynamics(ps, latents, positions, frames, training).get(1);
    return new NDList(velocity(ps, xt, t, condition, training));
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return new Shape[] {new Shape(inputShapes[1].get(0), actionValues())};
  }

  /** Initialises every part with its own input shape (the parts are not one chain). */
  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    int s = c.latentSize(), z = c.latentChannels(), d = c.dynamicsChannels(), h = c.historyFrames();
    encoder.initialize(manager, dataType, new Shape(1, 3, c.imageSize(), c.imageSize()));
    decoder.initialize(manager, dataType, new Shape(1, z, s, s));
    dynamicsIn.initialize(manager, dataType, new Shape(1, (long) h * z + h * 2L, s, s));
    for (Block block : dynamicsBlocks) block.initialize(manager, dataType, new Shape(1, d, s, s));
    futureOut.initialize(manager, dataType, new Shape(1, d, s, s));
    featureOut.initialize(manager, dataType, new Shape(1, d, s, s));
    actionHead.initialize(
        manager, dataType, new Shape(1, actionValues() + TIME_EMBEDDING + conditionSize()));
    if (keypointNet != null)
      keypointNet.initialize(manager, dataType, new Shape(1, 3, c.imageSize(), c.imageSize()));
    if (poseHead != null) poseHead.initialize(manager, dataType, new Shape(1, poseInputs()));
    if (dreamIn != null) {
      dreamIn.initialize(
          manager, dataType, new Shape(1, (long) h * z + DreamPlanes.channels(c), s, s));
      for (Block block : dreamBlocks)
        block.initialize(manager, dataType, new Shape(1, c.dreamChannels(), s, s));
      dreamOut.initialize(manager, dataType, new Shape(1, c.dreamChannels(), s, s));
      // a fresh branch predicts no change: it starts as the copy-last baseline the dream is
      // measured against
      for (var p : dreamOut.getParameters())
        p.getValue().getArray().set(new float[(int) p.getValue().getArray().size()]);
    }
  }

  /** Input shapes of {@link #forwardInternal} for a batch of one. */
  Shape[] inputShapes() {
    return new Shape[] {
      new Shape(c.historyFrames(), 3, c.imageSize(), c.imageSize()),
          new Shape(1, c.historyFrames() * 2L),
      new Shape(1, actionValues()), new Shape(1, 1)
    };
  }
}
