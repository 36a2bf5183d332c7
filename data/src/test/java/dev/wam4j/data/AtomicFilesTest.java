package dev.wam4j.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {
  @TempDir Path dir;

  private long entries() throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.count();
    }
  }

  @Test
  void aFailedWriteKeepsTheOldVersionAndLeavesNoTemporaryFileBehind() throws Exception {
    Path file = dir.resolve("result.json");
    AtomicFiles.writeString(file, "old");
    assertThatThrownBy(
            () ->
                AtomicFiles.write(
                    file,
                    temp -> {
                      Files.writeString(temp, "half of the new");
                      throw new IOException("disk full");
                    }))
        .hasMessage("disk full");
    assertThat(file).hasContent("old");
    assertThat(entries()).isEqualTo(1);
  }

  @Test
  void outputsAreReadableByAllAndSecretsByTheirOwnerOnly() throws Exception {
    AtomicFiles.writeString(dir.resolve("nested/out.txt"), "x");
    AtomicFiles.writeSecret(dir.resolve("token"), "s3cret");
    assertThat(
            PosixFilePermissions.toString(
                Files.getPosixFilePermissions(dir.resolve("nested/out.txt"))))
        .isEqualTo("rw-r--r--");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("token"))))
        .isEqualTo("rw-------");
  }

  @Test
  void aPublishedFolderReplacesTheOldOneWhole() throws Exception {
    Path target = dir.resolve("checkpoint");
    Path first = AtomicFiles.hiddenDirectory(dir, ".checkpoint.partial-");
    Files.writeString(first.resolve("a"), "1");
    AtomicFiles.publishDirectory(first, target);
    Path second = AtomicFiles.hiddenDirectory(dir, ".checkpoint.partial-");
    Files.writeString(second.resolve("b"), "2");
    AtomicFiles.publishDirectory(second, target);
    assertThat(target.resolve("a")).doesNotExist();
    assertThat(target.resolve("b")).hasContent("2");
    assertThat(entries()).as("no old or partial folder left").isEqualTo(1);
  }

  @Test
  void aPublishKilledBetweenItsRenamesIsUndoneToTheCompletePreviousVersion() throws Exception {
    // the state a kill between publishDirectory's two renames leaves: no target, the old aside
    Path target = dir.resolve("dataset");
    Path old = dir.resolve(".dataset.old-abc");
    Files.createDirectories(old);
    Files.writeString(old.resolve("episode"), "0");
    Path orphanNext = AtomicFiles.hiddenDirectory(dir, ".dataset.next-");
    assertThat(AtomicFiles.recoverDirectory(target)).isTrue();
    assertThat(target.resolve("episode")).hasContent("0");
    assertThat(old).doesNotExist();
    assertThat(orphanNext).as("other working folders are not its business").exists();
  }

  @Test
  void aPublishKilledAfterItsRenamesLeavesTheNewVersionAndDropsTheOld() throws Exception {
    Path target = dir.resolve("dataset");
    Files.createDirectories(target);
    Files.writeString(target.resolve("episode"), "1");
    Path old = dir.resolve(".dataset.old-abc");
    Files.createDirectories(old);
    Files.writeString(old.resolve("episode"), "0");
    assertThat(AtomicFiles.recoverDirectory(target)).isFalse();
    assertThat(target.resolve("episode")).hasContent("1");
    assertThat(old).doesNotExist();
    assertThat(AtomicFiles.recoverDirectory(dir.resolve("never-written"))).isFalse();
  }
}
