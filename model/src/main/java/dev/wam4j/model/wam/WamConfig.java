package dev.wam4j.model.wam;

import dev.wam4j.data.loader.LoaderConfig;
import dev.wam4j.model.policy.PlanSettings;
import java.util.List;

/**
 * Every setting of a world action model run: data, architecture, objective, optimisation. One file
 * tells what a run did; it is echoed into every checkpoint, model card and result. Missing fields
 * in a config file take the defaults of {@link #defaults()} (PushT at 96x96, LeRobot's shapes: 2
 * frames of history, 16-action chunks, 8 executed).
 *
 * @param dataset LeRobot dataset directory to train on (relative paths resolve against the config
 *     file)
 * @param validationDataset LeRobot dataset scored for validation loss, or null for none
 * @param init checkpoint whose weights start the run (stage 2 from stage 1), or null for fresh
 *     weights
 * @param imageKey observation image feature (default {@code observation.image})
 * @param stateKey agent position feature, 2 values in workspace pixels (default {@code
 *     observation.state})
 * @param actionKey action feature, a target position in workspace pixels (default {@code action})
 * @param imageSize side of the square frames (96)
 * @param workspaceSize side of the square workspace in pixels: positions map from [0,
 *     workspaceSize] to [-1, 1] (512)
 * @param historyFrames observation frames in, the current one last (2)
 * @param actionHorizon actions per chunk, from the current step on (16)
 * @param executeSteps actions of each chunk executed before planning again (8)
 * @param futureStride steps between predicted future frames (4)
 * @param futureFrames future frames predicted (the dream): at futureStride, 2*futureStride, ... (2)
 * @param latentChannels channels of the 12x12 latent frame the tokenizer makes of each image (8)
 * @param encoderChannels width of the tokenizer's convolutions (32; the last stage uses twice this)
 * @param dynamicsChannels width of the latent dynamics network (64)
 * @param dynamicsBlocks residual blocks of the latent dynamics network (2)
 * @param featureSize width of the trunk feature the action head is conditioned on (256)
 * @param headWidth width of the flow-matching action head (512)
 * @param headLayers hidden layers of the action head (3)
 * @param flowSamples noise draws per sample for the flow-matching loss (4)
 * @param sampleSteps Euler steps integrating the flow at inference (10)
 * @param actionWeight weight of the flow-matching action loss (1)
 * @param videoWeight weight of future-frame prediction, latent plus pixel loss; 0 trains actions
 *     only (1)
 * @param reconWeight weight of the tokenizer's reconstruction of the current frame; 0 with
 *     videoWeight 0 for the ablation (1)
 * @param batchSize samples per step (32)
 * @param steps optimizer steps of the run (5000)
 * @param learningRate peak AdamW step size (3e-4)
 * @param weightDecay AdamW decoupled weight decay (1e-4)
 * @param warmupSteps linear warm-up steps before the cosine decay (200)
 * @param gradClip global gradient-norm clip (1.0)
 * @param emaDecay decay of the exponential moving average of weights the policy uses (0.995)
 * @param logEverySteps steps between rows of the loss log (10)
 * @param checkpointEverySteps steps between checkpoints (250)
 * @param validationBatches batches of the validation dataset scored at each checkpoint (8)
 * @param threads intra-op threads of the engine (2)
 * @param seed seeds weights, batch order and noise (0)
 * @param extraDatasets more LeRobot datasets trained on together with {@code dataset}, e.g.
 *     simulated demonstrations beside real ones (none)
 * @param shiftPixels random shift augmentation: each training sample's frames (history and future
 *     alike) move by up to this many pixels in x and y, edges repeated, as DrQ and Diffusion
 *     Policy's random crop do against overfitting a few demonstrations; 0 turns it off (4)
 * @param datasetEpisodes train on the first this many episodes of {@code dataset} only, 0 for all:
 *     how the ablation and scaling studies make nested subsets of one dataset (0)
 * @param keypoints spatial-softmax keypoints per history frame read by the action head: a small
 *     convolutional stack at 48x48 ends in this many heat maps, and each map's expected (x, y)
 *     joins the head's condition, so where the T is survives to the pixel instead of being pooled
 *     away (as in Diffusion Policy's image encoder); 0 turns it off, the original architecture (0)
 * @param videoEvery train the dream (future frames: the video loss) on every this-many-th step
 *     only; the other steps skip encoding and decoding the future frames, which is most of a step's
 *     cost, and train actions and reconstruction alone (1: every step)
 * @param poseWeight weight of a privileged auxiliary loss: a pose head predicts the block's pose
 *     (x, y, cos, sin of its angle) from the trunk feature and the current frame's keypoints,
 *     against the pose the simulator recorded ({@code teacher.block_pose}, where a dataset has it);
 *     its prediction, a function of the images, joins the action head's condition. The pose never
 *     feeds the policy; it teaches the network where the block is. 0: no pose head (0)
 * @param relativeActions the action head predicts each chunk relative to the current agent
 *     position, in units of {@code actionScalePixels}, instead of absolute positions normalised
 *     over the workspace: the head then learns where to go from here, not the whole workspace's
 *     coordinates again (UMI's relative trajectories); the policy adds the position back (false)
 * @param actionScalePixels workspace pixels per unit of a relative action, so the chunk's values
 *     are of order one like the flow's noise (100; read only with {@code relativeActions})
 * @param sampleNoise scale of the Gaussian noise the flow is integrated from at inference: 1
 *     samples the learned distribution, 0 takes the chunk the flow carries the mean noise to (a
 *     deterministic plan); an inference setting, chosen on validation seeds, that training does not
 *     read (1)
 * @param actionFromPose the action head reads only the agent positions and the pose head's estimate
 *     of the block's pose, a perception bottleneck: what to do is then a function of a state the
 *     teacher knows too, so the head can be trained on the recorded poses ({@code headOnly}) while
 *     the pose head learns to see them; needs a pose head (false)
 * @param poseNoisePixels with {@code actionFromPose}, training feeds the head the recorded pose
 *     plus Gaussian noise of this many workspace pixels per axis, so it acts sensibly on an
 *     estimate that is off by about that much (3)
 * @param poseNoiseDegrees the same noise on the recorded angle, degrees (3)
 * @param headOnly train the action head alone on recorded poses: no frame is loaded or encoded,
 *     every other weight stays as {@code init} left it, and a step costs a small fraction of a
 *     joint step; needs {@code actionFromPose} and data with {@code teacher.block_pose} on every
 *     row (false)
 * @param renderFrames draw each training frame from the row's recorded agent position and block
 *     pose instead of decoding the dataset's video: PushT frames exactly as the simulator shows
 *     them at run time, no compression loss; needs {@code teacher.block_pose} on every row (false)
 * @param renderJitterPixels with {@code renderFrames}, each training sample's block moves (in all
 *     its frames, and its recorded pose with it) by a uniform offset of up to this many workspace
 *     pixels in x and y: poses the data never visited, against a pose head that memorises the ones
 *     it saw. The action labels stay those of the unmoved state, so train the action head apart
 *     ({@code actionWeight} 0, then {@code headOnly}) (0)
 * @param renderJitterDegrees the same for the block's angle, degrees (0)
 * @param poseFeatures with {@code actionFromPose}, how the head reads the state: 0 gives it the raw
 *     positions and pose; N > 0 adds the agent's positions in the block's own frame and sines and
 *     cosines of every coordinate at N octaves of frequency (Fourier features), because an MLP on
 *     raw coordinates learns a smooth function of them and the teacher's action is a sharp one
 *     (which side of the T to push) (0)
 * @param angleHarmonics with {@code poseFeatures}, N > 0 adds the cosine and sine of 2, 4, ... 2^N
 *     times the block's angle: the head reads the angle as (cos, sin) alone otherwise, where the
 *     1.7 degrees between success and a near miss (coverage 0.95 against 0.94) move it by 0.03 (0)
 * @param dreamFromActions a separate dream branch predicts the future latent frames from the
 *     history's latents, the agent positions and the first {@link #dreamTargets()} actions of the
 *     chunk about to run (the executed ones in training), each position and target given spatially
 *     as planes on the latent grid (its offset from each cell's centre and a Gaussian bump: {@code
 *     DreamPlanes}). Its own convolutional stack reads latents it cannot train, so the trunk, pose
 *     head and action head are untouched by it. The policy's dream and its monitor latents then
 *     come from it; the trunk's own future prediction stays a training objective only. A checkpoint
 *     without the branch initialises a run with it: every weight is copied, the branch starts fresh
 *     and at first predicts the current frame unchanged (false)
 * @param dreamChannels width of the dream branch's convolutions (64; read only with {@code
 *     dreamFromActions}). Its own width rather than {@code dynamicsChannels}: a checkpoint whose
 *     trunk is narrow may grow a wider dream
 * @param dreamBlocks residual blocks of the dream branch (3; read only with {@code
 *     dreamFromActions}): one more than the trunk's 2 by default, since the branch must move the
 *     pusher by up to a chunk's travel
 * @param dreamOnly train the dream branch and the decoder alone, on the latent loss (against the
 *     frozen encoder's latents of the real future frames) plus the pixel loss of the decoded
 *     prediction, both weighted by {@code videoWeight}; every other weight (encoder, trunk,
 *     keypoints, pose head, action head) stays as {@code init} left it, so the policy's actions do
 *     not change by a bit. {@code actionWeight}, {@code reconWeight} and {@code poseWeight} are not
 *     read. Needs {@code dreamFromActions}, {@code init}, {@code videoWeight} > 0 and {@code
 *     videoEvery} 1 (false)
 * @param movingPixelWeight in the pixel loss of the predicted future frames, the pixels that change
 *     between the current frame and the real future frame (mean absolute difference over the 3
 *     channels above {@value #MOVING_PIXEL_THRESHOLD} in [-1, 1] units, about 13 of 255 levels)
 *     weigh {@code 1 + movingPixelWeight}, the others 1 (the loss is the weighted mean over every
 *     pixel): the pusher and the moving block are a few percent of the pixels, and plain MSE lets
 *     the dream blur them away; 0 is the plain MSE (0)
 * @param imagineCandidates plan by imagination: per plan, sample this many action chunks, dream
 *     each with the dream branch and execute the one whose last dream frame shows the block
 *     covering the goal best ({@code dev.wam4j.model.imagine.ImaginationPolicy}); 1 is the plain
 *     policy. An inference setting, chosen on validation seeds and shipped with a model ({@code
 *     train export --imagine}), that training does not read; 1..{@value #MAX_IMAGINE_CANDIDATES},
 *     above 1 only with {@code dreamFromActions} (1)
 */
public record WamConfig(
    String dataset,
    String validationDataset,
    String init,
    String imageKey,
    String stateKey,
    String actionKey,
    int imageSize,
    double workspaceSize,
    int historyFrames,
    int actionHorizon,
    int executeSteps,
    int futureStride,
    int futureFrames,
    int latentChannels,
    int encoderChannels,
    int dynamicsChannels,
    int dynamicsBlocks,
    int featureSize,
    int headWidth,
    int headLayers,
    int flowSamples,
    int sampleSteps,
    double actionWeight,
    double videoWeight,
    double reconWeight,
    int batchSize,
    int steps,
    double learningRate,
    double weightDecay,
    int warmupSteps,
    double gradClip,
    double emaDecay,
    int logEverySteps,
    int checkpointEverySteps,
    int validationBatches,
    int threads,
    long seed,
    List<String> extraDatasets,
    int shiftPixels,
    int datasetEpisodes,
    int keypoints,
    int videoEvery,
    double poseWeight,
    boolean relativeActions,
    double actionScalePixels,
    double sampleNoise,
    boolean actionFromPose,
    double poseNoisePixels,
    double poseNoiseDegrees,
    boolean headOnly,
    boolean renderFrames,
    double renderJitterPixels,
    double renderJitterDegrees,
    int poseFeatures,
    int angleHarmonics,
    boolean dreamFromActions,
    int dreamChannels,
    int dreamBlocks,
    boolean dreamOnly,
    double movingPixelWeight,
    int imagineCandidates) {

  /**
   * Mean absolute change over a pixel's 3 channels, in [-1, 1] units, above which {@link
   * #movingPixelWeight} weighs it.
   */
  public static final double MOVING_PIXEL_THRESHOLD = 0.1;

  /** Most candidate chunks {@link #imagineCandidates} may dream per plan. */
  public static final int MAX_IMAGINE_CANDIDATES = 64;

  public WamConfig {
    extraDatasets = extraDatasets == null ? List.of() : List.copyOf(extraDatasets);
    require(
        shiftPixels >= 0 && shiftPixels < imageSize / 4,
        "shiftPixels must lie in 0.." + (imageSize / 4 - 1) + ", got " + shiftPixels);
    require(imageKey != null && !imageKey.isBlank(), "imageKey must be set");
    require(stateKey != null && !stateKey.isBlank(), "stateKey must be set");
    require(actionKey != null && !actionKey.isBlank(), "actionKey must be set");
    require(
        imageSize == 96,
        "imageSize must be 96 (the tokenizer maps 96x96 to a 12x12 latent), got " + imageSize);
    require(
        workspaceSize > 0 && Double.isFinite(workspaceSize),
        "workspaceSize must be finite and > 0, got " + workspaceSize);
    positive("historyFrames", historyFrames);
    positive("actionHorizon", actionHorizon);
    require(
        executeSteps >= 1 && executeSteps <= actionHorizon,
        "executeSteps must lie in 1..actionHorizon (" + actionHorizon + "), got " + executeSteps);
    positive("futureStride", futureStride);
    positive("futureFrames", futureFrames);
    positive("latentChannels", latentChannels);
    positive("encoderChannels", encoderChannels);
    positive("dynamicsChannels", dynamicsChannels);
    require(dynamicsBlocks >= 0, "dynamicsBlocks must be >= 0, got " + dynamicsBlocks);
    positive("featureSize", featureSize);
    positive("headWidth", headWidth);
    positive("headLayers", headLayers);
    positive("flowSamples", flowSamples);
    positive("sampleSteps", sampleSteps);
    weight("actionWeight", actionWeight);
    weight("videoWeight", videoWeight);
    weight("reconWeight", reconWeight);
    require(
        actionWeight + videoWeight + reconWeight > 0,
        "at least one of actionWeight, videoWeight, reconWeight must be > 0");
    positive("batchSize", batchSize);
    positive("steps", steps);
    require(
        learningRate > 0 && Double.isFinite(learningRate),
        "learningRate must be finite and > 0, got " + learningRate);
    weight("weightDecay", weightDecay);
    require(warmupSteps >= 0, "warmupSteps must be >= 0, got " + warmupSteps);
    require(
        gradClip > 0 && Double.isFinite(gradClip),
        "gradClip must be finite and > 0, got " + gradClip);
    require(emaDecay >= 0 && emaDecay < 1, "emaDecay must lie in [0, 1), got " + emaDecay);
    positive("logEverySteps", logEverySteps);
    positive("checkpointEverySteps", checkpointEverySteps);
    require(validationBatches >= 0, "validationBatches must be >= 0, got " + validationBatches);
    positive("threads", threads);
    require(datasetEpisodes >= 0, "datasetEpisodes must be >= 0 (0: all), got " + datasetEpisodes);
    require(keypoints >= 0 && keypoints <= 256, "keypoints must lie in 0..256, got " + keypoints);
    positive("videoEvery", videoEvery);
    weight("poseWeight", poseWeight);
    require(
        actionScalePixels > 0 && Double.isFinite(actionScalePixels),
        "actionScalePixels must be finite and > 0, got " + actionScalePixels);
    require(
        sampleNoise >= 0 && sampleNoise <= 1, "sampleNoise must lie in [0, 1], got " + sampleNoise);
    require(
        !actionFromPose || poseWeight > 0,
        "actionFromPose reads the pose head's output: it needs poseWeight > 0");
    weight("poseNoisePixels", poseNoisePixels);
    weight("poseNoiseDegrees", poseNoiseDegrees);
    require(
        poseFeatures >= 0 && poseFeatures <= 12,
        "poseFeatures must lie in 0..12, got " + poseFeatures);
    require(
        poseFeatures == 0 || actionFromPose,
        "poseFeatures encodes the pose the head reads: it needs actionFromPose");
    require(
        angleHarmonics >= 0 && angleHarmonics <= 8,
        "angleHarmonics must lie in 0..8, got " + angleHarmonics);
    require(
        angleHarmonics == 0 || poseFeatures > 0,
        "angleHarmonics extends the head's Fourier features: it needs poseFeatures > 0");
    weight("renderJitterPixels", renderJitterPixels);
    weight("renderJitterDegrees", renderJitterDegrees);
    require(
        renderFrames || renderJitterPixels + renderJitterDegrees == 0,
        "renderJitterPixels and renderJitterDegrees move the block of rendered frames: they need renderFrames");
    require(
        renderJitterPixels + renderJitterDegrees == 0 || actionWeight == 0,
        "renderJitterPixels and renderJitterDegrees move the block but not the action labels: train with actionWeight 0 (then headOnly)");
    require(
        !headOnly || init != null || dataset == null,
        "headOnly trains the action head on a perception it does not train: set init");
    require(
        !headOnly || (actionFromPose && actionWeight > 0),
        "headOnly trains the action head on recorded poses: it needs actionFromPose and actionWeight > 0");
    positive("dreamChannels", dreamChannels);
    require(dreamBlocks >= 0, "dreamBlocks must be >= 0, got " + dreamBlocks);
    require(
        !dreamFromActions || futureFrames * futureStride <= actionHorizon,
        "dreamFromActions reads the actions up to the last dreamed frame:"
            + " futureFrames * futureStride ("
            + futureFrames * futureStride
            + ") must not exceed actionHorizon ("
            + actionHorizon
            + ")");
    require(
        !dreamOnly || dreamFromActions,
        "dreamOnly trains the dream branch alone: it needs dreamFromActions");
    require(
        !dreamOnly || init != null || dataset == null,
        "dreamOnly trains the dream branch on a perception and policy it does not train: set init");
    require(
        !dreamOnly || !headOnly,
        "dreamOnly and headOnly each train one part alone: set one of them");
    require(
        !dreamOnly || videoWeight > 0,
        "dreamOnly trains on the video loss alone: it needs videoWeight > 0");
    require(
        !dreamOnly || videoEvery == 1,
        "dreamOnly trains on the video loss alone, every step: it needs videoEvery 1, got "
            + videoEvery);
    weight("movingPixelWeight", movingPixelWeight);
    require(
        imagineCandidates >= 1 && imagineCandidates <= MAX_IMAGINE_CANDIDATES,
        "imagineCandidates must lie in 1.."
            + MAX_IMAGINE_CANDIDATES
            + ", got "
            + imagineCandidates);
    // a candidate is scored by its dream, which only a dream branch makes of a chunk the policy has
    // not chosen
    require(
        imagineCandidates == 1 || dreamFromActions,
        "imagineCandidates "
            + imagineCandidates
            + " plans by dreaming each candidate chunk: it needs a checkpoint with a dream branch (dreamFromActions true)");
  }

  /**
   * Configs and checkpoints written before the action head could read the pose ({@code
   * actionFromPose}) and frames be rendered.
   */
  public WamConfig(
      String dataset,
      String validationDataset,
      String init,
      String imageKey,
      String stateKey,
      String actionKey,
      int imageSize,
      double workspaceSize,
      int historyFrames,
      int actionHorizon,
      int executeSteps,
      int futureStride,
      int futureFrames,
      int latentChannels,
      int encoderChannels,
      int dynamicsChannels,
      int dynamicsBlocks,
      int featureSize,
      int headWidth,
      int headLayers,
      int flowSamples,
      int sampleSteps,
      double actionWeight,
      double videoWeight,
      double reconWeight,
      int batchSize,
      int steps,
      double learningRate,
      double weightDecay,
      int warmupSteps,
      double gradClip,
      double emaDecay,
      int logEverySteps,
      int checkpointEverySteps,
      int validationBatches,
      int threads,
      long seed,
      List<String> extraDatasets,
      int shiftPixels,
      int datasetEpisodes,
      int keypoints,
      int videoEvery,
      double poseWeight,
      boolean relativeActions,
      double actionScalePixels,
      double sampleNoise) {
    this(
        dataset,
        validationDataset,
        init,
        imageKey,
        stateKey,
        actionKey,
        imageSize,
        workspaceSize,
        historyFrames,
        actionHorizon,
        executeSteps,
        futureStride,
        futureFrames,
        latentChannels,
        encoderChannels,
        dynamicsChannels,
        dynamicsBlocks,
        featureSize,
        headWidth,
        headLayers,
        flowSamples,
        sampleSteps,
        actionWeight,
        videoWeight,
        reconWeight,
        batchSize,
        steps,
        learningRate,
        weightDecay,
        warmupSteps,
        gradClip,
        emaDecay,
        logEverySteps,
        checkpointEverySteps,
        validationBatches,
        threads,
        seed,
        extraDatasets,
        shiftPixels,
        datasetEpisodes,
        keypoints,
        videoEvery,
        poseWeight,
        relativeActions,
        actionScalePixels,
        sampleNoise,
        false,
        3,
        3,
        false,
        false,
        0,
        0,
        0,
        0,
        false,
        64,
        3,
        false,
        0,
        1);
  }

  /** Configs and checkpoints written before relative actions and the noise scale existed. */
  public WamConfig(
      String dataset,
      String validationDataset,
      String init,
      String imageKey,
      String stateKey,
      String actionKey,
      int imageSize,
      double workspaceSize,
      int historyFrames,
      int actionHorizon,
      int executeSteps,
      int futureStride,
      int futureFrames,
      int latentChannels,
      int encoderChannels,
      int dynamicsChannels,
      int dynamicsBlocks,
      int featureSize,
      int headWidth,
      int headLayers,
      int flowSamples,
      int sampleSteps,
      double actionWeight,
      double videoWeight,
      double reconWeight,
      int batchSize,
      int steps,
      double learningRate,
      double weightDecay,
      int warmupSteps,
      double gradClip,
      double emaDecay,
      int logEverySteps,
      int checkpointEverySteps,
      int validationBatches,
      int threads,
      long seed,
      List<String> extraDatasets,
      int shiftPixels,
      int datasetEpisodes,
      int keypoints,
      int videoEvery,
      double poseWeight) {
    this(
        dataset,
        validationDataset,
        init,
        imageKey,
        stateKey,
        actionKey,
        imageSize,
        workspaceSize,
        historyFrames,
        actionHorizon,
        executeSteps,
        futureStride,
        futureFrames,
        latentChannels,
        encoderChannels,
        dynamicsChannels,
        dynamicsBlocks,
        featureSize,
        headWidth,
        headLayers,
        flowSamples,
        sampleSteps,
        actionWeight,
        videoWeight,
        reconWeight,
        batchSize,
        steps,
        learningRate,
        weightDecay,
        warmupSteps,
        gradClip,
        emaDecay,
        logEverySteps,
        checkpointEverySteps,
        validationBatches,
        threads,
        seed,
        extraDatasets,
        shiftPixels,
        datasetEpisodes,
        keypoints,
        videoEvery,
        poseWeight,
        false,
        100,
        1);
  }

  /**
   * The original architecture (no keypoints, the dream trained every step): configs and checkpoints
   * written before those existed.
   */
  public WamConfig(
      String dataset,
      String validationDataset,
      String init,
      String imageKey,
      String stateKey,
      String actionKey,
      int imageSize,
      double workspaceSize,
      int historyFrames,
      int actionHorizon,
      int executeSteps,
      int futureStride,
      int futureFrames,
      int latentChannels,
      int encoderChannels,
      int dynamicsChannels,
      int dynamicsBlocks,
      int featureSize,
      int headWidth,
      int headLayers,
      int flowSamples,
      int sampleSteps,
      double actionWeight,
      double videoWeight,
      double reconWeight,
      int batchSize,
      int steps,
      double learningRate,
      double weightDecay,
      int warmupSteps,
      double gradClip,
      double emaDecay,
      int logEverySteps,
      int checkpointEverySteps,
      int validationBatches,
      int threads,
      long seed,
      List<String> extraDatasets,
      int shiftPixels,
      int datasetEpisodes) {
    this(
        dataset,
        validationDataset,
        init,
        imageKey,
        stateKey,
        actionKey,
        imageSize,
        workspaceSize,
        historyFrames,
        actionHorizon,
        executeSteps,
        futureStride,
        futureFrames,
        latentChannels,
        encoderChannels,
        dynamicsChannels,
        dynamicsBlocks,
        featureSize,
        headWidth,
        headLayers,
        flowSamples,
        sampleSteps,
        actionWeight,
        videoWeight,
        reconWeight,
        batchSize,
        steps,
        learningRate,
        weightDecay,
        warmupSteps,
        gradClip,
        emaDecay,
        logEverySteps,
        checkpointEverySteps,
        validationBatches,
        threads,
        seed,
        extraDatasets,
        shiftPixels,
        datasetEpisodes,
        0,
        1,
        0);
  }

  private static void require(boolean ok, String message) {
    if (!ok) throw new IllegalArgumentException("wam config: " + message);
  }

  private static void positive(String name, int value) {
    require(value >= 1, name + " must be >= 1, got " + value);
  }

  private static void weight(String name, double value) {
    require(value >= 0 && Double.isFinite(value), name + " must be finite and >= 0, got " + value);
  }

  /** The defaults listed on the record's components; {@code dataset} is unset (null). */
  public static WamConfig defaults() {
    return new WamConfig(
        null,
        null,
        null,
        "observation.image",
        "observation.state",
        "action",
        96,
        512,
        2,
        16,
        8,
        4,
        2,
        8,
        32,
        64,
        2,
        256,
        512,
        3,
        4,
        10,
        1,
        1,
        1,
        32,
        5000,
        3e-4,
        1e-4,
        200,
        1.0,
        0.995,
        10,
        250,
        8,
        2,
        0,
        List.of(),
        4,
        0,
        0,
        1,
        0,
        false,
        100,
        1,
        false,
        3,
        3,
        false,
        false,
        0,
        0,
        0,
        0,
        false,
        64,
        3,
        false,
        0,
        1);
  }

  /** Side of the latent frame (the tokenizer downsamples by 8). */
  public int latentSize() {
    return imageSize / 8;
  }

  /** Whether the network has a pose head ({@link #poseWeight} > 0). */
  public boolean hasPoseHead() {
    return poseWeight > 0;
  }

  /**
   * Actions the dream branch reads: those up to the last dreamed frame, {@code futureFrames *
   * futureStride}.
   */
  public int dreamTargets() {
    return futureFrames * futureStride;
  }

  /** Whether the run trains to predict the world (false: the action-only ablation). */
  public boolean predictsVideo() {
    return videoWeight > 0;
  }

  /** The loader this run trains from (no frames for {@link #headOnly}). */
  public LoaderConfig loaderConfig(long loaderSeed, int decodeThreads) {
    return headOnly
        ? new LoaderConfig(
            null,
            stateKey,
            actionKey,
            historyFrames,
            actionHorizon,
            batchSize,
            loaderSeed,
            decodeThreads,
            0,
            0)
        : new LoaderConfig(
            imageKey,
            stateKey,
            actionKey,
            historyFrames,
            actionHorizon,
            batchSize,
            loaderSeed,
            decodeThreads,
            futureStride,
            futureFrames);
  }

  /** The same config with another intra-op thread count. */
  public WamConfig withThreads(int threads) {
    return new WamConfig(
        dataset,
        validationDataset,
        init,
        imageKey,
        stateKey,
        actionKey,
        imageSize,
        workspaceSize,
        historyFrames,
        actionHorizon,
        executeSteps,
        futureStride,
        futureFrames,
        latentChannels,
        encoderChannels,
        dynamicsChannels,
        dynamicsBlocks,
        featureSize,
        headWidth,
        headLayers,
        flowSamples,
        sampleSteps,
        actionWeight,
        videoWeight,
        reconWeight,
        batchSize,
        steps,
        learningRate,
        weightDecay,
        warmupSteps,
        gradClip,
        emaDecay,
        logEverySteps,
        checkpointEverySteps,
        validationBatches,
        threads,
        seed,
        extraDatasets,
        shiftPixels,
        datasetEpisodes,
        keypoints,
        videoEvery,
        poseWeight,
        relativeActions,
        actionScalePixels,
        sampleNoise,
        actionFromPose,
        poseNoisePixels,
        poseNoiseDegrees,
        headOnly,
        renderFrames,
        renderJitterPixels,
        renderJitterDegrees,
        poseFeatures,
        angleHarmonics,
        dreamFromActions,
        dreamChannels,
        dreamBlocks,
        dreamOnly,
        movingPixelWeight,
        imagineCandidates);
  }

  /** The same config with other extra datasets. */
  public WamConfig withExtraDatasets(List<String> extraDatasets) {
    return new WamConfig(
        dataset,
        validationDataset,
        init,
        imageKey,
        stateKey,
        actionKey,
        imageSize,
        workspaceSize,
        historyFrames,
        actionHorizon,
        executeSteps,
        futureStride,
        futureFrames,
        latentChannels,
        encoderChannels,
        dynamicsChannels,
        dynamicsBlocks,
        featureSize,
        headWidth,
        headLayers,
        flowSamples,
        sampleSteps,
        actionWeight,
        videoWeight,
        reconWeight,
        batchSize,
        steps,
        learningRate,
        weightDecay,
        warmupSteps,
        gradClip,
        emaDecay,
        logEverySteps,
        checkpointEverySteps,
        validationBatches,
        threads,
        seed,
        extraDatasets,
        shiftPixels,
        datasetEpisodes,
        keypoints,
        videoEvery,
        poseWeight,
        relativeActions,
        actionScalePixels,
        sampleNoise,
        actionFromPose,
        poseNoisePixels,
        poseNoiseDegrees,
        headOnly,
        renderFrames,
        renderJitterPixels,
        renderJitterDegrees,
        poseFeatures,
        angleHarmonics,
        dreamFromActions,
        dreamChannels,
        dreamBlocks,
        dreamOnly,
        movingPixelWeight,
        imagineCandidates);
  }

  /**
   * The same config starting from another checkpoint ({@code init}) and training {@code steps}
   * steps (DAgger's rounds).
   */
  public WamConfig withInitAndSteps(String init, int steps) {
    return new WamConfig(
        dataset,
        validationDataset,
        init,
        imageKey,
        stateKey,
        actionKey,
        imageSize,
        workspaceSize,
        historyFrames,
        actionHorizon,
        executeSteps,
        futureStride,
        futureFrames,
        latentChannels,
        encoderChannels,
        dynamicsChannels,
        dynamicsBlocks,
        featureSize,
        headWidth,
        headLayers,
        flowSamples,
        sampleSteps,
        actionWeight,
        videoWeight,
        reconWeight,
        batchSize,
        steps,
        learningRate,
        weightDecay,
        warmupSteps,
        gradClip,
        emaDecay,
        logEverySteps,
        checkpointEverySteps,
        validationBatches,
        threads,
        seed,
        extraDatasets,
        shiftPixels,
        datasetEpisodes,
        keypoints,
        videoEvery,
        poseWeight,
        relativeActions,
        actionScalePixels,
        sampleNoise,
        actionFromPose,
        poseNoisePixels,
        poseNoiseDegrees,
        headOnly,
        renderFrames,
        renderJitterPixels,
        renderJitterDegrees,
        poseFeatures,
        angleHarmonics,
        dreamFromActions,
        dreamChannels,
        dreamBlocks,
        dreamOnly,
        movingPixelWeight,
        imagineCandidates);
  }

  /**
   * The same config with other inference settings: actions executed per plan, Euler steps of the
   * flow, its starting noise and the candidate chunks imagined per plan.
   */
  public WamConfig withInference(
      int executeSteps, int sampleSteps, double sampleNoise, int imagineCandidates) {
    return new WamConfig(
        dataset,
        validationDataset,
        init,
        imageKey,
        stateKey,
        actionKey,
        imageSize,
        workspaceSize,
        historyFrames,
        actionHorizon,
        executeSteps,
        futureStride,
        futureFrames,
        latentChannels,
        encoderChannels,
        dynamicsChannels,
        dynamicsBlocks,
        featureSize,
        headWidth,
        headLayers,
        flowSamples,
        sampleSteps,
        actionWeight,
        videoWeight,
        reconWeight,
        batchSize,
        steps,
        learningRate,
        weightDecay,
        warmupSteps,
        gradClip,
        emaDecay,
        logEverySteps,
        checkpointEverySteps,
        validationBatches,
        threads,
        seed,
        extraDatasets,
        shiftPixels,
        datasetEpisodes,
        keypoints,
        videoEvery,
        poseWeight,
        relativeActions,
        actionScalePixels,
        sampleNoise,
        actionFromPose,
        poseNoisePixels,
        poseNoiseDegrees,
        headOnly,
        renderFrames,
        renderJitterPixels,
        renderJitterDegrees,
        poseFeatures,
        angleHarmonics,
        dreamFromActions,
        dreamChannels,
        dreamBlocks,
        dreamOnly,
        movingPixelWeight,
        imagineCandidates);
  }

  /**
   * The same config planning with {@code settings} where they are set (inference only: the weights
   * mean the same).
   *
   * @throws IllegalArgumentException when the executed steps exceed the action horizon, or
   *     imagination is asked of a checkpoint without a dream branch
   */
  public WamConfig with(PlanSettings settings) {
    int execute = settings.executeSteps() == null ? executeSteps : settings.executeSteps();
    if (execute > actionHorizon)
      throw new IllegalArgumentException(
          "execute steps " + execute + " exceed the checkpoint's actionHorizon " + actionHorizon);
    return withInference(
        execute,
        settings.sampleSteps() == null ? sampleSteps : settings.sampleSteps(),
        settings.sampleNoise() == null ? sampleNoise : settings.sampleNoise(),
        settings.imagineCandidates() == null ? imagineCandidates : settings.imagineCandidates());
  }

  /**
   * The same config with other data paths (used when a config file's relative paths are resolved).
   */
  public WamConfig withData(String dataset, String validationDataset, String init) {
    return new WamConfig(
        dataset,
        validationDataset,
        init,
        imageKey,
        stateKey,
        actionKey,
        imageSize,
        workspaceSize,
        historyFrames,
        actionHorizon,
        executeSteps,
        futureStride,
        futureFrames,
        latentChannels,
        encoderChannels,
        dynamicsChannels,
        dynamicsBlocks,
        featureSize,
        headWidth,
        headLayers,
        flowSamples,
        sampleSteps,
        actionWeight,
        videoWeight,
        reconWeight,
        batchSize,
        steps,
        learningRate,
        weightDecay,
        warmupSteps,
        gradClip,
        emaDecay,
        logEverySteps,
        checkpointEverySteps,
        validationBatches,
        threads,
        seed,
        extraDatasets,
        shiftPixels,
        datasetEpisodes,
        keypoints,
        videoEvery,
        poseWeight,
        relativeActions,
        actionScalePixels,
        sampleNoise,
        actionFromPose,
        poseNoisePixels,
        poseNoiseDegrees,
        headOnly,
        renderFrames,
        renderJitterPixels,
        renderJitterDegrees,
        poseFeatures,
        angleHarmonics,
        dreamFromActions,
        dreamChannels,
        dreamBlocks,
        dreamOnly,
        movingPixelWeight,
        imagineCandidates);
  }
}
