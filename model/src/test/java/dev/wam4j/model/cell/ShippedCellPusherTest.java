package dev.wam4j.model.cell;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wam4j.sim.factory.DesignParser;
import dev.wam4j.sim.factory.FactoryRun;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ShippedCellPusherTest {
  static final Path ROOT = Path.of("..");

  @Test
  void theShippedCellPusherBuildsTheTwoPartDesignLightsOut() throws Exception {
    CellPusher pusher = CellPusher.load(ROOT.resolve("models/cell-pusher"));
    FactoryRun.Result r =
        FactoryRun.run(
            DesignParser.read(ROOT.resolve("configs/designs/pair.md")),
            FactoryRun.Config.of(200000, pusher),
            line -> {});
    assertThat(r.executor()).isEqualTo("vision");
    assertThat(r.productComplete()).isTrue();
    assertThat(r.interventions()).isZero();
    FactoryRun.Result again =
        FactoryRun.run(
            DesignParser.read(ROOT.resolve("configs/designs/pair.md")),
            FactoryRun.Config.of(200000, pusher),
            line -> {});
    assertThat(again.pushes()).as("the same seed, the same run").isEqualTo(r.pushes());
    assertThat(again.simMinutes()).isEqualTo(r.simMinutes());
  }
}
