package dev.wam4j.sim.render;

import static org.assertj.core.api.SoftAssertions.assertSoftly;

import dev.wam4j.sim.scene.ConvexPart;
import dev.wam4j.sim.scene.Pose;
import dev.wam4j.sim.scene.Scene;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Pins the exact bytes of many frames (as a SHA-256 over all of them) so that speed work on the
 * renderers cannot change a single pixel unnoticed. Poses are drawn at random over and beyond the
 * canvas, so blocks and agents are clipped at every edge, plus a few fixed poses.
 */
class PinnedFramesTest {
  private static final double TAU = 2 * Math.PI;

  private static final ConvexPart PENTAGON =
      new ConvexPart(new double[][] {{-30, -10}, {0, -35}, {30, -10}, {20, 25}, {-20, 25}});

  private static String digest(
      SceneLook look, Camera camera, int w, int h, Sampling sampling, int frames, long seed) {
    SceneRenderer r = new SceneRenderer(look, camera, w, h, sampling);
    byte[] img = new byte[r.frameBytes()];
    MessageDigest sha;
    try {
      sha = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
    double[][] fixed = {
      {256, 400, 0, 256, 300, 0},
      {100, 420, 0.3, 256, 330, 0},
      {60, 60, 1, 300, 450, Math.PI},
      {5, 5, 0, 506, 506, Math.PI / 4},
      {-40, 256, 0, -30, 256, 1.2},
      {530, 530, 2, 530, 10, -2.5},
      {-500, -500, 0, -600, -600, 0},
      {256, 256, 0, 256, 256, 0},
      {2000, 100, 0, 100, 3000, 0.5},
    };
    for (double[] p : fixed) {
      r.render(p[0], p[1], p[2], p[3], p[4], p[5], img, 0);
      sha.update(img);
    }
    SplittableRandom rnd = new SplittableRandom(seed);
    for (int i = 0; i < frames; i++) {
      r.render(
          rnd.nextDouble(-30, 542),
          rnd.nextDouble(-30, 542),
          rnd.nextDouble(-TAU, TAU),
          rnd.nextDouble(-40, 552),
          rnd.nextDouble(-40, 552),
          rnd.nextDouble(-TAU, TAU),
          img,
          0);
      sha.update(img);
    }
    return HexFormat.of().formatHex(sha.digest());
  }

  private static SceneLook pentagonLook() {
    return new SceneLook(
        List.of(PENTAGON),
        new Pose(200, 300, 0.7),
        Scene.pushT().walls(),
        RenderStyle.pushtReference(),
        AgentLook.Robot.pushtReference());
  }

  /** Frames of one renderer whose SHA-256 is pinned. */
  private record Pin(
      String label,
      SceneLook look,
      Camera camera,
      int width,
      int height,
      Sampling sampling,
      int frames,
      long seed,
      String sha256) {}

  private static void assertPinned(Pin... pins) {
    assertSoftly(
        soft -> {
          for (Pin p : pins) {
            soft.assertThat(
                    digest(
                        p.look(),
                        p.camera(),
                        p.width(),
                        p.height(),
                        p.sampling(),
                        p.frames(),
                        p.seed()))
                .as(p.label())
                .isEqualTo(p.sha256());
          }
        });
  }

  @Test
  void referenceObservationFramesAreBitIdenticalToThePinnedOnes() {
    assertPinned(
        new Pin(
            "PushT 96 x 96",
            SceneLook.pushtReference(),
            Camera.identity(),
            96,
            96,
            Sampling.REFERENCE,
            2000,
            1,
            "51d93e724f44c9ba05acb46ec9afff7a56aaa1776afd54c1682bc5aa1bbb478e"));
  }

  @Test
  void referenceFramesOfOtherSizesLooksAndCamerasAreBitIdenticalToThePinnedOnes() {
    SceneLook t = SceneLook.pushtReference();
    SceneLook hand = t.withAgent(AgentLook.Hand.defaultLook());
    SceneLook noWalls = new SceneLook(t.blockParts(), t.goal(), List.of(), t.style(), t.agent());
    Camera id = Camera.identity();
    Camera zoom = new Camera(100, 150, 1.7);
    Sampling ref = Sampling.REFERENCE;
    assertPinned(
        new Pin(
            "64 x 48",
            t,
            id,
            64,
            48,
            ref,
            300,
            2,
            "a62d7510ef0c8503023e78d23db6cbe8f06f08eba519a32bd6b80322c2613698"),
        new Pin(
            "300 x 200",
            t,
            id,
            300,
            200,
            ref,
            100,
            3,
            "cf3a37346fa956b86117edcf10a0b137e7cb49582836167a4fa1c975e295e227"),
        new Pin(
            "700 x 600, upsampled",
            t,
            id,
            700,
            600,
            ref,
            20,
            4,
            "45930608b50f756fe8c1422cd4931734f650df010ab4d76878d1a19522509531"),
        new Pin(
            "hand",
            hand,
            id,
            96,
            96,
            ref,
            300,
            5,
            "87d75b7b6bce94e8de38943101ab441424e230f8bcfb968c865f0b92992bb5e1"),
        new Pin(
            "pentagon, zoomed",
            pentagonLook(),
            zoom,
            96,
            96,
            ref,
            300,
            6,
            "af3a5bff3bdf3606d1f9858def77b17940d2c6f4f169f0589827d5ee2434dbe8"),
        new Pin(
            "no walls",
            noWalls,
            id,
            96,
            96,
            ref,
            300,
            7,
            "56eae2521d046e515b16ab4a3743a2c21e4159148ffe53135e4e7c52be74f89c"));
  }

  @Test
  void supersampledFramesAreBitIdenticalToThePinnedOnes() {
    SceneLook t = SceneLook.pushtReference();
    SceneLook hand = t.withAgent(AgentLook.Hand.defaultLook());
    Sampling ss = Sampling.SUPERSAMPLED;
    assertPinned(
        new Pin(
            "T",
            t,
            Camera.identity(),
            64,
            64,
            ss,
            100,
            8,
            "6a4fad14e923d1cfa05a0cabd375e8b2a8d878458126a32977b27bc6538dc09d"),
        new Pin(
            "hand",
            hand,
            Camera.identity(),
            80,
            60,
            ss,
            50,
            9,
            "b4a1c9bc71ea22982614b1f446c0c40ca7639328164bc3f2b20e54c5e3717657"),
        new Pin(
            "pentagon, zoomed",
            pentagonLook(),
            new Camera(100, 150, 1.7),
            64,
            64,
            ss,
            50,
            10,
            "d6fea4a0bd2e05e59199adc83bc4d403ce9fb56c4cfa4df3a335bde7eb769e92"));
  }
}
