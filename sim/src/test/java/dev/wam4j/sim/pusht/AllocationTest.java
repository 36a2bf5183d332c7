package dev.wam4j.sim.pusht;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

/** Hot loops allocate nothing: stepping and resetting PushT leave the heap alone. */
class AllocationTest {

  @Test
  void stepsAndResetsAllocateNothing() {
    com.sun.management.ThreadMXBean bean =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    PushTEnv env = PushTEnv.reference();
    double[] state = new double[5];
    double[] keypoints = new double[16];
    run(env, state, keypoints, 3000); // warm up (class loading, JIT)
    long tid = Thread.currentThread().threadId();
    long before = bean.getThreadAllocatedBytes(tid);
    run(env, state, keypoints, 3000);
    long allocated = bean.getThreadAllocatedBytes(tid) - before;
    // 3000 steps and 10 resets; a single boxed value or array per step would be >= 48 kB.
    assertThat(allocated).isLessThan(4096);
  }

  private static void run(PushTEnv env, double[] state, double[] keypoints, int steps) {
    env.reset(1);
    for (int i = 0; i < steps; i++) {
      if (i % 300 == 299) env.reset(i);
      env.step(100 + (i * 37) % 300, 100 + (i * 53) % 300);
      env.state(state, 0);
      env.keypoints(keypoints, 0);
    }
  }
}
