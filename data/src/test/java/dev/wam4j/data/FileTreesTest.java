package dev.wam4j.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileTreesTest {
  @TempDir Path tmp;

  @Test
  void sizeBytesSumsTheFilesOfTheWholeTree() throws Exception {
    Files.write(tmp.resolve("a"), new byte[10]);
    Files.createDirectories(tmp.resolve("sub/deeper"));
    Files.write(tmp.resolve("sub/b"), new byte[5]);
    Files.write(tmp.resolve("sub/deeper/c"), new byte[7]);
    assertThat(FileTrees.sizeBytes(tmp)).isEqualTo(22);
    assertThat(FileTrees.sizeBytes(tmp.resolve("a"))).isEqualTo(10);
    FileTrees.delete(tmp.resolve("sub"));
    assertThat(FileTrees.sizeBytes(tmp)).isEqualTo(10);
  }
}
