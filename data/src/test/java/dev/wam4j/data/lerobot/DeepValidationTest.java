package dev.wam4j.data.lerobot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wam4j.data.lerobot.write.LeRobotWriteConfig;
import dev.wam4j.data.lerobot.write.LeRobotWriter;
import dev.wam4j.data.lerobot.write.WriteFeature;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Damage inside an mp4 that its header does not show is found by decoding every frame. */
class DeepValidationTest {

  @Test
  void damageInTheMiddleOfAVideoIsFoundOnlyByDeepValidation(@TempDir Path tmp) throws Exception {
    Path ds;
    try (LeRobotWriter w =
        LeRobotWriter.create(
            tmp.resolve("ds"),
            LeRobotWriteConfig.of(
                10,
                "test",
                List.of(
                    new WriteFeature.Video("observation.image", 64, 64),
                    new WriteFeature.Vector("action", List.of("x", "y")))))) {
      Random rng = new Random(1);
      byte[] img = new byte[64 * 64 * 3];
      for (int e = 0; e < 2; e++) {
        w.beginEpisode("task");
        for (int t = 0; t < 40; t++) {
          rng.nextBytes(
              img); // noise: every frame costs bytes, so the middle of the file is frame data
          w.setImage("observation.image", img, 0).setVector("action", new float[] {t, e});
          w.endFrame();
        }
        w.endEpisode();
      }
      ds = w.finish();
    }
    assertThat(DatasetValidation.validate(ds, true)).isEmpty();
    Path mp4;
    try (var files = Files.walk(ds)) {
      mp4 = files.filter(p -> p.toString().endsWith(".mp4")).findFirst().orElseThrow();
    }
    try (RandomAccessFile f = new RandomAccessFile(mp4.toFile(), "rw")) {
      long len = f.length();
      f.seek(len / 2);
      f.write(new byte[(int) (len / 8)]);
    }
    assertThat(DatasetValidation.validate(ds, false)).isEmpty(); // the header is intact
    List<DatasetProblem> deep = DatasetValidation.validate(ds, true);
    assertThat(deep).isNotEmpty();
    assertThat(deep.get(0).toString()).contains(mp4.getFileName().toString());
  }
}
