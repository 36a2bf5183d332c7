package dev.wam4j.rl.dagger;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wam4j.model.wam.WamRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The DAgger configs in configs/ (the recipes RESULTS quotes) parse, and their train configs too.
 */
class DaggerConfigTest {
  @Test
  void everyDaggerConfigInTheRepositoryParsesWithItsTrainConfig() throws Exception {
    List<Path> files;
    try (Stream<Path> s = Files.list(Path.of("..", "configs"))) {
      files =
          s.filter(p -> p.getFileName().toString().matches("dagger-[^-]+\\.json"))
              .sorted()
              .toList();
    }
    assertThat(files).isNotEmpty();
    for (Path f : files) {
      DaggerConfig c = Dagger.loadConfig(f);
      assertThat(c.validationFirstSeed())
          .as(f.toString())
          .isEqualTo(200_000); // selection never on the protocol seeds
      assertThat(WamRun.loadConfig(Path.of(c.train())).actionHorizon()).isEqualTo(16);
    }
  }
}
