package dev.wam4j.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wam4j.data.collect.SimCollect;
import dev.wam4j.data.lerobot.DatasetValidation;
import dev.wam4j.data.lerobot.Episode;
import dev.wam4j.data.lerobot.LeRobotDataset;
import dev.wam4j.data.lerobot.QueryResult;
import dev.wam4j.data.video.VideoEncoding;
import dev.wam4j.sim.cousins.ShapeFamily;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SparkCollectTest {
  @TempDir Path tmp;

  /** Six expert episodes (seeds 40..45: a mix of lengths), the plain command's default codec. */
  private static SparkCollect.Job job() throws IOException {
    return SparkCollect.Job.of("robot", null, 6, 40, VideoEncoding.AV1_LEROBOT);
  }

  /**
   * {@code got} holds {@code want}'s episodes: the same info.json totals, tasks, episode lengths,
   * every data row (index columns included) and stats.json to the last digit; it validates with its
   * videos decoded.
   */
  static void assertSameDataset(Path got, Path want) throws IOException {
    assertThat(DatasetValidation.validate(got, true)).isEmpty();
    ObjectMapper json = new ObjectMapper();
    JsonNode gi = json.readTree(got.resolve("meta/info.json").toFile());
    JsonNode wi = json.readTree(want.resolve("meta/info.json").toFile());
    for (String f :
        List.of("total_episodes", "total_frames", "total_tasks", "splits", "fps", "features"))
      assertThat(gi.get(f)).as(f).isEqualTo(wi.get(f));
    assertThat(json.readTree(got.resolve("meta/stats.json").toFile()))
        .isEqualTo(json.readTree(want.resolve("meta/stats.json").toFile()));
    try (LeRobotDataset g = LeRobotDataset.open(got);
        LeRobotDataset w = LeRobotDataset.open(want)) {
      assertThat(g.tasks()).isEqualTo(w.tasks());
      assertThat(g.episodes().stream().map(Episode::length).toList())
          .isEqualTo(w.episodes().stream().map(Episode::length).toList());
      String rows = "SELECT * FROM data ORDER BY \"index\"";
      QueryResult gr = g.query(rows, 100_000), wr = w.query(rows, 100_000);
      assertThat(wr.truncated()).isFalse();
      assertThat(gr.columns()).isEqualTo(wr.columns());
      assertThat(gr.rows()).isEqualTo(wr.rows());
      String stats = "SELECT COLUMNS('^stats/') FROM episodes ORDER BY episode_index";
      assertThat(g.query(stats, 1000).rows()).isEqualTo(w.query(stats, 1000).rows());
    }
  }

  /** PSNR in dB of every decoded image frame of {@code a} against {@code b}'s. */
  static double psnr(Path a, Path b) throws IOException {
    try (LeRobotDataset x = LeRobotDataset.open(a);
        LeRobotDataset y = LeRobotDataset.open(b)) {
      double se = 0;
      long n = 0;
      for (Episode e : y.episodes()) {
        for (int t = 0; t < e.length(); t++) {
          byte[] p = x.videoFrame(e.index(), t, "observation.image");
          byte[] q = y.videoFrame(e.index(), t, "observation.image");
          for (int i = 0; i < q.length; i++) {
            double d = (p[i] & 255) - (q[i] & 255);
            se += d * d;
          }
          n += q.length;
        }
      }
      double mse = se / n;
      System.err.printf(
          "decoded frames: mse %.3f, PSNR %.2f dB%n", mse, 10 * Math.log10(255 * 255 / mse));
      return 10 * Math.log10(255 * 255 / mse);
    }
  }

  @Test
  void localMasterWritesOneDatasetWithThePlainRunsEpisodes() throws Exception {
    SparkCollect.Job job = job();
    SimCollect.Result plain = SimCollect.run(job.config(), tmp.resolve("plain"), null);
    AtomicInteger done = new AtomicInteger();
    SparkCollect.Outcome o =
        SparkCollect.run("local[2]", job, tmp.resolve("spark"), 3, done::addAndGet);

    assertThat(o.result().dataset()).isEqualTo(tmp.resolve("spark"));
    assertThat(o.result().episodes()).isEqualTo(plain.episodes());
    assertThat(o.result().frames()).isEqualTo(plain.frames());
    assertThat(o.result().successSeeds()).isEqualTo(plain.successSeeds());
    assertThat(o.spark().partitions()).isEqualTo(3);
    assertThat(o.spark().executors()).isEqualTo(1);
    assertThat(done.get()).isEqualTo(6);
    assertSameDataset(tmp.resolve("spark"), tmp.resolve("plain"));
    // one data file and one video file per partition
    try (LeRobotDataset d = LeRobotDataset.open(tmp.resolve("spark"))) {
      assertThat(d.dataFiles()).hasSize(3);
      assertThat(d.videoFiles()).hasSize(3);
    }
    // the videos hold the same rendered frames, encoded per partition: decoded, they agree to the
    // codec's noise (SVT-AV1's choices depend on the neighbouring frames in the file)
    assertThat(psnr(tmp.resolve("spark"), tmp.resolve("plain")))
        .isGreaterThan(35); // 41 dB measured
    // the episodes differ in length, or equal lengths would prove little
    try (LeRobotDataset d = LeRobotDataset.open(tmp.resolve("plain"))) {
      assertThat(d.episodes().stream().map(Episode::length).distinct()).hasSizeGreaterThan(1);
    }
    // no staging or partial folder is left beside the output
    try (Stream<Path> s = Files.list(tmp)) {
      assertThat(s.map(p -> p.getFileName().toString()))
          .containsExactlyInAnyOrder("plain", "spark");
    }
  }

  /**
   * A standalone master and worker on loopback ({@link LoopbackCluster}): the executor is a JVM of
   * its own writing into the staging folder, which this machine's disk shares with the driver.
   */
  @Test
  void standaloneClusterWritesOneDatasetWithThePlainRunsEpisodes() throws Exception {
    SparkCollect.Job job = SparkCollect.Job.of("robot", null, 3, 50, VideoEncoding.AV1_LEROBOT);
    SimCollect.run(job.config(), tmp.resolve("plain"), null);
    SparkCollect.Outcome o;
    try (LoopbackCluster cluster = new LoopbackCluster(tmp.resolve("work"))) {
      o = SparkCollect.run(cluster.url, job, tmp.resolve("spark"), 2, null);
    }
    assertThat(o.spark().partitions()).isEqualTo(2);
    assertThat(o.spark().executors()).isEqualTo(1);
    assertSameDataset(tmp.resolve("spark"), tmp.resolve("plain"));
  }

  @Test
  void refusesAnExistingOutputBeforeStartingSpark() throws Exception {
    Path out = Files.createDirectories(tmp.resolve("taken"));
    assertThatThrownBy(() -> SparkCollect.run("local[1]", job(), out, 0, null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(out.toString())
        .hasMessageContaining("already exists");
  }

  @Test
  void refusesOtherMasters() {
    assertThatThrownBy(() -> SparkCollect.run("yarn", job(), tmp.resolve("x"), 0, null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("spark://host:port");
    try (Stream<Path> s = Files.list(tmp)) {
      assertThat(s).isEmpty();
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void aCousinFileIsShippedAsItsText() throws Exception {
    Path file = tmp.resolve("mine.json");
    Files.writeString(file, "{\"shapes\": [\"L\"]}");
    SparkCollect.Job job =
        SparkCollect.Job.of("hand", file.toString(), 2, 5, VideoEncoding.H264_DEFAULT);
    Files.delete(file); // an executor never reads it
    assertThat(job.cousins()).isEqualTo("mine.json");
    assertThat(job.config().cousins().shapes()).containsExactly(ShapeFamily.L);
    assertThat(job.config().embodiment().id()).isEqualTo("hand");
  }
}
