package dev.wam4j.sim.expert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.wam4j.sim.Embodiment;
import dev.wam4j.sim.scene.Scene;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ExpertSummaryTest {
  @Test
  void summaryMatchesTheEpisodesByHand() {
    // noisy enough that some seeds fail, so both means and the failed list are exercised
    ExpertEvaluation.Perception noisy = new ExpertEvaluation.Perception(40, 40, 16, 16, 0);
    List<ExpertEvaluation.Summary> seen = new ArrayList<>();
    List<ExpertEvaluation.Summary> all =
        ExpertEvaluation.summarize(
            Scene.pushT(),
            List.of(Embodiment.RobotPusher.reference(), Embodiment.HumanHand.standard()),
            5,
            3,
            noisy,
            seen::add);
    assertThat(seen).isEqualTo(all);
    assertThat(all)
        .extracting(ExpertEvaluation.Summary::embodiment)
        .containsExactly("robot", "hand");
    ExpertEvaluation.Summary robot = all.get(0);
    List<ExpertEvaluation.Episode> eps =
        ExpertEvaluation.run(Scene.pushT(), Embodiment.RobotPusher.reference(), 5, 3, noisy);
    assertThat(robot.perSeed()).isEqualTo(eps);
    assertThat(robot.seeds()).isEqualTo("5..7");
    assertThat(robot.episodes()).isEqualTo(3);
    double coverage = 0, steps = 0;
    int ok = 0;
    List<Long> failed = new ArrayList<>();
    for (ExpertEvaluation.Episode e : eps) {
      coverage += e.maxCoverage();
      if (e.success()) {
        ok++;
        steps += e.steps();
      } else {
        failed.add(e.seed());
      }
    }
    assertThat(robot.successes()).isEqualTo(ok);
    assertThat(robot.successRate()).isEqualTo(ok / 3.0);
    assertThat(robot.meanMaxCoverage()).isCloseTo(coverage / 3, within(1e-12));
    assertThat(robot.meanStepsOfSuccesses()).isCloseTo(ok == 0 ? 0 : steps / ok, within(1e-12));
    assertThat(robot.failedSeeds()).isEqualTo(failed);
  }
}
