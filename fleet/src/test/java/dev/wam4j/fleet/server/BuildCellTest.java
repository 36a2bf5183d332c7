package dev.wam4j.fleet.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wam4j.fleet.api.BuildApi;
import dev.wam4j.fleet.store.JobStatus;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The shared cell's rules on a clock of its own: lockstep, silence, the end. */
class BuildCellTest {
  static final String PAIR =
      "# Pair\n## Parts\n- left: I at 200, 190, 0 from 190, 240, 0.2\n"
          + "- right: I at 312, 190, 0 from 322, 240, -0.2\n## Options\n- robots: 2\n- max-minutes: 0.05\n";

  @Test
  void aSilentRobotLosesItsPlacementAndTheCellStepsOnWithoutIt() throws Exception {
    AtomicLong now = new AtomicLong();
    BuildCell cell = BuildCell.create(1, PAIR, 0, now::get);
    BuildApi.Placement a = cell.claim("a").orElseThrow(), b = cell.claim("b").orElseThrow();
    assertThat(a.part()).isNotEqualTo(b.part());
    assertThat(cell.claim("c")).as("both pushers taken").isEmpty();
    now.set(BuildCell.SILENT_MS + 1); // b says nothing for longer than the cell waits
    BuildApi.Observation o = cell.step("a", a.observation().pusherX(), a.observation().pusherY());
    assertThat(o.step()).isEqualTo(1);
    assertThat(o.phase()).isEqualTo(BuildApi.Phase.PUSHING);
    assertThatThrownBy(() -> cell.step("b", 100, 100))
        .isInstanceOf(ApiException.class)
        .hasMessageContaining("holds no pusher");
    BuildApi.Placement c = cell.claim("c").orElseThrow();
    assertThat(c.part()).as("b's part, queued first").isEqualTo(b.part());
    // holding still, nothing gets placed: the build fails when its 0.05 minutes (30 steps) run out
    while (o.phase() == BuildApi.Phase.PUSHING) {
      Thread t =
          Thread.ofVirtual()
              .start(
                  () -> {
                    try {
                      cell.step("c", c.observation().pusherX(), c.observation().pusherY());
                    } catch (InterruptedException e) {
                      throw new IllegalStateException(e);
                    }
                  });
      o = cell.step("a", o.pusherX(), o.pusherY());
      t.join();
    }
    assertThat(o.phase()).isEqualTo(BuildApi.Phase.ENDED);
    BuildApi.BuildStatus s = cell.status();
    assertThat(s.status()).isEqualTo(JobStatus.FAILED);
    assertThat(s.failure()).contains("'left'").contains("'right'").contains("simulated minutes");
    assertThat(s.result().productComplete()).isFalse();
    assertThat(cell.claim("a")).isEmpty();
  }
}
