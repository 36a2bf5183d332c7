package dev.wam4j.cluster;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wam4j.eval.CheckpointEvaluator;
import dev.wam4j.eval.ClosedLoopEvaluation;
import dev.wam4j.eval.ClosedLoopEvaluation.Config;
import dev.wam4j.eval.ClosedLoopEvaluation.Part;
import dev.wam4j.model.TorchNative;
import dev.wam4j.model.imagine.ImaginationPolicy;
import dev.wam4j.model.policy.PlanSettings;
import dev.wam4j.sim.motion.MotionStyle;
import dev.wam4j.sim.scene.Scene;
import dev.wam4j.sim.scene.Scenes;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.IntConsumer;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;

/**
 * Closed-loop evaluation on Apache Spark: the seeds are cut into contiguous partitions, Spark runs
 * each partition on an executor ({@link ClosedLoopEvaluation#runSeeds}) with a policy that executor
 * JVM loaded once ({@link PolicyPool}), and the driver puts the parts together ({@link
 * ClosedLoopEvaluation#combine}). Each episode depends on its seed alone, so the per-seed outcomes,
 * success rate and coverage equal a plain {@link ClosedLoopEvaluation#run} for a policy whose plans
 * are reproducible within a JVM (the shipped model's are, imagination included, since oneDNN is
 * switched off at engine start: docs/CLUSTER.md), given the same engine threads per policy; plan
 * latency and wall time are this run's own.
 *
 * <p>The master is {@code local[N]} (N task threads in this JVM) or {@code spark://host:port} (a
 * standalone cluster). Executors get this JVM's class path ({@code spark.executor.extraClassPath})
 * and the checkpoint's absolute path, so every node needs wam4j and the checkpoint at the same
 * paths; any {@code spark.*} system property (e.g. {@code -Dspark.executor.memory=4g}) overrides
 * the defaults set here.
 */
public final class SparkEvaluation {
  private static final ObjectMapper JSON =
      new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  private SparkEvaluation() {}

  /**
   * What to evaluate, in a form shipped to executors; the fields mean what {@code wam4j eval}'s
   * flags of the same names mean.
   *
   * @param policy where each executor gets its policy
   * @param firstSeed first legacy reset seed
   * @param lastSeed last seed, inclusive
   * @param maxSteps control steps per episode at most
   * @param dream whether the policy decodes its predicted frames
   * @param policySeed seed of the policy's sampling noise, mixed with each episode's seed
   * @param scene a built-in scene's name or a scene file's absolute path; null: PushT
   * @param motion how the targets are followed ({@link MotionStyle#parse}); null: passed through
   */
  public record Job(
      PolicySource policy,
      long firstSeed,
      long lastSeed,
      int maxSteps,
      boolean dream,
      long policySeed,
      String scene,
      String motion)
      implements Serializable {
    /**
     * @throws IllegalArgumentException when the config would be refused ({@link Config})
     */
    public Job {
      if (policy == null) throw new IllegalArgumentException("policy source is null");
      new Config(firstSeed, lastSeed, maxSteps, dream, null, 1, 1, policySeed);
    }

    /** The evaluation's config, as the plain run builds it; resolves the scene. */
    public Config config() {
      try {
        Config c = new Config(firstSeed, lastSeed, maxSteps, dream, null, 1, 1, policySeed);
        if (scene != null) c = c.withScene(Scenes.resolve(scene).scene());
        return motion == null ? c : c.withMotion(MotionStyle.parse(motion));
      } catch (IOException e) {
        throw new UncheckedIOException("scene " + scene + ": " + e.getMessage(), e);
      }
    }

    /** {@code scene} as executors can read it: a file's absolute path, a built-in name as is. */
    public static String sceneForExecutors(String scene) {
      if (scene == null) return null;
      Path p = Path.of(scene);
      return Files.isRegularFile(p) ? p.toAbsolutePath().normalize().toString() : scene;
    }
  }

  /**
   * How Spark ran the evaluation.
   *
   * @param master the master URL
   * @param partitions seed partitions (Spark tasks)
   * @param executors distinct executor JVMs that ran a partition
   * @param policyLoads policies loaded, over all executors (at most one per executor task slot)
   */
  public record Run(String master, int partitions, int executors, int policyLoads) {}

  /**
   * The evaluation and how it ran.
   *
   * @param result as {@link ClosedLoopEvaluation#run} reports it; wall time the driver's, from
   *     before the Spark context starts to the last part's arrival
   * @param executeSteps actions run per plan by the loaded policy
   * @param imagineCandidates candidate chunks imagined per plan (1: no imagination)
   * @param spark how Spark ran it
   */
  public record Outcome(
      ClosedLoopEvaluation.Result result, int executeSteps, int imagineCandidates, Run spark) {}

  /** One partition's part, and where it ran, as an executor sends it back (JSON). */
  record Shipped(
      Part part,
      String jvm,
      boolean loaded,
      int executeSteps,
      int imagineCandidates,
      String libtorch) {}

  /**
   * Runs {@code job} on the Spark master {@code master}.
   *
   * @param partitions seed partitions, or 0 for four per task slot ({@code defaultParallelism}), at
   *     most one per seed
   * @param episodesDone called with the number of episodes of each partition as it finishes (on
   *     Spark's listener thread), or {@code null}
   * @throws IllegalArgumentException when the master URL is not {@code local[...]} or {@code
   *     spark://...}, or the job's config is refused
   * @throws org.apache.spark.SparkException (unchecked here) when a partition fails, e.g. the
   *     checkpoint cannot be loaded on an executor
   */
  public static Outcome run(String master, Job job, int partitions, IntConsumer episodesDone) {
    Config config = job.config();
    boolean local = checkMaster(master);
    if (partitions < 0)
      throw new IllegalArgumentException("partitions must be >= 0, got " + partitions);
    long t0 = System.nanoTime();
    List<String> shipped;
    int cut;
    try (JavaSparkContext sc = new JavaSparkContext(conf(master, config))) {
      int episodes = config.episodes();
      int wanted = partitions > 0 ? partitions : 4 * Math.max(1, sc.defaultParallelism());
      List<long[]> chunks = chunks(config.firstSeed(), episodes, Math.min(episodes, wanted));
      cut = chunks.size();
      if (episodesDone != null) {
        sc.sc()
            .addSparkListener(
                new SparkListener() {
                  @Override
                  public void onTaskEnd(SparkListenerTaskEnd end) {
                    if (end.taskInfo().successful())
                      episodesDone.accept(chunks.get(end.taskInfo().index()).length);
                  }
                });
      }
      shipped = sc.parallelize(chunks, cut).map(seeds -> runPart(job, seeds)).collect();
    } finally {
      // a local run's executor is this JVM: free its policies (an executor JVM ends with the job)
      if (local) PolicyPool.closeAll();
    }
    List<Part> parts = new ArrayList<>(shipped.size());
    Set<String> jvms = new HashSet<>();
    int loads = 0, executeSteps = 0, imagine = 0;
    for (String s : shipped) {
      Shipped p = read(s);
      checkLibtorch(p.jvm(), p.libtorch());
      parts.add(p.part());
      jvms.add(p.jvm());
      if (p.loaded()) loads++;
      executeSteps = p.executeSteps();
      imagine = p.imagineCandidates();
    }
    double wall = (System.nanoTime() - t0) / 1e9;
    return new Outcome(
        ClosedLoopEvaluation.combine(config, parts, wall),
        executeSteps,
        imagine,
        new Run(master, cut, jvms.size(), loads));
  }

  /**
   * Refuses a part whose executor could not apply wam4j's libtorch settings (oneDNN off, {@link
   * TorchNative}): its plans would differ from a plain run's. Seen when wam4j's classes and DJL's
   * are loaded by different class loaders (jars shipped with {@code spark.jars} while the nodes'
   * Spark class path holds another DJL).
   *
   * @throws IllegalStateException naming the executor and the reason
   */
  static void checkLibtorch(String jvm, String applied) {
    if (applied != null && applied.startsWith("failed"))
      throw new IllegalStateException(
          "executor "
              + jvm
              + ": wam4j's libtorch settings (oneDNN off) were not applied ("
              + applied
              + "), so its plans would differ from a plain run's; with -D"
              + ShippedJars.PROPERTY
              + "=true keep DJL off the nodes' Spark class path (docs/CLUSTER.md)");
  }

  /**
   * Whether {@code master} is local ({@code local[...]}) rather than standalone.
   *
   * @throws IllegalArgumentException when it is neither {@code local...} nor {@code spark://...}
   */
  static boolean checkMaster(String master) {
    boolean local = master.startsWith("local");
    if (!local && !master.startsWith("spark://"))
      throw new IllegalArgumentException(
          "--spark " + master + ": need local[N], local[*] or spark://host:port");
    return local;
  }

  /**
   * A {@link CheckpointEvaluator} that runs each evaluation on {@code master} (a Spark application
   * per evaluation; executors load the checkpoint with its own plan settings and {@code threads}
   * engine threads each), for callers such as the studies that evaluate many checkpoints. The
   * per-seed outcomes equal {@link CheckpointEvaluator#local()}'s given the same engine threads.
   *
   * @param threads intra-op threads per policy on the executors; null: the engine's default
   * @param episodesDone as for {@link #run}, or null
   * @throws IllegalArgumentException (when evaluating) for a config with a video, a disturbance, or
   *     a scene or motion other than the protocol's, which executors cannot be sent
   */
  public static CheckpointEvaluator evaluator(
      String master, Integer threads, IntConsumer episodesDone) {
    checkMaster(master);
    return (checkpoint, config) -> {
      if (config.video() != null
          || config.disturbance() != null
          || !config.scene().equals(Scene.pushT())
          || !config.motion().equals(MotionStyle.NONE))
        throw new IllegalArgumentException(
            "an evaluation on Spark runs the protocol's scene without video, disturbance or motion"
                + " style; got video "
                + config.video()
                + ", disturbance "
                + config.disturbance()
                + ", motion "
                + config.motion());
      Job job =
          new Job(
              CheckpointSource.of(checkpoint, PlanSettings.CHECKPOINT, threads),
              config.firstSeed(),
              config.lastSeed(),
              config.maxSteps(),
              config.dream(),
              config.policySeed(),
              null,
              null);
      return run(master, job, 0, episodesDone).result();
    };
  }

  /** {@code count} seeds from {@code first} in {@code n} contiguous chunks, sizes within one. */
  static List<long[]> chunks(long first, int count, int n) {
    List<long[]> out = new ArrayList<>(n);
    long next = first;
    for (int i = 0; i < n; i++) {
      int size = count / n + (i < count % n ? 1 : 0);
      long[] c = new long[size];
      for (int k = 0; k < size; k++) c[k] = next++;
      out.add(c);
    }
    return out;
  }

  /** On an executor: the seeds' episodes with this JVM's policy, as JSON. */
  static String runPart(Job job, long[] seeds) throws IOException {
    try (PolicyPool.Lease lease = PolicyPool.borrow(job.policy())) {
      job.policy().onThisThread();
      Part part = ClosedLoopEvaluation.runSeeds(lease.policy(), job.config(), seeds, null);
      int imagine = lease.policy() instanceof ImaginationPolicy planner ? planner.candidates() : 1;
      return JSON.writeValueAsString(
          new Shipped(
              part,
              jvmName(),
              lease.loaded(),
              lease.policy().executeSteps(),
              imagine,
              TorchNative.applied()));
    }
  }

  private static Shipped read(String json) {
    try {
      return JSON.readValue(json, Shipped.class);
    } catch (IOException e) {
      throw new UncheckedIOException("an executor's part could not be read", e);
    }
  }

  /** This JVM, as host/pid. */
  static String jvmName() {
    String host;
    try {
      host = InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      host = "unknown-host";
    }
    return host + "/" + ProcessHandle.current().pid();
  }

  /**
   * Spark's settings for a run: no web UI; executors get this JVM's class path (by path, {@code
   * spark.executor.extraClassPath}; or, with {@code -Dwam4j.spark.shipJars=true} and a {@code
   * spark://} master, shipped as {@code spark.jars}: {@link ShippedJars}), offline DJL and 2 GB; a
   * loopback master keeps the driver on loopback. {@code spark.*} system properties win.
   */
  static SparkConf conf(String master, Config config) {
    return conf(master, "wam4j eval seeds " + config.firstSeed() + ".." + config.lastSeed());
  }

  /** {@link #conf(String, Config)} for an application named {@code appName}. */
  static SparkConf conf(String master, String appName) {
    SparkConf c =
        new SparkConf()
            .setMaster(master)
            .setAppName(appName)
            .setIfMissing("spark.ui.enabled", "false")
            .setIfMissing("spark.executor.extraJavaOptions", "-Dai.djl.offline=true")
            .setIfMissing("spark.executor.memory", "2g");
    String classPath = System.getProperty("java.class.path");
    if (ShippedJars.wanted() && !master.startsWith("local")) {
      // the class path travels with the application: the nodes need no wam4j of their own
      try {
        Path pack = Files.createTempDirectory("wam4j-spark-jars-");
        pack.toFile().deleteOnExit();
        List<String> jars = new ArrayList<>();
        for (Path j : ShippedJars.of(classPath, pack)) {
          jars.add(j.toUri().toString());
          if (j.startsWith(pack)) j.toFile().deleteOnExit();
        }
        c.setIfMissing("spark.jars", String.join(",", jars));
      } catch (IOException e) {
        throw new UncheckedIOException(
            "packing the class path for spark.jars: " + e.getMessage(), e);
      }
    } else {
      c.setIfMissing("spark.executor.extraClassPath", classPath);
    }
    if (loopback(master)) {
      c.setIfMissing("spark.driver.host", "127.0.0.1");
      c.setIfMissing("spark.driver.bindAddress", "127.0.0.1");
    }
    return c;
  }

  /** A local master, or a standalone one on a loopback address. */
  static boolean loopback(String master) {
    if (master.startsWith("local")) return true;
    String host = URI.create(master).getHost();
    return host != null && (host.equals("localhost") || host.startsWith("127."));
  }
}
