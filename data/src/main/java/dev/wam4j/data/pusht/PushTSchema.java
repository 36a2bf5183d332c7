package dev.wam4j.data.pusht;

import dev.wam4j.data.lerobot.write.WriteFeature;
import java.util.ArrayList;
import java.util.List;

/**
 * The features of a PushT dataset as wam4j writes it (LeRobot's names for lerobot/pusht): the
 * camera frame, the agent position, the commanded target, then any extra features of a kind of
 * dataset (a hand pose, the teacher's labels, the block's pose), then the reward, done and success
 * flags. The one list every writer of PushT data starts from.
 */
public final class PushTSchema {
  /** The camera frame, RGB video. */
  public static final String IMAGE = "observation.image";

  /** The agent's position (x, y), workspace pixels. */
  public static final String STATE = "observation.state";

  /** The commanded target (x, y), workspace pixels. */
  public static final String ACTION = "action";

  /** min(coverage / success coverage, 1) after the step. */
  public static final String REWARD = "next.reward";

  /** Whether the episode ended with the step. */
  public static final String DONE = "next.done";

  /** Whether the step reached the goal. */
  public static final String SUCCESS = "next.success";

  private PushTSchema() {}

  /**
   * The features in order: frame ({@code imageSize} square), state, action, {@code extra} in its
   * order, reward, done, success.
   */
  public static List<WriteFeature> features(int imageSize, WriteFeature... extra) {
    List<WriteFeature> f =
        new ArrayList<>(
            List.of(
                new WriteFeature.Video(IMAGE, imageSize, imageSize),
                new WriteFeature.Vector(STATE, List.of("x", "y")),
                new WriteFeature.Vector(ACTION, List.of("x", "y"))));
    f.addAll(List.of(extra));
    f.add(new WriteFeature.Scalar(REWARD, WriteFeature.ScalarType.FLOAT32));
    f.add(new WriteFeature.Scalar(DONE, WriteFeature.ScalarType.BOOL));
    f.add(new WriteFeature.Scalar(SUCCESS, WriteFeature.ScalarType.BOOL));
    return List.copyOf(f);
  }
}
