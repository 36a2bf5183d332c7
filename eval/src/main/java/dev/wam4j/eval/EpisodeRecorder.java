package dev.wam4j.eval;

import dev.wam4j.data.lerobot.write.LeRobotWriteConfig;
import dev.wam4j.data.lerobot.write.LeRobotWriter;
import dev.wam4j.data.lerobot.write.WriteFeature;
import dev.wam4j.data.pusht.PushTRate;
import dev.wam4j.data.pusht.PushTSchema;
import dev.wam4j.model.policy.Plan;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * Records the last episode of a rollout as LeRobot frames: observation (image, agent position) at
 * each step, the action the policy executed from it, and the reward, done and success that followed
 * — the layout of {@code lerobot/pusht}. {@link #write} makes a one-episode LeRobot v3.0 dataset of
 * it. One episode at a time; buffers it in memory (about 28 KB per frame at 96 x 96).
 */
public final class EpisodeRecorder implements Rollout.Observer {
  private final int size;
  private final int frameBytes;
  private byte[] images = new byte[0];
  private float[] states = new float[0];
  private float[] actions = new float[0];
  private float[] rewards = new float[0];
  private int frames;
  private final byte[] previousImage;
  private float previousX;
  private float previousY;
  private float[] planActions;
  private int planStep;
  private boolean success;

  public EpisodeRecorder(int imageSize) {
    this.frameBytes = imageSize * imageSize * 3;
    this.previousImage = new byte[frameBytes];
    this.size = imageSize;
  }

  /** Frames recorded in the last episode. */
  public int frames() {
    return frames;
  }

  /** Whether the last episode ended in success (coverage above 0.95). */
  public boolean success() {
    return success;
  }

  @Override
  public void episodeStart(long seed, byte[] frame, int offset, float agentX, float agentY) {
    frames = 0;
    success = false;
    System.arraycopy(frame, offset, previousImage, 0, frameBytes);
    previousX = agentX;
    previousY = agentY;
  }

  @Override
  public boolean planned(int step, Plan plan) {
    planActions = plan.actions();
    planStep = step;
    return true;
  }

  @Override
  public boolean stepped(
      int step, byte[] frame, int offset, float agentX, float agentY, double reward) {
    if (frames == rewards.length) grow();
    int j = step - 1 - planStep; // the chunk's action executed at this step
    System.arraycopy(previousImage, 0, images, frames * frameBytes, frameBytes);
    states[2 * frames] = previousX;
    states[2 * frames + 1] = previousY;
    actions[2 * frames] = planActions[2 * j];
    actions[2 * frames + 1] = planActions[2 * j + 1];
    rewards[frames++] = (float) reward;
    System.arraycopy(frame, offset, previousImage, 0, frameBytes);
    previousX = agentX;
    previousY = agentY;
    return true;
  }

  @Override
  public void episodeEnd(ClosedLoopEvaluation.Episode episode) {
    success = episode.success();
  }

  private void grow() {
    int n = Math.max(64, 2 * rewards.length);
    images = Arrays.copyOf(images, n * frameBytes);
    states = Arrays.copyOf(states, 2 * n);
    actions = Arrays.copyOf(actions, 2 * n);
    rewards = Arrays.copyOf(rewards, n);
  }

  /**
   * Writes the last episode as a one-episode LeRobot v3.0 dataset in {@code dir} (atomically: the
   * writer builds it aside and renames it into place).
   *
   * @param task the episode's task text (LeRobot's {@code task})
   * @throws IllegalStateException when no frame was recorded
   */
  public Path write(Path dir, String task, String robotType) throws IOException {
    if (frames == 0) throw new IllegalStateException("no frames recorded");
    List<WriteFeature> features = PushTSchema.features(size);
    try (LeRobotWriter w =
        LeRobotWriter.create(dir, LeRobotWriteConfig.of(PushTRate.FPS, robotType, features))) {
      w.beginEpisode(task);
      float[] s = new float[2], a = new float[2];
      for (int t = 0; t < frames; t++) {
        s[0] = states[2 * t];
        s[1] = states[2 * t + 1];
        a[0] = actions[2 * t];
        a[1] = actions[2 * t + 1];
        boolean last = t == frames - 1;
        w.setImage("observation.image", images, t * frameBytes)
            .setVector("observation.state", s)
            .setVector("action", a)
            .setFloat("next.reward", rewards[t])
            .setBool("next.done", last)
            .setBool("next.success", last && success);
        w.endFrame();
      }
      w.endEpisode();
      return w.finish();
    }
  }
}
