package dev.wam4j.fleet.teleop;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.wam4j.data.AtomicFiles;
import dev.wam4j.data.FileTrees;
import dev.wam4j.data.collect.SimCollect;
import dev.wam4j.data.lerobot.LeRobotInfo;
import dev.wam4j.data.lerobot.write.LeRobotAggregate;
import dev.wam4j.data.lerobot.write.LeRobotWriteConfig;
import dev.wam4j.data.lerobot.write.LeRobotWriter;
import dev.wam4j.data.loader.TrainingLoader;
import dev.wam4j.data.pusht.PushTRate;
import dev.wam4j.data.pusht.PushTSchema;
import dev.wam4j.data.video.VideoEncoding;
import dev.wam4j.sim.Embodiment;
import dev.wam4j.sim.render.AgentLook;
import dev.wam4j.sim.render.Camera;
import dev.wam4j.sim.render.Sampling;
import dev.wam4j.sim.render.SceneLook;
import dev.wam4j.sim.render.SceneRenderer;
import dev.wam4j.sim.scene.Scene;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The LeRobot v3.0 dataset teleoperated episodes go to, in the schema {@code sim collect} writes
 * ({@link PushTSchema}: 96x96 {@code observation.image}, {@code observation.state}, {@code action},
 * rewards and flags, the privileged block pose, and for the hand {@code observation.hand_pose}), so
 * they feed training like any other dataset. A save writes the episode as a one-episode dataset,
 * appends it to the folder's dataset with {@link LeRobotAggregate} (no video is re-encoded) and
 * publishes the result by a rename: the folder always holds a complete dataset.
 *
 * <p>Who operated each episode is kept in {@value #OPERATORS_FILE} beside {@code meta/}: a JSON
 * array with one object per episode, in episode order ({@code episode_index}, {@code operator},
 * {@code seed}, {@code embodiment}, {@code scene}, {@code frames}, {@code success}, {@code
 * saved_at}). LeRobot readers ignore it; it is published with the dataset in the same rename. One
 * dataset holds one embodiment (the hand adds a column), so a hand episode cannot join a robot
 * dataset. Saves are serialized; thread-safe.
 */
public final class TeleopDataset {
  /** The per-episode operator record beside the LeRobot files. */
  public static final String OPERATORS_FILE = "teleop_episodes.json";

  private static final ObjectMapper JSON =
      new ObjectMapper()
          .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
          .enable(SerializationFeature.INDENT_OUTPUT);
  private static final int IMAGE_SIZE = SimCollect.IMAGE_SIZE;

  /**
   * One episode's record in {@value #OPERATORS_FILE}.
   *
   * @param episodeIndex the episode's index in the dataset
   * @param operator who teleoperated it
   * @param seed the reset seed
   * @param embodiment robot or hand
   * @param scene the scene's name
   * @param frames frames recorded
   * @param success whether the goal's coverage threshold was passed
   * @param savedAt when it was saved (ISO-8601, UTC)
   */
  public record EpisodeRecord(
      int episodeIndex,
      String operator,
      long seed,
      String embodiment,
      String scene,
      int frames,
      boolean success,
      String savedAt) {}

  private final Path dir;
  private final VideoEncoding encoding;

  /**
   * @param dir the dataset folder; created by the first save
   * @param encoding how the image video is encoded
   */
  public TeleopDataset(Path dir, VideoEncoding encoding) {
    this.dir = dir.toAbsolutePath().normalize();
    this.encoding = encoding;
  }

  /** The dataset folder. */
  public Path dir() {
    return dir;
  }

  /** The operator records of the episodes saved so far (empty before the first save). */
  public synchronized List<EpisodeRecord> records() throws IOException {
    // a save killed between its two renames left the previous complete dataset aside: restore it
    AtomicFiles.recoverDirectory(dir);
    Path f = dir.resolve(OPERATORS_FILE);
    if (!Files.isRegularFile(f)) return List.of();
    return List.of(JSON.readValue(f.toFile(), EpisodeRecord[].class));
  }

  /**
   * Ends the session and appends its episode.
   *
   * @return the episode's record
   * @throws IllegalArgumentException when the episode has no steps yet, or its embodiment differs
   *     from the dataset's
   * @throws IllegalStateException when the session was already saved or discarded
   * @throws IOException when writing fails; the dataset then stays as it was and the save can be
   *     retried
   */
  public synchronized EpisodeRecord save(TeleopSession session) throws IOException {
    if (session.closed())
      throw new IllegalStateException(
          "session " + session.id() + " was already saved or discarded");
    if (session.frameCount() == 0)
      throw new IllegalArgumentException(
          "nothing to save: episode "
              + session.id()
              + " has no steps yet (move the pointer on the canvas first)");
    List<EpisodeRecord> held = records();
    if (!held.isEmpty() && !held.get(0).embodiment().equals(session.embodiment().id()))
      throw new IllegalArgumentException(
          "dataset "
              + dir
              + " holds "
              + held.get(0).embodiment()
              + " episodes; a "
              + session.embodiment().id()
              + " episode needs its own dataset (--out)");
    List<TeleopSession.Frame> frames = session.stop();
    boolean success = session.success(); // after the stop: no tick can change it any more
    Path parent = dir.getParent();
    Path one = AtomicFiles.hiddenDirectory(parent, "." + dir.getFileName() + ".episode-");
    Path fresh = AtomicFiles.hiddenDirectory(parent, "." + dir.getFileName() + ".next-");
    boolean published = false;
    try {
      Files.delete(one); // the writers create folders of these names themselves
      Files.delete(fresh);
      writeEpisode(session, frames, one);
      LeRobotAggregate.append(Files.exists(dir) ? dir : null, List.of(one), fresh);
      EpisodeRecord rec =
          new EpisodeRecord(
              episodesHeld(),
              session.operator(),
              session.seed(),
              session.embodiment().id(),
              session.sceneName(),
              frames.size(),
              success,
              Instant.now().toString());
      List<EpisodeRecord> all = new ArrayList<>(held);
      all.add(rec);
      AtomicFiles.writeString(fresh.resolve(OPERATORS_FILE), JSON.writeValueAsString(all));
      AtomicFiles.publishDirectory(fresh, dir);
      published = true;
      session.close();
      return rec;
    } finally {
      // a failed save leaves the dataset as it was and no working folders behind
      FileTrees.deleteQuietly(one, null);
      if (!published) FileTrees.deleteQuietly(fresh, null);
    }
  }

  /**
   * Episodes the dataset holds, from its {@code meta/info.json}: the new episode's index, also when
   * the folder began as another writer's dataset (e.g. {@code sim collect}) whose episodes have no
   * operator records.
   */
  private int episodesHeld() throws IOException {
    Path info = dir.resolve("meta").resolve("info.json");
    return Files.isRegularFile(info) ? LeRobotInfo.read(info).totalEpisodes() : 0;
  }

  /** Writes the frames as a one-episode dataset at {@code out}, as {@code sim collect} does. */
  private void writeEpisode(TeleopSession s, List<TeleopSession.Frame> frames, Path out)
      throws IOException {
    boolean hand = s.embodiment() instanceof Embodiment.HumanHand;
    LeRobotWriteConfig wc =
        LeRobotWriteConfig.of(
                PushTRate.FPS, "pusht_" + s.embodiment().id(), SimCollect.features(s.embodiment()))
            .withEncoding(encoding);
    Scene scene = s.scene();
    SceneLook look = SceneLook.of(scene);
    if (hand) look = look.withAgent(AgentLook.Hand.defaultLook());
    SceneRenderer renderer =
        new SceneRenderer(look, Camera.identity(), IMAGE_SIZE, IMAGE_SIZE, Sampling.REFERENCE);
    double threshold = scene.goal().successCoverage();
    byte[] image = new byte[IMAGE_SIZE * IMAGE_SIZE * 3];
    try (LeRobotWriter w = LeRobotWriter.create(out, wc)) {
      w.beginEpisode(SimCollect.task(scene));
      for (TeleopSession.Frame f : frames) {
        renderer.render(
            f.agentX(), f.agentY(), f.heading(), f.blockX(), f.blockY(), f.blockAngle(), image, 0);
        w.setImage("observation.image", image, 0)
            .setVector("observation.state", new float[] {(float) f.agentX(), (float) f.agentY()})
            .setVector("action", new float[] {(float) f.targetX(), (float) f.targetY()})
            .setVector(
                TrainingLoader.TEACHER_BLOCK_POSE,
                new float[] {(float) f.blockX(), (float) f.blockY(), (float) f.blockAngle()});
        if (hand)
          w.setVector(
              "observation.hand_pose",
              new float[] {(float) f.agentX(), (float) f.agentY(), (float) f.heading()});
        w.setFloat("next.reward", Math.min(Math.max(f.coverage() / threshold, 0), 1))
            .setBool("next.done", f.done())
            .setBool("next.success", f.coverage() > threshold);
        w.endFrame();
      }
      w.endEpisode();
      w.finish();
    }
  }
}
