package dev.wam4j.data.loader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wam4j.data.lerobot.write.LeRobotWriteConfig;
import dev.wam4j.data.lerobot.write.LeRobotWriter;
import dev.wam4j.data.lerobot.write.WriteFeature;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Windows of history and action chunks line up with episodes, pad at their edges, and decode alike
 * on any thread count.
 */
class TrainingLoaderTest {
  @TempDir static Path tmp;
  static Path dataset;
  static final int[] LENGTHS = {3, 5, 2};

  /** Episode e, frame t: state (e, t), action (100e + t, -1), image grey (40e + 20t). */
  @BeforeAll
  static void write() throws Exception {
    List<WriteFeature> features =
        List.of(
            new WriteFeature.Video("observation.image", 32, 32),
            new WriteFeature.Vector("observation.state", List.of("e", "t")),
            new WriteFeature.Vector("action", List.of("a", "b")));
    try (LeRobotWriter w =
        LeRobotWriter.create(tmp.resolve("ds"), LeRobotWriteConfig.of(10, "test", features))) {
      byte[] img = new byte[32 * 32 * 3];
      for (int e = 0; e < LENGTHS.length; e++) {
        w.beginEpisode("task");
        for (int t = 0; t < LENGTHS[e]; t++) {
          java.util.Arrays.fill(img, (byte) (40 * e + 20 * t));
          w.setImage("observation.image", img, 0)
              .setVector("observation.state", new float[] {e, t})
              .setVector("action", new float[] {100 * e + t, -1});
          w.endFrame();
        }
        w.endEpisode();
      }
      dataset = w.finish();
    }
  }

  private static TrainingLoader load(int threads, int history, int horizon) throws Exception {
    return TrainingLoader.load(
        dataset,
        new LoaderConfig(
            "observation.image",
            "observation.state",
            "action",
            history,
            horizon,
            256,
            7,
            threads,
            0,
            0),
        null);
  }

  @Test
  void
      aFrameLabelledWithATeachersChunkTakesItAsItsActionsAndKeepsWhatWasExecutedBesideAlsoBesideUnlabelledData()
          throws Exception {
    List<WriteFeature> features =
        List.of(
            new WriteFeature.Video("observation.image", 32, 32),
            new WriteFeature.Vector("observation.state", List.of("e", "t")),
            new WriteFeature.Vector("action", List.of("a", "b")),
            new WriteFeature.Vector(
                TrainingLoader.TEACHER_CHUNK, List.of("x0", "y0", "x1", "y1", "x2", "y2")));
    Path labelled;
    try (LeRobotWriter w =
        LeRobotWriter.create(
            tmp.resolve("labelled"), LeRobotWriteConfig.of(10, "test", features))) {
      byte[] img = new byte[32 * 32 * 3];
      w.beginEpisode("task");
      for (int t = 0;
          t < 2;
          t++) { // the teacher's chunk from frame t: (1000 + 10t + j, -j) for j = 0..2
        float[] chunk = new float[6];
        for (int j = 0; j < 3; j++) {
          chunk[2 * j] = 1000 + 10 * t + j;
          chunk[2 * j + 1] = -j;
        }
        w.setImage("observation.image", img, 0)
            .setVector("observation.state", new float[] {9, t})
            .setVector("action", new float[] {7, 7})
            .setVector(TrainingLoader.TEACHER_CHUNK, chunk);
        w.endFrame();
      }
      w.endEpisode();
      labelled = w.finish();
    }
    LoaderConfig config =
        new LoaderConfig("observation.image", "observation.state", "action", 1, 3, 256, 7, 1, 0, 0);
    TrainingLoader both =
        TrainingLoader.concat(
            config,
            List.of(
                TrainingLoader.load(dataset, config, null),
                TrainingLoader.load(labelled, config, null)));
    TrainingBatch b = both.newBatch();
    both.sample(b);
    int seenLabelled = 0;
    for (int s = 0; s < 256; s++) {
      boolean teacher = b.states[s * 2] == 9;
      int t = (int) b.states[s * 2 + 1];
      for (int j = 0; j < 3; j++) {
        if (teacher) {
          assertThat(b.actions[(s * 3 + j) * 2]).isEqualTo(1000 + 10 * t + j);
          assertThat(b.actionIsPad[s * 3 + j]).as("a teacher's chunk is never padded").isFalse();
          assertThat(b.executedActions[(s * 3 + j) * 2])
              .as("what the episode did, not the label")
              .isEqualTo(7);
        } else {
          int e = b.episode[s];
          assertThat(b.actions[(s * 3 + j) * 2])
              .isEqualTo(100 * e + Math.min(t + j, LENGTHS[e] - 1));
          assertThat(b.executedActions[(s * 3 + j) * 2]).isEqualTo(b.actions[(s * 3 + j) * 2]);
        }
      }
      if (teacher) seenLabelled++;
    }
    assertThat(seenLabelled).isPositive();
    assertThatThrownBy(
            () ->
                TrainingLoader.load(
                    labelled,
                    new LoaderConfig(
                        "observation.image", "observation.state", "action", 1, 4, 8, 7, 1, 0, 0),
                    null))
        .hasMessageContaining(TrainingLoader.TEACHER_CHUNK)
        .hasMessageContaining("4 actions");
  }

  @Test
  void historiesRepeatTheFirstFrameAndChunksPadPastTheEnd() throws Exception {
    TrainingLoader loader = load(2, 3, 4);
    assertThat(loader.frames()).isEqualTo(10);
    TrainingBatch b = loader.newBatch();
    loader.sample(b);
    int frameBytes = 32 * 32 * 3;
    for (int s = 0; s < 256; s++) {
      int e = b.episode[s], t = b.frame[s];
      for (int j = 0; j < 3; j++) {
        int expected = Math.max(0, t - (2 - j)); // history frame j, current last
        assertThat(b.states[(s * 3 + j) * 2]).isEqualTo(e);
        assertThat(b.states[(s * 3 + j) * 2 + 1]).isEqualTo(expected);
        int grey = b.images[(s * 3 + j) * frameBytes + frameBytes / 2] & 0xFF;
        assertThat(grey)
            .isCloseTo(40 * e + 20 * expected, org.assertj.core.api.Assertions.within(3));
      }
      for (int j = 0; j < 4; j++) {
        boolean pad = t + j >= LENGTHS[e];
        assertThat(b.actionIsPad[s * 4 + j]).isEqualTo(pad);
        assertThat(b.actions[(s * 4 + j) * 2]).isEqualTo(100 * e + Math.min(t + j, LENGTHS[e] - 1));
      }
    }
  }

  @Test
  void decodedImagesAreTheSameOnOneOrTwoThreadsAndBatchesFollowTheSeed() throws Exception {
    TrainingLoader one = load(1, 2, 2), two = load(2, 2, 2);
    TrainingBatch a = one.newBatch(), b = two.newBatch();
    one.sample(a);
    two.sample(b);
    assertThat(a.images).isEqualTo(b.images);
    assertThat(a.states).isEqualTo(b.states);
    assertThat(a.actions).isEqualTo(b.actions);
  }

  @Test
  void firstEpisodesLoadsANestedSubsetWhoseSamplesComeOnlyFromThoseEpisodes() throws Exception {
    LoaderConfig c =
        new LoaderConfig("observation.image", "observation.state", "action", 1, 1, 256, 7, 1, 0, 0);
    TrainingLoader first2 = TrainingLoader.load(dataset, c, 2, null);
    assertThat(first2.episodes()).isEqualTo(2);
    assertThat(first2.frames()).isEqualTo(LENGTHS[0] + LENGTHS[1]);
    TrainingBatch b = first2.newBatch();
    first2.sample(b);
    for (int i = 0; i < b.episode.length; i++) {
      assertThat(b.episode[i]).isLessThan(2);
      float e = b.states[2 * i], t = b.states[2 * i + 1];
      assertThat(e).isIn(0f, 1f);
      assertThat(b.actions[2 * i])
          .isEqualTo(100 * e + t); // the row's own action: rows were not shifted by the cut
      assertThat(b.images[i * 32 * 32 * 3] & 0xFF)
          .isCloseTo((int) (40 * e + 20 * t), org.assertj.core.data.Offset.offset(3));
    }
    assertThat(TrainingLoader.load(dataset, c, 0, null).episodes()).isEqualTo(LENGTHS.length);
    assertThatThrownBy(() -> TrainingLoader.load(dataset, c, 4, null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("first 4 episodes, the dataset has 3");
  }
}
