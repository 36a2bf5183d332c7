package dev.wam4j.data.loader;

/**
 * What a training batch holds and how it is drawn.
 *
 * @param imageKey video or image feature of the observation image (e.g. {@code observation.image}); null for none
 * @param stateKey numeric feature of the proprioceptive state (e.g. {@code observation.state})
 * @param actionKey numeric feature of the action
 * @param historyFrames observation frames per sample, the current one last (>= 1)
 * @param actionHorizon actions per sample, starting at the current frame (>= 1)
 * @param batchSize samples per batch
 * @param seed seed of the sample order
 * @param decodeThreads threads decoding video while loading (episodes are split between them)
 */
public record LoaderConfig(
    String imageKey, String stateKey, String actionKey, int historyFrames, int actionHorizon, int batchSize,
    long seed, int decodeThreads) {
  public LoaderConfig {
    if (stateKey == null || actionKey == null) throw new IllegalArgumentException("loader: state and action keys are required");
    if (historyFrames < 1) throw new IllegalArgumentException("loader: history_frames must be >= 1, got " + historyFrames);
    if (actionHorizon < 1) throw new IllegalArgumentException("loader: action_horizon must be >= 1, got " + actionHorizon);
    if (batchSize < 1) throw new IllegalArgumentException("loader: batch_size must be >= 1, got " + batchSize);
    if (decodeThreads < 1) throw new IllegalArgumentException("loader: decode_threads must be >= 1, got " + decodeThreads);
  }

  /** PushT as LeRobot publishes it: image + agent position, 2 frames of history, 16 actions. */
  public static LoaderConfig pushT() {
    return new LoaderConfig("observation.image", "observation.state", "action", 2, 16, 64, 0,
        Math.max(1, Runtime.getRuntime().availableProcessors()));
  }
}
