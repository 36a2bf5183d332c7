package dev.wam4j.model.cell;

import dev.wam4j.model.mlp.SplitMix;
import dev.wam4j.sim.cousins.ShapeFamily;
import dev.wam4j.sim.factory.Cell;
import dev.wam4j.sim.factory.Design;
import dev.wam4j.sim.factory.DesignCheck;
import dev.wam4j.sim.factory.DesignException;
import dev.wam4j.sim.scene.Pose;
import java.util.ArrayList;
import java.util.List;

/**
 * Random cells to train and validate a cell pusher on: one to three parts of random shapes with
 * random targets anywhere on the floor, dropped by the cell's feeder, one robot. Never a design of
 * {@code configs/designs}: the pusher learns pushing, not products.
 */
final class CellScenes {
  private CellScenes() {}

  /** The cell of scene {@code seed} (the same seed, the same cell). */
  static Cell scene(long seed) {
    SplitMix rng = new SplitMix(SplitMix.mix(seed, 17));
    ShapeFamily[] shapes = ShapeFamily.values();
    for (int attempt = 0; ; attempt++) {
      int n = 1 + (int) (rng.nextDouble() * 3);
      List<Design.Part> parts = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        ShapeFamily shape = shapes[(int) (rng.nextDouble() * shapes.length)];
        Pose target =
            new Pose(
                70 + 372 * rng.nextDouble(),
                70 + 372 * rng.nextDouble(),
                Math.PI * (2 * rng.nextDouble() - 1));
        parts.add(new Design.Part("part " + (i + 1), i + 1, shape, target, null));
      }
      Design d = new Design("scene " + seed, "", parts, Design.Options.DEFAULTS);
      try {
        DesignCheck.check(d);
        return new Cell(d, SplitMix.mix(seed, attempt));
      } catch (DesignException e) {
        if (attempt > 1000) throw new IllegalStateException("no scene for seed " + seed, e);
      }
    }
  }
}
