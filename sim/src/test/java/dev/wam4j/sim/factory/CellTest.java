package dev.wam4j.sim.factory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wam4j.sim.scene.Pose;
import org.junit.jupiter.api.Test;

class CellTest {
  static final String PAIR =
      "# Pair\n## Parts\n- left: I at 200, 190, 0\n- right: I at 312, 190, 0\n";

  @Test
  void partsStandWhereTheDesignOrTheFeederPutsThemAndTheFeederFollowsItsSeed() {
    Design d =
        DesignParser.parse(
            "# X\n## Parts\n- a: T at 256, 100, 0 from 120, 300, 0.7\n- b: L at 380, 300, 0\n");
    Cell cell = new Cell(d, 7);
    assertThat(cell.starts().get(0)).isEqualTo(new Pose(120, 300, 0.7));
    Pose a = cell.pose(0);
    assertThat(a.x()).isCloseTo(120, org.assertj.core.data.Offset.offset(1e-9));
    assertThat(a.y()).isCloseTo(300, org.assertj.core.data.Offset.offset(1e-9));
    assertThat(a.angle()).isCloseTo(0.7, org.assertj.core.data.Offset.offset(1e-12));
    Pose drop = cell.starts().get(1);
    assertThat(new Cell(d, 7).starts().get(1)).as("same seed, same drop").isEqualTo(drop);
    assertThat(new Cell(d, 8).starts().get(1)).isNotEqualTo(drop);
    for (Design.Part p : d.parts()) {
      assertThat(DesignCheck.overlap(d.parts().get(1), drop, p, p.target()))
          .as("dropped off every target")
          .isZero();
    }
    double[] still = {cell.pusherX(0), cell.pusherY(0)};
    for (int k = 0; k < 10; k++) cell.step(still);
    assertThat(cell.pose(1).x())
        .as("a part at rest stays at rest")
        .isCloseTo(cell.starts().get(1).x(), org.assertj.core.data.Offset.offset(1e-6));
    assertThat(cell.minutes()).isCloseTo(1 / 60.0, org.assertj.core.data.Offset.offset(1e-12));
  }

  @Test
  void aPartStartingOnItsTargetCoversItAndTheCameraSeesAsMuch() {
    Design d =
        DesignParser.parse(
            "# X\n## Parts\n- a: plus at 256, 150, 0.3 from 256, 150, 0.3\n- b: I at 100, 300, 0\n");
    Cell cell = new Cell(d, 1);
    CellCamera camera = new CellCamera(cell, 256);
    assertThat(cell.coverage(0)).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-9));
    double[] seen = camera.coverage();
    assertThat(seen[0]).as("the part's pixels fill its outline").isGreaterThan(0.97);
    assertThat(seen[1]).isEqualTo(cell.coverage(1)).isZero();
  }

  @Test
  void anExpertMadeFromThePartAlonePushesAsTheCellsOwnDoes() {
    Design d =
        DesignParser.parse(
            "# X\n## Parts\n- a: T at 256, 100, 0 from 120, 300, 0.7\n- b: L at 380, 300, 0\n");
    Cell cell = new Cell(d, 7);
    Pose goal = new Pose(250, 200, 0.3);
    var own = cell.expert(1, goal);
    var fromPart = Cell.expert(d.parts().get(1), goal, d.options().tolerance());
    double[] a = new double[2], b = new double[2];
    for (int k = 0; k < 20; k++) {
      Pose p = cell.pose(1);
      own.act(cell.pusherX(0), cell.pusherY(0), p.x(), p.y(), p.angle(), a);
      fromPart.act(cell.pusherX(0), cell.pusherY(0), p.x(), p.y(), p.angle(), b);
      assertThat(b).containsExactly(a);
      cell.step(a);
    }
  }

  @Test
  void aPusherCannotLeaveTheCell() {
    Cell cell = new Cell(DesignParser.parse(PAIR), 3);
    for (int k = 0; k < 30; k++) cell.step(new double[] {900, -400});
    assertThat(cell.pusherX(0)).isLessThanOrEqualTo(504 - 15 + 1);
    assertThat(cell.pusherY(0)).isGreaterThanOrEqualTo(7 + 15 - 1);
  }

  @Test
  void aFloorWithNoRoomLeftIsRefusedNamingThePart() {
    StringBuilder crowded = new StringBuilder("# Crowd\n## Parts\n");
    for (int i = 0; i < 16; i++)
      crowded
          .append("- p")
          .append(i)
          .append(": plus at ")
          .append(70 + 124 * (i % 4))
          .append(", ")
          .append(10 + 124 * (i / 4))
          .append(", 0\n");
    Design d = DesignParser.parse(crowded.toString());
    assertThatThrownBy(() -> new Cell(d, 0))
        .isInstanceOf(DesignException.class)
        .hasMessageContaining("the feeder found no free place for 'p");
  }
}
