package dev.wam4j.rl.dagger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wam4j.data.collect.SimCollect;
import dev.wam4j.data.lerobot.ColumnBatch;
import dev.wam4j.data.lerobot.LeRobotDataset;
import dev.wam4j.data.loader.LoaderConfig;
import dev.wam4j.data.loader.TrainingBatch;
import dev.wam4j.data.loader.TrainingLoader;
import dev.wam4j.data.video.VideoEncoding;
import dev.wam4j.model.policy.ChunkPolicy;
import dev.wam4j.model.policy.Plan;
import dev.wam4j.sim.Embodiment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * DAgger's data and rounds: labels from the teacher, actions from whoever drove, rounds that
 * resume.
 */
class DaggerTest {
  @TempDir Path tmp;

  /** A student that always heads for one point: the teacher's labels must not follow it. */
  static final class Stubborn implements ChunkPolicy {
    int plans;

    @Override
    public int historyFrames() {
      return 2;
    }

    @Override
    public int imageSize() {
      return 96;
    }

    @Override
    public int executeSteps() {
      return 8;
    }

    @Override
    public void reset(long seed) {}

    @Override
    public Plan plan(byte[] images, float[] agentPositions, boolean dream) {
      plans++;
      assertThat(images).hasSize(2 * 96 * 96 * 3);
      assertThat(agentPositions).hasSize(4);
      float[] a = new float[32];
      java.util.Arrays.fill(a, 300f);
      return new Plan(a, 16, new byte[0], new int[0], 0);
    }

    @Override
    public void close() {}
  }

  @Test
  void theStudentDrivesAndEveryVisitedStateCarriesTheTeachersChunk() throws Exception {
    Stubborn student = new Stubborn();
    DaggerCollector.Result r =
        DaggerCollector.collect(
            student,
            new DaggerCollector.Config(7_000_000, 2, 0.0, 16, 40, 1),
            tmp.resolve("d"),
            null);
    assertThat(r.frames()).isEqualTo(80);
    assertThat(r.studentPlans()).isEqualTo(10);
    assertThat(r.teacherPlans()).isZero();
    assertThat(student.plans).isEqualTo(10);
    try (LeRobotDataset ds = LeRobotDataset.open(r.dataset())) {
      assertThat(ds.episodes()).hasSize(2);
      ColumnBatch b = ds.batches(List.of("action", TrainingLoader.TEACHER_CHUNK), 4096).nextBatch();
      float[] action = b.floats("action"), chunk = b.floats(TrainingLoader.TEACHER_CHUNK);
      int differs = 0;
      for (int i = 0; i < b.rows(); i++) {
        assertThat(action[2 * i]).isEqualTo(300f);
        if (chunk[32 * i] != 300f) differs++;
      }
      assertThat(differs).as("the teacher's labels are its own").isGreaterThan(70);
    }
    // the loader trains on the labels
    LoaderConfig lc =
        new LoaderConfig("observation.image", "observation.state", "action", 2, 16, 8, 3, 1, 0, 0);
    TrainingLoader loader = TrainingLoader.load(r.dataset(), lc, null);
    TrainingBatch batch = loader.newBatch();
    loader.sample(batch);
    assertThat(batch.actions)
        .contains(batch.actions[0])
        .isNotEqualTo(new float[batch.actions.length]);
    assertThat(batch.actionIsPad).containsOnly(false);
  }

  @Test
  void withBetaOneTheExpertDrivesAndSucceeds() throws Exception {
    DaggerCollector.Result r =
        DaggerCollector.collect(
            null,
            new DaggerCollector.Config(7_000_000, 2, 1.0, 16, 300, 1),
            tmp.resolve("e"),
            null);
    assertThat(r.successes()).isEqualTo(2);
    assertThat(r.meanMaxCoverage()).isEqualTo(1.0);
    try (LeRobotDataset ds = LeRobotDataset.open(r.dataset())) {
      ColumnBatch b = ds.batches(List.of("action", TrainingLoader.TEACHER_CHUNK), 8192).nextBatch();
      // the driving expert remembers its contact between steps, the labelling one starts afresh:
      // they mostly agree
      int same = 0;
      for (int i = 0; i < b.rows(); i++)
        if (b.floats("action")[2 * i] == b.floats(TrainingLoader.TEACHER_CHUNK)[32 * i]) same++;
      assertThat(same).isGreaterThan(b.rows() * 8 / 10);
    }
    assertThatThrownBy(
            () ->
                DaggerCollector.collect(
                    null,
                    new DaggerCollector.Config(7_000_000, 1, 0.5, 16, 10, 1),
                    tmp.resolve("f"),
                    null))
        .hasMessageContaining("needs a student");
  }

  @Test
  void roundsRunAggregateAndResumeAndAnotherConfigIsRefused() throws Exception {
    SimCollect.run(
        new SimCollect.Config(
            Embodiment.RobotPusher.reference(), null, 2, 7, VideoEncoding.AV1_LEROBOT),
        tmp.resolve("robot-2"),
        null);
    Files.writeString(
        tmp.resolve("tiny.json"),
        """
        {"dataset": "robot-2", "steps": 4, "batchSize": 4, "latentChannels": 4, "encoderChannels": 8, "dynamicsChannels": 16,
         "dynamicsBlocks": 1, "featureSize": 32, "headWidth": 64, "headLayers": 2, "warmupSteps": 1, "logEverySteps": 2,
         "checkpointEverySteps": 4, "threads": 1}
        """);
    Path configFile = tmp.resolve("dagger.json");
    Files.writeString(
        configFile,
        """
        {"train": "tiny.json", "rounds": 2, "episodesPerRound": 2, "stepsPerRound": 4, "validationEpisodes": 1, "threads": 1}
        """);
    DaggerConfig config = Dagger.loadConfig(configFile);
    assertThat(config.betaOf(0)).as("no student: the expert drives round 0").isEqualTo(1.0);
    Path run = tmp.resolve("run");
    Dagger.Result first = Dagger.run(config, run, new Dagger.Listener() {});
    assertThat(first.rounds()).hasSize(2);
    assertThat(first.rounds().get(0).collect().successes()).isEqualTo(2);
    assertThat(first.rounds().get(1).beta()).isEqualTo(0.25);
    assertThat(first.rounds().get(1).aggregateFrames())
        .isEqualTo(
            first.rounds().get(0).collect().frames() + first.rounds().get(1).collect().frames());
    assertThat(first.last().validationCoverage()).isBetween(0.0, 1.0);

    // the compute behind the last checkpoint: every round's rollouts, training and validation
    java.util.List<dev.wam4j.model.wam.ComputeStage> lineage =
        dev.wam4j.model.wam.ComputeLineage.of(first.last().checkpoint(), java.util.List.of());
    assertThat(lineage)
        .extracting(dev.wam4j.model.wam.ComputeStage::name)
        .containsExactly(
            "dagger round 0 rollouts and labels (2 episodes, beta 1.000)",
            "dagger round 0 validation (seeds 200000..200000)",
            "data loading for round-00/train",
            "finetune round-00/train (4 steps)",
            "dagger round 1 rollouts and labels (2 episodes, beta 0.250)",
            "dagger round 1 validation (seeds 200000..200000)",
            "data loading for round-01/train",
            "finetune round-01/train (4 steps)");
    assertThat(lineage.stream().mapToDouble(dev.wam4j.model.wam.ComputeStage::seconds).sum())
        .isCloseTo(first.seconds(), org.assertj.core.data.Offset.offset(1e-6));

    // the plot: each round at the compute behind its checkpoint (no student: from 0)
    assertThat(run.resolve("progress.png")).isRegularFile();
    assertThat(javax.imageio.ImageIO.read(run.resolve("progress.png").toFile()).getWidth())
        .isPositive();
    double[] minutes = DaggerProgress.minutes(first.rounds(), 10);
    assertThat(minutes[0])
        .isCloseTo(
            10 + first.rounds().get(0).seconds() / 60, org.assertj.core.data.Offset.offset(1e-9));
    assertThat(minutes[1])
        .isCloseTo(10 + first.seconds() / 60, org.assertj.core.data.Offset.offset(1e-9));

    // a crash after round 1's data and training, before its round.json: the rerun reuses both
    Files.delete(run.resolve("round-01/round.json"));
    Dagger.Result again = Dagger.run(config, run, new Dagger.Listener() {});
    assertThat(again.last().checkpoint()).isEqualTo(first.last().checkpoint());
    assertThat(again.last().collect()).isEqualTo(first.last().collect());

    // more rounds extend the run: the done ones are kept
    Files.writeString(
        configFile, Files.readString(configFile).replace("\"rounds\": 2", "\"rounds\": 3"));
    Dagger.Result extended =
        Dagger.run(Dagger.loadConfig(configFile), run, new Dagger.Listener() {});
    assertThat(extended.rounds()).hasSize(3);
    assertThat(extended.rounds().get(1).checkpoint()).isEqualTo(first.last().checkpoint());
    assertThat(extended.rounds().get(2).beta()).isEqualTo(0.125);

    Files.writeString(
        configFile,
        Files.readString(configFile).replace("\"rounds\": 3", "\"rounds\": 3, \"beta\": 0.9"));
    assertThatThrownBy(
            () -> Dagger.run(Dagger.loadConfig(configFile), run, new Dagger.Listener() {}))
        .hasMessageContaining("another config");
    Files.writeString(configFile, "{\"rounds\": 2}");
    assertThatThrownBy(() -> Dagger.loadConfig(configFile)).hasMessageContaining("'train'");
    Files.writeString(configFile, "{\"train\": \"tiny.json\", \"firstSeed\": 199990}");
    assertThatThrownBy(() -> Dagger.loadConfig(configFile))
        .hasMessageContaining("overlap the evaluation block 200000");
  }
}
