package dev.wam4j.eval.turing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wam4j.data.DataSets;
import dev.wam4j.sim.expert.PushExpert;
import dev.wam4j.sim.motion.MotionShaper;
import dev.wam4j.sim.motion.MotionStyle;
import dev.wam4j.sim.pusht.PushTEnv;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TuringTestTest {
  @Test
  void expertAgainstTheShippedSampleGivesAVerdict() throws Exception {
    TuringTest.Result r = TuringTest.run(TuringTest.expert(DataSets.pushTSample(), 0, 5, 0), null);
    assertThat(r.episodesHuman()).isEqualTo(25);
    assertThat(r.episodesRobot()).isEqualTo(25);
    assertThat(r.judgeRocAuc()).isBetween(0.0, 1.0);
    assertThat(r.features()).hasSize(MotionFeatures.NAMES.size());
    assertThat(r.features().stream().map(TuringJudge.Feature::name).toList())
        .containsExactlyInAnyOrderElementsOf(MotionFeatures.NAMES);
    for (int i = 1; i < r.features().size(); i++)
      assertThat(r.features().get(i).separation())
          .isLessThanOrEqualTo(r.features().get(i - 1).separation());
    // the robot never runs longer than the human did from the same start
    assertThat(r.robotStepsMean()).isLessThanOrEqualTo(r.humanStepsMean());
  }

  @Test
  void humanTracesStartAtTheirLegacyReset() throws Exception {
    List<PusherTrace> h = TuringTest.humanTraces(DataSets.pushTSample(), 2);
    assertThat(h).hasSize(2);
    double[] reset = dev.wam4j.sim.pusht.PushTEnv.legacyResetDraw(1);
    assertThat(h.get(1).seed()).isEqualTo(1);
    assertThat(h.get(1).agentX()[0]).isEqualTo((float) reset[0]);
    assertThat(h.get(1).agentY()[0]).isEqualTo((float) reset[1]);
  }

  @Test
  void tooFewEpisodesForTheFoldsIsAClearError() {
    assertThatThrownBy(
            () -> TuringTest.run(TuringTest.expert(DataSets.pushTSample(), 3, 5, 0), null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("holds 3 demonstrations, fewer than the 5 folds");
  }

  @Test
  void validationAndTestSplitTheDemonstrationsByParity() throws Exception {
    TuringTest.Config all = TuringTest.expert(DataSets.pushTSample(), 0, 5, 0);
    List<PusherTrace> validation =
        TuringTest.humanTraces(all.withSplit(TuringTest.Split.VALIDATION));
    List<PusherTrace> test = TuringTest.humanTraces(all.withSplit(TuringTest.Split.TEST));
    assertThat(validation).hasSize(13);
    assertThat(test).hasSize(12);
    assertThat(validation).allMatch(t -> t.seed() % 2 == 0);
    assertThat(test).allMatch(t -> t.seed() % 2 == 1);
  }

  @Test
  void aSmootherHandLowersTheExpertsJerkAndAcceleration() {
    PushTEnv env = PushTEnv.reference();
    PushExpert expert = PushExpert.of(env);
    MotionFeatures f = MotionFeatures.pushT();
    int jerk = MotionFeatures.NAMES.indexOf("jerk_mean");
    int accel = MotionFeatures.NAMES.indexOf("accel_mean");
    MotionShaper hand = MotionShaper.tenHz(new MotionStyle(0.3, 150));
    for (long seed = 0; seed < 3; seed++) {
      double[] plain = f.of(TuringTest.expertTrace(env, expert, seed, 100));
      double[] smooth = f.of(TuringTest.expertTrace(env, expert, hand, seed, 100));
      assertThat(smooth[jerk]).isLessThan(plain[jerk] / 2);
      assertThat(smooth[accel]).isLessThan(plain[accel]);
    }
    // no style: exactly the expert driving the simulator itself, step by step
    for (long seed = 5; seed < 8; seed++) {
      PusherTrace a = TuringTest.expertTrace(env, expert, seed, 80);
      env.reset(seed);
      expert.reset();
      double[] action = new double[2];
      for (int t = 0; t < a.length(); t++) {
        double[] state = env.state(); // as the trace records it
        assertThat(state[0]).isEqualTo(a.agentX()[t]);
        assertThat(state[4]).isEqualTo(a.blockAngle()[t]);
        expert.act(env, action);
        env.step(action[0], action[1]);
      }
    }
  }

  @Test
  void theVerdictAlsoComesWithoutTheFeaturesARobotBorrowsFromTheHuman(@TempDir Path tmp)
      throws Exception {
    Path png = tmp.resolve("features.png");
    TuringTest.Result r =
        TuringTest.run(TuringTest.expert(DataSets.pushTSample(), 0, 5, 0).withPlots(png), null);
    // the most separating features drawn: a 2 x 2 sheet of panels
    java.awt.image.BufferedImage img = javax.imageio.ImageIO.read(png.toFile());
    assertThat(img.getWidth()).isEqualTo(1120);
    assertThat(img.getHeight()).isEqualTo(680);
    assertThat(r.plots()).isEqualTo(png.toString());
    assertThat(r.judgeRocAucMotionOnly()).isBetween(0.0, 1.0);
    assertThat(r.split()).isEqualTo(TuringTest.Split.ALL);
    assertThat(r.motion()).isEqualTo("none");
  }
}
