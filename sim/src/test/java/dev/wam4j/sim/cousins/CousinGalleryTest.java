package dev.wam4j.sim.cousins;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CousinGalleryTest {
  @TempDir Path tmp;

  @Test
  void theGalleryShowsStartAndEndOfTheExpertsEpisodeOnEachCousin() throws Exception {
    Path png = tmp.resolve("g.png");
    List<CousinGallery.Row> rows =
        CousinGallery.write(CousinConfig.reference(), 100000, 2, 32, png);
    assertThat(rows).extracting(CousinGallery.Row::seed).containsExactly(100000L, 100001L);
    // the reference cousin is PushT, which the expert always solves
    assertThat(rows)
        .allSatisfy(
            r -> {
              assertThat(r.expertSuccess()).isTrue();
              assertThat(r.maxCoverage()).isGreaterThan(0.95);
              assertThat(r.shape()).isEqualTo("tee");
            });
    BufferedImage sheet = ImageIO.read(png.toFile());
    assertThat(sheet.getWidth()).isEqualTo(2 * 32);
    assertThat(sheet.getHeight()).isEqualTo(2 * 32);
    assertThat(tmp.resolve(".g.png.part")).doesNotExist();
  }

  @Test
  void expertSuccessRateIsTheShareOfSuccessfulRows() {
    CousinGallery.Row ok = new CousinGallery.Row(1, "tee", 1, 1, true, 80, 0.97);
    CousinGallery.Row failed = new CousinGallery.Row(2, "tee", 1, 1, false, 300, 0.4);
    assertThat(CousinGallery.expertSuccessRate(List.of(ok, failed, ok, ok))).isEqualTo(0.75);
    assertThat(CousinGallery.expertSuccessRate(List.of(failed))).isZero();
  }
}
