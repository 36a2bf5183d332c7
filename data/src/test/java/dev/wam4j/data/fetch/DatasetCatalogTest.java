package dev.wam4j.data.fetch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class DatasetCatalogTest {
  @Test
  void pushtComesFromDiffusionPolicyWithItsContentDigestPinned() {
    DatasetSource s = DatasetCatalog.get("pusht");
    assertThat(s.url())
        .isEqualTo("https://diffusion-policy.cs.columbia.edu/data/training/pusht.zip");
    assertThat(s.entry()).isEqualTo("pusht/pusht_cchi_v7_replay.zarr");
    assertThat(s.folderName()).isEqualTo("pusht_cchi_v7_replay.zarr");
    assertThat(s.archiveSha256()).isNull();
    assertThat(s.archiveBytes()).isEqualTo(-1);
    assertThat(s.contentSha256()).matches("[0-9a-f]{64}");
  }

  @Test
  void anUnknownNameIsRefusedListingTheKnownOnes() {
    assertThatThrownBy(() -> DatasetCatalog.get("nope"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'nope'")
        .hasMessageContaining("pusht");
  }

  @Test
  void aMirrorKeepsThePinsAndABadDigestIsRefused() {
    DatasetSource s =
        DatasetCatalog.get("pusht")
            .withUrl("http://mirror.example/pusht.zip")
            .withArchiveSha256("AB".repeat(32));
    assertThat(s.contentSha256()).isEqualTo(DatasetCatalog.get("pusht").contentSha256());
    assertThat(s.archiveSha256()).isEqualTo("ab".repeat(32));
    assertThatThrownBy(() -> s.withArchiveSha256("xyz"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("64 hex digits");
  }
}
