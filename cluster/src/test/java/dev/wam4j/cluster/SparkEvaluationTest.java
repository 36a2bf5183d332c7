package dev.wam4j.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wam4j.eval.ClosedLoopEvaluation;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SparkEvaluationTest {
  private static final SparkEvaluation.Job JOB =
      new SparkEvaluation.Job(new WanderPolicy.Source(6), 10, 17, 60, false, 3, null, null);

  /** The plain run, in this JVM, one policy. */
  private static ClosedLoopEvaluation.Result plain() throws IOException {
    try (WanderPolicy policy = new WanderPolicy(6)) {
      return ClosedLoopEvaluation.run(policy, JOB.config(), null);
    }
  }

  private static void assertSameOutcomes(
      ClosedLoopEvaluation.Result spark, ClosedLoopEvaluation.Result plain) {
    assertThat(spark.perSeed()).isEqualTo(plain.perSeed());
    assertThat(spark.successRate()).isEqualTo(plain.successRate());
    assertThat(spark.meanMaxCoverage()).isEqualTo(plain.meanMaxCoverage());
    assertThat(spark.planLatency().plans()).isEqualTo(plain.planLatency().plans());
    assertThat(spark.dreamQuality()).isNull();
    // the wander must reach different outcomes, or equality would prove little
    assertThat(plain.perSeed().stream().map(ClosedLoopEvaluation.Episode::maxCoverage).distinct())
        .hasSizeGreaterThan(3);
  }

  @Test
  void localMasterGivesThePlainRunsOutcomesPerSeed() throws IOException {
    AtomicInteger done = new AtomicInteger();
    SparkEvaluation.Outcome o = SparkEvaluation.run("local[2]", JOB, 4, done::addAndGet);
    assertSameOutcomes(o.result(), plain());
    assertThat(o.spark())
        .isEqualTo(new SparkEvaluation.Run("local[2]", 4, 1, o.spark().policyLoads()));
    // two task threads: at most two policies loaded for four partitions
    assertThat(o.spark().policyLoads()).isBetween(1, 2);
    assertThat(done.get()).isEqualTo(8);
    assertThat(o.executeSteps()).isEqualTo(6);
    assertThat(o.imagineCandidates()).isEqualTo(1);
  }

  /** A standalone master and worker on loopback ({@link LoopbackCluster}). */
  @Test
  void standaloneClusterGivesThePlainRunsOutcomesPerSeed(@TempDir Path work) throws Exception {
    SparkEvaluation.Outcome o;
    String url;
    try (LoopbackCluster cluster = new LoopbackCluster(work)) {
      url = cluster.url;
      o = SparkEvaluation.run(url, JOB, 4, null);
    }
    assertSameOutcomes(o.result(), plain());
    // one executor JVM (not this one) with one core ran all four partitions on one policy
    assertThat(o.spark()).isEqualTo(new SparkEvaluation.Run(url, 4, 1, 1));
  }

  @Test
  void chunksAreContiguousAndEven() {
    List<long[]> c = SparkEvaluation.chunks(5, 7, 3);
    assertThat(c).containsExactly(new long[] {5, 6, 7}, new long[] {8, 9}, new long[] {10, 11});
  }

  @Test
  void theStudiesEvaluatorRefusesWhatExecutorsCannotBeSent(@TempDir Path dir) {
    var evaluator = SparkEvaluation.evaluator("local[1]", 1, null);
    var withVideo = JOB.config().withVideo(dir.resolve("v.mp4"), 1);
    assertThatThrownBy(() -> evaluator.evaluate(dir, withVideo))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("without video")
        .hasMessageContaining("v.mp4");
    assertThatThrownBy(() -> SparkEvaluation.evaluator("yarn", 1, null))
        .hasMessageContaining("spark://host:port");
  }

  @Test
  void refusesOtherMasters() {
    assertThatThrownBy(() -> SparkEvaluation.run("yarn", JOB, 0, null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("spark://host:port");
  }
}
