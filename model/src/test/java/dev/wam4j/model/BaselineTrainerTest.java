package dev.wam4j.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.engine.Engine;
import dev.wam4j.data.lerobot.write.LeRobotWriteConfig;
import dev.wam4j.data.lerobot.write.LeRobotWriter;
import dev.wam4j.data.lerobot.write.WriteFeature;
import dev.wam4j.data.loader.TrainingLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The MLP baseline trains offline on a synthetic LeRobot dataset, and its checkpoints round-trip or
 * fail loudly.
 */
class BaselineTrainerTest {
  @TempDir static Path tmp;
  static Path dataset;

  /** Tiny and fast: 2 frames of a 2-D state in, 4 actions of 2-D out, 32 wide. */
  static final BaselineConfig TINY =
      new BaselineConfig("observation.state", "action", 2, 4, 32, 2, 3e-3, 32, 50, 4, 7);

  /**
   * Six episodes of a point moving on a circle, state (cos, sin) of its angle, action the next
   * state scaled by 100 (so normalisation matters): the chunk is a function of the two-frame
   * history.
   */
  @BeforeAll
  static void startEngineThenWriteDataset() throws Exception {
    // Timed here, first in the JVM: on a fresh machine this includes DJL extracting libtorch from
    // the jar.
    long t0 = System.nanoTime();
    Engine engine = Engines.pytorch();
    System.out.printf(
        "model: first PyTorch %s engine load took %.0f ms%n",
        engine.getVersion(), (System.nanoTime() - t0) / 1e6);
    List<WriteFeature> features =
        List.of(
            new WriteFeature.Vector("observation.state", List.of("x", "y")),
            new WriteFeature.Vector("action", List.of("x", "y")));
    try (LeRobotWriter w =
        LeRobotWriter.create(tmp.resolve("circle"), LeRobotWriteConfig.of(10, "test", features))) {
      for (int e = 0; e < 6; e++) {
        w.beginEpisode("circle");
        double speed = 0.1 + 0.05 * e;
        for (int t = 0; t < 40; t++) {
          double a = e + speed * t, next = a + speed;
          w.setVector("observation.state", new float[] {(float) Math.cos(a), (float) Math.sin(a)})
              .setVector(
                  "action",
                  new float[] {(float) (100 * Math.cos(next)), (float) (100 * Math.sin(next))});
          w.endFrame();
        }
        w.endEpisode();
      }
      dataset = w.finish();
    }
  }

  static TrainingLoader loader(BaselineConfig config) throws IOException {
    return TrainingLoader.load(dataset, config.loaderConfig(), null);
  }

  static float[] probeInput() {
    float[] in = new float[3 * 4];
    for (int i = 0; i < in.length; i++) in[i] = (float) Math.sin(i);
    return in;
  }

  @Test
  void theEngineStartsOfflineFromTheNativesJar() {
    Engine engine = Engines.pytorch();
    assertThat(engine.getEngineName()).isEqualTo("PyTorch");
    assertThat(System.getProperty("ai.djl.offline")).isEqualTo("true");
  }

  @Test
  void lossFallsOverFiftyStepsAndNativeMemoryStaysFlat() throws Exception {
    float[] losses = new float[TINY.steps()];
    int liveAfterWarmup = 0;
    long t0 = System.nanoTime();
    try (BaselineTrainer trainer = BaselineTrainer.create(TINY, loader(TINY))) {
      for (int s = 0; s < losses.length; s++) {
        losses[s] = trainer.step();
        if (s == 4) liveAfterWarmup = trainer.liveArrays();
      }
      assertThat(trainer.liveArrays())
          .as("arrays alive after 50 steps vs after 5")
          .isEqualTo(liveAfterWarmup);
      assertThat(trainer.policy().trainedSteps()).isEqualTo(50);
    }
    double first = mean(Arrays.copyOfRange(losses, 0, 10)),
        last = mean(Arrays.copyOfRange(losses, losses.length - 10, losses.length));
    System.out.printf(
        "model: 50 steps in %.0f ms, loss first-10 mean %.4f, last-10 mean %.4f%n",
        (System.nanoTime() - t0) / 1e6, first, last);
    assertThat(last).isLessThan(0.5 * first);
  }

  @Test
  void aCheckpointRoundTripsToTheSamePredictions() throws Exception {
    Path dir = tmp.resolve("roundtrip");
    try (BaselineTrainer trainer = BaselineTrainer.create(TINY, loader(TINY))) {
      for (int s = 0; s < 10; s++) trainer.step();
      trainer.policy().save(dir);
      for (int s = 0; s < 5; s++) trainer.step();
      trainer.policy().save(dir); // replaces the older checkpoint
      float[] before = trainer.policy().predict(probeInput());
      assertThat(before).hasSize(3 * 4 * 2);
      try (BaselinePolicy loaded = BaselinePolicy.load(dir, TINY)) {
        assertThat(loaded.predict(probeInput())).containsExactly(before);
        assertThat(loaded.trainedSteps()).isEqualTo(15);
      }
    }
    assertThat(BaselinePolicy.configOf(dir)).isEqualTo(TINY);
    try (var siblings = Files.list(tmp)) {
      assertThat(siblings.map(p -> p.getFileName().toString()))
          .noneMatch(n -> n.startsWith(".roundtrip"));
    }
  }

  @Test
  void aCheckpointFromAnotherConfigIsRefusedNamingTheFields() throws Exception {
    Path dir = savedAfterTwoSteps("other-config");
    BaselineConfig wider = TINY.withModel(64, 2);
    assertThatThrownBy(() -> BaselinePolicy.load(dir, wider))
        .isInstanceOf(CheckpointException.class)
        .hasMessageContaining("saved under another config")
        .hasMessageContaining("hiddenSize: checkpoint 32, expected 64");
  }

  @Test
  void corruptedWeightsAreDetectedByTheirChecksum() throws Exception {
    Path dir = savedAfterTwoSteps("flipped");
    Path weights = dir.resolve(BaselinePolicy.WEIGHTS_FILE);
    byte[] bytes = Files.readAllBytes(weights);
    bytes[bytes.length - 3] ^= 0x40; // inside the last weight: the file still parses
    Files.write(weights, bytes);
    assertThatThrownBy(() -> BaselinePolicy.load(dir, TINY))
        .isInstanceOf(CheckpointException.class)
        .hasMessageContaining("weights.params is corrupted: SHA-256");
  }

  @Test
  void truncatedWeightsOrMetadataGiveClearErrors() throws Exception {
    Path dir = savedAfterTwoSteps("truncated");
    Path weights = dir.resolve(BaselinePolicy.WEIGHTS_FILE);
    Files.write(weights, Arrays.copyOf(Files.readAllBytes(weights), 100));
    assertThatThrownBy(() -> BaselinePolicy.load(dir, TINY))
        .isInstanceOf(CheckpointException.class)
        .hasMessageContaining("weights.params is corrupted: 100 bytes");

    Files.writeString(
        dir.resolve(BaselinePolicy.META_FILE),
        "{\"format\": ",
        StandardOpenOption.TRUNCATE_EXISTING);
    assertThatThrownBy(() -> BaselinePolicy.load(dir, TINY))
        .isInstanceOf(CheckpointException.class)
        .hasMessageContaining("checkpoint.json is corrupted");

    assertThatThrownBy(() -> BaselinePolicy.load(tmp.resolve("nowhere"), TINY))
        .isInstanceOf(CheckpointException.class)
        .hasMessageContaining("not a checkpoint");
  }

  @Test
  void saveRefusesToOverwriteADirectoryThatIsNotACheckpoint() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("precious"));
    try (BaselineTrainer trainer = BaselineTrainer.create(TINY, loader(TINY))) {
      assertThatThrownBy(() -> trainer.policy().save(dir))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("is not a checkpoint");
    }
  }

  @Test
  void aLoaderWithOtherShapesIsRefused() throws Exception {
    BaselineConfig longer =
        new BaselineConfig("observation.state", "action", 2, 8, 32, 2, 3e-3, 32, 50, 4, 7);
    assertThatThrownBy(() -> BaselineTrainer.create(longer, loader(TINY)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("does not match");
  }

  private static Path savedAfterTwoSteps(String name) throws Exception {
    Path dir = tmp.resolve(name);
    try (BaselineTrainer trainer = BaselineTrainer.create(TINY, loader(TINY))) {
      trainer.step();
      trainer.step();
      trainer.policy().save(dir);
    }
    return dir;
  }

  private static double mean(float[] v) {
    double s = 0;
    for (float f : v) s += f;
    return s / v.length;
  }
}
