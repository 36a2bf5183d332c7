package dev.wam4j.data.loader;

import dev.wam4j.data.lerobot.ColumnBatch;
import dev.wam4j.data.lerobot.ColumnBatchIterator;
import dev.wam4j.data.lerobot.Episode;
import dev.wam4j.data.lerobot.Feature;
import dev.wam4j.data.lerobot.LeRobotDataset;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;

/**
 * Loads a LeRobot dataset's state, action and (decoded) video or image frames into memory once,
 * then draws random mini-batches of observation histories, action chunks and (optionally) future
 * observation frames from flat arrays. A frame labelled with a teacher's chunk ({@link
 * #TEACHER_CHUNK}) takes that chunk as its actions. Frames before an episode's start repeat its
 * first frame; actions and future frames past its end repeat its last action or frame and are
 * flagged as padding. Sampling allocates nothing.
 *
 * <p>Everything is held in memory (in pages of 1 GiB, {@link FramePages}): PushT's 25,650 frames of
 * 96x96 take 709 MB, 100,000 frames 2.8 GB of heap; datasets larger than the heap need a streaming
 * loader (not yet written). The progress callback is called from the decoding threads. Not
 * thread-safe.
 */
public final class TrainingLoader {
  /**
   * A per-frame feature a dataset may carry: the action chunk a teacher (the simulator's expert)
   * would run from that frame's state, {@code horizon x actionDim} values. Where present it is the
   * sample's action target instead of the episode's next actions: DAgger's labels for states the
   * student visited.
   */
  public static final String TEACHER_CHUNK = "teacher.action_chunk";

  /**
   * A per-frame feature a dataset may carry: the block's pose (x, y in workspace units, angle in
   * radians) as the simulator knew it. Privileged: it may train the student (an auxiliary target),
   * never feed it at run time. {@link TrainingBatch#blockPose} holds the current frame's.
   */
  public static final String TEACHER_BLOCK_POSE = "teacher.block_pose";

  private final LoaderConfig config;
  private final int frames;
  private final int stateDim;
  private final int actionDim;
  private final int frameBytes;
  private final float[] state;
  private final float[] action;

  /** Per row, the teacher's action chunk [horizon][actionDim] (null when no row has one). */
  private final RowLabels teacherChunk;

  /** Per row, the block's pose (null when no row has one). */
  private final RowLabels blockPose;

  private final FramePages images;
  private final int[] episodeStart; // per episode, first global row
  private final int[] episodeLength;
  private final int[] rowEpisode;
  private final SplittableRandom rng;
  private final double loadSeconds;
  private final double decodeFramesPerSecond;
  private final RowRenderer renderer; // null: frames come from the decoded pages
  private double jitterPixels,
      jitterRadians; // rendered frames only: the block moved per sample by up to this much
  private long
      samplesDrawn; // seeds each sample's jitter, so a resumed run draws what an uninterrupted one
  // did
  private final float[] jittered = new float[3];
  private final float[] jitter = new float[3];

  private TrainingLoader(
      LoaderConfig config,
      int frames,
      int stateDim,
      int actionDim,
      int frameBytes,
      float[] state,
      float[] action,
      RowLabels teacherChunk,
      RowLabels blockPose,
      FramePages images,
      int[] episodeStart,
      int[] episodeLength,
      double loadSeconds,
      double decodeFps,
      RowRenderer renderer) {
    this.config = config;
    this.frames = frames;
    this.stateDim = stateDim;
    this.actionDim = actionDim;
    this.frameBytes = frameBytes;
    this.state = state;
    this.action = action;
    this.teacherChunk = teacherChunk;
    this.blockPose = blockPose;
    this.images = images;
    this.episodeStart = episodeStart;
    this.episodeLength = episodeLength;
    this.rowEpisode = new int[frames];
    for (int e = 0; e < episodeStart.length; e++) {
      for (int i = 0; i < episodeLength[e]; i++) rowEpisode[episodeStart[e] + i] = e;
    }
    this.rng = new SplittableRandom(config.seed());
    this.loadSeconds = loadSeconds;
    this.decodeFramesPerSecond = decodeFps;
    this.renderer = renderer;
  }

  /**
   * Reads {@code dataset} into memory.
   *
   * @param progress called with the number of video frames decoded so far (may be null)
   */
  public static TrainingLoader load(Path dataset, LoaderConfig config, LongConsumer progress)
      throws IOException {
    return load(dataset, config, 0, progress);
  }

  /**
   * Reads the first {@code firstEpisodes} episodes of {@code dataset} into memory (all when 0): the
   * data-scaling studies train on nested subsets of one dataset this way.
   *
   * @throws IllegalArgumentException when {@code firstEpisodes} is negative or exceeds the
   *     dataset's episodes
   */
  public static TrainingLoader load(
      Path dataset, LoaderConfig config, int firstEpisodes, LongConsumer progress)
      throws IOException {
    long t0 = System.nanoTime();
    if (firstEpisodes < 0)
      throw new IllegalArgumentException(
          dataset + ": first episodes must be >= 0 (0: all), got " + firstEpisodes);
    try (LeRobotDataset ds = LeRobotDataset.open(dataset)) {
      Feature sf = requireNumeric(ds, config.stateKey()),
          af = requireNumeric(ds, config.actionKey());
      int stateDim = sf.elementCount(), actionDim = af.elementCount();
      List<Episode> episodes = ds.episodes();
      if (firstEpisodes > episodes.size()) {
        throw new IllegalArgumentException(
            dataset
                + ": asked for the first "
                + firstEpisodes
                + " episodes, the dataset has "
                + episodes.size());
      }
      boolean subset = firstEpisodes > 0 && firstEpisodes < episodes.size();
      if (subset) episodes = episodes.subList(0, firstEpisodes);
      int n = 0;
      for (Episode e : episodes) n += e.length();
      int[] start = new int[episodes.size()], length = new int[episodes.size()];
      for (int e = 0, row = 0; e < episodes.size(); e++) {
        start[e] = row;
        length[e] = episodes.get(e).length();
        row += length[e];
      }
      float[] state = new float[n * stateDim], action = new float[n * actionDim];
      int chunkValues = config.actionHorizon() * actionDim;
      Feature tf = ds.features().get(TEACHER_CHUNK);
      if (tf != null && tf.elementCount() != chunkValues) {
        throw new IllegalArgumentException(
            dataset
                + ": feature '"
                + TEACHER_CHUNK
                + "' holds "
                + tf.elementCount()
                + " values per frame, not "
                + config.actionHorizon()
                + " actions x "
                + actionDim
                + " (the loader's action horizon)");
      }
      float[] chunk = tf == null ? null : new float[n * chunkValues];
      Feature pf = ds.features().get(TEACHER_BLOCK_POSE);
      if (pf != null && pf.elementCount() != 3) {
        throw new IllegalArgumentException(
            dataset
                + ": feature '"
                + TEACHER_BLOCK_POSE
                + "' holds "
                + pf.elementCount()
                + " values per frame, not 3 (x, y, angle)");
      }
      float[] pose = pf == null ? null : new float[n * 3];
      List<String> columns =
          new ArrayList<>(
              List.of(config.stateKey(), config.actionKey(), "episode_index", "frame_index"));
      if (tf != null) columns.add(TEACHER_CHUNK);
      if (pf != null) columns.add(TEACHER_BLOCK_POSE);
      ColumnBatchIterator it = ds.batches(columns, 8192);
      int row = 0;
      for (ColumnBatch b = it.nextBatch(); b != null; b = it.nextBatch()) {
        if (row + b.rows() > n && !subset)
          throw new IOException(
              dataset + ": data holds more rows than the episodes declare (" + n + ")");
        if (row == n) break; // a subset is complete; the rows after it belong to later episodes
        int rows = Math.min(b.rows(), n - row); // a subset ends inside a batch
        // Samples are indexed by episode lengths, so rows must come in (episode, frame) order.
        long[] ep = b.longs("episode_index"), fr = b.longs("frame_index");
        for (int i = 0; i < rows; i++) {
          int r = row + i, e = rowEpisodeOf(start, length, r);
          if (ep[i] != episodes.get(e).index() || fr[i] != r - start[e]) {
            throw new IOException(
                dataset
                    + ": data row "
                    + r
                    + " is episode "
                    + ep[i]
                    + " frame "
                    + fr[i]
                    + ", expected episode "
                    + episodes.get(e).index()
                    + " frame "
                    + (r - start[e])
                    + " (rows must be in episode and frame order)");
          }
        }
        System.arraycopy(b.floats(config.stateKey()), 0, state, row * stateDim, rows * stateDim);
        System.arraycopy(
            b.floats(config.actionKey()), 0, action, row * actionDim, rows * actionDim);
        if (chunk != null)
          System.arraycopy(
              b.floats(TEACHER_CHUNK), 0, chunk, row * chunkValues, rows * chunkValues);
        if (pose != null)
          System.arraycopy(b.floats(TEACHER_BLOCK_POSE), 0, pose, row * 3, rows * 3);
        row += rows;
      }
      if (row != n)
        throw new IOException(dataset + ": data holds " + row + " rows, the episodes declare " + n);
      FramePages images = new FramePages(n, 0);
      int frameBytes = 0;
      double decodeFps = 0;
      if (config.imageKey() != null) {
        if (!ds.frameKeys().contains(config.imageKey())) {
          throw new IllegalArgumentException(
              dataset
                  + ": no video or image feature '"
                  + config.imageKey()
                  + "' (has "
                  + ds.frameKeys()
                  + ")");
        }
        frameBytes = ds.frameBytes(config.imageKey());
        images = new FramePages(n, frameBytes);
        long d0 = System.nanoTime();
        decodeAll(dataset, config, start, length, images, frameBytes, progress);
        decodeFps = n / ((System.nanoTime() - d0) / 1e9);
      }
      double seconds = (System.nanoTime() - t0) / 1e9;
      RowLabels chunks =
          chunk == null
              ? null
              : RowLabels.everyRow(dataset + ": '" + TEACHER_CHUNK + "'", chunkValues, chunk);
      RowLabels poses =
          pose == null
              ? null
              : RowLabels.everyRow(dataset + ": '" + TEACHER_BLOCK_POSE + "'", 3, pose);
      return new TrainingLoader(
          config,
          n,
          stateDim,
          actionDim,
          frameBytes,
          state,
          action,
          chunks,
          poses,
          images,
          start,
          length,
          seconds,
          decodeFps,
          null);
    }
  }

  /**
   * One loader over the episodes of several loaded datasets, in order (e.g. real demonstrations
   * plus simulated ones). Their configs must agree except for the seed, which is {@code config}'s.
   *
   * @throws IllegalArgumentException when shapes or keys differ
   */
  public static TrainingLoader concat(LoaderConfig config, List<TrainingLoader> parts) {
    if (parts.isEmpty()) throw new IllegalArgumentException("loader: nothing to concatenate");
    TrainingLoader first = parts.get(0);
    int frames = 0, episodes = 0;
    double seconds = 0;
    for (TrainingLoader p : parts) {
      LoaderConfig c = p.config;
      if (p.stateDim != first.stateDim
          || p.actionDim != first.actionDim
          || p.frameBytes != first.frameBytes
          || !c.withSeed(config.seed()).equals(config)
          || (p.renderer == null) != (first.renderer == null)) {
        throw new IllegalArgumentException(
            "loader: datasets differ in keys, history, horizon, batch, state/action size or frame size ("
                + c
                + " / "
                + p.stateDim
                + ","
                + p.actionDim
                + ","
                + p.frameBytes
                + " vs "
                + config
                + " / "
                + first.stateDim
                + ","
                + first.actionDim
                + ","
                + first.frameBytes
                + ")");
      }
      frames += p.frames;
      episodes += p.episodeStart.length;
      seconds += p.loadSeconds;
    }
    float[] state = new float[frames * first.stateDim],
        action = new float[frames * first.actionDim];
    int[] rows = parts.stream().mapToInt(p -> p.frames).toArray();
    RowLabels chunks =
        RowLabels.concat(
            parts.stream().map(p -> p.teacherChunk).toList(),
            rows,
            config.actionHorizon() * first.actionDim);
    RowLabels poses = RowLabels.concat(parts.stream().map(p -> p.blockPose).toList(), rows, 3);
    FramePages images =
        new FramePages(
            frames,
            first.renderer == null ? first.frameBytes : 0); // rendered frames are drawn, not held
    int[] start = new int[episodes], length = new int[episodes];
    int row = 0, e = 0;
    for (TrainingLoader p : parts) {
      System.arraycopy(p.state, 0, state, row * first.stateDim, p.state.length);
      System.arraycopy(p.action, 0, action, row * first.actionDim, p.action.length);
      if (first.renderer == null) images.copyFrom(p.images, row);
      for (int i = 0; i < p.episodeStart.length; i++, e++) {
        start[e] = row + p.episodeStart[i];
        length[e] = p.episodeLength[i];
      }
      row += p.frames;
    }
    return new TrainingLoader(
        config,
        frames,
        first.stateDim,
        first.actionDim,
        first.frameBytes,
        state,
        action,
        chunks,
        poses,
        images,
        start,
        length,
        seconds,
        first.decodeFramesPerSecond,
        first.renderer);
  }

  private static int rowEpisodeOf(int[] start, int[] length, int row) {
    int lo = 0, hi = start.length - 1;
    while (lo < hi) {
      int mid = (lo + hi + 1) >>> 1;
      if (start[mid] <= row) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  private static Feature requireNumeric(LeRobotDataset ds, String key) {
    Feature f = ds.features().get(key);
    if (f == null)
      throw new IllegalArgumentException(
          ds.root() + ": no feature '" + key + "' (has " + ds.features().keySet() + ")");
    return f;
  }

  /**
   * Each thread opens its own dataset (readers are not thread-safe) and decodes whole episodes in
   * order.
   */
  private static void decodeAll(
      Path dataset,
      LoaderConfig config,
      int[] start,
      int[] length,
      FramePages images,
      int frameBytes,
      LongConsumer progress)
      throws IOException {
    int threads = Math.min(config.decodeThreads(), start.length);
    AtomicLong decoded = new AtomicLong();
    ExecutorService pool =
        Executors.newFixedThreadPool(
            threads, r -> Thread.ofPlatform().daemon().name("wam4j-decode").unstarted(r));
    try {
      List<Future<?>> jobs = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int worker = t;
        jobs.add(
            pool.submit(
                () -> {
                  try (LeRobotDataset ds = LeRobotDataset.open(dataset)) {
                    for (int e = worker; e < start.length; e += threads) {
                      if (Thread.currentThread().isInterrupted()) return null;
                      for (int f = 0; f < length[e]; f++) {
                        ds.readFrame(
                            e,
                            f,
                            config.imageKey(),
                            images.page(start[e] + f),
                            images.offset(start[e] + f));
                      }
                      long done = decoded.addAndGet(length[e]);
                      if (progress != null) progress.accept(done);
                    }
                  }
                  return null;
                }));
      }
      for (Future<?> job : jobs) job.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while decoding " + dataset, e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof IOException io) throw io;
      if (cause instanceof RuntimeException re) throw re;
      throw new IOException("decoding " + dataset + " failed: " + cause, cause);
    } finally {
      // On failure stop the other workers and wait, so none writes into images or holds a decoder
      // after we return.
      pool.shutdownNow();
      try {
        if (!pool.awaitTermination(60, java.util.concurrent.TimeUnit.SECONDS)) {
          throw new IOException("decoder threads of " + dataset + " did not stop within 60 s");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** A batch sized for this loader's config, to pass to {@link #sample}. */
  public TrainingBatch newBatch() {
    return new TrainingBatch(
        config.batchSize(),
        config.historyFrames(),
        frameBytes,
        stateDim,
        config.actionHorizon(),
        actionDim,
        config.futureFrames());
  }

  /**
   * Advances the sample order by {@code batches} batches without copying anything: a resumed
   * training run skips the batches it already trained on and then draws what an uninterrupted run
   * would.
   */
  public void skip(long batches) {
    if (batches < 0)
      throw new IllegalArgumentException("loader: cannot skip " + batches + " batches");
    for (long i = 0, n = batches * config.batchSize(); i < n; i++) rng.nextInt(frames);
    samplesDrawn += batches * config.batchSize();
  }

  /**
   * Fills {@code out} with a random mini-batch (current frames uniform over all frames).
   *
   * @param out from this loader's {@link #newBatch}
   */
  public void sample(TrainingBatch out) {
    int h = config.historyFrames(),
        k = config.actionHorizon(),
        f = config.futureFrames(),
        stride = config.futureStride();
    for (int s = 0; s < config.batchSize(); s++) {
      int row = rng.nextInt(frames);
      drawJitter(samplesDrawn++);
      int e = rowEpisode[row];
      int first = episodeStart[e], last = first + episodeLength[e] - 1;
      out.episode[s] = e;
      out.frame[s] = row - first;
      for (int j = 0; j < h; j++) {
        int src = Math.max(first, row - (h - 1 - j));
        System.arraycopy(state, src * stateDim, out.states, (s * h + j) * stateDim, stateDim);
        if (frameBytes > 0) frame(src, out.images, (s * h + j) * frameBytes);
      }
      if (blockPose != null && blockPose.has(row)) {
        blockPose.copy(row, out.blockPose, s * 3);
        for (int i = 0; i < 3; i++)
          out.blockPose[s * 3 + i] += jitter[i]; // the pose the rendered frame shows
        out.hasBlockPose[s] = true;
      } else {
        out.hasBlockPose[s] = false;
      }
      for (int j = 0; j < k; j++) {
        int src = row + j;
        System.arraycopy(
            action,
            Math.min(src, last) * actionDim,
            out.executedActions,
            (s * k + j) * actionDim,
            actionDim);
        out.actionIsPad[s * k + j] = src > last;
      }
      if (teacherChunk != null
          && teacherChunk.has(row)) { // the teacher's chunk from this very state: nothing padded
        teacherChunk.copy(row, out.actions, s * k * actionDim);
        java.util.Arrays.fill(out.actionIsPad, s * k, (s + 1) * k, false);
      } else {
        System.arraycopy(
            out.executedActions, s * k * actionDim, out.actions, s * k * actionDim, k * actionDim);
      }
      for (int j = 0; j < f; j++) {
        long src = row + (long) (j + 1) * stride; // long: a huge stride must clamp, not wrap
        boolean pad = src > last;
        int at = (int) Math.min(src, last);
        System.arraycopy(state, at * stateDim, out.futureStates, (s * f + j) * stateDim, stateDim);
        if (frameBytes > 0) frame(at, out.futureImages, (s * f + j) * frameBytes);
        out.futureIsPad[s * f + j] = pad;
      }
    }
  }

  private void frame(int row, byte[] out, int offset) {
    if (renderer == null) {
      images.copyTo(row, out, offset);
      return;
    }
    for (int i = 0; i < 3; i++) jittered[i] = blockPose.values[row * 3 + i] + jitter[i];
    renderer.render(state, row * stateDim, jittered, 0, out, offset);
  }

  /**
   * Checks that every row has a block pose ({@link #TEACHER_BLOCK_POSE}).
   *
   * @throws IllegalArgumentException naming {@code dataset}, {@code purpose} and the first row
   *     without one
   */
  public void requireBlockPoses(String dataset, String purpose) {
    if (blockPose == null) {
      throw new IllegalArgumentException(
          dataset
              + ": "
              + purpose
              + " needs the block pose '"
              + TEACHER_BLOCK_POSE
              + "' on every row; it has none");
    }
    for (int r = 0; r < frames; r++) {
      if (!blockPose.has(r)) {
        throw new IllegalArgumentException(
            dataset
                + ": "
                + purpose
                + " needs the block pose '"
                + TEACHER_BLOCK_POSE
                + "' on every row; row "
                + r
                + " has none");
      }
    }
  }

  /**
   * This sample's block offset, uniform in +-jitterPixels (x, y) and +-jitterRadians, from (seed,
   * sample) alone.
   */
  private void drawJitter(long sample) {
    if (jitterPixels == 0 && jitterRadians == 0) return; // jitter stays all zeros
    double[] bounds = {jitterPixels, jitterPixels, jitterRadians};
    for (int i = 0; i < 3; i++)
      jitter[i] = (float) ((2 * unit(config.seed(), sample, i) - 1) * bounds[i]);
  }

  /** A uniform draw in [0, 1) from (seed, sample, k): SplitMix64's finaliser, allocation-free. */
  private static double unit(long seed, long sample, int k) {
    long x = seed * 0x9E3779B97F4A7C15L + sample * 3 + k + 0x632BE59BD9B4E019L;
    x = (x ^ (x >>> 30)) * 0xBF58476D1CE4E5B9L;
    x = (x ^ (x >>> 27)) * 0x94D049BB133111EBL;
    return ((x ^ (x >>> 31)) >>> 11) * 0x1.0p-53;
  }

  /**
   * Moves the block of every rendered sample (all its frames alike, and its recorded pose with it)
   * by a uniform offset of up to {@code pixels} in x and y and {@code radians} in angle: poses the
   * data never visited, drawn exactly, against a perception that memorises the few it saw. Rendered
   * frames only.
   *
   * @return this loader
   */
  public TrainingLoader jitterBlock(double pixels, double radians) {
    if (renderer == null)
      throw new IllegalStateException("loader: only rendered frames can move the block");
    if (!(pixels >= 0 && Double.isFinite(pixels)) || !(radians >= 0 && Double.isFinite(radians))) {
      throw new IllegalArgumentException(
          "loader: block jitter must be finite and >= 0, got "
              + pixels
              + " px, "
              + radians
              + " rad");
    }
    this.jitterPixels = pixels;
    this.jitterRadians = radians;
    java.util.Arrays.fill(jitter, 0f);
    return this;
  }

  /**
   * This loader's rows with frames drawn by {@code renderer} from each row's state and block pose
   * instead of the decoded video ({@link RowRenderer}); load with no image key (nothing decoded)
   * and the image key in the config only names what is rendered.
   *
   * @throws IllegalArgumentException when a row lacks a block pose ({@link #TEACHER_BLOCK_POSE}),
   *     naming {@code dataset}, or when frames were decoded
   */
  public TrainingLoader renderingFrames(RowRenderer renderer, LoaderConfig config, String dataset) {
    if (frameBytes != 0)
      throw new IllegalArgumentException(
          dataset + ": frames were decoded; load without an image key to render them");
    requireBlockPoses(dataset, "rendering frames");
    if (stateDim < 2)
      throw new IllegalArgumentException(
          dataset
              + ": rendering frames needs the agent position (2 state values), has "
              + stateDim);
    return new TrainingLoader(
        config,
        frames,
        stateDim,
        actionDim,
        renderer.frameBytes(),
        state,
        action,
        teacherChunk,
        blockPose,
        new FramePages(frames, 0),
        episodeStart,
        episodeLength,
        loadSeconds,
        0,
        renderer);
  }

  public int frames() {
    return frames;
  }

  public int episodes() {
    return episodeStart.length;
  }

  public LoaderConfig config() {
    return config;
  }

  /** Wall time of {@link #load}, seconds. */
  public double loadSeconds() {
    return loadSeconds;
  }

  /** Video frames decoded per second while loading (0 without an image key). */
  public double decodeFramesPerSecond() {
    return decodeFramesPerSecond;
  }
}
