package dev.wam4j.model.cell;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CellPusherTrainingTest {
  /** A run small enough for a test: 2 scenes, 40 gradient steps, 2 validation pushes. */
  static CellPusherConfig tiny(int rounds) {
    return new CellPusherConfig(
        32, 1, 1e-3, 16, rounds, 2, 1, 40, 0.5, 60, 0.95, 2, 200000, 3, 0.5);
  }

  @Test
  void aRunExtendedByARoundEqualsOneThatRanBothRoundsAtOnce(@TempDir Path dir) throws Exception {
    CellPusherTraining.Result straight =
        CellPusherTraining.train(dir.resolve("straight"), tiny(2), line -> {});
    CellPusherTraining.train(dir.resolve("resumed"), tiny(1), line -> {});
    CellPusherTraining.Result resumed =
        CellPusherTraining.train(dir.resolve("resumed"), tiny(2), line -> {});

    assertThat(straight.rounds()).hasSize(2);
    assertThat(resumed.rounds().get(1).samples()).isEqualTo(straight.rounds().get(1).samples());
    assertThat(resumed.rounds().get(1).samples()).isGreaterThan(resumed.rounds().get(0).samples());
    assertThat(Files.readAllBytes(dir.resolve("resumed/round-01").resolve(CellPusher.WEIGHTS)))
        .as("the same weights, bit for bit")
        .isEqualTo(
            Files.readAllBytes(dir.resolve("straight/round-01").resolve(CellPusher.WEIGHTS)));
    assertThat(CellPusher.load(dir.resolve("straight/round-01")).name()).isEqualTo("vision");
  }

  @Test
  void aRunFolderRefusesAnotherRecipe(@TempDir Path dir) throws Exception {
    CellPusherTraining.train(dir, tiny(1), line -> {});
    CellPusherConfig other =
        new CellPusherConfig(64, 1, 1e-3, 16, 1, 2, 1, 40, 0.5, 60, 0.95, 2, 200000, 3, 0.5);
    assertThatThrownBy(() -> CellPusherTraining.train(dir, other, line -> {}))
        .hasMessageContaining("config.json")
        .hasMessageContaining("another config");
  }
}
