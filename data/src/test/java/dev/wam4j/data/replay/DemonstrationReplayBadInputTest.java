package dev.wam4j.data.replay;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wam4j.data.zarr.ReplayBuffer;
import dev.wam4j.data.zarr.ZarrFormatException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A replay buffer that is not a PushT recording is named and refused, not replayed as drift. */
class DemonstrationReplayBadInputTest {

  private static void array(Path dir, String dtype, int rows, int cols, byte[] data)
      throws Exception {
    Files.createDirectories(dir);
    String shape = cols == 0 ? "[" + rows + "]" : "[" + rows + ", " + cols + "]";
    Files.writeString(
        dir.resolve(".zarray"),
        """
        {"chunks": %s, "compressor": null, "dtype": "%s", "fill_value": 0, "filters": null,
         "order": "C", "shape": %s, "zarr_format": 2}"""
            .formatted(shape, dtype, shape));
    Files.write(dir.resolve(cols == 0 ? "0" : "0.0"), data);
  }

  private static Path store(Path root, int stateCols) throws Exception {
    Files.writeString(root.resolve(".zgroup"), "{\"zarr_format\": 2}");
    Files.createDirectories(root.resolve("data"));
    Files.writeString(root.resolve("data/.zgroup"), "{\"zarr_format\": 2}");
    Files.createDirectories(root.resolve("meta"));
    Files.writeString(root.resolve("meta/.zgroup"), "{\"zarr_format\": 2}");
    int rows = 3;
    array(
        root.resolve("data/state"),
        "<f4",
        rows,
        stateCols,
        ByteBuffer.allocate(4 * rows * stateCols).order(ByteOrder.LITTLE_ENDIAN).array());
    array(
        root.resolve("data/action"),
        "<f4",
        rows,
        2,
        ByteBuffer.allocate(4 * rows * 2).order(ByteOrder.LITTLE_ENDIAN).array());
    array(
        root.resolve("meta/episode_ends"),
        "<i8",
        1,
        0,
        ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(rows).array());
    return root;
  }

  @Test
  void stateRowsOfTheWrongWidthAreNamed(@TempDir Path dir) throws Exception {
    ReplayBuffer buffer = ReplayBuffer.open(store(dir, 4));
    assertThatThrownBy(() -> DemonstrationReplay.run(buffer, 0, null))
        .isInstanceOf(ZarrFormatException.class)
        .hasMessageContaining("state")
        .hasMessageContaining("4 values, PushT needs 5");
  }
}
