package dev.wam4j.data.loader;

/**
 * One mini-batch, in flat arrays (sample-major). Reused across {@link TrainingLoader#sample} calls,
 * which overwrite every element; owned by the caller, not thread-safe.
 *
 * <ul>
 *   <li>{@code images}: [batch][history][height][width][3] RGB bytes (empty without an image key)
 *   <li>{@code states}: [batch][history][stateDim]
 *   <li>{@code actions}: [batch][horizon][actionDim]
 *   <li>{@code actionIsPad}: [batch][horizon], true where the chunk ran past the episode's end and
 *       the last action was repeated (LeRobot's padding convention)
 *   <li>{@code executedActions}: [batch][horizon][actionDim], the actions the episode took from the
 *       current frame on (its action column, padded like {@code actions}): the same as {@code
 *       actions} except where a teacher's chunk labels the frame ({@link
 *       TrainingLoader#TEACHER_CHUNK}); what the future frames followed, so what a dream
 *       conditioned on actions must read
 *   <li>{@code futureImages}: [batch][futureFrames][height][width][3] RGB bytes; entry k - 1 is
 *       frame {@code t + k * futureStride} of the sample's episode, clamped to its last frame
 *       (empty when {@code futureFrames == 0})
 *   <li>{@code futureStates}: [batch][futureFrames][stateDim], the state at those same frames
 *   <li>{@code futureIsPad}: [batch][futureFrames], true where the future frame ran past the
 *       episode's end and its last frame (image and state) was repeated
 *   <li>{@code blockPose}: [batch][3], the current frame's block pose (x, y, angle) where {@code
 *       hasBlockPose} is set (privileged: a training target, never an input; see {@link
 *       TrainingLoader#TEACHER_BLOCK_POSE})
 *   <li>{@code episode}, {@code frame}: where each sample's current frame {@code t} is
 * </ul>
 */
public final class TrainingBatch {
  public final byte[] images;
  public final float[] states;
  public final float[] actions;
  public final boolean[] actionIsPad;
  public final float[] executedActions;
  public final byte[] futureImages;
  public final float[] futureStates;
  public final boolean[] futureIsPad;
  public final float[] blockPose;
  public final boolean[] hasBlockPose;
  public final int[] episode;
  public final int[] frame;

  TrainingBatch(
      int batch,
      int history,
      int frameBytes,
      int stateDim,
      int horizon,
      int actionDim,
      int future) {
    images = new byte[batch * history * frameBytes];
    states = new float[batch * history * stateDim];
    actions = new float[batch * horizon * actionDim];
    actionIsPad = new boolean[batch * horizon];
    executedActions = new float[batch * horizon * actionDim];
    futureImages = new byte[batch * future * frameBytes];
    futureStates = new float[batch * future * stateDim];
    futureIsPad = new boolean[batch * future];
    blockPose = new float[batch * 3];
    hasBlockPose = new boolean[batch];
    episode = new int[batch];
    frame = new int[batch];
  }
}
