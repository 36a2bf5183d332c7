package dev.wam4j.sim.factory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wam4j.sim.scene.Pose;
import org.junit.jupiter.api.Test;

class PoseFitTest {
  @Test
  void theCameraLocatesEveryShapeWithinAPixelAndAHalfAndADegreeAndAHalf() {
    Design d =
        DesignParser.parse(
            "# Four\n## Parts\n- t: T at 130, 130, 0\n- l: L at 380, 130, 0\n"
                + "- i: I at 130, 330, 0\n- p: plus at 380, 330, 0\n");
    double worstPx = 0, worstDeg = 0;
    for (long seed = 1; seed <= 8; seed++) {
      Cell cell = new Cell(d, seed); // the feeder drops each part at a seeded pose and angle
      CellCamera camera = new CellCamera(cell, 256);
      for (int i = 0; i < 4; i++) {
        Pose truth = cell.pose(i), seen = camera.locate(i, truth.angle());
        worstPx = Math.max(worstPx, Math.hypot(seen.x() - truth.x(), seen.y() - truth.y()));
        worstDeg = Math.max(worstDeg, Math.toDegrees(Math.abs(seen.angle() - truth.angle())));
      }
    }
    assertThat(worstPx).as("position error, cell pixels").isLessThan(1.5);
    assertThat(worstDeg).as("angle error, degrees").isLessThan(1.5);
  }

  @Test
  void ofASymmetricShapesTwinsTheAngleNearestTheWantedOneIsReturned() {
    Design d = DesignParser.parse("# One\n## Parts\n- i: I at 256, 200, 0 from 256, 300, 0.3\n");
    CellCamera camera = new CellCamera(new Cell(d, 1), 256);
    assertThat(camera.symmetry(0)).isEqualTo(2);
    assertThat(camera.locate(0, 0).angle())
        .isCloseTo(0.3, org.assertj.core.data.Offset.offset(0.02));
    assertThat(camera.locate(0, 3.0).angle())
        .as("half a turn on: the same picture")
        .isCloseTo(0.3 + Math.PI, org.assertj.core.data.Offset.offset(0.02));
  }
}
