package dev.wam4j.data.lerobot.write;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wam4j.data.lerobot.DatasetValidation;
import dev.wam4j.data.lerobot.Episode;
import dev.wam4j.data.lerobot.LeRobotDataset;
import dev.wam4j.data.lerobot.QueryResult;
import dev.wam4j.data.lerobot.Row;
import dev.wam4j.data.video.VideoEncoding;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LeRobotAggregateTest {
  @TempDir Path tmp;

  private static final String IMAGE = "observation.image";
  private static final List<WriteFeature> FEATURES =
      List.of(
          new WriteFeature.Video(IMAGE, 32, 32),
          new WriteFeature.Vector("observation.state", List.of("x", "y")),
          new WriteFeature.Scalar("next.reward", WriteFeature.ScalarType.FLOAT32),
          new WriteFeature.Scalar("next.done", WriteFeature.ScalarType.BOOL),
          new WriteFeature.Scalar("step", WriteFeature.ScalarType.INT64));

  /**
   * An episode to write: its task, its length, and a seed that makes its values and frames its own.
   */
  private record Spec(String task, int length, int seed) {}

  private static final List<Spec> A = List.of(new Spec("push", 4, 1), new Spec("pull", 3, 2));
  private static final List<Spec> B =
      List.of(new Spec("pull", 2, 3), new Spec("lift", 5, 4)); // "pull" is task 0 of B, 1 of A

  private static LeRobotWriteConfig config() {
    return LeRobotWriteConfig.of(10, "test", FEATURES);
  }

  private Path write(String name, LeRobotWriteConfig config, List<Spec> episodes)
      throws IOException {
    try (LeRobotWriter w = LeRobotWriter.create(tmp.resolve(name), config)) {
      WriteFeature.Video video = (WriteFeature.Video) config.features().get(0);
      byte[] img = new byte[video.frameBytes()];
      for (Spec s : episodes) {
        w.beginEpisode(s.task());
        for (int t = 0; t < s.length(); t++) {
          for (int p = 0; p < img.length; p++)
            img[p] = (byte) (s.seed() * 53 + t * 17 + (p / 3 % video.width()) * 5 + p % 3 * 60);
          w.setImage(IMAGE, img, 0);
          if (config.features().get(1) instanceof WriteFeature.Vector v && v.dim() == 2) {
            w.setVector("observation.state", new float[] {s.seed() * 10 + t, -t * 0.5f});
          } else {
            w.setVector("observation.state", new float[] {s.seed(), t, 0});
          }
          w.setFloat("next.reward", t / (double) s.length())
              .setBool("next.done", t == s.length() - 1);
          if (config.features().size() > 4) w.setLong("step", 1000L * s.seed() + t);
          w.endFrame();
        }
        w.endEpisode();
      }
      return w.finish();
    }
  }

  private static <T> List<T> concat(List<T> a, List<T> b) {
    List<T> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }

  /** The episodes of {@code sources} in order, as (dataset, episode index) pairs. */
  private record Source(Path dataset, int episode) {}

  private static List<Source> episodesOf(Path... datasets) throws IOException {
    List<Source> out = new ArrayList<>();
    for (Path d : datasets) {
      try (LeRobotDataset ds = LeRobotDataset.open(d)) {
        for (Episode e : ds.episodes()) out.add(new Source(d, e.index()));
      }
    }
    return out;
  }

  /**
   * {@code merged} holds the episodes of {@code sources} in order: the same lengths and tasks,
   * every frame's non-index values equal, every decoded video frame bit-identical; and it
   * validates, videos decoded.
   */
  private static void assertHolds(Path merged, List<Source> sources) throws IOException {
    assertThat(DatasetValidation.validate(merged, true)).isEmpty();
    try (LeRobotDataset m = LeRobotDataset.open(merged)) {
      assertThat(m.episodes()).hasSize(sources.size());
      for (int i = 0; i < sources.size(); i++) {
        Source s = sources.get(i);
        try (LeRobotDataset src = LeRobotDataset.open(s.dataset())) {
          Episode want = src.episode(s.episode());
          Episode got = m.episode(i);
          assertThat(got.length()).isEqualTo(want.length());
          assertThat(got.tasks()).isEqualTo(want.tasks());
          for (int t = 0; t < want.length(); t++) {
            Row r = m.row(i, t);
            Row w = src.row(s.episode(), t);
            for (String key : List.of("observation.state", "next.reward", "timestamp")) {
              assertThat(r.floats(key))
                  .as("episode %d frame %d %s", i, t, key)
                  .containsExactly(w.floats(key));
            }
            for (String key : List.of("next.done", "step", "frame_index")) {
              assertThat(r.longs(key))
                  .as("episode %d frame %d %s", i, t, key)
                  .containsExactly(w.longs(key));
            }
            assertThat(r.longs("episode_index")).containsExactly(i);
            assertThat(r.longs("index")).containsExactly(got.datasetFrom() + t);
            assertThat(m.tasks().get((int) r.longs("task_index")[0]))
                .isEqualTo(src.tasks().get((int) w.longs("task_index")[0]));
            assertThat(m.videoFrame(i, t, IMAGE))
                .as("episode %d frame %d", i, t)
                .isEqualTo(src.videoFrame(s.episode(), t, IMAGE));
          }
        }
      }
    }
  }

  /**
   * Every row of {@code a} equals {@code b}'s, index columns included: the dataset as written in
   * one go.
   */
  private static void assertSameRows(Path a, Path b) throws IOException {
    try (LeRobotDataset x = LeRobotDataset.open(a);
        LeRobotDataset y = LeRobotDataset.open(b)) {
      assertThat(x.tasks()).isEqualTo(y.tasks());
      assertThat(x.episodes())
          .extracting(Episode::length)
          .isEqualTo(y.episodes().stream().map(Episode::length).toList());
      for (Episode e : y.episodes()) {
        for (int t = 0; t < e.length(); t++) {
          Map<String, Object> got = x.row(e.index(), t).values();
          Map<String, Object> want = y.row(e.index(), t).values();
          assertThat(got.keySet()).isEqualTo(want.keySet());
          for (String key : want.keySet())
            assertThat(got.get(key))
                .as("episode %d frame %d %s", e.index(), t, key)
                .isEqualTo(want.get(key));
        }
      }
    }
  }

  /**
   * stats.json and every per-episode statistic of {@code a} match {@code b}'s within float
   * tolerance.
   */
  private static void assertSameStats(Path a, Path b) throws IOException {
    ObjectMapper json = new ObjectMapper();
    assertSameNumbers(
        "stats.json",
        json.readTree(a.resolve("meta/stats.json").toFile()),
        json.readTree(b.resolve("meta/stats.json").toFile()));
    try (LeRobotDataset x = LeRobotDataset.open(a);
        LeRobotDataset y = LeRobotDataset.open(b)) {
      String sql = "SELECT COLUMNS('^stats/') FROM episodes ORDER BY episode_index";
      QueryResult got = x.query(sql, 1000);
      QueryResult want = y.query(sql, 1000);
      assertThat(got.columns()).isEqualTo(want.columns()).isNotEmpty();
      assertSameNumbers("episodes", json.valueToTree(got.rows()), json.valueToTree(want.rows()));
    }
  }

  private static void assertSameNumbers(String where, JsonNode got, JsonNode want) {
    if (want.isNumber()) {
      assertThat(got.isNumber()).as(where).isTrue();
      assertThat(got.asDouble())
          .as(where)
          .isCloseTo(want.asDouble(), within(1e-9 * Math.max(1, Math.abs(want.asDouble()))));
      return;
    }
    assertThat(got.size()).as(where).isEqualTo(want.size());
    if (want.isObject()) {
      for (Iterator<String> it = want.fieldNames(); it.hasNext(); ) {
        String f = it.next();
        assertThat(got.has(f)).as(where + "." + f).isTrue();
        assertSameNumbers(where + "." + f, got.get(f), want.get(f));
      }
    } else {
      for (int i = 0; i < want.size(); i++)
        assertSameNumbers(where + "[" + i + "]", got.get(i), want.get(i));
    }
  }

  private List<Path> leftovers() throws IOException {
    try (Stream<Path> s = Files.list(tmp)) {
      return s.filter(p -> p.getFileName().toString().contains(".partial-")).toList();
    }
  }

  @Test
  void appendingGivesTheDatasetWrittenInOneGoWithoutReencoding() throws Exception {
    Path a = write("a", config(), A);
    Path b = write("b", config(), B);
    Path all = write("all", config(), concat(A, B));
    Path merged = LeRobotAggregate.append(a, List.of(b), tmp.resolve("merged"));

    assertThat(merged).isEqualTo(tmp.resolve("merged"));
    assertHolds(merged, episodesOf(a, b));
    assertSameRows(merged, all);
    assertSameStats(merged, all);
    JsonNode info = new ObjectMapper().readTree(merged.resolve("meta/info.json").toFile());
    assertThat(info.get("total_episodes").asInt()).isEqualTo(4);
    assertThat(info.get("total_frames").asInt()).isEqualTo(14);
    assertThat(info.get("total_tasks").asInt()).isEqualTo(3);
    assertThat(info.get("splits").get("train").asText()).isEqualTo("0:4");
    // the base's files as they were, the addition's as new file indices; its videos byte for byte
    assertThat(
            Files.mismatch(
                a.resolve("data/chunk-000/file-000.parquet"),
                merged.resolve("data/chunk-000/file-000.parquet")))
        .isEqualTo(-1);
    assertThat(merged.resolve("data/chunk-000/file-001.parquet")).exists();
    for (String f : List.of("file-000", "file-001")) {
      Path source =
          (f.equals("file-000") ? a : b).resolve("videos/" + IMAGE + "/chunk-000/file-000.mp4");
      assertThat(
              Files.mismatch(
                  source, merged.resolve("videos/" + IMAGE + "/chunk-000/" + f + ".mp4")))
          .as(f)
          .isEqualTo(-1);
    }
    assertThat(leftovers()).isEmpty();
  }

  @Test
  void withoutABaseTheResultIsTheAdditions() throws Exception {
    Path a = write("a", config(), A);
    Path b = write("b", config(), B);
    Path all = write("all", config(), concat(A, B));
    Path none = LeRobotAggregate.append(null, List.of(a, b), tmp.resolve("from-null"));
    Path absent =
        LeRobotAggregate.append(
            tmp.resolve("not-there"), List.of(a, b), tmp.resolve("from-absent"));
    for (Path merged : List.of(none, absent)) {
      assertHolds(merged, episodesOf(a, b));
      assertSameRows(merged, all);
      assertSameStats(merged, all);
    }
  }

  @Test
  void repeatedAppendsMatchOneWriteAcrossChunks() throws Exception {
    // two files per chunk, and tiny limits so the writer itself shards: the base spans several
    // files
    LeRobotWriteConfig sharded = config().withFileSizes(1e-6, 1e-6, 2);
    Path a = write("a", sharded, A);
    Path b = write("b", config(), B);
    Path c = write("c", config(), List.of(new Spec("push", 3, 5)));
    Path once = LeRobotAggregate.append(a, List.of(b), tmp.resolve("once"));
    Path twice = LeRobotAggregate.append(once, List.of(c), tmp.resolve("twice"));
    Path all = write("all", config(), concat(concat(A, B), List.of(new Spec("push", 3, 5))));

    assertHolds(twice, episodesOf(a, b, c));
    assertSameRows(twice, all);
    assertSameStats(twice, all);
    // a's two data files, then b's, then c's: the fourth file opens chunk 1
    assertThat(twice.resolve("data/chunk-001/file-001.parquet")).exists();
    assertThat(twice.resolve("videos/" + IMAGE + "/chunk-001/file-001.mp4")).exists();
  }

  @Test
  void aDifferentFpsIsRefusedNamingTheDatasetAndTheField() throws Exception {
    Path a = write("a", config(), A);
    Path slow =
        write(
            "slow",
            new LeRobotWriteConfig(
                LeRobotWriteConfig.Version.V3_0,
                20,
                "test",
                FEATURES,
                VideoEncoding.AV1_LEROBOT,
                100,
                500,
                1000),
            B);
    assertThatThrownBy(() -> LeRobotAggregate.append(a, List.of(slow), tmp.resolve("out")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(slow.toString())
        .hasMessageContaining("fps is 20.0")
        .hasMessageContaining("10.0");
    assertThat(tmp.resolve("out")).doesNotExist();
    assertThat(leftovers()).isEmpty();
  }

  @Test
  void differentFeaturesAreRefusedNamingTheDatasetAndTheField() throws Exception {
    Path a = write("a", config(), A);
    List<WriteFeature> wider = new ArrayList<>(FEATURES);
    wider.set(1, new WriteFeature.Vector("observation.state", List.of("x", "y", "z")));
    Path b = write("wider", LeRobotWriteConfig.of(10, "test", wider), B);
    assertThatThrownBy(() -> LeRobotAggregate.append(a, List.of(b), tmp.resolve("out")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(b.toString())
        .hasMessageContaining("features.observation.state.shape is [3]")
        .hasMessageContaining("[2]");

    List<WriteFeature> smaller = new ArrayList<>(FEATURES);
    smaller.set(0, new WriteFeature.Video(IMAGE, 16, 16));
    Path c = write("smaller", LeRobotWriteConfig.of(10, "test", smaller), B);
    assertThatThrownBy(() -> LeRobotAggregate.append(a, List.of(c), tmp.resolve("out")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(c.toString())
        .hasMessageContaining("features.observation.image.shape is [16, 16, 3]");

    Path d = write("h264", config().withEncoding(VideoEncoding.H264_DEFAULT), B);
    assertThatThrownBy(() -> LeRobotAggregate.append(a, List.of(d), tmp.resolve("out")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(d.toString())
        .hasMessageContaining("features.observation.image.info.video.codec is h264")
        .hasMessageContaining("av1");

    Path e =
        write("fewer", LeRobotWriteConfig.of(10, "test", FEATURES.subList(0, 4)), B.subList(0, 1));
    assertThatThrownBy(() -> LeRobotAggregate.append(a, List.of(e), tmp.resolve("out")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(e.toString())
        .hasMessageContaining("lack [step]");
    assertThat(tmp.resolve("out")).doesNotExist();
    assertThat(leftovers()).isEmpty();
  }

  @Test
  void aV21DatasetAndAnExistingTargetAreRefused() throws Exception {
    Path a = write("a", config(), A);
    Path old = write("old", config().withVersion(LeRobotWriteConfig.Version.V2_1), B);
    assertThatThrownBy(() -> LeRobotAggregate.append(a, List.of(old), tmp.resolve("out")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(old.toString())
        .hasMessageContaining("codebase_version is v2.1");
    Path taken = Files.createDirectories(tmp.resolve("taken"));
    assertThatThrownBy(() -> LeRobotAggregate.append(a, List.of(a), taken))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("taken")
        .hasMessageContaining("already exists");
    try (Stream<Path> s = Files.list(taken)) {
      assertThat(s.toList()).isEmpty();
    }
  }

  @Test
  void aFailureMidwayLeavesNoOutputAndTheBaseIntact() throws Exception {
    Path a = write("a", config(), A);
    Path b = write("b", config(), B);
    // an addition whose mp4 is damaged: its metadata and data read fine, so the failure comes after
    // the base's files and the addition's data were already copied
    Path damaged = tmp.resolve("damaged");
    try (Stream<Path> s = Files.walk(b)) {
      for (Path p : s.toList()) {
        Path to = damaged.resolve(b.relativize(p).toString());
        if (Files.isDirectory(p)) Files.createDirectories(to);
        else Files.copy(p, to);
      }
    }
    Path video = damaged.resolve("videos/" + IMAGE + "/chunk-000/file-000.mp4");
    Files.write(video, Arrays.copyOf(Files.readAllBytes(video), 100));
    assertThatThrownBy(() -> LeRobotAggregate.append(a, List.of(damaged), tmp.resolve("out")))
        .isInstanceOf(IOException.class)
        .hasMessageContaining(video.toString());
    assertThat(tmp.resolve("out")).doesNotExist();
    assertThat(leftovers()).isEmpty();
    assertThat(DatasetValidation.validate(a, true)).isEmpty();
    assertHolds(a, episodesOf(a));
  }
}
