package dev.wam4j.data.lerobot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wam4j.data.DataSets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetSummaryTest {
  @TempDir Path dir;

  @Test
  void so101SampleIsSummedUpWithItsCodecsAndMissingVideos() throws Exception {
    DatasetSummary s = DatasetSummary.of(DataSets.lerobotV30So101());
    assertThat(s.codebaseVersion()).isEqualTo("v3.0");
    assertThat(s.totalEpisodes()).isEqualTo(4);
    assertThat(s.totalFrames()).isEqualTo(1492);
    assertThat(s.fps()).isEqualTo(30);
    assertThat(s.videoKeys())
        .containsOnlyKeys("observation.images.front", "observation.images.top")
        .containsValue("av1");
    assertThat(s.features().get("observation.images.front").codec()).isEqualTo("av1");
    assertThat(s.features().get("action").codec()).isNull();
    assertThat(s.missingFiles())
        .containsExactly(
            "videos/observation.images.front/chunk-000/file-000.mp4",
            "videos/observation.images.top/chunk-000/file-000.mp4");
  }

  @Test
  void imageFeaturesAreFramesInParquetAndFramesAddUpOverEpisodes() throws Exception {
    SyntheticDataset spec = new SyntheticDataset();
    spec.image = true;
    DatasetSummary s = DatasetSummary.of(spec.write(dir.resolve("ds")));
    assertThat(s.totalFrames()).isEqualTo(5 + 7 + 4);
    assertThat(s.features().get("observation.image").framesInParquet()).isTrue();
    assertThat(s.features().get("observation.state").framesInParquet()).isFalse();
    assertThat(s.imageKeys()).containsExactly("observation.image");
    assertThat(s.videoKeys()).isEmpty();
    assertThat(s.missingFiles()).isEmpty();
  }
}
