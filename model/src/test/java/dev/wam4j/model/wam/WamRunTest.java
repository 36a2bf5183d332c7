package dev.wam4j.model.wam;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wam4j.data.FileTrees;
import dev.wam4j.model.CheckpointException;
import dev.wam4j.model.train.TrainingLog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A training run directory: resumable to the bit, atomic, and loud about bad configs, data and NaN.
 */
class WamRunTest {
  @TempDir static Path tmp;
  static Path dataset;

  @BeforeAll
  static void writeDataset() throws IOException {
    dataset = Glide.write(tmp.resolve("glide"), true, false);
  }

  static WamConfig config(int steps) {
    WamConfig t = Glide.tiny();
    return new WamConfig(
        dataset.toString(),
        dataset.toString(),
        null,
        t.imageKey(),
        t.stateKey(),
        t.actionKey(),
        96,
        512,
        2,
        8,
        4,
        2,
        2,
        4,
        8,
        16,
        1,
        32,
        64,
        2,
        2,
        4,
        1,
        1,
        1,
        8,
        steps,
        2e-3,
        1e-4,
        2,
        1.0,
        0.9,
        2,
        4,
        2,
        2,
        3,
        java.util.List.of(),
        0,
        0);
  }

  @Test
  void aRunResumedFromItsLastCheckpointEndsBitForBitWhereAnUninterruptedRunEnds()
      throws IOException {
    WamConfig c = config(8);
    Path straight = tmp.resolve("straight"), crashed = tmp.resolve("crashed");
    WamRun.Result a = WamRun.train(c, WamRun.Stage.PRETRAIN, straight, new WamRun.Listener() {});
    assertThat(a.steps()).isEqualTo(8);
    assertThat(Files.readString(straight.resolve("latest")).strip()).isEqualTo("step-0000008");
    assertThat(straight.resolve("loss.png")).isRegularFile();
    assertThat(TrainingLog.read(straight.resolve("log.csv")).steps()).containsExactly(2, 4, 6, 8);

    // The crash: a run that got to step 8, then lost everything after its step-4 checkpoint.
    WamRun.train(c, WamRun.Stage.PRETRAIN, crashed, new WamRun.Listener() {});
    assertThat(crashed.resolve("step-0000008")).isDirectory(); // the crash must lose something
    FileTrees.delete(crashed.resolve("step-0000008"));
    Files.writeString(crashed.resolve("latest"), "step-0000004\n");
    long[] resumedAt = {-1};
    WamRun.Result b =
        WamRun.train(
            c,
            WamRun.Stage.PRETRAIN,
            crashed,
            new WamRun.Listener() {
              @Override
              public void resumed(Path checkpoint, long step) {
                resumedAt[0] = step;
              }
            });
    assertThat(resumedAt[0]).isEqualTo(4);
    assertThat(b.steps()).isEqualTo(8);
    assertThat(TrainingLog.read(crashed.resolve("log.csv")).steps()).containsExactly(2, 4, 6, 8);
    WamCheckpoint.Meta ma = WamCheckpoint.readMeta(straight.resolve("step-0000008"));
    WamCheckpoint.Meta mb = WamCheckpoint.readMeta(crashed.resolve("step-0000008"));
    assertThat(mb.files())
        .isEqualTo(ma.files()); // same SHA-256 of policy weights and training state
    assertThat(mb.metrics().get("val_loss")).isEqualTo(ma.metrics().get("val_loss"));
  }

  @Test
  void aKillBetweenPublishingACheckpointAndNamingItLatestIsRecoveredFrom() throws IOException {
    WamConfig c = config(8);
    Path dir = tmp.resolve("orphan");
    WamRun.Result first = WamRun.train(c, WamRun.Stage.PRETRAIN, dir, new WamRun.Listener() {});
    String sha = WamCheckpoint.readMeta(first.checkpoint()).files().get("policy.ndlist");
    // step-0000008 was renamed into place but 'latest' still names step-0000004; a partial folder
    // lies beside
    Files.writeString(dir.resolve("latest"), "step-0000004\n");
    Files.createDirectories(dir.resolve(".step-0000012.partial-abc"));
    WamRun.Result again = WamRun.train(c, WamRun.Stage.PRETRAIN, dir, new WamRun.Listener() {});
    assertThat(again.steps()).isEqualTo(8);
    assertThat(WamCheckpoint.readMeta(again.checkpoint()).files().get("policy.ndlist"))
        .isEqualTo(sha);
    assertThat(dir.resolve(".step-0000012.partial-abc")).doesNotExist();
  }

  @Test
  void aCheckpointOfAnotherFormatIsNamedAsSuchNotAsCorrupted() throws IOException {
    Path dir = Files.createDirectories(tmp.resolve("foreign"));
    Files.writeString(
        dir.resolve("checkpoint.json"), "{\"format\": \"wam4j-baseline-mlp/1\", \"stateDim\": 2}");
    assertThatThrownBy(() -> WamCheckpoint.readMeta(dir))
        .isInstanceOf(CheckpointException.class)
        .hasMessageContaining("format is 'wam4j-baseline-mlp/1', expected 'wam4j-wam/1'");
  }

  @Test
  void resumingUnderAnotherConfigIsRefusedNamingTheField() throws IOException {
    Path dir = tmp.resolve("other-config");
    WamRun.train(config(4), WamRun.Stage.PRETRAIN, dir, new WamRun.Listener() {});
    assertThatThrownBy(
            () -> WamRun.train(config(6), WamRun.Stage.PRETRAIN, dir, new WamRun.Listener() {}))
        .isInstanceOf(CheckpointException.class)
        .hasMessageContaining("steps: checkpoint 4, config 6");
  }

  @Test
  void finetuningStartsFromAnInitCheckpointOfTheSameArchitectureOnly() throws IOException {
    Path pre = tmp.resolve("pre");
    WamRun.train(config(4), WamRun.Stage.PRETRAIN, pre, new WamRun.Listener() {});
    WamConfig c = config(4).withData(dataset.toString(), null, pre.toString());
    WamRun.Result r =
        WamRun.train(c, WamRun.Stage.FINETUNE, tmp.resolve("fine"), new WamRun.Listener() {});
    assertThat(WamCheckpoint.readMeta(r.checkpoint()).data()).containsEntry("init", pre.toString());
    Path shipped = tmp.resolve("shipped");
    CheckpointExport.export(tmp.resolve("fine"), shipped, "- mean max coverage: 0.5");
    assertThat(shipped.resolve("train-state.ndlist")).doesNotExist();
    assertThat(Files.readString(shipped.resolve("MODEL_CARD.md")))
        .contains("Initialised from (nearest first):\n  - pretrain, 4 steps")
        .contains("Total training wall time including initialisation")
        .contains("- mean max coverage: 0.5");
    try (WamPolicy policy = WamPolicy.load(shipped)) {
      assertThat(policy.meta().step()).isEqualTo(4);
    }
    // inference settings chosen at load time: the executed steps, and zero noise plans one chunk
    // whatever the seed
    byte[] frames = new byte[2 * 96 * 96 * 3];
    float[] positions = {100, 100, 110, 105};
    try (WamPolicy noisy = WamPolicy.load(shipped);
        WamPolicy deterministic =
            WamPolicy.load(shipped, new dev.wam4j.model.policy.PlanSettings(2, 3, 0.0))) {
      assertThat(deterministic.executeSteps()).isEqualTo(2);
      assertThat(deterministic.config().sampleNoise()).isZero();
      assertThat(deterministic.config().sampleSteps()).isEqualTo(3);
      assertThat(noisy.executeSteps()).isEqualTo(4);
      deterministic.reset(1);
      float[] a = deterministic.plan(frames, positions, false).actions();
      deterministic.reset(2);
      assertThat(deterministic.plan(frames, positions, false).actions()).containsExactly(a);
      noisy.reset(1);
      float[] b = noisy.plan(frames, positions, false).actions();
      noisy.reset(2);
      assertThat(noisy.plan(frames, positions, false).actions()).isNotEqualTo(b);
    }
    // inference settings chosen on validation seeds ship in the exported config
    Path tuned = tmp.resolve("tuned");
    CheckpointExport.export(
        tmp.resolve("fine"),
        tuned,
        null,
        java.util.List.of(),
        new dev.wam4j.model.policy.PlanSettings(2, null, 0.5));
    try (WamPolicy policy = WamPolicy.load(tuned)) {
      assertThat(policy.executeSteps()).isEqualTo(2);
      assertThat(policy.config().sampleNoise()).isEqualTo(0.5);
      assertThat(policy.config().sampleSteps()).isEqualTo(config(4).sampleSteps());
    }
    assertThatThrownBy(
            () -> WamPolicy.load(shipped, new dev.wam4j.model.policy.PlanSettings(9, null, null)))
        .hasMessageContaining("execute steps 9 exceed the checkpoint's actionHorizon 8");
    // shipped: data by relative path or name and content hash, no path of the machine that trained
    // it
    String shippedJson =
        Files.readString(shipped.resolve("checkpoint.json"))
            + Files.readString(shipped.resolve("MODEL_CARD.md"));
    assertThat(shippedJson)
        .doesNotContain(tmp.toString())
        .contains("\"dataset\" : \"glide\"")
        .contains("\"dataset_sha256\" : \"" + dev.wam4j.data.DatasetDigest.sha256(dataset) + "\"");

    WamConfig t = config(4);
    WamConfig wider =
        new WamConfig(
            dataset.toString(),
            null,
            pre.toString(),
            t.imageKey(),
            t.stateKey(),
            t.actionKey(),
            96,
            512,
            2,
            8,
            4,
            2,
            2,
            4,
            8,
            16,
            1,
            32,
            128,
            2,
            2,
            4,
            1,
            1,
            1,
            8,
            4,
            2e-3,
            1e-4,
            2,
            1.0,
            0.9,
            2,
            4,
            2,
            2,
            3,
            java.util.List.of(),
            0,
            0);
    assertThatThrownBy(
            () ->
                WamRun.train(
                    wider,
                    WamRun.Stage.FINETUNE,
                    tmp.resolve("fine-wider"),
                    new WamRun.Listener() {}))
        .isInstanceOf(CheckpointException.class)
        .hasMessageContaining("headWidth: checkpoint 64, config 128");
  }

  @Test
  void aNonFiniteLossStopsTheRunBeforeAnyWeightsAreSaved() throws IOException {
    Path bad = Glide.write(tmp.resolve("glide-nan"), true, true);
    Path dir = tmp.resolve("nan-run");
    WamConfig c = config(4).withData(bad.toString(), null, null);
    assertThatThrownBy(() -> WamRun.train(c, WamRun.Stage.FINETUNE, dir, new WamRun.Listener() {}))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageMatching(
            "wam trainer: loss is (NaN|Infinity) at step 1; stopped before updating the weights.*");
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .noneMatch(n -> n.startsWith("step-") || n.equals("latest"));
    }
  }

  @Test
  void aDatasetWithoutTheImageFeatureIsRefusedNamingIt() throws IOException {
    Path noImages = Glide.write(tmp.resolve("glide-no-image"), false, false);
    WamConfig c = config(4).withData(noImages.toString(), null, null);
    assertThatThrownBy(
            () ->
                WamRun.train(
                    c,
                    WamRun.Stage.FINETUNE,
                    tmp.resolve("no-image-run"),
                    new WamRun.Listener() {}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("observation.image");
  }

  @Test
  void configFilesOverrideDefaultsResolvePathsAndNameUnknownFields() throws IOException {
    Path dir = Files.createDirectories(tmp.resolve("configs"));
    Path file = dir.resolve("run.json");
    Files.writeString(file, "{\"dataset\": \"../glide\", \"steps\": 7, \"videoWeight\": 0}");
    WamConfig c = WamRun.loadConfig(file);
    assertThat(c.steps()).isEqualTo(7);
    assertThat(c.videoWeight()).isZero();
    assertThat(c.batchSize()).isEqualTo(WamConfig.defaults().batchSize());
    assertThat(Path.of(c.dataset())).isEqualTo(dataset.toAbsolutePath().normalize());

    Files.writeString(file, "{\"dataset\": \"x\", \"stepz\": 7}");
    assertThatThrownBy(() -> WamRun.loadConfig(file))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(file.toString())
        .hasMessageContaining("unknown field 'stepz'");
    Files.writeString(file, "{\"dataset\": \"x\", \"executeSteps\": 40}");
    assertThatThrownBy(() -> WamRun.loadConfig(file))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(file.toString())
        .hasMessageContaining("executeSteps must lie in 1..actionHorizon (16), got 40");
    Files.writeString(file, "{\"steps\": 7}");
    assertThatThrownBy(() -> WamRun.loadConfig(file))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'dataset'");
  }
}
