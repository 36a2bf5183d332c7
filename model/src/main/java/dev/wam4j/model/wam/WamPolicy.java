package dev.wam4j.model.wam;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import dev.wam4j.model.CheckpointException;
import dev.wam4j.model.Engines;
import dev.wam4j.model.policy.ChunkPolicy;
import dev.wam4j.model.policy.Plan;
import dev.wam4j.model.policy.PlanSettings;
import dev.wam4j.model.policy.PlanSignals;
import java.io.IOException;
import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * The world action model as a runtime policy: the observation history in, an action chunk (sampled
 * by integrating the flow from Gaussian noise with {@link WamConfig#sampleSteps()} Euler steps)
 * and, on request, the dream: the predicted future frames decoded to pixels, those of the chunk
 * just sampled where the checkpoint has a dream branch ({@link WamConfig#dreamFromActions}), else
 * the trunk's, which reads no action. With a branch, {@link #dreamOf} imagines the futures of any
 * candidate chunks and {@link #imagine} samples candidates and dreams each, for {@link
 * dev.wam4j.model.imagine.ImaginationPolicy}. Runs the checkpoint's moving-average weights. Owns
 * native memory; close it. Not thread-safe.
 */
public final class WamPolicy implements ChunkPolicy {
  /** Most candidate chunks one {@link #imagine} samples. */
  public static final int MAX_CANDIDATES = WamConfig.MAX_IMAGINE_CANDIDATES;

  private final WamConfig config;
  private final WamCheckpoint.Meta meta;
  private final Model model;
  private final WamNetwork net;
  private final float[] positions;
  private float[]
      noise; // the candidates' noise, [candidates][actionValues], reused while their number stays
  private final java.nio.ByteBuffer imagesBuffer; // direct, reused by every plan
  private final java.nio.ByteBuffer
      planesBuffer; // direct, reused by every dream: room for MAX_CANDIDATES chunks' planes
  private SplittableRandom rng = new SplittableRandom(0);
  private SplittableRandom spreadRng =
      new SplittableRandom(~0L); // the extra chunks' own noise: actions stay the same
  private int spreadSamples;
  private float[] spreadNoise = new float[0];

  private WamPolicy(WamCheckpoint.Meta meta, Model model, WamNetwork net) {
    this.config = meta.config();
    this.meta = meta;
    this.model = model;
    this.net = net;
    this.positions = new float[config.historyFrames() * 2];
    this.noise = new float[net.actionValues()];
    this.imagesBuffer =
        java.nio.ByteBuffer.allocateDirect(
            config.historyFrames() * config.imageSize() * config.imageSize() * 3);
    this.planesBuffer =
        java.nio.ByteBuffer.allocateDirect(
                config.dreamFromActions() ? PolicyDream.planeBytes(config, MAX_CANDIDATES) : 0)
            .order(java.nio.ByteOrder.nativeOrder());
  }

  /**
   * Loads a checkpoint directory, or a run directory (its latest checkpoint).
   *
   * @throws CheckpointException when it is not a wam checkpoint, is corrupted, or does not fit its
   *     config
   */
  public static WamPolicy load(Path checkpoint) throws IOException {
    return load(checkpoint, PlanSettings.CHECKPOINT);
  }

  /** Loads a checkpoint and plans with other inference settings than the ones it was saved with. */
  public static WamPolicy load(Path checkpoint, PlanSettings settings) throws IOException {
    Path dir = WamCheckpoint.resolve(checkpoint);
    WamCheckpoint.Meta saved = WamCheckpoint.readMeta(dir);
    WamCheckpoint.Meta meta = saved.withConfig(saved.config().with(settings));
    Engines.pytorch();
    Model model = Model.newInstance("wam", Engines.PYTORCH);
    try {
      WamNetwork net = new WamNetwork(meta.config());
      model.setBlock(net);
      net.initialize(model.getNDManager(), DataType.FLOAT32, net.inputShapes());
      PolicyWeights.load(dir, meta, net, model.getNDManager());
      return new WamPolicy(meta, model, net);
    } catch (IOException | RuntimeException e) {
      model.close();
      throw e;
    }
  }

  public WamConfig config() {
    return config;
  }

  /** The checkpoint's metadata (config, step, data, metrics). */
  public WamCheckpoint.Meta meta() {
    return meta;
  }

  WamNetwork network() {
    return net;
  }

  @Override
  public int historyFrames() {
    return config.historyFrames();
  }

  @Override
  public int imageSize() {
    return config.imageSize();
  }

  @Override
  public int executeSteps() {
    return config.executeSteps();
  }

  @Override
  public void reset(long seed) {
    rng = new SplittableRandom(seed);
    spreadRng = new SplittableRandom(~seed);
  }

  @Override
  public void sampleActionSpread(int samples) {
    if (samples < 0 || samples > 256)
      throw new IllegalArgumentException(
          "action spread samples must lie in 0..256, got " + samples);
    spreadSamples = samples;
  }

  @Override
  public Plan plan(byte[] images, float[] agentPositions, boolean dream) {
    requireObservation("plan", images, agentPositions);
    long t0 = System.nanoTime();
    float[] actions;
    PlanSignals signals;
    byte[] dreamFrames = new byte[0];
    int[] offsets = new int[0];
    try (NDScope scope = new NDScope()) {
      scope.suppressNotUsedWarning();
      NDManager m = model.getNDManager();
      ParameterStore ps = new ParameterStore(m, false);
      Observation o = observe(m, ps, images, agentPositions);
      actions = sampleChunks(m, ps, o.condition(), agentPositions, 1, "plan");
      double spread = spreadSamples > 0 ? spread(m, ps, o.condition()) : Double.NaN;
      NDArray future =
          config.dreamFromActions() // (1, F*Z, s, s)
              ? PolicyDream.latents(
                  config, net, ps, m, o.history(), agentPositions, actions, 1, planesBuffer)
              : o.trunkFuture();
      signals =
          new PlanSignals(
              o.newest().length,
              o.newest(),
              future.toFloatArray(),
              PolicyDream.offsets(config),
              spread);
      if (dream) {
        dreamFrames = PolicyDream.frames(config, net, ps, future);
        offsets = PolicyDream.offsets(config);
      }
    }
    return new Plan(
        actions,
        config.actionHorizon(),
        dreamFrames,
        offsets,
        (System.nanoTime() - t0) / 1e9,
        signals);
  }

  /**
   * Samples {@code candidates} action chunks for one observation and dreams each through the dream
   * branch: what a planner needs to choose among chunks by their imagined outcome. The observation
   * is encoded once; the chunks are integrated along the flow in one batch, candidate {@code i}
   * from the {@code i}-th draw of noise from this policy's generator (seeded by {@link #reset}), so
   * a run is reproducible and candidate 0 is the chunk {@link #plan} would have sampled from the
   * same generator state (exactly so for one candidate, the same batch of one); the dreams are one
   * batched pass, as {@link #dreamOf}. Moves the generator on by all the candidates' noise.
   *
   * @param images the history's frames, as {@link #plan}
   * @param agentPositions the history's agent positions, workspace pixels, oldest first
   * @param candidates chunks to sample, 1..{@value #MAX_CANDIDATES}
   * @throws IllegalStateException when the checkpoint has no dream branch ({@link
   *     WamConfig#dreamFromActions} false)
   * @throws IllegalArgumentException when an input has the wrong length or {@code candidates} is
   *     out of range
   */
  public Imagination imagine(byte[] images, float[] agentPositions, int candidates) {
    requireDreamBranch("imagine", "its candidate chunks");
    requireObservation("imagine", images, agentPositions);
    if (candidates < 1 || candidates > MAX_CANDIDATES) {
      throw new IllegalArgumentException(
          "imagine: candidates must lie in 1.." + MAX_CANDIDATES + ", got " + candidates);
    }
    int a = net.actionValues();
    float[][] chunks = new float[candidates][];
    Dreams dreams;
    float[] newest;
    double spread;
    try (NDScope scope = new NDScope()) {
      scope.suppressNotUsedWarning();
      NDManager m = model.getNDManager();
      ParameterStore ps = new ParameterStore(m, false);
      Observation o = observe(m, ps, images, agentPositions);
      float[] all =
          sampleChunks(
              m, ps, o.condition(), agentPositions, candidates, "imagine"); // [candidates][a]
      spread = spreadSamples > 0 ? spread(m, ps, o.condition()) : Double.NaN;
      dreams = dreams(m, ps, o.history(), agentPositions, all, candidates);
      newest = o.newest();
      for (int i = 0; i < candidates; i++)
        chunks[i] = java.util.Arrays.copyOfRange(all, i * a, (i + 1) * a);
    }
    return new Imagination(chunks, dreams, newest, spread);
  }

  /**
   * What the dream branch expects each candidate chunk to lead to from one observation: the
   * observation is encoded once and every chunk dreamed in one batched forward pass. Draws no
   * noise, so the actions of later plans do not change.
   *
   * @param images the history's frames, as {@link #plan}
   * @param agentPositions the history's agent positions, workspace pixels, oldest first
   * @param chunks 1..{@value #MAX_CANDIDATES} candidate chunks, each {@code [actionHorizon][2]}
   *     absolute targets in workspace pixels, as {@link Plan#actions()} holds them; the first
   *     {@link WamConfig#dreamTargets()} of each are read
   * @throws IllegalStateException when the checkpoint has no dream branch ({@link
   *     WamConfig#dreamFromActions} false)
   * @throws IllegalArgumentException when an input has the wrong length or a chunk a non-finite
   *     value
   */
  public Dreams dreamOf(byte[] images, float[] agentPositions, float[][] chunks) {
    requireDreamBranch("dreamOf", "a given chunk");
    requireObservation("dreamOf", images, agentPositions);
    int h = config.historyFrames(),
        z = config.latentChannels(),
        s = config.latentSize(),
        a = net.actionValues(),
        n = chunks.length;
    if (n == 0 || n > MAX_CANDIDATES)
      throw new IllegalArgumentException(
          "dreamOf: candidate chunks must number 1.." + MAX_CANDIDATES + ", got " + n);
    float[] all = new float[n * a];
    for (int i = 0; i < n; i++) {
      if (chunks[i].length != a)
        throw new IllegalArgumentException(
            "dreamOf: chunk " + i + " holds " + chunks[i].length + " values, expected " + a);
      for (float v : chunks[i])
        if (!Float.isFinite(v))
          throw new IllegalArgumentException(
              "dreamOf: chunk " + i + " holds a non-finite value " + v);
      System.arraycopy(chunks[i], 0, all, i * a, a);
    }
    try (NDScope scope = new NDScope()) {
      scope.suppressNotUsedWarning();
      NDManager m = model.getNDManager();
      ParameterStore ps = new ParameterStore(m, false);
      NDArray encoded =
          net.encode(ps, WamTrainer.frames(m, imagesBuffer, images, h, config.imageSize()), false);
      return dreams(m, ps, encoded.reshape(1, (long) h * z, s, s), agentPositions, all, n);
    }
  }

  /**
   * One observation as the network sees it, inside the caller's scope.
   *
   * @param history the latent frames (1, H*Z, s, s)
   * @param trunkFuture the trunk's own future latents (1, F*Z, s, s), which read no action
   * @param condition what the action head reads
   * @param newest the newest frame's latent, {@code [Z*s*s]}
   * @param pose the pose head's estimate (1, 4), or null without a pose head
   */
  private record Observation(
      NDArray history, NDArray trunkFuture, NDArray condition, float[] newest, NDArray pose) {}

  /**
   * Encodes the history (images, and {@link #positions} normalised from {@code agentPositions}) and
   * runs the trunk.
   */
  private Observation observe(
      NDManager m, ParameterStore ps, byte[] images, float[] agentPositions) {
    int h = config.historyFrames(), z = config.latentChannels(), s = config.latentSize();
    WamTrainer.normalize(agentPositions, positions, config.workspaceSize());
    NDArray frames = WamTrainer.frames(m, imagesBuffer, images, h, config.imageSize());
    NDArray encoded = net.encode(ps, frames, false); // (h, z, s, s)
    NDArray history = encoded.reshape(1, (long) h * z, s, s);
    NDList dyn =
        net.dynamics(ps, history, m.create(positions, new Shape(1, h * 2L)), frames, false);
    return new Observation(
        history,
        dyn.get(0),
        dyn.get(1),
        encoded.get(h - 1).toFloatArray(),
        dyn.size() > 2 ? dyn.get(2) : null);
  }

  /**
   * {@code n} chunks sampled from {@code condition}, each from its own draw of noise off {@link
   * #rng}, as {@code [n][actionValues]} workspace pixels.
   *
   * @throws IllegalStateException naming {@code method} when the model produced a non-finite action
   */
  private float[] sampleChunks(
      NDManager m,
      ParameterStore ps,
      NDArray condition,
      float[] agentPositions,
      int n,
      String method) {
    int a = net.actionValues();
    if (noise.length != n * a) noise = new float[n * a];
    for (int i = 0; i < noise.length; i++)
      noise[i] = (float) (config.sampleNoise() * WamTrainer.gaussian(rng));
    float[] actions = sample(m, ps, noise, n, condition);
    for (float v : actions) {
      if (!Float.isFinite(v))
        throw new IllegalStateException(method + ": the model produced a non-finite action " + v);
    }
    ActionFrame.actions(
        config, actions, agentPositions); // workspace pixels, what the dream branch reads
    return actions;
  }

  /**
   * The dream branch's futures of {@code n} chunks ({@code [n][actionValues]} workspace pixels)
   * from one history (1, H*Z, s, s).
   */
  private Dreams dreams(
      NDManager m,
      ParameterStore ps,
      NDArray history,
      float[] agentPositions,
      float[] chunks,
      int n) {
    int latentValues = config.latentChannels() * config.latentSize() * config.latentSize(),
        perLatents = config.futureFrames() * latentValues;
    int perFrames = config.futureFrames() * config.imageSize() * config.imageSize() * 3;
    NDArray future =
        PolicyDream.latents(
            config, net, ps, m, history, agentPositions, chunks, n, planesBuffer); // (n, F*Z, s, s)
    float[] flatLatents = future.toFloatArray();
    byte[] flatFrames = PolicyDream.frames(config, net, ps, future);
    float[][] latents = new float[n][];
    byte[][] frames = new byte[n][];
    for (int i = 0; i < n; i++) {
      latents[i] = java.util.Arrays.copyOfRange(flatLatents, i * perLatents, (i + 1) * perLatents);
      frames[i] = java.util.Arrays.copyOfRange(flatFrames, i * perFrames, (i + 1) * perFrames);
    }
    return new Dreams(
        PolicyDream.offsets(config), config.imageSize(), frames, latentValues, latents);
  }

  /**
   * Refuses a checkpoint without a dream branch, naming {@code method} and what it would dream of.
   */
  private void requireDreamBranch(String method, String what) {
    if (!config.dreamFromActions()) {
      throw new IllegalStateException(
          method
              + ": the checkpoint has no dream branch (dreamFromActions false): it cannot dream of "
              + what);
    }
  }

  /** Refuses an observation history of the wrong size, naming {@code method}. */
  private void requireObservation(String method, byte[] images, float[] agentPositions) {
    int h = config.historyFrames(), size = config.imageSize();
    if (images.length != h * size * size * 3 || agentPositions.length != h * 2) {
      throw new IllegalArgumentException(
          method
              + ": expected "
              + h * size * size * 3
              + " image bytes ("
              + h
              + " frames of "
              + size
              + "x"
              + size
              + "x3) and "
              + h * 2
              + " position values, got "
              + images.length
              + " and "
              + agentPositions.length);
    }
  }

  /**
   * Perceives an observation once for a caller that picks the flow's initial noise itself
   * (noise-space steering, DSRL) or corrects the chunk (a residual): the pose head's block estimate
   * and the action head's input. Then {@link #chunk} samples from it.
   *
   * @param images the history's frames, as {@link #plan}
   * @param agentPositions the history's agent positions, workspace pixels, oldest first
   * @throws IllegalStateException when the checkpoint has no pose head
   */
  public Perception perceive(byte[] images, float[] agentPositions) {
    if (!config.hasPoseHead())
      throw new IllegalStateException("perceive: the checkpoint has no pose head (poseWeight 0)");
    requireObservation("perceive", images, agentPositions);
    float[] pose, condition, newest;
    try (NDScope scope = new NDScope()) {
      scope.suppressNotUsedWarning();
      NDManager m = model.getNDManager();
      Observation o = observe(m, new ParameterStore(m, false), images, agentPositions);
      pose = o.pose().toFloatArray();
      condition = o.condition().toFloatArray();
      newest = o.newest();
    }
    double half = config.workspaceSize() / 2;
    return new Perception(
        (pose[0] + 1) * half,
        (pose[1] + 1) * half,
        Math.atan2(pose[3], pose[2]),
        condition,
        agentPositions.clone(),
        newest);
  }

  /**
   * One chunk sampled from a {@link #perceive perception}, from a given draw of the flow's initial
   * noise in standard-normal units (scaled by {@link WamConfig#sampleNoise()} as {@link #plan}
   * scales its own), or from this policy's generator when {@code noise} is null.
   *
   * @return the chunk's targets, x and y interleaved ({@code horizon * 2} values), workspace pixels
   * @throws IllegalStateException when the model produced a non-finite action
   */
  public float[] chunk(Perception p, float[] noise) {
    int a = net.actionValues();
    if (noise != null && noise.length != a)
      throw new IllegalArgumentException(
          "chunk: expected " + a + " noise values, got " + noise.length);
    try (NDScope scope = new NDScope()) {
      scope.suppressNotUsedWarning();
      NDManager m = model.getNDManager();
      ParameterStore ps = new ParameterStore(m, false);
      NDArray condition = m.create(p.condition(), new Shape(1, p.condition().length));
      if (noise == null) return sampleChunks(m, ps, condition, p.agentPositions(), 1, "chunk");
      float[] scaled = new float[a];
      for (int i = 0; i < a; i++) scaled[i] = (float) (config.sampleNoise() * noise[i]);
      float[] actions = sample(m, ps, scaled, 1, condition);
      for (float v : actions)
        if (!Float.isFinite(v))
          throw new IllegalStateException("chunk: the model produced a non-finite action " + v);
      ActionFrame.actions(config, actions, p.agentPositions());
      return actions;
    }
  }

  /** Values per chunk, and so of the flow's initial noise: {@code actionHorizon x 2}. */
  public int actionValues() {
    return net.actionValues();
  }

  /**
   * What the policy perceived of one observation.
   *
   * @param blockX the pose head's block x, workspace pixels
   * @param blockY block y, workspace pixels
   * @param blockAngle block angle, radians in (-pi, pi]
   * @param condition the action head's input
   * @param agentPositions the history's agent positions, workspace pixels
   * @param newestLatent the newest frame's latent ({@code [Z*s*s]}), what a dream monitor compares
   *     dreams with
   */
  public record Perception(
      double blockX,
      double blockY,
      double blockAngle,
      float[] condition,
      float[] agentPositions,
      float[] newestLatent) {}

  /**
   * The pose head's estimate of the block's pose from an observation: the perception a pose-reading
   * head ({@link WamConfig#actionFromPose}) acts on, for measuring it against the simulator's pose.
   *
   * @param images the history's frames, as {@link #plan}
   * @param agentPositions the history's agent positions, workspace pixels, oldest first
   * @return x, y (workspace pixels) and angle (radians, in (-pi, pi])
   * @throws IllegalStateException when the checkpoint has no pose head
   */
  public double[] estimatePose(byte[] images, float[] agentPositions) {
    if (!config.hasPoseHead())
      throw new IllegalStateException(
          "estimatePose: the checkpoint has no pose head (poseWeight 0)");
    requireObservation("estimatePose", images, agentPositions);
    float[] pose;
    try (NDScope scope = new NDScope()) {
      scope.suppressNotUsedWarning();
      NDManager m = model.getNDManager();
      pose = observe(m, new ParameterStore(m, false), images, agentPositions).pose().toFloatArray();
    }
    return workspacePoses(pose, 1);
  }

  /**
   * The pose head's raw output ({@code n x} x, y in [-1, 1], cos, sin) as {@code n x} x, y in
   * workspace pixels and the angle in radians.
   */
  private double[] workspacePoses(float[] raw, int n) {
    double half = config.workspaceSize() / 2;
    double[] out = new double[3 * n];
    for (int i = 0; i < n; i++) {
      out[3 * i] = (raw[4 * i] + 1) * half;
      out[3 * i + 1] = (raw[4 * i + 1] + 1) * half;
      out[3 * i + 2] = Math.atan2(raw[4 * i + 3], raw[4 * i + 2]);
    }
    return out;
  }

  /**
   * {@link #estimatePose} for {@code n} observations in one pass of the network: what labels a
   * recorded episode's frames, several times faster than one call per frame. Each observation's
   * result is the one {@link #estimatePose} gives it, up to the float rounding of a larger batch.
   *
   * @param images {@code n} observations one after another, each {@link WamConfig#historyFrames()}
   *     frames oldest first (RGB, {@code imageSize x imageSize x 3})
   * @param agentPositions the observations' agent positions, {@code n x historyFrames x 2}
   *     workspace pixels
   * @return {@code n x 3}: x, y (workspace pixels) and angle (radians, in (-pi, pi]) per
   *     observation
   * @throws IllegalStateException when the checkpoint has no pose head
   * @throws IllegalArgumentException when the arrays do not hold {@code n >= 1} observations
   */
  public double[] estimatePoses(byte[] images, float[] agentPositions, int n) {
    if (!config.hasPoseHead())
      throw new IllegalStateException(
          "estimatePoses: the checkpoint has no pose head (poseWeight 0)");
    int h = config.historyFrames(), size = config.imageSize(), frameBytes = size * size * 3;
    if (n < 1 || images.length != (long) n * h * frameBytes || agentPositions.length != n * h * 2)
      throw new IllegalArgumentException(
          "estimatePoses: expected "
              + n
              + " observations of "
              + h
              + " frames ("
              + (long) n * h * frameBytes
              + " image bytes, "
              + n * h * 2
              + " position values), got "
              + images.length
              + " and "
              + agentPositions.length);
    float[] normalised = new float[agentPositions.length];
    WamTrainer.normalize(agentPositions, normalised, config.workspaceSize());
    int z = config.latentChannels(), s = config.latentSize();
    float[] pose;
    try (NDScope scope = new NDScope()) {
      scope.suppressNotUsedWarning();
      NDManager m = model.getNDManager();
      ParameterStore ps = new ParameterStore(m, false);
      NDArray frames =
          WamTrainer.frames(
              m, java.nio.ByteBuffer.allocateDirect(images.length), images, n * h, size);
      NDArray history = net.encode(ps, frames, false).reshape(n, (long) h * z, s, s);
      NDList dyn =
          net.dynamics(ps, history, m.create(normalised, new Shape(n, h * 2L)), frames, false);
      pose = dyn.get(2).toFloatArray();
    }
    return workspacePoses(pose, n);
  }

  /**
   * {@link #estimatePoses} for consecutive frames of one recorded episode, each frame seen once
   * (not once per history it belongs to, as separate observations would be): what labels a fleet's
   * episodes. Result {@code i} is the one {@link #estimatePoses} gives the observation of frames
   * {@code i .. i + historyFrames - 1} (its newest frame {@code i + historyFrames - 1}), up to
   * float rounding.
   *
   * @param frames {@code n + historyFrames - 1} consecutive frames, oldest first (RGB, {@code
   *     imageSize x imageSize x 3}): the first observation's history, then one new frame per
   *     observation (at an episode's start, its first frame repeated)
   * @param agentPositions the frames' agent positions, {@code (n + historyFrames - 1) x 2}
   *     workspace pixels
   * @return {@code n x 3}: x, y (workspace pixels) and angle (radians) per observation
   * @throws IllegalStateException when the checkpoint has no pose head
   * @throws IllegalArgumentException when the arrays do not hold {@code n >= 1} observations
   */
  public double[] estimatePosesAlong(byte[] frames, float[] agentPositions, int n) {
    if (!config.hasPoseHead())
      throw new IllegalStateException(
          "estimatePosesAlong: the checkpoint has no pose head (poseWeight 0)");
    int h = config.historyFrames(), size = config.imageSize(), frameBytes = size * size * 3;
    int m = n + h - 1;
    if (n < 1 || frames.length != (long) m * frameBytes || agentPositions.length != m * 2)
      throw new IllegalArgumentException(
          "estimatePosesAlong: expected "
              + m
              + " frames for "
              + n
              + " observations ("
              + (long) m * frameBytes
              + " image bytes, "
              + m * 2
              + " position values), got "
              + frames.length
              + " and "
              + agentPositions.length);
    float[] normalised = new float[agentPositions.length];
    WamTrainer.normalize(agentPositions, normalised, config.workspaceSize());
    float[] histories = new float[n * h * 2]; // observation i: the positions of frames i..i+h-1
    for (int i = 0; i < n; i++) System.arraycopy(normalised, 2 * i, histories, 2 * i * h, 2 * h);
    float[] pose;
    try (NDScope scope = new NDScope()) {
      scope.suppressNotUsedWarning();
      NDManager mgr = model.getNDManager();
      ParameterStore ps = new ParameterStore(mgr, false);
      NDArray x =
          WamTrainer.frames(
              mgr, java.nio.ByteBuffer.allocateDirect(frames.length), frames, m, size);
      NDArray latents = net.encode(ps, x, false); // (m, Z, s, s), each frame once
      NDArray points = net.hasKeypoints() ? net.keypoints(ps, x, m, false) : null; // (m, 2K)
      NDList history = new NDList(), historyPoints = new NDList();
      for (int j = 0; j < h; j++) { // observation i's j-th frame is frame i + j
        history.add(latents.get("{}:{}", j, j + n));
        if (points != null) historyPoints.add(points.get("{}:{}", j, j + n));
      }
      NDList dyn =
          net.dynamicsWithKeypoints(
              ps,
              NDArrays.concat(history, 1),
              mgr.create(histories, new Shape(n, h * 2L)),
              points == null ? null : NDArrays.concat(historyPoints, 1),
              false);
      pose = dyn.get(2).toFloatArray();
    }
    return workspacePoses(pose, n);
  }

  /**
   * The action head alone on a given block pose instead of the pose head's estimate: measures the
   * head apart from perception (with the simulator's pose, which the policy never has at run time).
   * Only for {@link WamConfig#actionFromPose} checkpoints.
   *
   * @param agentPositions the history's agent positions, workspace pixels, oldest first
   * @param blockX block x, workspace pixels
   * @param blockY block y, workspace pixels
   * @param blockAngle block angle, radians
   * @return the chunk, workspace pixels
   */
  public float[] planFromPose(
      float[] agentPositions, double blockX, double blockY, double blockAngle) {
    if (!config.actionFromPose())
      throw new IllegalStateException(
          "planFromPose: the checkpoint's head does not read the pose (actionFromPose false)");
    int h = config.historyFrames();
    if (agentPositions.length != h * 2)
      throw new IllegalArgumentException(
          "planFromPose: expected " + h + " positions, got " + agentPositions.length + " values");
    WamTrainer.normalize(agentPositions, positions, config.workspaceSize());
    double half = config.workspaceSize() / 2;
    float[] pose = {
      (float) (blockX / half - 1),
      (float) (blockY / half - 1),
      (float) Math.cos(blockAngle),
      (float) Math.sin(blockAngle)
    };
    try (NDScope scope = new NDScope()) {
      scope.suppressNotUsedWarning();
      NDManager m = model.getNDManager();
      NDArray condition =
          WamNetwork.poseCondition(
              m.create(positions, new Shape(1, h * 2L)),
              m.create(pose, new Shape(1, 4)),
              config.poseFeatures(),
              config.angleHarmonics());
      return sampleChunks(
          m, new ParameterStore(m, false), condition, agentPositions, 1, "planFromPose");
    }
  }

  /**
   * {@code n} action chunks integrated along the flow from {@code noise} ({@code
   * [n][actionValues]}), in [-1, 1] units.
   */
  private float[] sample(NDManager m, ParameterStore ps, float[] noise, int n, NDArray condition) {
    NDArray x = m.create(noise, new Shape(n, net.actionValues()));
    NDArray c = n == 1 ? condition : condition.repeat(0, n);
    int steps = config.sampleSteps();
    for (int i = 0; i < steps; i++) {
      NDArray t = m.full(new Shape(n, 1), (float) i / steps);
      x = x.add(net.velocity(ps, x, t, c, false).div(steps));
    }
    return x.toFloatArray();
  }

  /** Mean standard deviation across {@link #spreadSamples} extra chunks, in workspace pixels. */
  private double spread(NDManager m, ParameterStore ps, NDArray condition) {
    int n = spreadSamples, a = net.actionValues();
    if (spreadNoise.length != n * a) spreadNoise = new float[n * a];
    for (int i = 0; i < spreadNoise.length; i++)
      spreadNoise[i] = (float) WamTrainer.gaussian(spreadRng);
    float[] x = sample(m, ps, spreadNoise, n, condition);
    double total = 0;
    for (int j = 0; j < a; j++) {
      double mean = 0, sq = 0;
      for (int i = 0; i < n; i++) mean += x[i * a + j];
      mean /= n;
      for (int i = 0; i < n; i++) sq += (x[i * a + j] - mean) * (x[i * a + j] - mean);
      total += Math.sqrt(sq / n);
    }
    // the head's units to workspace pixels
    return total
        / a
        * (config.relativeActions() ? config.actionScalePixels() : config.workspaceSize() / 2);
  }

  @Override
  public void close() {
    model.close();
  }
}
