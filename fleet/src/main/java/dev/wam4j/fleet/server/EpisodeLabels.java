package dev.wam4j.fleet.server;

import dev.wam4j.data.AtomicFiles;
import dev.wam4j.data.FileTrees;
import dev.wam4j.data.lerobot.ColumnBatch;
import dev.wam4j.data.lerobot.ColumnBatchIterator;
import dev.wam4j.data.lerobot.LeRobotDataset;
import dev.wam4j.data.pusht.PushTEpisodes;
import dev.wam4j.data.pusht.PushTSchema;
import dev.wam4j.fleet.store.Records;
import dev.wam4j.model.wam.WamCheckpoint;
import dev.wam4j.model.wam.WamPolicy;
import dev.wam4j.rl.dagger.ExpertTeacher;
import dev.wam4j.sim.Embodiment;
import dev.wam4j.sim.pusht.PushTEnv;
import dev.wam4j.sim.scene.SceneFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

/**
 * Labels a fleet's episodes for fine-tuning: fleet episodes record frames, the agent's position and
 * the actions executed, but neither the block's pose a head-only fine-tune reads nor a teacher's
 * actions. The autopilot's data step ({@link AutopilotFleet}).
 */
final class EpisodeLabels {
  /** Beside an episode's digest in the cache: it could not be labelled, and why. */
  static final String SKIPPED = ".skipped";

  private EpisodeLabels() {}

  /**
   * Each episode again with each frame's block pose as the deployed perception estimates it from
   * the frames up to it (the first frame repeated before the episode's start): pseudo-labels for
   * head-only fine-tuning, which reads a pose per frame. Kept in {@code cache} by the episode's
   * digest (each published whole), so an episode is labelled once per cache (the caller keys it by
   * deployed model and expert scene). With {@code expertScene}, each frame also gets the scripted
   * expert's action chunk from the agent's position and that pose ({@link ExpertTeacher}, acting in
   * that scene): DAgger's labels, from what the deployed model saw rather than from a simulator's
   * state.
   *
   * @param model the deployed model (its perception labels, its action horizon sizes the chunks)
   * @return each episode's labelled copy, in {@code episodes}' order; an episode that cannot be
   *     labelled (a frame of the wrong size, a label that is not finite) is set aside with its
   *     reason beside the cache's copies ({@link #SKIPPED}) and left out, here and next time; one
   *     whose poses the perception keeps estimating non-finite is left out this time only
   */
  static List<Path> label(
      Path model,
      List<Records.Episode> episodes,
      Path cache,
      String task,
      SceneFile expertScene,
      Consumer<String> log)
      throws IOException {
    Files.createDirectories(cache);
    List<Records.Episode> missing = new java.util.ArrayList<>();
    for (Records.Episode e : episodes)
      if (!Files.isDirectory(cache.resolve(e.sha256()))
          && !Files.isRegularFile(cache.resolve(e.sha256() + SKIPPED))) missing.add(e);
    if (missing.isEmpty()) return labelled(episodes, cache);
    stopIfInterrupted(0);
    long t0 = System.nanoTime(), frames = 0;
    int leftOut = 0;
    try (WamPolicy perception = WamPolicy.load(WamCheckpoint.resolve(model))) {
      // each source's poses are estimated in batches first; the rewrite then reads them in order
      double[][][] poses = {null};
      int[] episode = {-1};
      PushTEpisodes.PoseLabeller labeller =
          (t, image, x, y) -> {
            if (t == 0) episode[0]++;
            double[] p = poses[0][episode[0]];
            return new double[] {p[3 * t], p[3 * t + 1], p[3 * t + 2]};
          };
      int horizon = perception.config().actionHorizon();
      PushTEpisodes.ChunkLabeller chunks = null;
      if (expertScene != null) {
        Embodiment body = expertScene.embodiment();
        if (!(body instanceof Embodiment.RobotPusher)) {
          // the scripted expert drives a pusher; the simulation gate does the same
          log.accept(
              "autopilot: the expert labels with the reference robot pusher, not the scene's "
                  + body.getClass().getSimpleName());
          body = Embodiment.RobotPusher.reference();
        }
        ExpertTeacher teacher = new ExpertTeacher(new PushTEnv(expertScene.scene(), body));
        chunks =
            (x, y, pose, chunk) ->
                teacher.actionChunk(x, y, pose[0], pose[1], pose[2], horizon, chunk, 0);
      }
      for (Records.Episode e : missing) {
        // a day's end or a server's stop interrupts the step: labelled episodes stay cached, the
        // rest waits for the next start instead of holding the stop for many minutes
        stopIfInterrupted(frames);
        Path tmp = AtomicFiles.hiddenDirectory(cache, "." + e.sha256() + "-");
        boolean done = false;
        try {
          FileTrees.delete(tmp);
          poses[0] = poses(perception, Path.of(e.path()), log);
          episode[0] = -1;
          frames +=
              PushTEpisodes.rewrite(
                  Path.of(e.path()), tmp, task, EpisodeFiles.ROBOT_TYPE, labeller, chunks, horizon);
          AtomicFiles.publishDirectory(tmp, cache.resolve(e.sha256()));
          done = true;
        } catch (NonFinitePoses flaky) {
          log.accept(
              "autopilot: episode "
                  + e.id()
                  + " left out of this candidate ("
                  + flaky.getMessage()
                  + "); it is labelled again next time");
          leftOut++;
        } catch (IllegalArgumentException bad) {
          // one robot's bad upload must not fail every candidate after it: set aside, with why
          AtomicFiles.writeString(
              cache.resolve(e.sha256() + SKIPPED),
              "episode " + e.id() + " of robot " + e.robotId() + ": " + bad.getMessage() + "\n");
          log.accept(
              "autopilot: episode "
                  + e.id()
                  + " skipped, it cannot be labelled: "
                  + bad.getMessage());
          leftOut++;
        } finally {
          if (!done) FileTrees.deleteQuietly(tmp, null);
        }
      }
    }
    log.accept(
        String.format(
            java.util.Locale.ROOT,
            "autopilot: %d episodes (%d frames) labelled with the deployed perception's poses%s"
                + " in %.0f s",
            missing.size() - leftOut,
            frames,
            expertScene == null ? "" : " and the expert's chunks",
            (System.nanoTime() - t0) / 1e9));
    return labelled(episodes, cache);
  }

  /**
   * Throws when the thread was interrupted (checked before the model loads as well: loading may
   * clear the flag).
   */
  private static void stopIfInterrupted(long frames) throws java.io.InterruptedIOException {
    if (Thread.currentThread().isInterrupted())
      throw new java.io.InterruptedIOException(
          "labelling stopped after "
              + frames
              + " frames: the autopilot is stopping (the labels so far are kept)");
  }

  /** The labelled copies in the cache, in {@code episodes}' order, without those set aside. */
  private static List<Path> labelled(List<Records.Episode> episodes, Path cache) {
    return episodes.stream()
        .map(e -> cache.resolve(e.sha256()))
        .filter(Files::isDirectory)
        .toList();
  }

  /**
   * One pass of a perception over a batch of an episode's frames ({@link
   * WamPolicy#estimatePosesAlong}).
   */
  @FunctionalInterface
  interface PoseBatch {
    double[] estimate(byte[] frames, float[] agentPositions, int n);
  }

  /** Passes of the perception over one batch before its episode is left out this time. */
  static final int TRIES = 3;

  /**
   * The batch's estimates, estimated again when one is not finite, at most {@link #TRIES} passes in
   * all: libtorch with its oneDNN opt-in was seen to return whole batches of NaN now and then, and
   * the same batch finite the next time (RESULTS 48).
   *
   * @throws NonFinitePoses when they are still not finite after that: the episode is left out of
   *     this candidate, not set aside for good (the fault is the perception's, not the episode's)
   */
  static double[] finitePoses(
      PoseBatch perception, byte[] frames, float[] positions, int n, Consumer<String> log) {
    double[] p = perception.estimate(frames, positions, n);
    for (int tried = 1; tried < TRIES && !allFinite(p); tried++) {
      log.accept(
          "autopilot: the perception gave non-finite poses for a batch of "
              + n
              + " frames; estimating it again ("
              + (tried + 1)
              + " of "
              + TRIES
              + ")");
      p = perception.estimate(frames, positions, n);
    }
    if (!allFinite(p))
      throw new NonFinitePoses(
          "the perception gave non-finite poses for a batch of "
              + n
              + " frames in "
              + TRIES
              + " passes");
    return p;
  }

  /** The perception's estimates stayed non-finite: this time's labelling leaves the episode out. */
  static final class NonFinitePoses extends RuntimeException {
    NonFinitePoses(String message) {
      super(message);
    }
  }

  private static boolean allFinite(double[] values) {
    for (double v : values) if (!Double.isFinite(v)) return false;
    return true;
  }

  /** Observations per pass of the perception when labelling (a few MB of frames). */
  private static final int BATCH = 64;

  /**
   * Every frame's pose as {@code perception} estimates it from the frames up to it (the first frame
   * repeated before the episode's start), per episode of {@code source}: {@code [episode][3 * t +
   * (x, y, angle)]}.
   *
   * @throws IllegalArgumentException when the frames are not the size the perception sees
   */
  static double[][] poses(WamPolicy perception, Path source, Consumer<String> log)
      throws IOException {
    int h = perception.config().historyFrames(), size = perception.config().imageSize();
    int frameBytes = size * size * 3;
    try (LeRobotDataset ds = LeRobotDataset.open(source)) {
      if (ds.frameBytes(PushTSchema.IMAGE) != frameBytes)
        throw new IllegalArgumentException(
            source
                + ": frames of "
                + ds.frameBytes(PushTSchema.IMAGE)
                + " bytes, the deployed model sees "
                + size
                + "x"
                + size
                + " RGB ("
                + frameBytes
                + " bytes)");
      float[] states = new float[0];
      int rows = 0;
      ColumnBatchIterator it = ds.batches(List.of(PushTSchema.STATE), 4096);
      for (ColumnBatch b = it.nextBatch(); b != null; b = it.nextBatch()) {
        states = java.util.Arrays.copyOf(states, 2 * (rows + b.rows()));
        System.arraycopy(b.floats(PushTSchema.STATE), 0, states, 2 * rows, 2 * b.rows());
        rows += b.rows();
      }
      double[][] out = new double[ds.episodes().size()][];
      // a batch: the h - 1 frames before its first observation, then one frame per observation;
      // each frame is seen by the perception once (WamPolicy.estimatePosesAlong)
      int context = h - 1;
      byte[] frames = new byte[(BATCH + context) * frameBytes];
      float[] positions = new float[(BATCH + context) * 2];
      int first = 0; // the episode's first row
      for (int e = 0; e < out.length; e++) {
        int length = ds.episodes().get(e).length();
        out[e] = new double[3 * length];
        int k = 0; // observations in the batch
        for (int t = 0; t < length; t++) {
          int slot = k + context;
          ds.readFrame(e, t, PushTSchema.IMAGE, frames, slot * frameBytes);
          positions[2 * slot] = states[2 * (first + t)];
          positions[2 * slot + 1] = states[2 * (first + t) + 1];
          if (t == 0) // before the episode's start: its first frame repeated
          for (int j = 0; j < context; j++) {
              System.arraycopy(frames, slot * frameBytes, frames, j * frameBytes, frameBytes);
              System.arraycopy(positions, 2 * slot, positions, 2 * j, 2);
            }
          if (++k == BATCH || t == length - 1) {
            double[] p =
                k == BATCH
                    ? finitePoses(perception::estimatePosesAlong, frames, positions, k, log)
                    : finitePoses(
                        perception::estimatePosesAlong,
                        java.util.Arrays.copyOf(frames, (k + context) * frameBytes),
                        java.util.Arrays.copyOf(positions, (k + context) * 2),
                        k,
                        log);
            System.arraycopy(p, 0, out[e], 3 * (t + 1 - k), 3 * k);
            // the batch's last h - 1 frames are the next one's context
            System.arraycopy(frames, k * frameBytes, frames, 0, context * frameBytes);
            System.arraycopy(positions, 2 * k, positions, 0, 2 * context);
            k = 0;
          }
        }
        first += length;
      }
      return out;
    }
  }
}
