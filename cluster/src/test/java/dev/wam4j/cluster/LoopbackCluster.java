package dev.wam4j.cluster;

import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.spark.SparkConf;
import org.apache.spark.deploy.master.Master;
import org.apache.spark.deploy.worker.Worker;
import org.apache.spark.rpc.RpcEnv;
import scala.Option;

/**
 * A standalone Spark master and one worker (one core, 1 GB), Spark's own classes in this JVM on
 * loopback; the worker starts its executor as a child JVM (the test's class path through
 * spark.executor.extraClassPath; SPARK_HOME, set by the build, is an empty stand-in for a
 * distribution). While it runs, the executor settings are quick-starting ones for short jobs.
 */
final class LoopbackCluster implements AutoCloseable {
  private final RpcEnv master;
  private final RpcEnv worker;

  /** The master's URL, {@code spark://127.0.0.1:PORT}. */
  final String url;

  LoopbackCluster(Path work) throws Exception {
    // a distribution's marks: RELEASE (its jars are in jars/), and jars/ (empty here)
    Path home = Path.of(System.getenv("SPARK_HOME"));
    Files.createDirectories(home.resolve("jars"));
    if (!Files.exists(home.resolve("RELEASE"))) Files.writeString(home.resolve("RELEASE"), "");
    SparkConf conf = new SparkConf(false).set("spark.master.rest.enabled", "false");
    master = Master.startRpcEnvAndEndpoint("127.0.0.1", 0, 0, conf)._1();
    try {
      url = "spark://127.0.0.1:" + master.address().port();
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
    } catch (Exception | Error e) {
      master.shutdown();
      throw e;
    }
    // a quick-starting executor for a short job (Spark reads spark.* system properties)
    System.setProperty(
        "spark.executor.extraJavaOptions",
        "-Dai.djl.offline=true -XX:TieredStopAtLevel=1 -XX:+UseSerialGC");
    System.setProperty("spark.executor.memory", "512m");
  }

  @Override
  public void close() {
    System.clearProperty("spark.executor.extraJavaOptions");
    System.clearProperty("spark.executor.memory");
    worker.shutdown();
    worker.awaitTermination();
    master.shutdown();
    master.awaitTermination();
  }
}
