package dev.wam4j.model.cell;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wam4j.model.CheckpointException;
import dev.wam4j.model.mlp.Mlp;
import dev.wam4j.model.mlp.SplitMix;
import dev.wam4j.sim.cousins.ShapeFamily;
import dev.wam4j.sim.scene.Pose;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CellPusherTest {
  @Test
  void thePushersContactsAreTheExpertsAndEveryShapeHasSome() {
    for (ShapeFamily f : ShapeFamily.values()) {
      assertThat(Contacts.of(f)).as(f.id()).isBetween(20, Contacts.MAX);
      assertThat(Contacts.primitive(f, new Pose(100, 100, 1)).contacts())
          .as("the same for any goal")
          .isEqualTo(Contacts.of(f));
    }
  }

  @Test
  void aSymmetricPartsContactRowsDoNotDependOnWhichTwinTheCameraReported() {
    int size = PushFeatures.SIZE;
    float[] a = new float[Contacts.MAX * size], b = new float[Contacts.MAX * size];
    Pose goal = new Pose(256, 200, 0.3);
    // an I half a turn on: the same picture, described about its other end
    Pose seen = new Pose(300, 320, 0.5), twin = twin(seen, ShapeFamily.I);
    assertThat(PushFeatures.twinNearest(ShapeFamily.I, twin, 0.4).x())
        .as("the twin nearest the seen angle is the seen pose")
        .isCloseTo(seen.x(), Offset.offset(1e-9));
    int n = PushFeatures.write(ShapeFamily.I, seen, goal, 280, 400, a, 0);
    assertThat(PushFeatures.write(ShapeFamily.I, twin, goal, 280, 400, b, 0)).isEqualTo(n);
    // the same contacts, numbered from the other end: every row of one is a row of the other
    for (int k = 0; k < n; k++) {
      boolean found = false;
      for (int m = 0; m < n && !found; m++) {
        boolean same = true;
        for (int f = 0; f < size && same; f++)
          same = Math.abs(a[k * size + f] - b[m * size + f]) < 1e-4;
        found = same;
      }
      assertThat(found).as("row %d", k).isTrue();
    }
  }

  /** The same I's pose described with its origin at the other end (rotated half a turn). */
  private static Pose twin(Pose p, ShapeFamily shape) {
    double cogY = 60; // the I's centre of gravity, 60 below its origin
    double c = Math.cos(p.angle()), s = Math.sin(p.angle());
    double cx = p.x() - s * cogY, cy = p.y() + c * cogY;
    double a = p.angle() + Math.PI, c2 = Math.cos(a), s2 = Math.sin(a);
    return new Pose(cx + s2 * cogY, cy - c2 * cogY, a);
  }

  @Test
  void aSavedPusherLoadsAndActsTheSameAndACorruptedOneIsRefusedNamingTheFile(@TempDir Path dir)
      throws Exception {
    CellPusherConfig c = CellPusherConfig.defaults();
    Mlp net = new Mlp(c.sizes());
    float[] params = new float[net.parameters()];
    net.initialise(params, 0, new SplitMix(5), 1.0);
    Path model = dir.resolve("pusher");
    CellPusher.save(model, c, params, Map.of("note", "test"));
    CellPusher loaded = CellPusher.load(model);
    double[] x = new double[2], y = new double[2];
    Pose seen = new Pose(100, 200, 0.4), goal = new Pose(256, 256, -1);
    new CellPusher(c, params).pushing(ShapeFamily.L, goal).act(seen, 90, 330, x);
    loaded.pushing(ShapeFamily.L, goal).act(seen, 90, 330, y);
    assertThat(y).containsExactly(x);
    try (var files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactly("pusher");
    }

    byte[] w = Files.readAllBytes(model.resolve(CellPusher.WEIGHTS));
    w[100] ^= 1;
    Files.write(model.resolve(CellPusher.WEIGHTS), w);
    assertThatThrownBy(() -> CellPusher.load(model))
        .isInstanceOf(CheckpointException.class)
        .hasMessageContaining(CellPusher.WEIGHTS)
        .hasMessageContaining("digest");
    assertThatThrownBy(() -> CellPusher.load(dir))
        .isInstanceOf(CheckpointException.class)
        .hasMessageContaining("not a cell pusher checkpoint");
  }
}
