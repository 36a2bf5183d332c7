package dev.wam4j.cluster;

import dev.wam4j.data.FileTrees;
import dev.wam4j.data.collect.SimCollect;
import dev.wam4j.data.lerobot.write.LeRobotAggregate;
import dev.wam4j.data.video.VideoCodec;
import dev.wam4j.data.video.VideoEncoding;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.IntConsumer;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;

/**
 * {@code wam4j sim collect} on Apache Spark: the seeds are cut into contiguous partitions, each
 * partition is collected on an executor ({@link SimCollect#run}) into a LeRobot v3.0 dataset of its
 * own in a hidden staging folder beside the output, and the driver merges those, in seed order,
 * into ONE dataset at the output ({@link LeRobotAggregate#append}: data files renumbered, each
 * partition's mp4 kept whole as a file of its own, metadata and statistics merged). An episode
 * depends on its seed alone, so the merged dataset holds the plain run's episodes: the same frames,
 * states, actions and labels, the same per-episode and aggregated statistics; only the split into
 * data and video files differs (one per partition).
 *
 * <p>The staging folder must be on storage every executor writes and the driver reads at the same
 * path (a local disk for {@code local[N]}, a shared filesystem for a cluster). Nothing appears at
 * the output before the merge renames it into place; the staging folder is deleted afterwards, and
 * a killed run leaves only a hidden {@code .NAME.spark-*} folder.
 */
public final class SparkCollect {
  private SparkCollect() {}

  /**
   * What to collect, in a form shipped to executors; fields mean what {@code wam4j sim collect}'s
   * flags of the same names mean.
   *
   * @param embodiment {@code robot} or {@code hand}
   * @param cousins a built-in cousin config's name, a config file's name, or null for PushT itself
   * @param cousinsJson the config file's text (read on the driver, so executors need not see the
   *     file), or null for a built-in or none
   * @param episodes number of episodes, >= 1
   * @param firstSeed seed of the first episode
   * @param codec video codec
   * @param crf video quality ({@link VideoEncoding#crf()})
   * @param gop keyframe interval ({@link VideoEncoding#gop()})
   * @param preset encoder speed ({@link VideoEncoding#preset()})
   */
  public record Job(
      String embodiment,
      String cousins,
      String cousinsJson,
      int episodes,
      long firstSeed,
      VideoCodec codec,
      int crf,
      int gop,
      int preset)
      implements Serializable {
    /**
     * @throws IllegalArgumentException when the config would be refused ({@link SimCollect.Config})
     */
    public Job {
      build(embodiment, cousins, cousinsJson, episodes, firstSeed, codec, crf, gop, preset);
    }

    /**
     * The job for a collection the plain command would run with these flags; a cousin config file
     * is read here.
     *
     * @throws IOException when the cousin config file cannot be read
     */
    public static Job of(
        String embodiment, String cousins, int episodes, long firstSeed, VideoEncoding encoding)
        throws IOException {
      String json =
          cousins == null || SimCollect.BUILTIN_COUSINS.contains(cousins)
              ? null
              : Files.readString(Path.of(cousins), StandardCharsets.UTF_8);
      String name = json == null ? cousins : Path.of(cousins).getFileName().toString();
      return new Job(
          embodiment,
          name,
          json,
          episodes,
          firstSeed,
          encoding.codec(),
          encoding.crf(),
          encoding.gop(),
          encoding.preset());
    }

    /** The collection's config, as the plain command builds it. */
    public SimCollect.Config config() {
      return config(episodes, firstSeed);
    }

    /** The config of {@code count} episodes from seed {@code first}, otherwise this job's. */
    SimCollect.Config config(int count, long first) {
      return build(embodiment, cousins, cousinsJson, count, first, codec, crf, gop, preset);
    }

    private static SimCollect.Config build(
        String embodiment,
        String cousins,
        String cousinsJson,
        int episodes,
        long firstSeed,
        VideoCodec codec,
        int crf,
        int gop,
        int preset) {
      if (embodiment == null) throw new IllegalArgumentException("embodiment is null");
      try {
        return new SimCollect.Config(
            SimCollect.embodiment(embodiment),
            cousins == null
                ? null
                : cousinsJson != null
                    ? dev.wam4j.sim.cousins.CousinConfig.parse(cousinsJson, cousins)
                    : SimCollect.cousins(cousins),
            episodes,
            firstSeed,
            new VideoEncoding(codec, crf, gop, preset));
      } catch (IOException e) {
        throw new UncheckedIOException("cousin config " + cousins + ": " + e.getMessage(), e);
      }
    }
  }

  /**
   * How Spark ran the collection.
   *
   * @param master the master URL
   * @param partitions seed partitions (Spark tasks), each a partial dataset merged into the output
   * @param executors distinct executor JVMs that collected a partition
   * @param mergeSeconds the driver's merge of the partial datasets, wall time
   */
  public record Run(String master, int partitions, int executors, double mergeSeconds) {}

  /**
   * The collection and how it ran.
   *
   * @param result as {@link SimCollect#run} reports it, for the merged dataset; seconds the
   *     driver's, from before the Spark context starts to the merged dataset's rename
   * @param spark how Spark ran it
   */
  public record Outcome(SimCollect.Result result, Run spark) {}

  /** One partition's seeds; {@code index} orders the partial datasets. */
  record Slice(int index, long[] seeds) implements Serializable {}

  /** One partition's partial dataset, as an executor sends it back. */
  record Part(String dataset, int episodes, long frames, List<Long> successSeeds, String jvm)
      implements Serializable {}

  /**
   * Collects {@code job}'s episodes on the Spark master {@code master} into one dataset at {@code
   * out}.
   *
   * @param partitions seed partitions, or 0 for four per task slot ({@code defaultParallelism}), at
   *     most one per seed
   * @param episodesDone called with the number of episodes of each partition as it finishes (on
   *     Spark's listener thread), or {@code null}
   * @throws IllegalArgumentException when the master URL is not {@code local[...]} or {@code
   *     spark://...}, or {@code out} exists
   * @throws IOException when the staging folder cannot be made or the merge fails; nothing then
   *     appears at {@code out}
   * @throws org.apache.spark.SparkException (unchecked here) when a partition fails
   */
  public static Outcome run(
      String master, Job job, Path out, int partitions, IntConsumer episodesDone)
      throws IOException {
    SparkEvaluation.checkMaster(master);
    if (partitions < 0)
      throw new IllegalArgumentException("partitions must be >= 0, got " + partitions);
    Path target = out.toAbsolutePath().normalize();
    if (Files.exists(target))
      throw new IllegalArgumentException(
          "dataset directory " + target + " already exists; refusing to overwrite");
    long t0 = System.nanoTime();
    Files.createDirectories(target.getParent());
    Path staging =
        Files.createTempDirectory(target.getParent(), "." + target.getFileName() + ".spark-");
    try {
      List<Part> parts;
      int cut;
      String app = "wam4j sim collect seeds " + job.firstSeed() + ".." + lastSeed(job);
      try (JavaSparkContext sc = new JavaSparkContext(SparkEvaluation.conf(master, app))) {
        int wanted = partitions > 0 ? partitions : 4 * Math.max(1, sc.defaultParallelism());
        List<long[]> chunks =
            SparkEvaluation.chunks(
                job.firstSeed(), job.episodes(), Math.min(job.episodes(), wanted));
        cut = chunks.size();
        List<Slice> slices = new ArrayList<>(cut);
        for (int i = 0; i < cut; i++) slices.add(new Slice(i, chunks.get(i)));
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
        String where = staging.toString();
        parts = sc.parallelize(slices, cut).map(s -> collectPart(job, where, s)).collect();
      }
      long merge0 = System.nanoTime();
      List<Path> datasets = new ArrayList<>(parts.size());
      Set<String> jvms = new HashSet<>();
      List<Long> successes = new ArrayList<>();
      long frames = 0;
      for (Part p : parts) {
        datasets.add(Path.of(p.dataset()));
        jvms.add(p.jvm());
        successes.addAll(p.successSeeds());
        frames += p.frames();
      }
      Path merged = LeRobotAggregate.append(null, datasets, target);
      long t1 = System.nanoTime();
      SimCollect.Result result =
          new SimCollect.Result(
              merged, job.episodes(), frames, List.copyOf(successes), (t1 - t0) / 1e9);
      return new Outcome(result, new Run(master, cut, jvms.size(), (t1 - merge0) / 1e9));
    } finally {
      // the merged dataset hard-links (or copied) the partitions' files: the staging folder can go;
      // a leftover (deletion failed) is a hidden folder that no reader takes for a dataset
      FileTrees.deleteQuietly(staging, null);
    }
  }

  private static long lastSeed(Job job) {
    return job.firstSeed() + job.episodes() - 1;
  }

  /**
   * On an executor: the slice's episodes collected into {@code staging/part-NNNNN-attempt-K} (a
   * retried task writes a folder of its own; the driver merges the folders the successful attempts
   * return).
   */
  static Part collectPart(Job job, String staging, Slice slice) throws IOException {
    TaskContext task = TaskContext.get();
    int attempt = task == null ? 0 : task.attemptNumber();
    Path dir = Path.of(staging, String.format("part-%05d-attempt-%d", slice.index(), attempt));
    long[] seeds = slice.seeds();
    SimCollect.Result r = SimCollect.run(job.config(seeds.length, seeds[0]), dir, null);
    return new Part(
        r.dataset().toString(),
        r.episodes(),
        r.frames(),
        List.copyOf(r.successSeeds()),
        SparkEvaluation.jvmName());
  }
}
