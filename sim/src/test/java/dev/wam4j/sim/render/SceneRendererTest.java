package dev.wam4j.sim.render;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wam4j.sim.scene.ConvexPart;
import dev.wam4j.sim.scene.Goal;
import dev.wam4j.sim.scene.Physics;
import dev.wam4j.sim.scene.Pose;
import dev.wam4j.sim.scene.Scene;
import dev.wam4j.sim.scene.SceneObject;
import dev.wam4j.sim.scene.Wall;
import java.lang.management.ManagementFactory;
import java.util.List;
import org.junit.jupiter.api.Test;

class SceneRendererTest {
  static int[] pixel(byte[] img, int w, int x, int y) {
    int i = (y * w + x) * 3;
    return new int[] {img[i] & 0xff, img[i + 1] & 0xff, img[i + 2] & 0xff};
  }

  static int[] rgb(Rgb c) {
    return new int[] {c.r(), c.g(), c.b()};
  }

  @Test
  void blockGoalAgentAndBackgroundColoursAppearWhereTheyAre() {
    RenderStyle st = RenderStyle.pushtReference();
    for (Sampling s : Sampling.values()) {
      SceneRenderer r = new SceneRenderer(SceneLook.pushtReference(), Camera.identity(), 96, 96, s);
      byte[] img = new byte[r.frameBytes()];
      r.render(100, 420, 0, 256, 330, 0, img, 0);
      // stem interior at world (256, 400) -> pixel (48, 75)
      assertThat(pixel(img, 96, 48, 75)).as("%s block", s).containsExactly(rgb(st.blockFill()));
      // goal crossbar middle at world (256 + 21, 256 + 21 + 10) -> pixel (52, 53)
      assertThat(pixel(img, 96, 52, 53)).as("%s goal", s).containsExactly(rgb(st.goal()));
      assertThat(pixel(img, 96, 80, 20)).as("%s background", s).containsExactly(255, 255, 255);
      // agent centre at (100, 420) -> pixel (18.75, 78.75): inner disc
      int[] a = pixel(img, 96, 18, 78);
      assertThat(a[2]).as("%s agent", s).isGreaterThan(200);
      assertThat(a[0]).isLessThan(100);
    }
  }

  @Test
  void blockMovesWithItsPose() {
    SceneRenderer r = SceneRenderer.pushtObservation();
    byte[] img = new byte[r.frameBytes()];
    // rotated by pi: the stem now extends upwards from the origin
    r.render(60, 60, 0, 300, 450, Math.PI, img, 0);
    int[] stem = pixel(img, 96, 56, 69); // world (300, 370)
    assertThat(stem).containsExactly(142, 163, 183);
  }

  @Test
  void handLookDrawsSkinLargerThanTheRobot() {
    SceneLook hand = SceneLook.pushtReference().withAgent(AgentLook.Hand.defaultLook());
    SceneRenderer r = new SceneRenderer(hand, Camera.identity(), 128, 128, Sampling.SUPERSAMPLED);
    byte[] img = new byte[r.frameBytes()];
    r.render(400, 100, 0, 150, 380, 0, img, 0);
    Rgb skin = AgentLook.Hand.defaultLook().skin();
    assertThat(pixel(img, 128, 100, 25)).containsExactly(rgb(skin)); // palm centre (400, 100)
    assertThat(pixel(img, 128, 108, 25)).containsExactly(rgb(skin)); // a finger, 32 units along +x
  }

  @Test
  void cameraZoomMagnifiesTheScene() {
    SceneRenderer r =
        new SceneRenderer(
            SceneLook.pushtReference(), new Camera(192, 192, 4), 64, 64, Sampling.SUPERSAMPLED);
    byte[] img = new byte[r.frameBytes()];
    // the view is world [192, 320]^2; the goal centre (256, 256) sits in the middle of it
    r.render(0, 0, 0, 0, 0, 0, img, 0);
    assertThat(pixel(img, 64, 32, 34)).containsExactly(rgb(RenderStyle.pushtReference().goal()));
  }

  @Test
  void frameThatDoesNotFitIsRejected() {
    SceneRenderer r = SceneRenderer.pushtObservation();
    assertThatThrownBy(() -> r.render(0, 0, 0, 0, 0, 0, new byte[100], 0))
        .isInstanceOf(IndexOutOfBoundsException.class);
  }

  @Test
  void sceneLookOfASceneDrawsItsGoalObjectGoalPoseAndWalls() {
    SceneObject square =
        SceneObject.uniform(
            "square", List.of(ConvexPart.box(-40, -40, 40, 40)), 1, 0, 0, new Pose(100, 100, 0));
    SceneObject pebble =
        SceneObject.uniform(
            "pebble", List.of(ConvexPart.box(-5, -5, 5, 5)), 1, 0, 0, new Pose(50, 50, 0));
    Scene cousin =
        new Scene(
            "cousin",
            512,
            512,
            List.of(new Wall(256, 0, 256, 512, 8)),
            new Pose(400, 400, 0),
            List.of(pebble, square),
            new Goal(1, new Pose(128, 384, 0), 0.9),
            Physics.pushT());
    SceneLook look = SceneLook.of(cousin);
    assertThat(look.blockParts()).isEqualTo(square.parts());
    RenderStyle st = look.style();
    for (Sampling s : Sampling.values()) {
      SceneRenderer r = new SceneRenderer(look, Camera.identity(), 64, 64, s);
      byte[] img = new byte[r.frameBytes()];
      r.render(480, 40, 0, 384, 128, 0.3, img, 0);
      assertThat(pixel(img, 64, 16, 48))
          .as("%s goal at (128, 384)", s)
          .containsExactly(rgb(st.goal()));
      assertThat(pixel(img, 64, 48, 16))
          .as("%s block at (384, 128)", s)
          .containsExactly(rgb(st.blockFill()));
      assertThat(pixel(img, 64, 31, 40))
          .as("%s wall at x = 256", s)
          .containsExactly(rgb(st.wall()));
      assertThat(pixel(img, 64, 4, 4))
          .as("%s no reference walls", s)
          .containsExactly(rgb(st.background()));
    }
  }

  @Test
  void renderingAFrameAllocatesNothing() {
    var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    for (Sampling s : Sampling.values()) {
      SceneRenderer r = new SceneRenderer(SceneLook.pushtReference(), Camera.identity(), 96, 96, s);
      byte[] img = new byte[r.frameBytes()];
      for (int i = 0; i < 200; i++) r.render(100 + i, 420, 0, 256, 330, 0.01 * i, img, 0);
      long before = threads.getCurrentThreadAllocatedBytes();
      for (int i = 0; i < 200; i++) r.render(100 + i, 420, 0, 256, 330, 0.01 * i, img, 0);
      long allocated = threads.getCurrentThreadAllocatedBytes() - before;
      // One object per frame would be >= 3,200 bytes; JIT and bookkeeping noise stays far below.
      assertThat(allocated).as("%s bytes allocated by 200 frames", s).isLessThan(1024);
    }
  }
}
