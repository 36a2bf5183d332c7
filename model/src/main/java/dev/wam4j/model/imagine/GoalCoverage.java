package dev.wam4j.model.imagine;

import dev.wam4j.model.wam.Dreams;
import dev.wam4j.sim.render.Camera;
import dev.wam4j.sim.render.FrameSegmentation;
import dev.wam4j.sim.render.Sampling;
import dev.wam4j.sim.render.SceneLook;
import dev.wam4j.sim.render.SceneRenderer;

/**
 * How much of the goal region a frame shows covered by the block: the pixel analogue of the task's
 * coverage (area of block ∩ goal / area of goal), measured on a picture rather than on poses, so
 * that it can score a dreamed frame.
 *
 * <p>The goal mask is rendered once, at the frame size, from the scene's goal pose: the scene drawn
 * as the observations are (reference sampling, whole workspace) with the block and the agent out of
 * view, so that the mask is the goal region as the camera sees it uncovered, its edge pixels
 * (blended with the background by the reference resize) in the mask when their colour is nearer the
 * goal's. A frame's coverage is the share of mask pixels that {@link FrameSegmentation} labels
 * block. Where the agent hides the block, those pixels are agent, not block: the score sees what
 * the frame shows. On a rendered frame it reads a few hundredths above the task's coverage where
 * the block covers part of the goal (0.59 for 0.52 at 20 px off), since the block's edge strokes,
 * drawn half outside it, count as block; a block on the goal reads 1 and one off it 0. It ranks
 * candidates, it does not decide success.
 *
 * <p>Also a dream monitor's yardstick: the coverage a dream promised against the coverage the
 * camera then shows.
 *
 * <p>Holds the goal mask only; each call labels into its own array. Assumes the frames show the
 * look it was built with (its goal pose): a policy loaded for another scene must be given that
 * scene's look.
 */
public final class GoalCoverage {
  // far outside the 512 px workspace: the renderer clips them away
  private static final double OUT_OF_VIEW = -10_000;

  private final FrameSegmentation segmentation;
  private final int frameBytes;
  private final int[] goalPixels; // byte index of each mask pixel's red channel in a frame

  /**
   * @param look the scene whose goal, colours and agent the frames show
   * @param size side of the square frames, pixels
   * @throws IllegalArgumentException when the goal is not in view at this size
   */
  public GoalCoverage(SceneLook look, int size) {
    this.segmentation = new FrameSegmentation(size, look);
    this.frameBytes = size * size * 3;
    byte[] empty = new byte[frameBytes];
    new SceneRenderer(look, Camera.identity(), size, size, Sampling.REFERENCE)
        .render(OUT_OF_VIEW, OUT_OF_VIEW, 0, OUT_OF_VIEW, OUT_OF_VIEW, 0, empty, 0);
    byte[] labels = new byte[size * size];
    segmentation.classify(empty, 0, labels);
    int n = 0;
    for (byte l : labels) if (l == FrameSegmentation.GOAL) n++;
    if (n == 0)
      throw new IllegalArgumentException(
          "goal coverage: the goal at "
              + look.goal()
              + " shows no pixel in a "
              + size
              + " px frame");
    goalPixels = new int[n];
    for (int p = 0, k = 0; p < labels.length; p++)
      if (labels[p] == FrameSegmentation.GOAL) goalPixels[k++] = 3 * p;
  }

  /** Pixels in the goal mask. */
  int goalPixels() {
    return goalPixels.length;
  }

  /** Share of goal-mask pixels the frame at {@code frame[offset..]} shows as block, in [0, 1]. */
  public double of(byte[] frame, int offset) {
    if (offset < 0 || offset > frame.length - frameBytes) {
      throw new IndexOutOfBoundsException(
          "a frame of " + frameBytes + " bytes at offset " + offset + " of " + frame.length);
    }
    int covered = 0;
    for (int i : goalPixels)
      if (segmentation.labelAt(frame, offset + i) == FrameSegmentation.BLOCK) covered++;
    return covered / (double) goalPixels.length;
  }

  /**
   * The candidate whose last dream frame (the furthest offset) covers the goal most; on a tie the
   * first.
   *
   * @throws IllegalArgumentException when the dreams' frames are not of this size
   */
  int best(Dreams dreams) {
    if (dreams.imageSize() != segmentation.size()) {
      throw new IllegalArgumentException(
          "goal coverage of "
              + segmentation.size()
              + " px frames: dreams are "
              + dreams.imageSize()
              + " px");
    }
    int last = (dreams.offsets().length - 1) * frameBytes, best = 0;
    double bestCoverage = -1;
    for (int i = 0; i < dreams.candidates(); i++) {
      double c = of(dreams.frames()[i], last);
      if (c > bestCoverage) {
        bestCoverage = c;
        best = i;
      }
    }
    return best;
  }
}
