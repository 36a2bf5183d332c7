package dev.wam4j.sim.factory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wam4j.sim.scene.Pose;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FactoryRunTest {
  @Test
  void theScriptedExpertBuildsTwoBarsWithNoPersonInTheLoopTheSameWayForTheSameSeed() {
    Design d = DesignParser.parse(CellTest.PAIR);
    List<String> log = new ArrayList<>();
    FactoryRun.Result r = FactoryRun.run(d, FactoryRun.Config.of(200000), log::add);
    assertThat(r.productComplete()).isTrue();
    assertThat(r.partsPlaced()).isEqualTo(2);
    assertThat(r.interventions()).isZero();
    assertThat(r.pushes()).isGreaterThanOrEqualTo(2);
    assertThat(r.parts())
        .allSatisfy(
            p -> {
              assertThat(p.placed()).isTrue();
              assertThat(p.coverage()).isGreaterThanOrEqualTo(0.9);
              assertThat(p.reason()).isNull();
            });
    assertThat(log.get(0)).startsWith("Pair: 2 parts, 1 robot, order");
    FactoryRun.Result again = FactoryRun.run(d, FactoryRun.Config.of(200000), line -> {});
    assertThat(again.pushes()).isEqualTo(r.pushes());
    assertThat(again.simMinutes()).isEqualTo(r.simMinutes());
  }

  @Test
  void aProductAlreadyInPlaceNeedsNoPushAndOneThatCannotBeBuiltSaysWhichPartFailedAndWhy() {
    Design inPlace =
        DesignParser.parse("# Done\n## Parts\n- a: I at 200, 200, 0 from 200, 200, 0\n");
    FactoryRun.Result done = FactoryRun.run(inPlace, FactoryRun.Config.of(1), line -> {});
    assertThat(done.productComplete()).isTrue();
    assertThat(done.pushes()).isZero();
    assertThat(done.simMinutes()).isZero();
    // three seconds are too few to bring a part from the far corner
    Design hurried =
        DesignParser.parse(
            "# Hurried\n## Parts\n- a: T at 256, 60, 0 from 420, 380, 2\n## Options\n- max-minutes: 0.05\n");
    FactoryRun.Result r = FactoryRun.run(hurried, FactoryRun.Config.of(1), line -> {});
    assertThat(r.productComplete()).isFalse();
    assertThat(r.simMinutes()).isGreaterThanOrEqualTo(0.05);
    assertThat(r.parts().get(0).reason())
        .contains("< 0.90 after 1 push")
        .contains("0.05 simulated minutes ran out");
  }

  @Test
  void filmingARunChangesNothingItSeesOrDoes() {
    Design d = DesignParser.parse(CellTest.PAIR);
    FactoryRun.Result plain = FactoryRun.run(d, FactoryRun.Config.of(200001), line -> {});
    FactoryRun.Result filmed =
        FactoryRun.run(
            d,
            FactoryRun.Config.of(200001),
            line -> {},
            (cell, camera, plan) -> camera.annotated(plan));
    assertThat(filmed.pushes()).isEqualTo(plain.pushes());
    assertThat(filmed.simMinutes()).isEqualTo(plain.simMinutes());
    assertThat(filmed.parts()).isEqualTo(plain.parts());
  }

  @Test
  void twoRobotsBuildTogetherAndKeepApart() {
    Design d =
        DesignParser.parse(
            "# Gate\n## Parts\n- left post: I at 180, 250, 0\n- right post: I at 332, 250, 0\n- lintel: T at 256, 120, 0\n"
                + "## Options\n- robots: 2\n");
    boolean[] both = {false};
    double[] closest = {Double.POSITIVE_INFINITY};
    FactoryRun.Result r =
        FactoryRun.run(
            d,
            FactoryRun.Config.of(200002),
            line -> {},
            (cell, camera, plan) -> {
              both[0] |= !plan.contains("idle");
              closest[0] =
                  Math.min(
                      closest[0],
                      Math.hypot(
                          cell.pusherX(0) - cell.pusherX(1), cell.pusherY(0) - cell.pusherY(1)));
            });
    assertThat(r.robots()).isEqualTo(2);
    assertThat(r.productComplete()).isTrue();
    assertThat(both[0]).as("at some step both robots pushed").isTrue();
    assertThat(closest[0])
        .as("the robots gave way: never closer than two pusher radii")
        .isGreaterThan(2 * dev.wam4j.sim.Embodiment.RobotPusher.reference().radius());
  }

  @Test
  void aPartAgainstAWallIsStagedTowardsTheMiddleByTheRoomItLacks() {
    double gap = Cell.WALL_GAP;
    assertThat(FactoryRun.againstWall(new double[] {7, 200, 47, 320})).isTrue();
    assertThat(FactoryRun.againstWall(new double[] {7 + gap, 200, 47 + gap, 320})).isFalse();
    Pose moved = FactoryRun.offTheWall(new Pose(27, 200, 0), new double[] {7, 200, 47, 320});
    assertThat(moved.x()).isCloseTo(27 + gap + 20, org.assertj.core.data.Offset.offset(1e-9));
    assertThat(moved.y()).isEqualTo(200);
  }

  @Test
  void aPartWhoseTargetLiesOnAnothersPathIsPlacedAfterIt() {
    // b travels from the bottom to the top; a's target sits in the middle of that path
    Design d =
        DesignParser.parse(
            "# X\n## Parts\n- a: I at 256, 200, 0 from 80, 300, 0\n- b: I at 256, 40, 0 from 256, 370, 0\n");
    assertThat(PlacementOrder.plan(d, List.of(new Pose(80, 300, 0), new Pose(256, 370, 0))))
        .containsExactly(1, 0);
  }
}
