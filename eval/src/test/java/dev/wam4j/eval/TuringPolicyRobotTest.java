package dev.wam4j.eval;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wam4j.data.DataSets;
import dev.wam4j.eval.turing.TuringTest;
import org.junit.jupiter.api.Test;

/**
 * The Turing test with a policy as the robot, run in closed loop (here: the expert as a policy).
 */
class TuringPolicyRobotTest {
  @Test
  void aPolicyRobotIsJudgedWithinTheHumansTimeBudget() throws Exception {
    int episodes = 10;
    try (ExpertChunkPolicy policy = new ExpertChunkPolicy(0, 1, 8)) {
      TuringTest.Result r =
          TuringTest.run(
              TuringTest.expert(DataSets.pushTSample(), episodes, 5, 0), policy, "scripted", null);
      assertThat(r.robot()).isEqualTo("scripted");
      assertThat(r.episodesRobot()).isEqualTo(episodes);
      assertThat(r.judgeRocAuc()).isBetween(0.0, 1.0);
      assertThat(r.robotStepsMean()).isLessThanOrEqualTo(r.humanStepsMean());
      assertThat(r.robotSuccesses()).isPositive();
      // the policy was reset once per demonstration, in order
      assertThat(policy.resetSeeds).hasSize(episodes);
    }
  }
}
