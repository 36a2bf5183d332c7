package dev.wam4j.model.wam;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import dev.wam4j.data.FileTrees;
import dev.wam4j.data.loader.TrainingLoader;
import dev.wam4j.model.CheckpointException;
import dev.wam4j.model.policy.Plan;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The world action model trains on video and actions, checkpoints round-trip, and bad checkpoints
 * fail loudly.
 */
class WamTrainerTest {
  @TempDir static Path tmp;
  static Path dataset;

  @BeforeAll
  static void writeDataset() throws IOException {
    dataset = Glide.write(tmp.resolve("glide"), true, false);
  }

  static WamConfig tiny() {
    return Glide.tiny();
  }

  static TrainingLoader loader(WamConfig c) throws IOException {
    return TrainingLoader.load(dataset, c.loaderConfig(c.seed(), 1), null);
  }

  @Test
  void jointLossFallsAndEveryTermIsTrained() throws IOException {
    WamConfig c = tiny();
    try (WamTrainer trainer = WamTrainer.create(c, loader(c))) {
      double first = 0, last = 0;
      long t0 = System.nanoTime();
      for (int i = 0; i < c.steps(); i++) {
        WamTrainer.Losses l = trainer.step();
        assertThat(l.total()).isFinite();
        assertThat(l.video()).isPositive();
        assertThat(l.recon()).isPositive();
        if (i < 5) first += l.total() / 5;
        if (i >= c.steps() - 5) last += l.total() / 5;
      }
      System.out.printf(
          "wam tiny: %d steps in %.1f s, loss %.4f -> %.4f%n",
          c.steps(), (System.nanoTime() - t0) / 1e9, first, last);
      assertThat(last).isLessThan(first * 0.7);
      assertThat(trainer.steps()).isEqualTo(c.steps());
    }
  }

  @Test
  void theActionOnlyAblationTrainsNoVideoTerms() throws IOException {
    WamConfig d = tiny();
    WamConfig c =
        new WamConfig(
            null,
            null,
            null,
            d.imageKey(),
            d.stateKey(),
            d.actionKey(),
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
            0,
            0,
            8,
            3,
            2e-3,
            1e-4,
            5,
            1.0,
            0.9,
            5,
            20,
            2,
            2,
            3,
            java.util.List.of(),
            0,
            0);
    try (WamTrainer trainer = WamTrainer.create(c, loader(c))) {
      WamTrainer.Losses l = trainer.step();
      assertThat(l.video()).isZero();
      assertThat(l.recon()).isZero();
      assertThat(l.action()).isPositive();
    }
  }

  @Test
  void aCheckpointRoundTripsIntoAPolicyThatPlansAndDreams() throws IOException {
    WamConfig c = tiny();
    Path ckpt = tmp.resolve("roundtrip/step-0000005");
    float[] direct;
    try (WamTrainer trainer = WamTrainer.create(c, loader(c))) {
      for (int i = 0; i < 5; i++) trainer.step();
      TrainingState.save(
          trainer, ckpt, "finetune", Map.of("dataset", dataset.toString()), Map.of(), 1.0, true);
      direct = trainer.optimizer().averagedWeights().get(0).toFloatArray();
    }
    assertThat(Files.readString(ckpt.resolve("MODEL_CARD.md")))
        .contains("finetune, step 5")
        .contains("\"batchSize\" : 8");
    byte[] images = new byte[2 * 96 * 96 * 3];
    float[] pos = {100, 100, 116, 100};
    try (WamPolicy a = WamPolicy.load(ckpt);
        WamPolicy b = WamPolicy.load(ckpt)) {
      assertThat(a.meta().step()).isEqualTo(5);
      assertThat(a.network().getParameters().get(0).getValue().getArray().toFloatArray())
          .containsExactly(direct);
      a.reset(11);
      b.reset(11);
      Plan pa = a.plan(images, pos, true), pb = b.plan(images, pos, true);
      assertThat(pa.actions()).containsExactly(pb.actions());
      assertThat(pa.horizon()).isEqualTo(8);
      assertThat(pa.dreamOffsets()).containsExactly(2, 4);
      assertThat(pa.dreamFrames()).hasSize(2 * 96 * 96 * 3);
      assertThat(a.plan(images, pos, false).hasDream()).isFalse();
    }
  }

  @Test
  void withKeypointsTheHeadReadsOnePairOfCoordinatesPerMapAndFrameAndTheModelTrainsAndPlans()
      throws IOException {
    WamConfig d = tiny();
    WamConfig c =
        new WamConfig(
            null,
            null,
            null,
            d.imageKey(),
            d.stateKey(),
            d.actionKey(),
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
            3,
            2e-3,
            1e-4,
            5,
            1.0,
            0.9,
            5,
            20,
            2,
            2,
            3,
            java.util.List.of(),
            0,
            0,
            3,
            1,
            0);
    Path ckpt = tmp.resolve("keypoints/step-0000003");
    try (WamTrainer trainer = WamTrainer.create(c, loader(c))) {
      for (int i = 0; i < 3; i++) assertThat(trainer.step().action()).isFinite();
      TrainingState.save(trainer, ckpt, "finetune", Map.of(), Map.of(), 1.0, false);
    }
    try (WamPolicy p = WamPolicy.load(ckpt);
        NDManager m = NDManager.newBaseManager(dev.wam4j.model.Engines.PYTORCH)) {
      assertThat(p.network().conditionSize()).isEqualTo(32 + 2 * 2 + 2 * 2 * 3);
      // two samples of two frames: (2, 2 frames x 2 coordinates x 3 maps), each an expectation over
      // the map, inside [-1, 1]
      ai.djl.ndarray.NDArray frames =
          m.randomUniform(-1, 1, new ai.djl.ndarray.types.Shape(4, 3, 96, 96));
      float[] k =
          p.network()
              .keypoints(new ai.djl.training.ParameterStore(m, false), frames, 2, false)
              .toFloatArray();
      assertThat(k).hasSize(2 * 12);
      for (float v : k) assertThat(v).isBetween(-1f, 1f);
      Plan plan = p.plan(new byte[2 * 96 * 96 * 3], new float[] {100, 100, 116, 100}, false);
      assertThat(plan.actions()).hasSize(16);
    }
  }

  @Test
  void aModelWithKeypointsStartedFromOneWithoutPlansExactlyAsItDid() throws IOException {
    WamConfig c = tiny();
    WamConfig k =
        new WamConfig(
            null,
            null,
            null,
            c.imageKey(),
            c.stateKey(),
            c.actionKey(),
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
            3,
            2e-3,
            1e-4,
            5,
            1.0,
            0.9,
            5,
            20,
            2,
            2,
            3,
            java.util.List.of(),
            0,
            0,
            5,
            1,
            0);
    Path plain = tmp.resolve("widen/plain"), widened = tmp.resolve("widen/keypoints");
    try (WamTrainer trainer = WamTrainer.create(c, loader(c))) {
      for (int i = 0; i < 3; i++) trainer.step();
      TrainingState.save(trainer, plain, "finetune", Map.of(), Map.of(), 1.0, false);
    }
    try (WamTrainer trainer = WamTrainer.create(k, loader(k))) {
      InitCheckpoint.initialise(trainer, plain);
      TrainingState.save(trainer, widened, "finetune", Map.of(), Map.of(), 1.0, false);
    }
    byte[] images = new byte[2 * 96 * 96 * 3];
    for (int i = 0; i < images.length; i++) images[i] = (byte) (i * 31);
    try (WamPolicy a = WamPolicy.load(plain);
        WamPolicy b = WamPolicy.load(widened)) {
      a.reset(5);
      b.reset(5);
      float[] pa = a.plan(images, new float[] {100, 120, 110, 130}, false).actions();
      float[] pb = b.plan(images, new float[] {100, 120, 110, 130}, false).actions();
      for (int i = 0; i < pa.length; i++)
        assertThat(pb[i]).isCloseTo(pa[i], org.assertj.core.data.Offset.offset(1e-3f));
    }
  }

  @Test
  void anExportedModelRecordsEveryStageOfComputeBehindIt() throws IOException {
    WamConfig c = tiny();
    Path first = tmp.resolve("lineage/first/step-0000001"),
        second = tmp.resolve("lineage/second/step-0000001");
    try (WamTrainer trainer = WamTrainer.create(c, loader(c))) {
      trainer.step();
      TrainingState.save(trainer, first, "pretrain", Map.of(), Map.of(), 100.0, false);
      TrainingState.save(
          trainer, second, "finetune", Map.of("init", first.toString()), Map.of(), 250.0, false);
    }
    ComputeLineage.write(second.getParent(), java.util.List.of(new ComputeStage("rollouts", 30)));
    Path shipped = tmp.resolve("lineage/shipped");
    CheckpointExport e =
        CheckpointExport.export(
            second, shipped, null, java.util.List.of(new ComputeStage("data generation", 20)));
    assertThat(e.checkpoint()).isEqualTo(second);
    assertThat(e.lineageTrainSeconds()).isEqualTo(400.0);
    try (var files = Files.list(shipped)) {
      assertThat(e.sizeBytes()).isEqualTo(files.mapToLong(p -> p.toFile().length()).sum());
    }
    WamCheckpoint.Meta m = WamCheckpoint.readMeta(shipped);
    assertThat(m.lineage())
        .extracting(ComputeStage::name)
        .containsExactly(
            "data generation", "pretrain first (1 steps)", "rollouts", "finetune second (1 steps)");
    assertThat(m.lineageTrainSeconds()).isEqualTo(400.0);
    assertThat(Files.readString(shipped.resolve("checkpoint.json")))
        .contains("\"lineage_train_seconds\" : 400.0");
    assertThat(Files.readString(shipped.resolve("MODEL_CARD.md")))
        .contains("lineage_train_seconds 400 s")
        .contains("rollouts: 0.5 min");
    // a model trained on from the exported one counts its recorded lineage, whose runs need not
    // exist any more
    Path third = tmp.resolve("lineage/third/step-0000001");
    try (WamTrainer trainer = WamTrainer.create(c, loader(c))) {
      trainer.step();
      TrainingState.save(
          trainer, third, "finetune", Map.of("init", shipped.toString()), Map.of(), 50.0, false);
    }
    FileTrees.delete(tmp.resolve("lineage/first"));
    assertThat(ComputeLineage.of(third, java.util.List.of()))
        .extracting(ComputeStage::seconds)
        .containsExactly(20.0, 100.0, 30.0, 250.0, 50.0);
    // an init checkpoint that is gone, with no recorded lineage: refused, not undercounted
    assertThatThrownBy(() -> ComputeLineage.of(second, java.util.List.of()))
        .isInstanceOf(CheckpointException.class)
        .hasMessageContaining("cannot be counted");
  }

  @Test
  void withVideoEveryTheDreamTrainsOnEveryNthStepOnly() throws IOException {
    WamConfig d = tiny();
    WamConfig c =
        new WamConfig(
            null,
            null,
            null,
            d.imageKey(),
            d.stateKey(),
            d.actionKey(),
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
            3,
            2e-3,
            1e-4,
            5,
            1.0,
            0.9,
            5,
            20,
            2,
            2,
            3,
            java.util.List.of(),
            0,
            0,
            0,
            3,
            0);
    try (WamTrainer trainer = WamTrainer.create(c, loader(c))) {
      for (int i = 0; i < 6; i++) {
        WamTrainer.Losses l = trainer.step();
        if (i % 3 == 0) assertThat(l.video()).as("step " + i).isPositive();
        else assertThat(l.video()).as("step " + i).isZero();
        assertThat(l.action()).isPositive();
        assertThat(l.recon()).isPositive();
      }
    }
  }

  @Test
  void aPoseHeadLearnsWhereTheBlockIsFromRecordedPosesAndItsPredictionFeedsTheActionHead()
      throws IOException {
    Path sim = tmp.resolve("pose/sim");
    dev.wam4j.data.collect.SimCollect.run(
        new dev.wam4j.data.collect.SimCollect.Config(
            dev.wam4j.sim.Embodiment.RobotPusher.reference(),
            null,
            3,
            11,
            dev.wam4j.data.video.VideoEncoding.AV1_LEROBOT),
        sim,
        null);
    WamConfig d = tiny();
    WamConfig c =
        new WamConfig(
            sim.toString(),
            null,
            null,
            d.imageKey(),
            d.stateKey(),
            d.actionKey(),
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
            40,
            3e-3,
            1e-4,
            5,
            1.0,
            0.9,
            5,
            20,
            2,
            2,
            3,
            java.util.List.of(),
            0,
            0,
            4,
            1,
            1.0);
    TrainingLoader loader = TrainingLoader.load(sim, c.loaderConfig(c.seed(), 1), null);
    Path ckpt = tmp.resolve("pose/ckpt");
    try (WamTrainer trainer = WamTrainer.create(c, loader)) {
      double first = 0, last = 0;
      for (int i = 0; i < 40; i++) {
        double pose = trainer.step().pose();
        assertThat(pose).isPositive();
        if (i < 5) first += pose / 5;
        if (i >= 35) last += pose / 5;
      }
      assertThat(last).as("pose loss, first 5 steps %.4f", first).isLessThan(first);
      // validation reports the pose's errors in workspace pixels and degrees
      dev.wam4j.data.loader.TrainingBatch held = loader.newBatch();
      loader.sample(held);
      double[] v = WamRun.validate(trainer, java.util.List.of(held));
      assertThat(v[4]).as("RMS position error, px").isPositive().isLessThan(512 * Math.sqrt(2));
      assertThat(v[5]).as("RMS angle error, degrees").isPositive().isLessThanOrEqualTo(180);
      TrainingState.save(trainer, ckpt, "finetune", Map.of(), Map.of(), 1.0, false);
    }
    try (WamPolicy p = WamPolicy.load(ckpt)) {
      assertThat(p.network().conditionSize()).isEqualTo(32 + 4 + 2 * 2 * 4 + 4);
      assertThat(
              p.plan(new byte[2 * 96 * 96 * 3], new float[] {100, 100, 116, 100}, false).actions())
          .hasSize(16);
    }
    // a plain checkpoint widens into keypoints plus a pose head
    Path plain = tmp.resolve("pose/plain");
    WamConfig p0 =
        new WamConfig(
            sim.toString(),
            null,
            null,
            d.imageKey(),
            d.stateKey(),
            d.actionKey(),
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
            40,
            3e-3,
            1e-4,
            5,
            1.0,
            0.9,
            5,
            20,
            2,
            2,
            3,
            java.util.List.of(),
            0,
            0);
    try (WamTrainer trainer =
        WamTrainer.create(p0, TrainingLoader.load(sim, p0.loaderConfig(0, 1), null))) {
      trainer.step();
      TrainingState.save(trainer, plain, "finetune", Map.of(), Map.of(), 1.0, false);
    }
    try (WamTrainer trainer = WamTrainer.create(c, loader)) {
      InitCheckpoint.initialise(trainer, plain);
      assertThat(trainer.step().pose()).isPositive();
    }
    // and a checkpoint with the same keypoints gains a pose head
    Path keyed = tmp.resolve("pose/keyed");
    WamConfig k0 =
        new WamConfig(
            sim.toString(),
            null,
            null,
            d.imageKey(),
            d.stateKey(),
            d.actionKey(),
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
            40,
            3e-3,
            1e-4,
            5,
            1.0,
            0.9,
            5,
            20,
            2,
            2,
            3,
            java.util.List.of(),
            0,
            0,
            4,
            1,
            0);
    try (WamTrainer trainer =
        WamTrainer.create(k0, TrainingLoader.load(sim, k0.loaderConfig(0, 1), null))) {
      trainer.step();
      TrainingState.save(trainer, keyed, "finetune", Map.of(), Map.of(), 1.0, false);
    }
    Path widened = tmp.resolve("pose/widened");
    try (WamTrainer trainer = WamTrainer.create(c, loader)) {
      InitCheckpoint.initialise(trainer, keyed);
      TrainingState.save(trainer, widened, "finetune", Map.of(), Map.of(), 1.0, false);
      assertThat(trainer.step().pose()).isPositive();
    }
    // before any training the widened network plans what the checkpoint planned: the pose enters
    // through zero weights
    byte[] frames = new byte[2 * 96 * 96 * 3];
    java.util.Arrays.fill(frames, (byte) 90);
    try (WamPolicy before = WamPolicy.load(keyed);
        WamPolicy after = WamPolicy.load(widened)) {
      before.reset(3);
      after.reset(3);
      float[] a = before.plan(frames, new float[] {100, 100, 116, 100}, false).actions();
      float[] b = after.plan(frames, new float[] {100, 100, 116, 100}, false).actions();
      for (int i = 0; i < a.length; i++)
        assertThat(b[i])
            .as("action value %d", i)
            .isCloseTo(a[i], org.assertj.core.data.Offset.offset(1e-3f));
    }
  }

  @Test
  void aCheckpointWrittenBeforeNewerConfigFieldsReadsThemAsTheirDefaults() throws IOException {
    WamConfig c = tiny();
    Path ckpt = tmp.resolve("older/step-0000001");
    savedAfterOneStep(c, ckpt);
    OlderCheckpoints.withoutFields(
        ckpt,
        "keypoints",
        "videoEvery",
        "poseWeight",
        "relativeActions",
        "actionScalePixels",
        "sampleNoise");
    WamConfig read = WamCheckpoint.readMeta(ckpt).config();
    assertThat(read.videoEvery()).isEqualTo(1);
    assertThat(read.keypoints()).isZero();
    assertThat(read.poseWeight()).isZero();
    assertThat(read.relativeActions()).isFalse();
    assertThat(read.sampleNoise()).isEqualTo(1.0);
    assertThat(read).isEqualTo(c);
  }

  @Test
  void aCorruptedCheckpointIsRefusedNamingTheFile() throws IOException {
    WamConfig c = tiny();
    Path ckpt = tmp.resolve("corrupt/step-0000001");
    savedAfterOneStep(c, ckpt);
    byte[] bytes = Files.readAllBytes(ckpt.resolve("policy.ndlist"));
    bytes[bytes.length / 2] ^= 0x5a;
    Files.write(ckpt.resolve("policy.ndlist"), bytes);
    assertThatThrownBy(() -> WamPolicy.load(ckpt))
        .isInstanceOf(CheckpointException.class)
        .hasMessageContaining("policy.ndlist is corrupted");
    assertThatThrownBy(() -> WamPolicy.load(tmp.resolve("nothing-here")))
        .isInstanceOf(CheckpointException.class)
        .hasMessageContaining("not a wam checkpoint");
  }

  @Test
  void aCheckpointOfAnotherArchitectureIsRefusedNamingTheFields() {
    WamConfig a = tiny();
    WamConfig d = tiny();
    WamConfig b =
        new WamConfig(
            null,
            null,
            null,
            d.imageKey(),
            d.stateKey(),
            d.actionKey(),
            96,
            512,
            2,
            8,
            4,
            2,
            2,
            4,
            8,
            32,
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
            40,
            2e-3,
            1e-4,
            5,
            1.0,
            0.9,
            5,
            20,
            2,
            2,
            3,
            java.util.List.of(),
            0,
            0);
    assertThat(ConfigDifferences.architecture(a, b))
        .containsExactly("dynamicsChannels: checkpoint 16, config 32");
    assertThat(ConfigDifferences.architecture(a, a)).isEmpty();
  }

  @Test
  void theShiftAugmentationMovesAFrameAndRepeatsItsEdges() {
    int size = 4;
    byte[] in = new byte[size * size * 3], out = new byte[in.length];
    for (int y = 0; y < size; y++)
      for (int x = 0; x < size; x++) in[(y * size + x) * 3] = (byte) (10 * y + x);
    WamTrainer.shiftFrame(in, out, 0, size, 1, -1); // out(x, y) = in(x + 1, y - 1), clamped
    assertThat(out[0]).isEqualTo((byte) 1); // (0,0) <- (1,0): y - 1 clamps to 0
    assertThat(out[(1 * size + 0) * 3]).isEqualTo((byte) 1); // (0,1) <- (1,0)
    assertThat(out[(2 * size + 3) * 3]).isEqualTo((byte) 13); // (3,2) <- (3 clamped,1)
    WamTrainer.shiftFrame(in, out, 0, size, 0, 0);
    assertThat(out).containsExactly(in);
  }

  @Test
  void trainingWithShiftAugmentationAndAnExtraDatasetRuns() throws IOException {
    WamConfig c = tiny().withExtraDatasets(java.util.List.of(dataset.toString()));
    WamConfig shifted =
        new WamConfig(
            null,
            null,
            null,
            c.imageKey(),
            c.stateKey(),
            c.actionKey(),
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
            3,
            2e-3,
            1e-4,
            5,
            1.0,
            0.9,
            5,
            20,
            2,
            2,
            3,
            java.util.List.of(),
            4,
            0);
    TrainingLoader doubled =
        TrainingLoader.concat(
            shifted.loaderConfig(3, 1), java.util.List.of(loader(shifted), loader(shifted)));
    assertThat(doubled.episodes()).isEqualTo(8);
    assertThat(doubled.frames()).isEqualTo(2 * 4 * 24);
    try (WamTrainer trainer = WamTrainer.create(shifted, doubled)) {
      for (int i = 0; i < 3; i++) assertThat(trainer.step().total()).isFinite();
    }
  }

  /**
   * The bug behind NaN gradients at random steps on some machines: DJL's {@code x.mul(2f)} makes
   * the scalar a tensor over a Java direct buffer and closes it at once while autograd keeps it; a
   * garbage collection before backward freed it. The forward pass must keep everything backward
   * reads alive.
   */
  @Test
  void aGarbageCollectionBetweenForwardAndBackwardLeavesTheGradientUnchanged() throws Exception {
    WamConfig c = tiny();
    float[] calm = firstGradient(c, false), collected = firstGradient(c, true);
    for (float g : calm) assertThat(g).isFinite();
    assertThat(calm).isNotEqualTo(new float[calm.length]);
    assertThat(collected).containsExactly(calm);
  }

  /**
   * Every weight's gradient after one forward and backward pass on the first batch, concatenated.
   */
  private static float[] firstGradient(WamConfig c, boolean collectGarbageBeforeBackward)
      throws Exception {
    TrainingLoader loader = loader(c);
    var batch = loader.newBatch();
    loader.sample(batch);
    try (WamTrainer trainer = WamTrainer.create(c, loader);
        NDScope scope = new NDScope()) {
      scope.suppressNotUsedWarning();
      NDManager m = trainer.model().getNDManager();
      try (GradientCollector collector = m.getEngine().newGradientCollector()) {
        NDArray[] terms =
            trainer.losses(new ParameterStore(m, false), m, batch, new SplittableRandom(7), true);
        if (collectGarbageBeforeBackward) freeUnreachableDirectBuffersAndReuseTheirMemory();
        collector.backward(terms[0]);
      }
      java.util.List<Float> all = new java.util.ArrayList<>();
      for (var p : trainer.optimizer().parameters()) {
        for (float g : p.getArray().getGradient().toFloatArray()) all.add(g);
      }
      float[] grads = new float[all.size()];
      for (int i = 0; i < grads.length; i++) grads[i] = all.get(i);
      return grads;
    }
  }

  /**
   * Runs the collector until the direct buffers' cleaners have run, then fills freed memory with
   * NaN.
   */
  private static void freeUnreachableDirectBuffersAndReuseTheirMemory()
      throws InterruptedException {
    java.lang.ref.WeakReference<java.nio.ByteBuffer> probe =
        new java.lang.ref.WeakReference<>(java.nio.ByteBuffer.allocateDirect(4));
    for (int i = 0; i < 3 || (probe.get() != null && i < 40); i++) {
      System.gc();
      Thread.sleep(50);
    }
    assertThat(probe.get()).as("a garbage collection ran (not -XX:+DisableExplicitGC)").isNull();
    java.util.List<java.nio.ByteBuffer> reuse = new java.util.ArrayList<>();
    for (int i = 0; i < 4096; i++) {
      java.nio.ByteBuffer b =
          java.nio.ByteBuffer.allocateDirect(4 * (1 + i % 8))
              .order(java.nio.ByteOrder.nativeOrder());
      while (b.remaining() >= 4) b.putFloat(Float.NaN);
      reuse.add(b);
    }
  }

  @Test
  void relativeActionTargetsAreOffsetsFromTheCurrentPositionAndInvertToWorkspacePixels()
      throws IOException {
    WamConfig rel =
        WamRun.parseConfig(
            WamCheckpoint.JSON.readTree(
                "{\"dataset\": \"d\", \"actionHorizon\": 2, \"executeSteps\": 1, \"relativeActions\": true, \"actionScalePixels\": 50}"),
            Path.of("."),
            "test");
    float[] states = {
      0, 0, 100, 200, /* sample 2 */ 10, 10, 300, 400
    }; // 2 samples x 2 history frames x (x, y)
    float[] actions = {150, 200, 100, 100, /* sample 2 */ 300, 450, 250, 400};
    float[] targets = new float[actions.length];
    ActionFrame.targets(rel, actions, states, targets);
    // relative to the last state of each sample, in units of 50 px
    assertThat(targets).containsExactly(1f, 0f, 0f, -2f, 0f, 1f, -1f, 0f);
    float[] back = java.util.Arrays.copyOfRange(targets, 4, 8);
    ActionFrame.actions(rel, back, new float[] {10, 10, 300, 400});
    assertThat(back).containsExactly(300f, 450f, 250f, 400f);

    WamConfig abs = WamConfig.defaults();
    float[] normalised = new float[2];
    ActionFrame.targets(abs, new float[] {0, 512}, new float[] {5, 5, 5, 5}, normalised);
    assertThat(normalised)
        .containsExactly(-1f, 1f); // absolute: the workspace to [-1, 1], whatever the position
  }

  @Test
  void poseErrorsAreInPixelsAndDegreesWithAnglesWrappedAcrossPlusMinus180() {
    double a = Math.toRadians(179), b = Math.toRadians(-179);
    float[] predicted = {
      0.1f, 0f, (float) Math.cos(a), (float) Math.sin(a), /* masked */ 1f, 1f, 1f, 0f
    };
    float[] target = {0f, 0f, (float) Math.cos(b), (float) Math.sin(b), -1f, -1f, 1f, 0f};
    double[] e = WamTrainer.poseErrors(predicted, target, new float[] {1, 0}, 256);
    assertThat(e[2]).isEqualTo(1);
    assertThat(e[0])
        .isCloseTo(25.6 * 25.6, org.assertj.core.data.Offset.offset(1e-3)); // 0.1 of 256 px in x
    assertThat(Math.sqrt(e[1]))
        .isCloseTo(2.0, org.assertj.core.data.Offset.offset(1e-4)); // 179 vs -179 degrees: 2 apart
  }

  /** A checkpoint of {@code c} after one training step. */
  private static void savedAfterOneStep(WamConfig c, Path ckpt) throws IOException {
    try (WamTrainer trainer = WamTrainer.create(c, loader(c))) {
      trainer.step();
      TrainingState.save(trainer, ckpt, "finetune", Map.of(), Map.of(), 1.0, false);
    }
  }
}
