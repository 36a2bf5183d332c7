package dev.wam4j.data.lerobot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.wam4j.data.DataSets;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class LeRobotDatasetTest {
  @TempDir Path dir;

  static Path so101() {
    return DataSets.lerobotV30So101();
  }

  @Test
  void realSo101SampleReadsWithItsMissingVideosReported() throws Exception {
    try (LeRobotDataset ds = LeRobotDataset.open(so101())) {
      assertThat(ds.version()).isEqualTo(CodebaseVersion.V3_0);
      assertThat(ds.episodes()).hasSize(4);
      assertThat(ds.episodes().stream().mapToLong(Episode::length).sum()).isEqualTo(1492);
      assertThat(ds.fps()).isEqualTo(30);
      assertThat(ds.tasks()).containsEntry(0, "Pick the orange cube and place it in the box");
      assertThat(ds.videoKeys())
          .containsExactly("observation.images.front", "observation.images.top");
      assertThat(ds.info().feature("observation.images.front").video().orElseThrow().codec())
          .contains("av1");
      assertThat(ds.missingFiles())
          .containsExactly(
              ds.root().resolve("videos/observation.images.front/chunk-000/file-000.mp4"),
              ds.root().resolve("videos/observation.images.top/chunk-000/file-000.mp4"));
      Row row = ds.row(1, 0);
      assertThat(row.floats("observation.state")).hasSize(6);
      assertThat(row.longs("index")).containsExactly(373);
      assertThat(row.longs("frame_index")).containsExactly(0);
      assertThat(ds.episode(3).videos().get("observation.images.top").fromTimestamp())
          .isEqualTo(37.3);
    }
  }

  @Test
  void so101BatchesCoverEveryFrameInOrder() throws Exception {
    try (LeRobotDataset ds = LeRobotDataset.open(so101())) {
      ColumnBatchIterator it = ds.batches(List.of("observation.state", "action", "index"), 256);
      long rows = 0;
      for (ColumnBatch b = it.nextBatch(); b != null; b = it.nextBatch()) {
        long[] index = b.longs("index");
        for (int r = 0; r < b.rows(); r++) {
          assertThat(index[r]).isEqualTo(rows + r);
        }
        rows += b.rows();
      }
      assertThat(rows).isEqualTo(1492);
    }
  }

  @Test
  void so101VideoFrameOfAMissingFileNamesTheFile() throws Exception {
    try (LeRobotDataset ds = LeRobotDataset.open(so101())) {
      org.assertj.core.api.Assertions.assertThatThrownBy(
              () -> ds.videoFrame(0, 0, "observation.images.top"))
          .isInstanceOf(LeRobotFormatException.class)
          .hasMessageContaining("videos/observation.images.top/chunk-000/file-000.mp4")
          .hasMessageContaining("not found");
    }
  }

  @Test
  void so101ValidationReportsExactlyTheMissingVideos() {
    List<DatasetProblem> problems = DatasetValidation.validate(so101());
    assertThat(problems).hasSize(2);
    assertThat(problems).allSatisfy(p -> assertThat(p.message()).contains("missing"));
    assertThat(problems.stream().map(p -> p.file().getFileName().toString()))
        .containsOnly("file-000.mp4");
  }

  static Stream<Arguments> variants() {
    return Stream.of(
        Arguments.of("v3.0 plain", config("v3.0", d -> {})),
        Arguments.of(
            "v3.0 fixed-size list, float fps, no size keys",
            config(
                "v3.0",
                d -> {
                  d.fixedSizeAction = true;
                  d.floatFps = true;
                  d.sizeKeys = false;
                })),
        Arguments.of("v3.0 names as dict", config("v3.0", d -> d.namesStyle = "dict")),
        Arguments.of("v2.1 names as list of lists", config("v2.1", d -> d.namesStyle = "nested")),
        Arguments.of("v2.1 fixed-size list", config("v2.1", d -> d.fixedSizeAction = true)),
        Arguments.of(
            "v2.0 names null, float fps",
            config(
                "v2.0",
                d -> {
                  d.namesStyle = null;
                  d.floatFps = true;
                })));
  }

  private static SyntheticDataset config(
      String version, java.util.function.Consumer<SyntheticDataset> tweak) {
    SyntheticDataset d = new SyntheticDataset();
    d.version = version;
    tweak.accept(d);
    return d;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("variants")
  void everyLayoutVariantServesTheSameValues(String name, SyntheticDataset spec) throws Exception {
    Path root = spec.write(dir.resolve("ds"));
    try (LeRobotDataset ds = LeRobotDataset.open(root)) {
      assertThat(ds.version().tag()).isEqualTo(spec.version);
      assertThat(ds.episodes()).extracting(Episode::length).containsExactly(5, 7, 4);
      assertThat(ds.missingFiles()).isEmpty();
      assertThat(ds.fps()).isEqualTo(10);
      assertThat(ds.info().dataFilesSizeInMb()).isEqualTo(100);
      assertThat(ds.info().videoFilesSizeInMb()).isEqualTo(500);
      assertThat(ds.info().feature("action").names())
          .isEqualTo(spec.namesStyle == null ? List.of() : List.of("x", "y"));
      Row row = ds.row(1, 3); // global index 8
      assertThat(row.floats("observation.state")).containsExactly(4f, -8f);
      assertThat(row.floats("action")).containsExactly(8.25f, 3f);
      assertThat(row.floats("next.reward")[0]).isCloseTo(0.3f, within(1e-6f));
      assertThat(row.longs("next.done")).containsExactly(0);
      assertThat(ds.row(1, 6).longs("next.done")).containsExactly(1);
      assertThat(row.longs("index")).containsExactly(8);
      assertThat(ds.tasks()).containsExactly(java.util.Map.entry(0, "push the block"));
      assertThat(ds.episode(2).tasks()).containsExactly("push the block");

      ColumnBatchIterator it = ds.batches(List.of("observation.state", "action"), 6);
      int[] sizes = new int[3];
      int n = 0;
      float[] lastState = null;
      for (ColumnBatch b = it.nextBatch(); b != null; b = it.nextBatch()) {
        sizes[n++] = b.rows();
        lastState = b.floats("observation.state");
      }
      assertThat(sizes).containsExactly(6, 6, 4);
      assertThat(lastState[2 * 3]).isEqualTo(7.5f); // row 15 = global index 15: state[0] = 15 / 2
    }
    assertThat(DatasetValidation.validate(root)).isEmpty();
  }

  @Test
  void frameOutsideTheEpisodeIsRefusedWithTheRange() throws Exception {
    Path root = new SyntheticDataset().write(dir.resolve("ds"));
    try (LeRobotDataset ds = LeRobotDataset.open(root)) {
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> ds.row(2, 4))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("0..3");
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> ds.batches(List.of("nope"), 4))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("nope");
    }
  }

  @Test
  void sqlViewsExposeDataEpisodesAndTasks() throws Exception {
    for (String version : List.of("v3.0", "v2.1")) {
      SyntheticDataset spec = new SyntheticDataset();
      spec.version = version;
      Path root = spec.write(dir.resolve(version));
      try (LeRobotDataset ds = LeRobotDataset.open(root)) {
        QueryResult r =
            ds.query(
                "SELECT (SELECT count(*) FROM data) AS frames, (SELECT sum(length) FROM episodes) AS total,"
                    + " (SELECT first(task) FROM tasks) AS task",
                10);
        assertThat(r.columns()).containsExactly("frames", "total", "task");
        assertThat(((Number) r.rows().get(0).get(0)).longValue()).isEqualTo(16);
        assertThat(((Number) r.rows().get(0).get(1)).longValue()).isEqualTo(16);
        assertThat(r.rows().get(0).get(2)).isEqualTo("push the block");
        QueryResult capped = ds.query("SELECT \"index\" FROM data ORDER BY 1", 3);
        assertThat(capped.rows()).hasSize(3);
        assertThat(capped.truncated()).isTrue();
      }
    }
  }
}
