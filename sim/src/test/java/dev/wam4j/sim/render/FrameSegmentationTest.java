package dev.wam4j.sim.render;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/**
 * Pixels labelled by the nearest palette colour: on rendered frames, and on colours a blurry dream
 * would show.
 */
class FrameSegmentationTest {
  private static final SceneLook LOOK = SceneLook.pushtReference();
  private final FrameSegmentation segmentation = new FrameSegmentation(96, LOOK);

  @Test
  void aRenderedFrameIsLabelledWithWhatTheRendererDrewWhere() {
    byte[] frame = new byte[96 * 96 * 3];
    // the pixels SceneRendererTest pins: stem (48, 75), goal crossbar (52, 53), background (80,
    // 20), agent (18, 78)
    SceneRenderer.pushtObservation().render(100, 420, 0, 256, 330, 0, frame, 0);
    byte[] labels = new byte[96 * 96];
    segmentation.classify(frame, 0, labels);
    assertThat(labels[75 * 96 + 48]).isEqualTo(FrameSegmentation.BLOCK);
    assertThat(labels[53 * 96 + 52]).isEqualTo(FrameSegmentation.GOAL);
    assertThat(labels[20 * 96 + 80]).isEqualTo(FrameSegmentation.BACKGROUND);
    assertThat(labels[78 * 96 + 18]).isEqualTo(FrameSegmentation.AGENT);
    assertThat(count(labels, FrameSegmentation.BLOCK))
        .as("the rendered T is found")
        .isGreaterThan(100);
    assertThat(count(labels, FrameSegmentation.AGENT))
        .as("the rendered agent is found")
        .isGreaterThan(10);
  }

  @Test
  void blurredColoursTakeTheLabelOfTheNearestPaletteColour() {
    RenderStyle s = LOOK.style();
    Rgb outer = ((AgentLook.Robot) LOOK.agent()).outer();
    // a dream's smeared colours: off by 10-20 per channel, still nearest their own
    Rgb[] colours = {
      new Rgb(s.blockFill().r() - 12, s.blockFill().g() - 10, s.blockFill().b() + 9),
      s.blockEdge(),
      new Rgb(outer.r() + 15, outer.g() + 10, outer.b() - 20),
      new Rgb(s.goal().r() + 8, s.goal().g() - 9, s.goal().b() + 10),
      new Rgb(s.wall().r() + 12, s.wall().g() + 12, s.wall().b() + 12),
      new Rgb(240, 250, 245)
    };
    byte[] frame = new byte[colours.length * 3];
    byte[] labels = new byte[colours.length];
    for (int p = 0; p < colours.length; p++) {
      set(frame, p, colours[p]);
      labels[p] = segmentation.labelAt(frame, 3 * p);
    }
    assertThat(labels)
        .containsExactly(
            FrameSegmentation.BLOCK,
            FrameSegmentation.BLOCK,
            FrameSegmentation.AGENT,
            FrameSegmentation.GOAL,
            FrameSegmentation.WALL,
            FrameSegmentation.BACKGROUND);
  }

  @Test
  void theHandsColoursAreTheAgent() {
    AgentLook.Hand hand = AgentLook.Hand.defaultLook();
    byte[] frame = new byte[6];
    set(frame, 0, hand.skin());
    set(frame, 1, hand.outline());
    FrameSegmentation handFrames = new FrameSegmentation(1, LOOK.withAgent(hand));
    assertThat(handFrames.labelAt(frame, 0)).isEqualTo(FrameSegmentation.AGENT);
    assertThat(handFrames.labelAt(frame, 3)).isEqualTo(FrameSegmentation.AGENT);
  }

  @Test
  void aBadSizeOrAFrameTooShortIsRefused() {
    assertThatThrownBy(() -> new FrameSegmentation(0, LOOK))
        .hasMessageContaining("frame size must be >= 1, got 0");
    assertThatThrownBy(() -> segmentation.classify(new byte[96 * 96 * 3], 3, new byte[96 * 96]))
        .isInstanceOf(IndexOutOfBoundsException.class)
        .hasMessageContaining("a 96x96 frame at offset 3 of 27648 bytes");
  }

  private static void set(byte[] frame, int pixel, Rgb c) {
    frame[3 * pixel] = (byte) c.r();
    frame[3 * pixel + 1] = (byte) c.g();
    frame[3 * pixel + 2] = (byte) c.b();
  }

  private static int count(byte[] labels, byte label) {
    int n = 0;
    for (byte l : labels) if (l == label) n++;
    return n;
  }
}
