package dev.wam4j.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wam4j.eval.ClosedLoopEvaluation;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.SparkConf;
import org.apache.spark.deploy.master.Master;
import org.apache.spark.deploy.worker.Worker;
import org.apache.spark.rpc.RpcEnv;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import scala.Option;

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

  /**
   * A standalone master and worker, Spark's own classes in this JVM on loopback; the worker starts
   * its executor as a child JVM (the test's class path through spark.executor.extraClassPath;
   * SPARK_HOME, set by the build, is an empty stand-in for a distribution).
   */
  @Test
  void standaloneClusterGivesThePlainRunsOutcomesPerSeed(@TempDir Path work) throws Exception {
    // a distribution's marks: RELEASE (its jars are in jars/), and jars/ (empty here)
    Path home = Path.of(System.getenv("SPARK_HOME"));
    Files.createDirectories(home.resolve("jars"));
    if (!Files.exists(home.resolve("RELEASE"))) Files.writeString(home.resolve("RELEASE"), "");
    SparkConf conf = new SparkConf(false).set("spark.master.rest.enabled", "false");
    RpcEnv master = Master.startRpcEnvAndEndpoint("127.0.0.1", 0, 0, conf)._1();
    RpcEnv worker = null;
    try {
      String url = "spark://127.0.0.1:" + master.address().port();
      worker =
          Worker.startRpcEnvAndEndpoint(
              "127.0.0.1",
              0,
              0,
              1,
              1024,
              new String[] {url},
              work.toString(),
              Option.empty(),
              conf,
              Option.empty());
      // a quick-starting executor for a short job (Spark reads spark.* system properties)
      System.setProperty(
          "spark.executor.extraJavaOptions",
          "-Dai.djl.offline=true -XX:TieredStopAtLevel=1 -XX:+UseSerialGC");
      System.setProperty("spark.executor.memory", "512m");
      SparkEvaluation.Outcome o;
      try {
        o = SparkEvaluation.run(url, JOB, 4, null);
      } finally {
        System.clearProperty("spark.executor.extraJavaOptions");
        System.clearProperty("spark.executor.memory");
      }
      assertSameOutcomes(o.result(), plain());
      // one executor JVM (not this one) with one core ran all four partitions on one policy
      assertThat(o.spark()).isEqualTo(new SparkEvaluation.Run(url, 4, 1, 1));
    } finally {
      if (worker != null) {
        worker.shutdown();
        worker.awaitTermination();
      }
      master.shutdown();
      master.awaitTermination();
    }
  }

  @Test
  void chunksAreContiguousAndEven() {
    List<long[]> c = SparkEvaluation.chunks(5, 7, 3);
    assertThat(c).containsExactly(new long[] {5, 6, 7}, new long[] {8, 9}, new long[] {10, 11});
  }

  @Test
  void refusesOtherMasters() {
    assertThatThrownBy(() -> SparkEvaluation.run("yarn", JOB, 0, null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("spark://host:port");
  }
}
