package dev.wam4j.sim.render;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.SoftAssertions.assertSoftly;

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

  /** A part in the scene's canonical vertex order (counter-clockwise y-up, from the smallest x). */
  private static final ConvexPart PENTAGON =
      new ConvexPart(new double[] {-30, -10, 0, -35, 30, -10, 20, 25, -20, 25});

  private static String digest(SceneLook look, Camera camera, int w, int h, Sampling sampling, int frames, long seed) {
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
      r.render(rnd.nextDouble(-30, 542), rnd.nextDouble(-30, 542), rnd.nextDouble(-TAU, TAU),
          rnd.nextDouble(-40, 552), rnd.nextDouble(-40, 552), rnd.nextDouble(-TAU, TAU), img, 0);
      sha.update(img);
    }
    return HexFormat.of().formatHex(sha.digest());
  }

  private static SceneLook pentagonLook() {
    return new SceneLook(List.of(PENTAGON), new Pose(200, 300, 0.7), true, RenderStyle.pushtReference(),
        AgentLook.Robot.pushtReference());
  }

  @Test
  void referenceObservationFramesAreBitIdenticalToThePinnedOnes() {
    assertThat(digest(SceneLook.pushtReference(), Camera.identity(), 96, 96, Sampling.REFERENCE, 2000, 1))
        .isEqualTo(
            "51d93e724f44c9ba05acb46ec9afff7a56aaa1776afd54c1682bc5aa1bbb478e");
  }

  @Test
  void referenceFramesOfOtherSizesLooksAndCamerasAreBitIdenticalToThePinnedOnes() {
    assertSoftly(soft -> {
      SceneLook hand = SceneLook.pushtReference().withAgent(AgentLook.Hand.defaultLook());
      soft.assertThat(digest(SceneLook.pushtReference(), Camera.identity(), 64, 48, Sampling.REFERENCE, 300, 2))
          .as("64 x 48").isEqualTo("a62d7510ef0c8503023e78d23db6cbe8f06f08eba519a32bd6b80322c2613698");
      soft.assertThat(digest(SceneLook.pushtReference(), Camera.identity(), 300, 200, Sampling.REFERENCE, 100, 3))
          .as("300 x 200").isEqualTo("cf3a37346fa956b86117edcf10a0b137e7cb49582836167a4fa1c975e295e227");
      soft.assertThat(digest(SceneLook.pushtReference(), Camera.identity(), 700, 600, Sampling.REFERENCE, 20, 4))
          .as("700 x 600, upsampled").isEqualTo("45930608b50f756fe8c1422cd4931734f650df010ab4d76878d1a19522509531");
      soft.assertThat(digest(hand, Camera.identity(), 96, 96, Sampling.REFERENCE, 300, 5))
          .as("hand").isEqualTo("87d75b7b6bce94e8de38943101ab441424e230f8bcfb968c865f0b92992bb5e1");
      soft.assertThat(digest(pentagonLook(), new Camera(100, 150, 1.7), 96, 96, Sampling.REFERENCE, 300, 6))
          .as("pentagon, zoomed camera").isEqualTo("af3a5bff3bdf3606d1f9858def77b17940d2c6f4f169f0589827d5ee2434dbe8");
      SceneLook noWalls = new SceneLook(SceneLook.pushtReference().blockParts(), new Pose(256, 256, Math.PI / 4), false,
          RenderStyle.pushtReference(), AgentLook.Robot.pushtReference());
      soft.assertThat(digest(noWalls, Camera.identity(), 96, 96, Sampling.REFERENCE, 300, 7))
          .as("no walls").isEqualTo("56eae2521d046e515b16ab4a3743a2c21e4159148ffe53135e4e7c52be74f89c");
    });
  }

  @Test
  void supersampledFramesAreBitIdenticalToThePinnedOnes() {
    assertSoftly(soft -> {
      SceneLook hand = SceneLook.pushtReference().withAgent(AgentLook.Hand.defaultLook());
      soft.assertThat(digest(SceneLook.pushtReference(), Camera.identity(), 64, 64, Sampling.SUPERSAMPLED, 100, 8))
          .as("T").isEqualTo("6a4fad14e923d1cfa05a0cabd375e8b2a8d878458126a32977b27bc6538dc09d");
      soft.assertThat(digest(hand, Camera.identity(), 80, 60, Sampling.SUPERSAMPLED, 50, 9))
          .as("hand").isEqualTo("b4a1c9bc71ea22982614b1f446c0c40ca7639328164bc3f2b20e54c5e3717657");
      soft.assertThat(digest(pentagonLook(), new Camera(100, 150, 1.7), 64, 64, Sampling.SUPERSAMPLED, 50, 10))
          .as("pentagon, zoomed camera").isEqualTo("d6fea4a0bd2e05e59199adc83bc4d403ce9fb56c4cfa4df3a335bde7eb769e92");
    });
  }
}
