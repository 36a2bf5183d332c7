package dev.wam4j.fleet.server;

import dev.wam4j.data.AtomicFiles;
import dev.wam4j.data.FileTrees;
import dev.wam4j.data.pusht.PushTEpisodes;
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
  private EpisodeLabels() {}

  /**
   * Each episode again with each frame's block pose as the deployed perception estimates it from
   * the frames up to it (the first frame repeated before the episode's start): pseudo-labels for
   * head-only fine-tuning, which reads a pose per frame. Kept in {@code cache} by the episode's
   * digest (each published whole), so an episode is labelled once per deployed model. With {@code
   * expertScene}, each frame also gets the scripted expert's action chunk from the agent's position
   * and that pose ({@link ExpertTeacher}, acting in that scene): DAgger's labels, from what the
   * deployed model saw rather than from a simulator's state.
   *
   * @param model the deployed model (its perception labels, its action horizon sizes the chunks)
   * @return each episode's labelled copy, in {@code episodes}' order
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
    List<Path> out = new java.util.ArrayList<>();
    List<Records.Episode> missing = new java.util.ArrayList<>();
    for (Records.Episode e : episodes) {
      out.add(cache.resolve(e.sha256()));
      if (!Files.isDirectory(cache.resolve(e.sha256()))) missing.add(e);
    }
    if (missing.isEmpty()) return out;
    long t0 = System.nanoTime(), frames = 0;
    try (WamPolicy perception = WamPolicy.load(WamCheckpoint.resolve(model))) {
      int history = perception.config().historyFrames();
      int frameBytes = perception.config().imageSize() * perception.config().imageSize() * 3;
      byte[] images = new byte[history * frameBytes];
      float[] positions = new float[2 * history];
      PushTEpisodes.PoseLabeller labeller =
          (t, image, x, y) -> {
            if (image.length != frameBytes)
              throw new IllegalArgumentException(
                  "a frame of "
                      + image.length
                      + " bytes, the deployed model sees "
                      + perception.config().imageSize()
                      + "x"
                      + perception.config().imageSize()
                      + " RGB ("
                      + frameBytes
                      + " bytes)");
            // the history slides by one frame; at an episode's start it is that frame
            for (int h = 0; h < history - 1; h++) {
              System.arraycopy(
                  t == 0 ? image : images,
                  t == 0 ? 0 : (h + 1) * frameBytes,
                  images,
                  h * frameBytes,
                  frameBytes);
              positions[2 * h] = t == 0 ? x : positions[2 * h + 2];
              positions[2 * h + 1] = t == 0 ? y : positions[2 * h + 3];
            }
            System.arraycopy(image, 0, images, (history - 1) * frameBytes, frameBytes);
            positions[2 * history - 2] = x;
            positions[2 * history - 1] = y;
            return perception.estimatePose(images, positions);
          };
      int horizon = perception.config().actionHorizon();
      PushTEpisodes.ChunkLabeller chunks = null;
      if (expertScene != null) {
        Embodiment body =
            expertScene.embodiment() instanceof Embodiment.RobotPusher
                ? expertScene.embodiment()
                : Embodiment.RobotPusher.reference();
        ExpertTeacher teacher = new ExpertTeacher(new PushTEnv(expertScene.scene(), body));
        chunks =
            (x, y, pose, chunk) ->
                teacher.actionChunk(x, y, pose[0], pose[1], pose[2], horizon, chunk, 0);
      }
      for (Records.Episode e : missing) {
        Path tmp = AtomicFiles.hiddenDirectory(cache, "." + e.sha256() + "-");
        boolean done = false;
        try {
          FileTrees.delete(tmp);
          frames +=
              PushTEpisodes.rewrite(
                  Path.of(e.path()), tmp, task, EpisodeFiles.ROBOT_TYPE, labeller, chunks, horizon);
          AtomicFiles.publishDirectory(tmp, cache.resolve(e.sha256()));
          done = true;
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
            missing.size(),
            frames,
            expertScene == null ? "" : " and the expert's chunks",
            (System.nanoTime() - t0) / 1e9));
    return out;
  }
}
