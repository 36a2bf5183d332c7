package dev.wam4j.data.pusht;

import dev.wam4j.data.lerobot.write.LeRobotWriteConfig;
import dev.wam4j.data.lerobot.write.LeRobotWriter;
import dev.wam4j.data.lerobot.write.WriteFeature;
import dev.wam4j.data.loader.TrainingLoader;
import dev.wam4j.data.video.VideoEncoding;
import dev.wam4j.data.zarr.EpisodeRange;
import dev.wam4j.data.zarr.ReplayBuffer;
import dev.wam4j.data.zarr.ZarrArray;
import dev.wam4j.data.zarr.ZarrFormatException;
import dev.wam4j.sim.pusht.Coverage;
import dev.wam4j.sim.pusht.PushTEnv;
import dev.wam4j.sim.scene.Scene;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntConsumer;

/**
 * Imports the Diffusion Policy PushT replay buffer ({@code pusht_cchi_v7_replay.zarr}) into a
 * LeRobot v3.0 dataset with the layout of {@code lerobot/pusht}: {@code observation.image} (96x96
 * video), {@code observation.state} (agent x, y), {@code action} (target x, y), {@code
 * next.reward}, {@code next.done}, {@code next.success}, one task string; and {@code
 * teacher.block_pose} (block x, y, angle), the block's pose the recording kept in its state, which
 * {@code lerobot/pusht} drops: a model may learn to estimate it (a pose head's target), never read
 * it as an input.
 *
 * <p>The {@code next.*} labels of frame t describe the state after action t. For t &lt; T-1 that is
 * the recorded state t+1 (its coverage). The recorder kept states before actions, so the state
 * after the last action is not in the store: it is simulated by replaying the episode from the
 * legacy reset with seed = episode index and taking the state after the last step. That relies on
 * the replay reproducing the recorded states; before the last step the simulated state is compared
 * with the recorded last row (float32-exact, all five values) and the import stops with an {@link
 * IOException} naming the episode if they differ, rather than label the episode from a state the
 * recording never reached. {@code next.done} is true on the last frame of each episode. Reward is
 * {@code clip(coverage / 0.95, 0, 1)}, success {@code coverage > 0.95}.
 *
 * <p>State and action are copied bit for bit (the store holds float32). Stateless; thread-safe.
 */
public final class PushTZarrImport {
  /** The task string of {@code lerobot/pusht}. */
  public static final String TASK = "Push the T-shaped block onto the T-shaped target.";

  private PushTZarrImport() {}

  /**
   * What an import did.
   *
   * @param dataset the published dataset directory
   * @param episodes episodes written
   * @param frames frames written
   * @param successEpisodes episodes whose last frame has {@code next.success}
   * @param seconds wall-clock time of the import
   */
  public record Result(
      Path dataset, int episodes, long frames, List<Integer> successEpisodes, double seconds) {}

  /**
   * The dataset's features and settings: v3.0, fps 10, AV1 unless {@code encoding} says otherwise.
   */
  public static LeRobotWriteConfig config(VideoEncoding encoding) {
    List<WriteFeature> features =
        PushTSchema.features(
            96,
            new WriteFeature.Vector(TrainingLoader.TEACHER_BLOCK_POSE, List.of("x", "y", "angle")));
    return LeRobotWriteConfig.of(PushTRate.FPS, "pusht", features).withEncoding(encoding);
  }

  /**
   * Imports the first {@code maxEpisodes} episodes (all if {@code <= 0}).
   *
   * @param out the dataset directory to create; must not exist
   * @param progress called with the number of episodes done after each one
   * @throws ZarrFormatException when the store lacks {@code state} (N, 5), {@code action} (N, 2) or
   *     {@code img} (N, 96, 96, 3)
   * @throws IllegalArgumentException when {@code out} exists
   * @throws IOException also when replaying an episode does not reproduce its recorded last state
   */
  public static Result run(
      ReplayBuffer buffer,
      Path out,
      int maxEpisodes,
      LeRobotWriteConfig config,
      IntConsumer progress)
      throws IOException {
    long t0 = System.nanoTime();
    ZarrArray stateArray = buffer.array("state"),
        actionArray = buffer.array("action"),
        imgArray = buffer.array("img");
    if (stateArray.rowSize() != 5)
      throw new ZarrFormatException(
          stateArray.path(),
          "data/state rows have " + stateArray.rowSize() + " values, PushT needs 5");
    if (actionArray.rowSize() != 2)
      throw new ZarrFormatException(
          actionArray.path(),
          "data/action rows have " + actionArray.rowSize() + " values, PushT needs 2");
    int frameBytes = 96 * 96 * 3;
    if (imgArray.rowSize() != frameBytes) {
      throw new ZarrFormatException(
          imgArray.path(),
          "data/img frames have "
              + imgArray.rowSize()
              + " values, expected 96 x 96 x 3 = "
              + frameBytes);
    }
    int n = maxEpisodes > 0 ? Math.min(maxEpisodes, buffer.episodeCount()) : buffer.episodeCount();
    int end = n == 0 ? 0 : buffer.episodeRange(n - 1).end();
    float[] states = stateArray.readFloats(0, end);
    float[] actions = actionArray.readFloats(0, end);

    PushTEnv env = PushTEnv.reference();
    Scene scene = env.scene();
    Coverage coverage = new Coverage(scene.goalObject().parts(), scene.goal().pose());
    double threshold = scene.goal().successCoverage();
    List<Integer> successes = new ArrayList<>();
    float[] state = new float[2], action = new float[2], blockPose = new float[3];
    double[] simulated = new double[5];
    float[] pixels = new float[0];
    byte[] frame = new byte[frameBytes];
    try (LeRobotWriter writer = LeRobotWriter.create(out, config)) {
      for (int e = 0; e < n; e++) {
        EpisodeRange range = buffer.episodeRange(e);
        int len = range.length();
        if (pixels.length < len * frameBytes) pixels = new float[len * frameBytes];
        imgArray.readFloats(range.start(), len, pixels, 0);
        double terminal = terminalCoverage(env, e, states, actions, range, simulated);
        writer.beginEpisode(TASK);
        for (int t = 0; t < len; t++) {
          int row = range.start() + t;
          state[0] = states[row * 5];
          state[1] = states[row * 5 + 1];
          action[0] = actions[row * 2];
          action[1] = actions[row * 2 + 1];
          System.arraycopy(states, row * 5 + 2, blockPose, 0, 3);
          double cov =
              t < len - 1
                  ? coverage.of(
                      states[(row + 1) * 5 + 2],
                      states[(row + 1) * 5 + 3],
                      states[(row + 1) * 5 + 4])
                  : terminal;
          for (int i = 0; i < frameBytes; i++) {
            float v = pixels[t * frameBytes + i];
            if (!(v >= 0 && v <= 255)) {
              throw new ZarrFormatException(
                  imgArray.path(),
                  "data/img value " + v + " at frame " + row + " is outside 0..255");
            }
            frame[i] = (byte) Math.round(v);
          }
          writer
              .setImage("observation.image", frame, 0)
              .setVector("observation.state", state)
              .setVector("action", action)
              .setVector(TrainingLoader.TEACHER_BLOCK_POSE, blockPose)
              .setFloat("next.reward", Math.min(Math.max(cov / threshold, 0), 1))
              .setBool("next.done", t == len - 1)
              .setBool("next.success", cov > threshold);
          writer.endFrame();
        }
        writer.endEpisode();
        if (terminal > threshold) successes.add(e);
        if (progress != null) progress.accept(e + 1);
      }
      Path dataset = writer.finish();
      return new Result(
          dataset, n, writer.frameCount(), List.copyOf(successes), (System.nanoTime() - t0) / 1e9);
    }
  }

  /**
   * Coverage after the episode's last action: replay from the legacy reset with seed = episode
   * index, checking before the last step that the replay reached the recorded last state.
   *
   * @param states the store's state rows (5 per row), covering the episode
   * @param scratch 5 values, overwritten
   * @throws IOException when the replay's state before the last step differs from the recorded one
   */
  static double terminalCoverage(
      PushTEnv env,
      int episode,
      float[] states,
      float[] actions,
      EpisodeRange range,
      double[] scratch)
      throws IOException {
    env.reset(episode);
    int last = range.end() - 1;
    for (int row = range.start(); row < last; row++)
      env.step(actions[row * 2], actions[row * 2 + 1]);
    env.state(scratch, 0);
    checkReplayedState(episode, last, scratch, states);
    env.step(actions[last * 2], actions[last * 2 + 1]);
    return env.coverage();
  }

  /**
   * Throws unless {@code simulated} (agent x, y, block x, y, angle) equals the recorded state row
   * {@code row} after rounding to float32, the store's precision.
   */
  static void checkReplayedState(int episode, int row, double[] simulated, float[] states)
      throws IOException {
    for (int k = 0; k < 5; k++) {
      if ((float) simulated[k] != states[row * 5 + k]) {
        float[] recorded = Arrays.copyOfRange(states, row * 5, row * 5 + 5);
        float[] replayed = new float[5];
        for (int j = 0; j < 5; j++) replayed[j] = (float) simulated[j];
        throw new IOException(
            "episode "
                + episode
                + ": replaying from seed "
                + episode
                + " gives state "
                + Arrays.toString(replayed)
                + " before the last step, but data/state row "
                + row
                + " records "
                + Arrays.toString(recorded)
                + "; the state after the last action cannot be simulated");
      }
    }
  }
}
