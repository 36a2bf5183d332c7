package dev.wam4j.model.wam;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Makes a checkpoint look as if written before some config fields existed: the tests of reading old
 * checkpoints.
 */
final class OlderCheckpoints {
  private OlderCheckpoints() {}

  /**
   * Removes {@code fields} (scalar values) from the config in {@code checkpoint}'s checkpoint.json.
   */
  static void withoutFields(Path checkpoint, String... fields) throws IOException {
    Path meta = checkpoint.resolve("checkpoint.json");
    String text = Files.readString(meta);
    for (String field : fields) {
      text = text.replaceAll(",\\s*\"" + field + "\"\\s*:\\s*[0-9.a-z]+", "");
      assertThat(text).doesNotContain("\"" + field + "\"");
    }
    Files.writeString(meta, text);
  }
}
