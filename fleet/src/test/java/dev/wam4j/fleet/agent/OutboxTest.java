package dev.wam4j.fleet.agent;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wam4j.data.Digests;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OutboxTest {
  @TempDir Path tmp;

  @Test
  void aRecordedEpisodeIsPackedWithANoteAndItsFolderGoes() throws Exception {
    Path dataset = Files.createDirectories(tmp.resolve("rec/meta"));
    Files.writeString(dataset.resolve("info.json"), "{}");
    Outbox outbox = new Outbox(tmp.resolve("outbox"));
    Path zip = outbox.add(tmp.resolve("rec"), 7, "Push");
    assertThat(tmp.resolve("rec")).doesNotExist();
    List<Path> pending = outbox.pending();
    assertThat(pending).hasSize(1);
    JsonNode note = FleetClient.JSON.readTree(pending.get(0).toFile());
    assertThat(note.get("task_id").asLong()).isEqualTo(7);
    assertThat(note.get("task_name").asText()).isEqualTo("Push");
    assertThat(note.get("sha256").asText()).isEqualTo(Digests.sha256Hex(zip));
    assertThat(note.get("size_bytes").asLong()).isEqualTo(Files.size(zip));
  }

  @Test
  void whatACrashLeftIsTidiedAndAZipWithoutItsNoteGetsOne() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("outbox"));
    Files.writeString(dir.resolve(".task3-1.zip.part"), "half");
    Files.createDirectories(dir.resolve(".recording-9/meta"));
    Files.write(
        dir.resolve("task3-1.zip"),
        new byte[] {
          80, 75, 5, 6, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0
        }); // an empty zip
    Outbox outbox = new Outbox(dir);
    assertThat(dir.resolve(".task3-1.zip.part")).doesNotExist();
    assertThat(dir.resolve(".recording-9")).doesNotExist();
    assertThat(outbox.pending()).containsExactly(dir.resolve("task3-1.json"));
    assertThat(
            FleetClient.JSON.readTree(dir.resolve("task3-1.json").toFile()).get("task_id").asLong())
        .isEqualTo(3);
  }
}
