package dev.wam4j.data.loader;

/**
 * One mini-batch, in flat arrays (sample-major). Reused across {@link TrainingLoader#sample} calls.
 *
 * <ul>
 *   <li>{@code images}: [batch][history][height][width][3] RGB bytes (empty without an image key)
 *   <li>{@code states}: [batch][history][stateDim]
 *   <li>{@code actions}: [batch][horizon][actionDim]
 *   <li>{@code actionIsPad}: [batch][horizon], true where the chunk ran past the episode's end and
 *       the last action was repeated (LeRobot's padding convention)
 *   <li>{@code episode}, {@code frame}: where each sample's current frame is
 * </ul>
 */
public final class TrainingBatch {
  public final byte[] images;
  public final float[] states;
  public final float[] actions;
  public final boolean[] actionIsPad;
  public final int[] episode;
  public final int[] frame;

  TrainingBatch(int batch, int history, int frameBytes, int stateDim, int horizon, int actionDim) {
    images = new byte[batch * history * frameBytes];
    states = new float[batch * history * stateDim];
    actions = new float[batch * horizon * actionDim];
    actionIsPad = new boolean[batch * horizon];
    episode = new int[batch];
    frame = new int[batch];
  }
}
