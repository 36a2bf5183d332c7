package dev.wam4j.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A data set's content hash covers data and metadata, and nothing a crashed writer left behind. */
class DatasetDigestTest {
  @TempDir Path tmp;

  @Test
  void aChangedMetadataFileChangesTheHashAndAWritersLeftoversDoNot() throws Exception {
    Path ds = Files.createDirectories(tmp.resolve("ds/data/state"));
    Files.writeString(ds.resolve(".zarray"), "{\"dtype\": \"<f4\"}");
    Files.write(ds.resolve("0.0"), new byte[] {1, 2, 3, 4});
    Path root = tmp.resolve("ds");
    String before = DatasetDigest.sha256(root);
    assertThat(before).hasSize(64).isEqualTo(DatasetDigest.sha256(root));

    Files.createDirectories(root.resolve(".meta.partial-1234"));
    Files.writeString(root.resolve(".meta.partial-1234/x"), "half-written");
    Files.writeString(root.resolve(".info.json.tmp"), "{");
    assertThat(DatasetDigest.sha256(root)).isEqualTo(before);

    Files.writeString(ds.resolve(".zarray"), "{\"dtype\": \"<i4\"}");
    assertThat(DatasetDigest.sha256(root)).isNotEqualTo(before);
    Files.writeString(ds.resolve(".zarray"), "{\"dtype\": \"<f4\"}");
    Files.write(ds.resolve("0.0"), new byte[] {1, 2, 3, 5});
    assertThat(DatasetDigest.sha256(root)).isNotEqualTo(before);
  }
}
