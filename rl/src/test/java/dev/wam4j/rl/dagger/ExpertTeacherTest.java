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
}
