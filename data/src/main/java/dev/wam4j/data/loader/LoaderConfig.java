package dev.wam4j.data.loader;

/**
 * What a training batch holds and how it is drawn.
 *
 * @param imageKey video or image feature of the observation image (e.g. {@code observation.image});
 *     null for none
 * @param stateKey numeric feature of the proprioceptive state (e.g. {@code observation.state})
 * @param actionKey numeric feature of the action
 * @param historyFrames observation frames per sample, the current one last (>= 1)
 * @param actionHorizon actions per sample, starting at the current frame (>= 1)
 * @param batchSize samples per batch
 * @param seed seed of the sample order
 * @param decodeThreads threads decoding video while loading (episodes are split between them)
 * @param futureStride frames between consecutive future frames (>= 0; >= 1 when {@code futureFrames
 *     > 0})
 * @param futureFrames future observation frames per sample, what a world model learns to predict:
 *     frame {@code t + k * futureStride} for k = 1..futureFrames (>= 0; > 0 needs an {@code
 *     imageKey})
 */
public record LoaderConfig(
    String imageKey,
    String stateKey,
    String actionKey,
    int historyFrames,
    int actionHorizon,
    int batchSize,
    long seed,
    int decodeThreads,
    int futureStride,
    int futureFrames) {
  public LoaderConfig {
    if (stateKey == null || actionKey == null)
      throw new IllegalArgumentException("loader: state and action keys are required");
    if (historyFrames < 1)
      throw new IllegalArgumentException(
          "loader: history_frames must be >= 1, got " + historyFrames);
    if (actionHorizon < 1)
      throw new IllegalArgumentException(
          "loader: action_horizon must be >= 1, got " + actionHorizon);
    if (batchSize < 1)
      throw new IllegalArgumentException("loader: batch_size must be >= 1, got " + batchSize);
    if (decodeThreads < 1)
      throw new IllegalArgumentException(
          "loader: decode_threads must be >= 1, got " + decodeThreads);
    if (futureStride < 0)
      throw new IllegalArgumentException("loader: future_stride must be >= 0, got " + futureStride);
    if (futureFrames < 0)
      throw new IllegalArgumentException("loader: future_frames must be >= 0, got " + futureFrames);
    if (futureFrames > 0 && imageKey == null) {
      throw new IllegalArgumentException(
          "loader: future_frames "
              + futureFrames
              + " needs an image key (future frames are images)");
    }
    if (futureFrames > 0 && futureStride < 1) {
      throw new IllegalArgumentException(
          "loader: future_stride must be >= 1 when future_frames > 0, got " + futureStride);
    }
  }

  /** The same config with {@code frames} future frames, {@code stride} frames apart. */
  public LoaderConfig withFuture(int stride, int frames) {
    return new LoaderConfig(
        imageKey,
        stateKey,
        actionKey,
        historyFrames,
        actionHorizon,
        batchSize,
        seed,
        decodeThreads,
        stride,
        frames);
  }

  /**
   * PushT as LeRobot publishes it: image + agent position, 2 frames of history, 16 actions, no
   * future frames.
   */
  public static LoaderConfig pushT() {
    return new LoaderConfig(
        "observation.image",
        "observation.state",
        "action",
        2,
        16,
        64,
        0,
        Math.max(1, Runtime.getRuntime().availableProcessors()),
        0,
        0);
  }

  /** The same config with another sample-order seed. */
  public LoaderConfig withSeed(long seed) {
    return new LoaderConfig(
        imageKey,
        stateKey,
        actionKey,
        historyFrames,
        actionHorizon,
        batchSize,
        seed,
        decodeThreads,
        futureStride,
        futureFrames);
  }
}
