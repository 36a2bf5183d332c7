package dev.wam4j.fleet.store;

import dev.wam4j.fleet.job.JobDocumentParser;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Claim latency with one big job queued (10 steps x 1,000 tasks) on the embedded store; not a test
 * (timings are measured, not asserted). Run from the fleet module's test classpath: {@code java -cp
 * ... dev.wam4j.fleet.store.ClaimBench}. docs/RESULTS.md section 17.3 has its numbers.
 */
public final class ClaimBench {
  public static void main(String[] args) throws Exception {
    Path dir = Files.createTempDirectory("claim-bench");
    StringBuilder md = new StringBuilder("# Big\n");
    for (int s = 0; s < 10; s++) md.append("\n## Step ").append(s).append("\n- count: 1000\n");
    try (FleetStore store = FleetStore.embedded(dir)) {
      String robot = store.robots().enroll("a", "lab").robotId();
      store.robots().register(robot, "robot", "{}");
      store.tasks().submit(JobDocumentParser.parse(md.toString()), md.toString(), 3);
      for (int i = 0; i < 20; i++) {
        long t0 = System.nanoTime();
        Records.Task t = store.tasks().claim(robot).orElseThrow();
        long t1 = System.nanoTime();
        store.tasks().finish(robot, t.id(), true, "{}");
        System.out.printf(
            "claim %2d: %6.2f ms (task %d, step %d); finish %6.2f ms%n",
            i, (t1 - t0) / 1e6, t.id(), t.stepIndex(), (System.nanoTime() - t1) / 1e6);
      }
    }
  }
}
