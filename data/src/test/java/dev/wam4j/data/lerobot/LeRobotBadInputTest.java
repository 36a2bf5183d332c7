package dev.wam4j.data.lerobot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LeRobotBadInputTest {
  @TempDir Path dir;

  private Path dataset(String version) throws Exception {
    SyntheticDataset spec = new SyntheticDataset();
    spec.version = version;
    return spec.write(dir.resolve(version));
  }

  private static void editInfo(Path root, java.util.function.Consumer<ObjectNode> edit)
      throws Exception {
    Path file = root.resolve("meta/info.json");
    ObjectNode info = (ObjectNode) SyntheticDataset.JSON.readTree(file.toFile());
    edit.accept(info);
    SyntheticDataset.JSON.writeValue(file.toFile(), info);
  }

  @Test
  void truncatedParquetIsAnErrorNamingTheFile() throws Exception {
    Path root = dataset("v3.0");
    Path data = root.resolve("data/chunk-000/file-000.parquet");
    try (FileChannel ch = FileChannel.open(data, StandardOpenOption.WRITE)) {
      ch.truncate(ch.size() / 2);
    }
    assertThatThrownBy(() -> LeRobotDataset.open(root))
        .isInstanceOf(LeRobotFormatException.class)
        .hasMessageStartingWith(data.toString());
    assertThat(DatasetValidation.validate(root))
        .anySatisfy(p -> assertThat(p.file()).isEqualTo(data));
  }

  @Test
  void truncatedEpisodesParquetIsAnErrorNamingTheFile() throws Exception {
    Path root = dataset("v3.0");
    Path eps = root.resolve("meta/episodes/chunk-000/file-000.parquet");
    try (FileChannel ch = FileChannel.open(eps, StandardOpenOption.WRITE)) {
      ch.truncate(ch.size() - 20);
    }
    assertThatThrownBy(() -> LeRobotDataset.open(root))
        .isInstanceOf(LeRobotFormatException.class)
        .hasMessageStartingWith(eps.toString());
  }

  @Test
  void infoMissingAKeyNamesTheFileAndTheKey() throws Exception {
    Path root = dataset("v3.0");
    editInfo(root, info -> info.remove("total_frames"));
    assertThatThrownBy(() -> LeRobotDataset.open(root))
        .isInstanceOf(LeRobotFormatException.class)
        .hasMessage(root.resolve("meta/info.json").toAbsolutePath() + ": total_frames: missing");
  }

  @Test
  void infoWithAWrongTypeNamesTheFileAndTheKeyPath() throws Exception {
    Path root = dataset("v2.1");
    editInfo(root, info -> ((ObjectNode) info.get("features").get("action")).put("shape", "two"));
    assertThatThrownBy(() -> LeRobotDataset.open(root))
        .isInstanceOf(LeRobotFormatException.class)
        .hasMessageContaining(
            "meta/info.json: features.action.shape: expected an array of integers, got \"two\"");
    editInfo(
        root, info -> ((ObjectNode) info.get("features").get("action")).putArray("shape").add(2));
    editInfo(root, info -> info.put("fps", "ten"));
    assertThatThrownBy(() -> LeRobotDataset.open(root))
        .hasMessageContaining("info.json: fps: expected a number");
    editInfo(root, info -> info.put("fps", 10));
    editInfo(root, info -> info.put("codebase_version", "v1.6"));
    assertThatThrownBy(() -> LeRobotDataset.open(root))
        .hasMessageContaining("info.json: codebase_version: 'v1.6'");
  }

  @Test
  void infoThatIsNotJsonNamesTheFile() throws Exception {
    Path root = dataset("v3.0");
    Files.writeString(root.resolve("meta/info.json"), "{\"codebase_version\": ");
    assertThatThrownBy(() -> LeRobotDataset.open(root))
        .isInstanceOf(LeRobotFormatException.class)
        .hasMessageContaining("info.json: not valid JSON");
  }

  @Test
  void episodesJsonlDisagreeingWithTheDataNamesTheEpisodesFile() throws Exception {
    Path root = dataset("v2.1");
    Path eps = root.resolve("meta/episodes.jsonl");
    Files.writeString(eps, Files.readString(eps).replace("\"length\": 7", "\"length\": 8"));
    assertThatThrownBy(() -> LeRobotDataset.open(root))
        .isInstanceOf(LeRobotFormatException.class)
        .hasMessageStartingWith(eps.toString())
        .hasMessageContaining("episode 1 has length 8")
        .hasMessageContaining("holds 7 rows");
    assertThat(DatasetValidation.validate(root))
        .anySatisfy(p -> assertThat(p.file()).isEqualTo(eps));
  }

  @Test
  void episodesParquetWithWrongIndexRangeNamesTheEpisodesFile() throws Exception {
    Path root = dataset("v3.0");
    Path eps = root.resolve("meta/episodes/chunk-000/file-000.parquet");
    Path tmp = dir.resolve("eps.parquet");
    try (Connection c = Duck.connect();
        Statement s = c.createStatement()) {
      s.execute(
          "COPY (SELECT * REPLACE (CASE WHEN episode_index = 2 THEN dataset_from_index + 1 ELSE dataset_from_index END"
              + " AS dataset_from_index, CASE WHEN episode_index = 2 THEN dataset_to_index + 1 ELSE dataset_to_index END AS dataset_to_index)"
              + " FROM read_parquet("
              + Duck.literal(eps)
              + ")) TO "
              + Duck.literal(tmp)
              + " (FORMAT parquet)");
    }
    Files.move(tmp, eps, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    assertThatThrownBy(() -> LeRobotDataset.open(root))
        .isInstanceOf(LeRobotFormatException.class)
        .hasMessageStartingWith(eps.toString())
        .hasMessageContaining("episode 2 covers index [13, 17)")
        .hasMessageContaining("index 12..15");
  }

  @Test
  void listColumnShorterThanTheShapeIsAnErrorNotAZero() throws Exception {
    Path root = dataset("v3.0");
    editInfo(
        root, info -> ((ObjectNode) info.get("features").get("action")).putArray("shape").add(3));
    try (LeRobotDataset ds = LeRobotDataset.open(root)) {
      assertThatThrownBy(() -> ds.row(0, 0))
          .isInstanceOf(LeRobotFormatException.class)
          .hasMessageContaining("file-000.parquet")
          .hasMessageContaining("'action' has 2 values");
    }
  }

  @Test
  void folderWithoutMetadataSaysWhatIsMissing() {
    assertThatThrownBy(() -> LeRobotDataset.open(dir))
        .isInstanceOf(LeRobotFormatException.class)
        .hasMessageContaining("info.json: not found");
  }
}
