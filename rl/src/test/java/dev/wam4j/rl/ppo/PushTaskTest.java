package dev.wam4j.rl.ppo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.wam4j.sim.pusht.PushTEnv;
import dev.wam4j.sim.scene.Scene;
import org.junit.jupiter.api.Test;

class PushTaskTest {
  private static final PpoConfig.Reward WEIGHTS = new PpoConfig.Reward(10, 10, 1, 1, 0.5);

  @Test
  void theObservationShowsTheStateRelativeToTheGoalAndThePusherInTheBlocksFrame() {
    PushTEnv env = PushTEnv.reference();
    env.setState(
        300,
        256,
        256,
        256,
        Math.PI / 4); // the block on the goal pose, the pusher 44 px to its right
    PushTask task = new PushTask(Scene.pushT().goal().pose(), WEIGHTS);
    task.start(env);
    float[] o = new float[PushTask.OBSERVATIONS];
    task.observe(o, 0);
    double[] s = env.state();
    assertThat((double) o[0]).isCloseTo(2 * s[0] / 512 - 1, within(1e-6));
    assertThat((double) o[6]).isCloseTo(4 * (s[2] - 256) / 512, within(1e-6)); // block - goal, x
    assertThat((double) o[8])
        .isCloseTo(Math.cos(s[4] - Math.PI / 4), within(1e-6)); // angle to the goal's
    // the pusher in the block's frame: (dx, dy) turned by -angle
    double dx = s[0] - s[2], dy = s[1] - s[3], c = Math.cos(s[4]), sn = Math.sin(s[4]);
    assertThat((double) o[10]).isCloseTo(4 * (c * dx + sn * dy) / 512, within(1e-6));
    assertThat((double) o[11]).isCloseTo(4 * (-sn * dx + c * dy) / 512, within(1e-6));
    assertThat(o[12]).isZero(); // no motion yet
    assertThat((double) o[17]).isCloseTo(env.coverage(), within(1e-6));
  }

  @Test
  void shapingTelescopesSoAnEpisodesReturnIsCoverageGainedPlusTheEndpointsPotentials() {
    // the shaping terms of an episode sum to phi(last) - phi(first)
    PushTEnv env = PushTEnv.reference();
    env.reset(10_000_003);
    PpoConfig.Reward coverageOnly = new PpoConfig.Reward(10, 10, 0, 0, 0);
    PushTask shaped = new PushTask(Scene.pushT().goal().pose(), WEIGHTS),
        plain = new PushTask(Scene.pushT().goal().pose(), coverageOnly);
    shaped.start(env);
    plain.start(env);
    double first = env.coverage(), firstPotential = shaped.potential(), shapedSum = 0, plainSum = 0;
    for (int t = 0; t < 40; t++) {
      env.step(env.blockX(), env.blockY()); // push towards the block's centre
      shapedSum += shaped.reward(env);
      plainSum += plain.reward(env);
    }
    assertThat(plainSum)
        .isCloseTo(10 * (env.coverage() - first) + (env.terminated() ? 10 : 0), within(1e-9));
    assertThat(shapedSum).isCloseTo(plainSum + shaped.potential() - firstPotential, within(1e-9));
    assertThat(shaped.potential()).isNotEqualTo(firstPotential);
  }

  @Test
  void successPaysTheBonus() {
    PushTEnv env = PushTEnv.reference();
    // the legacy set-state turns the block about its centre of gravity, moving its origin by
    // (31.82, 13.18) at 45 degrees
    env.setState(100, 100, 256 - 31.8198051533946, 256 - 13.18019484660533, Math.PI / 4);
    PushTask task = new PushTask(Scene.pushT().goal().pose(), new PpoConfig.Reward(0, 7, 0, 0, 0));
    task.start(env);
    env.step(100, 100);
    assertThat(env.terminated()).isTrue();
    assertThat(task.reward(env)).isEqualTo(7.0);
  }
}
