package dev.wam4j.data.zarr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wam4j.data.DataSets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A sample of a replay buffer: the source's chunks byte for byte, cut at an episode's end. */
class ReplayBufferSubsetTest {
  @TempDir Path tmp;

  @Test
  void theFirstEpisodesReadBackAsTheSourcesFramesFromByteIdenticalChunks() throws Exception {
    Path source = DataSets.pushTSample();
    ReplayBuffer full = ReplayBuffer.open(source);
    ReplayBufferSubset.Result r =
        ReplayBufferSubset.firstEpisodes(source, 3, tmp.resolve("three.zarr"));
    ReplayBuffer three = ReplayBuffer.open(r.root());
    int frames = full.episodeRange(2).end();
    assertThat(r.frames()).isEqualTo(frames);
    assertThat(three.episodeCount()).isEqualTo(3);
    assertThat(three.frameCount()).isEqualTo(frames);
    for (String name : full.arrayNames()) {
      assertThat(three.array(name).readFloats())
          .as(name)
          .isEqualTo(full.array(name).readFloats(0, frames));
      assertThat(three.array(name).rows()).isEqualTo(frames);
    }
    assertThat(Files.readAllBytes(r.root().resolve("data/img/0.0.0.0")))
        .isEqualTo(Files.readAllBytes(source.resolve("data/img/0.0.0.0")));
    try (var s = Files.list(tmp)) {
      assertThat(s.map(p -> p.getFileName().toString()))
          .containsExactly("three.zarr"); // no partial folder left
    }
  }

  @Test
  void anExistingTargetOrTooManyEpisodesIsRefused() throws Exception {
    Path source = DataSets.pushTSample();
    Files.createDirectories(tmp.resolve("taken"));
    assertThatThrownBy(() -> ReplayBufferSubset.firstEpisodes(source, 2, tmp.resolve("taken")))
        .hasMessageContaining("exists");
    assertThatThrownBy(() -> ReplayBufferSubset.firstEpisodes(source, 26, tmp.resolve("x")))
        .hasMessageContaining("1..25");
  }
}
