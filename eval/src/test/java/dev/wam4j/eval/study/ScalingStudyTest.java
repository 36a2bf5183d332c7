package dev.wam4j.eval.study;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ScalingStudyTest {
  @Test
  void spanIsLargestOverSmallestHours() {
    List<ScalingStudy.Point> points =
        List.of(
            new ScalingStudy.Point("a", 0.5, 2.0, 4, 100),
            new ScalingStudy.Point("b", 1.0, 1.8, 4, 200),
            new ScalingStudy.Point("c", 4.0, 1.5, 8, 800));
    assertThat(new ScalingStudy.Result("val_video", points, null).span()).isEqualTo(8.0);
  }
}
