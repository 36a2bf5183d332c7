package dev.wam4j.model.imagine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.wam4j.model.wam.Dreams;
import dev.wam4j.sim.pusht.Coverage;
import dev.wam4j.sim.render.SceneLook;
import dev.wam4j.sim.render.SceneRenderer;
import dev.wam4j.sim.scene.Pose;
import dev.wam4j.sim.scene.Scene;
import org.junit.jupiter.api.Test;

/**
 * The imagination planner's score on frames the renderer draws, as a dream that got everything
 * right would show them: the goal's pixels the block covers, and the candidate whose last frame
 * covers most.
 */
class GoalCoverageTest {
  static final int SIZE = 96, FRAME = SIZE * SIZE * 3;
  static final Scene SCENE = Scene.pushT();
  static final Pose GOAL = SCENE.goal().pose();

  private final GoalCoverage coverage = new GoalCoverage(SceneLook.pushtReference(), SIZE);
  private final SceneRenderer renderer = SceneRenderer.pushtObservation();

  @Test
  void theMaskIsTheGoalsAreaInImagePixels() {
    double pixels =
        SCENE.goalObject().area() / Math.pow(512.0 / SIZE, 2); // 6300 world px^2: 221 image pixels
    assertThat((double) coverage.goalPixels()).isCloseTo(pixels, within(0.1 * pixels));
  }

  @Test
  void aBlockOnTheGoalCoversItAllAndOneFarAwayNone() {
    assertThat(coverage.of(frame(GOAL.x(), GOAL.y(), GOAL.angle()), 0)).isEqualTo(1.0);
    assertThat(coverage.of(frame(120, 400, 0), 0)).isZero();
  }

  @Test
  void pixelCoverageReadsTheTasksCoverageOfAShiftedOrTurnedBlockAFewHundredthsHigh() {
    Coverage exact = new Coverage(SCENE.goalObject().parts(), GOAL);
    double[][] poses = {
      {GOAL.x() + 20, GOAL.y(), GOAL.angle()},
      {GOAL.x(), GOAL.y() - 35, GOAL.angle() + 0.3},
      {GOAL.x() - 8, GOAL.y() + 6, 0}
    };
    for (double[] p : poses) {
      double task = exact.of(p[0], p[1], p[2]);
      assertThat(task).as("a partial cover").isBetween(0.2, 0.9);
      // measured: 0.52 -> 0.59, 0.26 -> 0.34, 0.32 -> 0.35; the edge strokes, drawn half outside
      // the block, count as block
      assertThat(coverage.of(frame(p[0], p[1], p[2]), 0))
          .as("block at %s", java.util.Arrays.toString(p))
          .isBetween(task, task + 0.1);
    }
  }

  @Test
  void theCandidateWhoseLastDreamFrameCoversTheGoalMostIsChosen() {
    byte[] far = frame(120, 400, 0),
        near = frame(GOAL.x() + 20, GOAL.y(), GOAL.angle()),
        on = frame(GOAL.x(), GOAL.y(), GOAL.angle());
    // candidate 1 reaches the goal only at the first offset; candidate 2 ends near it, 3 on it
    Dreams dreams =
        dreams(
            concat(far, far),
            concat(on, far),
            concat(far, near),
            concat(near, on),
            concat(far, near));
    assertThat(coverage.best(dreams)).isEqualTo(3);
    assertThat(coverage.best(dreams(concat(far, near), concat(far, far), concat(on, near))))
        .as("a tie goes to the first")
        .isZero();
  }

  @Test
  void dreamsOfAnotherSizeAreRefused() {
    Dreams small =
        new Dreams(
            new int[] {4},
            48,
            new byte[][] {new byte[48 * 48 * 3]},
            1,
            new float[][] {new float[1]});
    assertThatThrownBy(() -> coverage.best(small))
        .hasMessageContaining("goal coverage of 96 px frames: dreams are 48 px");
  }

  /**
   * An observation with the block at {@code (x, y, angle)} and the agent in a corner, away from the
   * goal.
   */
  private byte[] frame(double x, double y, double angle) {
    byte[] f = new byte[FRAME];
    renderer.render(60, 460, 0, x, y, angle, f, 0);
    return f;
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  /** Dreams at offsets 4 and 8 with the given frames per candidate (latents unused). */
  private static Dreams dreams(byte[]... frames) {
    float[][] latents = new float[frames.length][2];
    return new Dreams(new int[] {4, 8}, SIZE, frames, 1, latents);
  }
}
