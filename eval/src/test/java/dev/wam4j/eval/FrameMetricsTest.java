package dev.wam4j.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.wam4j.sim.render.AgentLook;
import dev.wam4j.sim.render.FrameSegmentation;
import dev.wam4j.sim.render.Rgb;
import dev.wam4j.sim.render.SceneLook;
import dev.wam4j.sim.render.SceneRenderer;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * The per-frame measures of dream quality, on frames painted with the renderer's own colours (the
 * segmentation itself is pinned by the sim module's FrameSegmentationTest).
 */
class FrameMetricsTest {
  static final int SIZE = 96;
  static final SceneLook LOOK = SceneLook.pushtReference();
  static final Rgb BLOCK = LOOK.style().blockFill();
  static final Rgb AGENT = ((AgentLook.Robot) LOOK.agent()).outer();
  static final Rgb GOAL = LOOK.style().goal();

  private final FrameMetrics metrics = new FrameMetrics(SIZE, LOOK);

  @Test
  void identicalFramesHaveBlockIouOneAndTheCappedPsnr() {
    byte[] frame = new byte[SIZE * SIZE * 3];
    SceneRenderer.pushtObservation().render(300, 200, 0, 256, 300, 0.7, frame, 0);
    assertThat(FrameMetrics.psnrDb(frame, 0, frame.clone(), 0, frame.length))
        .isEqualTo(FrameMetrics.PSNR_CAP_DB);
    byte[] a = labels(frame), b = labels(frame.clone());
    assertThat(count(a, FrameSegmentation.BLOCK)).as("the rendered T is found").isGreaterThan(100);
    assertThat(FrameMetrics.blockIou(a, b)).isEqualTo(1.0);
  }

  @Test
  void psnrOfAUniformErrorOfTenIsTwentyEightDecibels() {
    byte[] a = blank(), b = blank();
    Arrays.fill(a, (byte) 100);
    Arrays.fill(b, (byte) 110);
    // MSE 100: 10 log10(255^2 / 100)
    assertThat(FrameMetrics.psnrDb(a, 0, b, 0, a.length)).isCloseTo(28.1308, within(1e-4));
  }

  @Test
  void aBlockShiftedByFivePixelsHasIouOfOverlapOverUnion() {
    byte[] a = blank(), b = blank();
    paint(a, 30, 40, 20, 10, BLOCK);
    paint(b, 35, 40, 20, 10, BLOCK);
    // overlap 15 x 10, union 25 x 10
    assertThat(FrameMetrics.blockIou(labels(a), labels(b))).isEqualTo(150.0 / 250.0);
  }

  @Test
  void blurredBlocksStillOverlapWhereTheyAre() {
    byte[] sharp = blank(), blurred = blank();
    paint(sharp, 30, 40, 20, 10, BLOCK);
    // a dream's smeared block: off by ~10 per channel, still nearest the block's colour
    paint(blurred, 30, 40, 20, 10, new Rgb(BLOCK.r() - 12, BLOCK.g() - 10, BLOCK.b() + 9));
    assertThat(FrameMetrics.blockIou(labels(sharp), labels(blurred))).isEqualTo(1.0);
  }

  @Test
  void theGoalRegionIsNotTheBlock() {
    byte[] a = blank(), b = blank();
    paint(a, 30, 40, 20, 10, BLOCK);
    paint(b, 30, 40, 20, 10, GOAL);
    assertThat(FrameMetrics.blockIou(labels(a), labels(b))).isZero();
  }

  @Test
  void twoFramesWithoutTheBlockHaveIouOne() {
    assertThat(FrameMetrics.blockIou(labels(blank()), labels(blank()))).isEqualTo(1.0);
    byte[] a = blank();
    paint(a, 30, 40, 20, 10, BLOCK);
    assertThat(FrameMetrics.blockIou(labels(a), labels(blank()))).isZero();
  }

  @Test
  void theAgentCentroidIsInWorkspacePixels() {
    byte[] a = blank(), b = blank();
    paint(a, 60, 20, 6, 6, AGENT); // image centroid (63, 23)
    paint(b, 63, 24, 6, 6, AGENT); // 3 right, 4 down: 5 image pixels
    double[] pa = new double[2], pb = new double[2];
    assertThat(metrics.agentCentroid(labels(a), pa)).isTrue();
    assertThat(metrics.agentCentroid(labels(b), pb)).isTrue();
    double scale = 512.0 / SIZE;
    assertThat(pa[0]).isCloseTo(63 * scale, within(1e-9));
    assertThat(pa[1]).isCloseTo(23 * scale, within(1e-9));
    assertThat(Math.hypot(pb[0] - pa[0], pb[1] - pa[1])).isCloseTo(5 * scale, within(1e-9));
  }

  @Test
  void aFrameWithoutAgentPixelsHasNoCentroid() {
    assertThat(metrics.agentCentroid(labels(blank()), new double[2])).isFalse();
  }

  private byte[] labels(byte[] frame) {
    byte[] out = new byte[SIZE * SIZE];
    metrics.classify(frame, 0, out);
    return out;
  }

  static int count(byte[] labels, byte label) {
    int n = 0;
    for (byte l : labels) if (l == label) n++;
    return n;
  }

  /** A frame of the background colour. */
  static byte[] blank() {
    byte[] f = new byte[SIZE * SIZE * 3];
    paint(f, 0, 0, SIZE, SIZE, LOOK.style().background());
    return f;
  }

  /** Fills the {@code w x h} rectangle with top-left pixel {@code (x, y)}. */
  static void paint(byte[] frame, int x, int y, int w, int h, Rgb c) {
    for (int r = y; r < y + h; r++) {
      for (int q = x; q < x + w; q++) {
        int i = (r * SIZE + q) * 3;
        frame[i] = (byte) c.r();
        frame[i + 1] = (byte) c.g();
        frame[i + 2] = (byte) c.b();
      }
    }
  }
}
