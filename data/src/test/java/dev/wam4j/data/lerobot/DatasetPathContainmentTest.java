package dev.wam4j.data.lerobot;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wam4j.data.DataSets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A data set's info.json cannot make a reader open files outside the data set (uploaded or
 * downloaded data).
 */
class DatasetPathContainmentTest {
  @TempDir Path tmp;

  @Test
  void dataAndVideoPathsThatLeaveTheDataSetAreRefusedNamingTheField() throws Exception {
    for (String[] c :
        new String[][] {
          {"data_path", "../../../../../../etc/hostname"},
          {"data_path", "/etc/hostname"},
          {
            "video_path",
            "../other/videos/{video_key}/chunk-{chunk_index:03d}/file-{file_index:03d}.mp4"
          },
          {"video_path", "/dev/zero"}
        }) {
      Path ds = copyOfSo101(c[0] + "-" + Math.abs(c[1].hashCode()));
      Path infoFile = ds.resolve("meta/info.json");
      ObjectNode info = (ObjectNode) new ObjectMapper().readTree(infoFile.toFile());
      info.put(c[0], c[1]);
      new ObjectMapper().writeValue(infoFile.toFile(), info);
      assertThatThrownBy(
              () -> {
                try (LeRobotDataset d = LeRobotDataset.open(ds)) {
                  d.episodes();
                }
              })
          .as(c[0] + " = " + c[1])
          .isInstanceOf(LeRobotFormatException.class)
          .hasMessageContaining(c[0])
          .hasMessageContaining("outside the data set");
    }
  }

  private Path copyOfSo101(String name) throws Exception {
    Path src = DataSets.lerobotV30So101(), dst = tmp.resolve(name);
    try (Stream<Path> s = Files.walk(src)) {
      for (Path p : s.toList()) {
        Path t = dst.resolve(src.relativize(p).toString());
        if (Files.isDirectory(p)) Files.createDirectories(t);
        else Files.copy(p, t);
      }
    }
    return dst;
  }
}
