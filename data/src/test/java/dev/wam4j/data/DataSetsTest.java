package dev.wam4j.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The PushT demonstrations are found in WAM4J_DATA, then the download cache, then the shipped
 * sample.
 */
class DataSetsTest {
  @TempDir Path tmp;

  @AfterEach
  void clear() {
    System.clearProperty("wam4j.data");
    System.clearProperty("wam4j.cache");
  }

  @Test
  void aLocalCopyComesFirstThenTheCacheThenTheShippedSample() throws Exception {
    Path local = Files.createDirectories(tmp.resolve("local").resolve(DataSets.PUSHT_ZARR));
    Path cached =
        Files.createDirectories(tmp.resolve("cache").resolve("pusht").resolve(DataSets.PUSHT_ZARR));
    Files.writeString(
        cached.resolveSibling("SOURCE.json"),
        "{}"); // what a verified fetch leaves beside the store
    System.setProperty("wam4j.data", tmp.resolve("local").toString());
    System.setProperty("wam4j.cache", tmp.resolve("cache").toString());
    assertThat(DataSets.pushTDemonstrations())
        .isEqualTo(new DataSets.Located(local, true, DataSets.DATA_ENV));
    System.setProperty("wam4j.data", tmp.resolve("elsewhere").toString());
    assertThatThrownBy(DataSets::pushTDemonstrations)
        .hasMessageContaining("elsewhere")
        .hasMessageContaining(DataSets.DATA_ENV);
    System.setProperty(
        "wam4j.data", ""); // blank: not set (and the environment's WAM4J_DATA is not consulted)
    assertThat(DataSets.pushTDemonstrations())
        .isEqualTo(new DataSets.Located(cached, true, "cache"));
    Files.delete(
        cached.resolveSibling(
            "SOURCE.json")); // an unverified folder (a fetch killed mid-way) does not count
    assertThat(DataSets.pushTDemonstrations().complete()).isFalse();
    System.setProperty("wam4j.cache", tmp.resolve("empty-cache").toString());
    DataSets.Located sample = DataSets.pushTDemonstrations();
    assertThat(sample.complete()).isFalse();
    assertThat(sample.path()).isEqualTo(DataSets.pushTSample());
    assertThat(sample.path().getFileName().toString()).isEqualTo("pusht-sample.zarr");
  }
}
