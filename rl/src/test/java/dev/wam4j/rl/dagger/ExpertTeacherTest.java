package dev.wam4j.rl.dagger;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wam4j.sim.Embodiment;
import dev.wam4j.sim.expert.PushExpert;
import dev.wam4j.sim.pusht.PushTEnv;
import dev.wam4j.sim.scene.Scene;
import org.junit.jupiter.api.Test;

class ExpertTeacherTest {
  @Test
  void theLabelOfAResetStateIsTheExpertsOwnFirstChunkAndTheLabelledEnvironmentIsUntouched() {
    for (long seed : new long[] {0, 7, 100_003}) {
      PushTEnv env = new PushTEnv(Scene.pushT(), Embodiment.RobotPusher.reference());
      env.reset(seed);
      double[] before = env.state();
      float[] label = new float[32];
      new ExpertTeacher(env).actionChunk(env, 16, label, 0);
      assertThat(env.state()).as("the student's environment").containsExactly(before);
      assertThat(env.stepCount()).isZero();

      PushTEnv solo = new PushTEnv(Scene.pushT(), Embodiment.RobotPusher.reference());
      solo.reset(seed);
      PushExpert expert = PushExpert.of(solo);
      double[] a = new double[2];
      for (int j = 0; j < 16; j++) {
        expert.act(solo, a);
        assertThat(label[2 * j]).as("seed " + seed + " x" + j).isEqualTo((float) a[0]);
        assertThat(label[2 * j + 1]).as("seed " + seed + " y" + j).isEqualTo((float) a[1]);
        solo.step(a[0], a[1]);
      }
    }
  }

  @Test
  void aPerceivedStateAtRestIsLabelledLikeTheSameStateInTheSimulator() {
    for (long seed : new long[] {0, 7, 100_003}) {
      PushTEnv env = new PushTEnv(Scene.pushT(), Embodiment.RobotPusher.reference());
      env.reset(seed); // a reset leaves everything at rest
      ExpertTeacher teacher = new ExpertTeacher(env);
      float[] fromState = new float[32], fromPerception = new float[32];
      teacher.actionChunk(env, 16, fromState, 0);
      teacher.actionChunk(
          env.agentX(),
          env.agentY(),
          env.blockX(),
          env.blockY(),
          env.blockAngle(),
          16,
          fromPerception,
          0);
      for (int i = 0; i < 32; i++)
        assertThat((double) fromPerception[i])
            .as("seed " + seed + " value " + i)
            .isCloseTo(fromState[i], org.assertj.core.data.Offset.offset(1e-3));
    }
  }

  @Test
  void aPerceivedStateOutsideTheWorkspaceIsRefusedByName() {
    PushTEnv env = new PushTEnv(Scene.pushT(), Embodiment.RobotPusher.reference());
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () ->
                new ExpertTeacher(env)
                    .actionChunk(100, 100, Double.NaN, 200, 0, 16, new float[32], 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("finite");
  }
}
