package dev.wam4j.model.wam;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wam4j.data.loader.TrainingLoader;
import dev.wam4j.model.Engines;
import dev.wam4j.model.imagine.ImaginationPolicy;
import dev.wam4j.model.load.ChunkPolicies;
import dev.wam4j.model.policy.ChunkPolicy;
import dev.wam4j.model.policy.Plan;
import dev.wam4j.model.policy.PlanSettings;
import dev.wam4j.sim.render.SceneLook;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The action-conditioned dream branch: an old checkpoint grows one without changing its actions, a
 * dreamOnly run trains it and the decoder alone, its dream follows the chunk it is given, the pixel
 * loss can weigh what moves, imagination samples candidate chunks (one of them: the plain plan's)
 * and plans with the dream of the chunk it executes, and a model exported with imagination loads
 * planning so.
 */
class WamDreamBranchTest {
  @TempDir static Path tmp;
  static Path dataset;

  /**
   * A checkpoint of a network without a dream branch, its checkpoint.json stripped of the dream's
   * config fields and of imagination's: one written before they existed.
   */
  static Path old;

  static final byte[] IMAGES = new byte[2 * 96 * 96 * 3];
  static final float[] POSITIONS = {100, 120, 116, 120};

  @BeforeAll
  static void writeDatasetAndAnOldCheckpoint() throws IOException {
    dataset = Glide.write(tmp.resolve("glide"), true, false);
    for (int i = 0; i < IMAGES.length; i++) IMAGES[i] = (byte) (i * 31);
    WamConfig plain = config();
    old = tmp.resolve("old");
    try (WamTrainer trainer = WamTrainer.create(plain, loader(plain))) {
      for (int i = 0; i < 2; i++) trainer.step();
      TrainingState.save(trainer, old, "finetune", Map.of(), Map.of(), 1.0, false);
    }
    OlderCheckpoints.withoutFields(
        old,
        "dreamFromActions",
        "dreamChannels",
        "dreamBlocks",
        "dreamOnly",
        "movingPixelWeight",
        "imagineCandidates");
  }

  /**
   * The tiny Glide network (horizon 8, 2 future frames at stride 2) with JSON overrides of the
   * defaults.
   */
  static WamConfig config(String... overrides) {
    ObjectNode o = WamCheckpoint.JSON.createObjectNode();
    o.put("dataset", dataset == null ? "unused" : dataset.toString());
    Map<String, Object> fields =
        new HashMap<>(
            Map.of(
                "actionHorizon",
                8,
                "executeSteps",
                4,
                "futureStride",
                2,
                "latentChannels",
                4,
                "encoderChannels",
                8,
                "dynamicsChannels",
                16,
                "dynamicsBlocks",
                1,
                "featureSize",
                32,
                "headWidth",
                64,
                "headLayers",
                2));
    fields.putAll(
        Map.of(
            "batchSize",
            8,
            "flowSamples",
            2,
            "sampleSteps",
            4,
            "learningRate",
            2e-3,
            "threads",
            2,
            "shiftPixels",
            2,
            "seed",
            3));
    for (int i = 0; i < overrides.length; i += 2) {
      String v = overrides[i + 1];
      fields.put(
          overrides[i],
          v.equals("true") || v.equals("false")
              ? (Object) Boolean.parseBoolean(v)
              : v.matches("-?\\d+")
                  ? (Object) Integer.parseInt(v)
                  : v.matches("-?[\\d.]+") ? (Object) Double.parseDouble(v) : v);
    }
    fields.forEach((k, v) -> o.set(k, WamCheckpoint.JSON.valueToTree(v)));
    return WamRun.parseConfig(o, tmp, "test config");
  }

  /** {@link #config} with a small dream branch (16 channels, 2 blocks). */
  static WamConfig dreaming(String... overrides) {
    String[] all = new String[6 + overrides.length];
    System.arraycopy(
        new String[] {"dreamFromActions", "true", "dreamChannels", "16", "dreamBlocks", "2"},
        0,
        all,
        0,
        6);
    System.arraycopy(overrides, 0, all, 6, overrides.length);
    return config(all);
  }

  static TrainingLoader loader(WamConfig c) throws IOException {
    return TrainingLoader.load(dataset, c.loaderConfig(c.seed(), 1), null);
  }

  /** A dreamOnly run of {@code steps} steps from {@link #old}, saved as {@code name}. */
  static Path dreamOnly(String name, int steps) throws IOException {
    WamConfig c = dreaming("dreamOnly", "true", "init", old.toString(), "movingPixelWeight", "4");
    Path ckpt = tmp.resolve(name);
    try (WamTrainer trainer = WamTrainer.create(c, loader(c))) {
      InitCheckpoint.initialise(trainer, old);
      for (int i = 0; i < steps; i++) trainer.step();
      TrainingState.save(trainer, ckpt, "finetune", Map.of(), Map.of(), 1.0, false);
    }
    return ckpt;
  }

  @Test
  void aCheckpointWithoutTheBranchReadsTheDreamFieldsAsTheirDefaults() throws IOException {
    WamConfig read = WamCheckpoint.readMeta(old).config();
    assertThat(read).isEqualTo(config());
    assertThat(read.dreamFromActions()).isFalse();
    assertThat(read.dreamOnly()).isFalse();
    assertThat(read.movingPixelWeight()).isZero();
    assertThat(read.imagineCandidates()).as("plans without imagination").isEqualTo(1);
    WamConfig d = WamConfig.defaults();
    assertThat(d.dreamChannels()).isEqualTo(64);
    assertThat(d.dreamBlocks()).isEqualTo(3);
  }

  @Test
  void anOldCheckpointStartsADreamRunWithEveryWeightCopiedTheSameActionsAndACopyLastDream()
      throws IOException {
    WamConfig c = dreaming("init", old.toString());
    Path grown = tmp.resolve("grown");
    try (WamTrainer trainer = WamTrainer.create(c, loader(c))) {
      InitCheckpoint.initialise(trainer, old);
      TrainingState.save(trainer, grown, "finetune", Map.of(), Map.of(), 1.0, false);
    }
    Map<String, float[]> before = policyWeights(old), after = policyWeights(grown);
    int branch = 0;
    for (Map.Entry<String, float[]> w : after.entrySet()) {
      if (WamNetwork.isDreamBranch(w.getKey())) branch++;
      else assertThat(w.getValue()).as(w.getKey()).containsExactly(before.get(w.getKey()));
    }
    assertThat(after.size() - before.size()).isEqualTo(branch);
    assertThat(branch)
        .as("dream_in, 2 blocks of 2 convolutions, dream_out: weight and bias each")
        .isEqualTo(2 * (1 + 2 * 2 + 1));
    try (WamPolicy a = WamPolicy.load(old);
        WamPolicy b = WamPolicy.load(grown)) {
      a.reset(7);
      b.reset(7);
      for (int i = 0; i < 2; i++) {
        Plan pa = a.plan(IMAGES, POSITIONS, true), pb = b.plan(IMAGES, POSITIONS, true);
        assertThat(pb.actions()).containsExactly(pa.actions());
        assertThat(pb.dreamOffsets()).containsExactly(2, 4);
        // a fresh branch predicts no change: each dreamed latent is the observation's
        float[] now = pb.signals().observationLatent(), dreamed = pb.signals().dreamLatents();
        for (int k = 0; k < 2; k++)
          assertThat(java.util.Arrays.copyOfRange(dreamed, k * now.length, (k + 1) * now.length))
              .containsExactly(now);
      }
    }
    WamConfig otherTrunk = dreaming("dynamicsChannels", "32", "init", old.toString());
    try (WamTrainer trainer = WamTrainer.create(otherTrunk, loader(otherTrunk))) {
      assertThatThrownBy(() -> InitCheckpoint.initialise(trainer, old))
          .hasMessageContaining("dynamicsChannels: checkpoint 16, config 32")
          .hasMessageContaining("dreamFromActions: checkpoint false, config true");
    }
  }

  @Test
  void aDreamOnlyRunMovesTheBranchAndTheDecoderAndNoOtherWeightSoTheActionsStayBitIdentical()
      throws IOException {
    WamConfig c = dreaming("dreamOnly", "true", "init", old.toString(), "movingPixelWeight", "4");
    Map<String, float[]> initial = policyWeights(old);
    Path trained = tmp.resolve("dream-only");
    try (WamTrainer trainer = WamTrainer.create(c, loader(c))) {
      InitCheckpoint.initialise(trainer, old);
      Map<String, float[]> fresh = weights(trainer);
      for (int i = 0; i < 4; i++) {
        WamTrainer.Losses l = trainer.step();
        assertThat(l.video()).isPositive();
        assertThat(l.action()).isZero();
        assertThat(l.recon()).isZero();
        assertThat(l.total()).isCloseTo(l.video() * c.videoWeight(), Offset.offset(1e-6));
      }
      int moved = 0;
      for (Map.Entry<String, float[]> w : weights(trainer).entrySet()) {
        String name = w.getKey();
        if (WamNetwork.isDreamBranch(name) || WamNetwork.isDecoder(name)) {
          assertThat(w.getValue()).as(name).isNotEqualTo(fresh.get(name));
          moved++;
        } else {
          assertThat(w.getValue()).as(name).containsExactly(initial.get(name));
        }
      }
      assertThat(moved).as("the branch's 12 and the decoder's 8 weights").isEqualTo(12 + 8);
      TrainingState.save(trainer, trained, "finetune", Map.of(), Map.of(), 1.0, false);
    }
    Map<String, float[]> saved = policyWeights(trained); // the moving average the policy runs
    for (String name : initial.keySet()) {
      if (!WamNetwork.isDecoder(name))
        assertThat(saved.get(name)).as(name).containsExactly(initial.get(name));
    }
    try (WamPolicy a = WamPolicy.load(old);
        WamPolicy b = WamPolicy.load(trained)) {
      a.reset(11);
      b.reset(11);
      for (int i = 0; i < 3; i++)
        assertThat(b.plan(IMAGES, POSITIONS, i == 0).actions())
            .containsExactly(a.plan(IMAGES, POSITIONS, false).actions());
    }
  }

  @Test
  void theDreamFollowsTheChunkItIsGivenAndThePlanDreamsItsOwnChunk() throws IOException {
    Path trained = dreamOnly("follows", 3);
    float[] right = new float[16], left = new float[16];
    for (int j = 0; j < 8; j++) {
      right[2 * j] = 116 + 20 * (j + 1);
      right[2 * j + 1] = 120;
      left[2 * j] = 116 - 20 * (j + 1);
      left[2 * j + 1] = 120;
    }
    try (WamPolicy p = WamPolicy.load(trained)) {
      Dreams d = p.dreamOf(IMAGES, POSITIONS, new float[][] {right, left, right});
      assertThat(d.candidates()).isEqualTo(3);
      assertThat(d.offsets()).containsExactly(2, 4);
      assertThat(d.frames()[0]).hasSize(2 * 96 * 96 * 3);
      assertThat(d.latents()[0]).hasSize(2 * 4 * 12 * 12);
      assertThat(d.latents()[1]).as("another chunk, another dream").isNotEqualTo(d.latents()[0]);
      assertThat(d.latents()[2])
          .as("the same chunk, the same dream")
          .containsExactly(d.latents()[0]);
      assertThat(d.frames()[2]).containsExactly(d.frames()[0]);

      p.reset(5);
      Plan plan = p.plan(IMAGES, POSITIONS, true);
      Dreams own = p.dreamOf(IMAGES, POSITIONS, new float[][] {plan.actions()});
      assertThat(plan.signals().dreamLatents()).containsExactly(own.latents()[0]);
      assertThat(plan.dreamFrames()).containsExactly(own.frames()[0]);
      assertThatThrownBy(() -> p.dreamOf(IMAGES, POSITIONS, new float[][] {new float[4]}))
          .hasMessageContaining("chunk 0 holds 4 values, expected 16");
    }
    try (WamPolicy p = WamPolicy.load(old)) {
      assertThatThrownBy(() -> p.dreamOf(IMAGES, POSITIONS, new float[][] {right}))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("dreamFromActions false");
    }
  }

  @Test
  void imaginingOneCandidateSamplesExactlyThePlainPlansChunkAndDreamAndMoreSampleEachTheirOwn()
      throws IOException {
    Path trained = dreamOnly("imagine", 3);
    try (WamPolicy p = WamPolicy.load(trained)) {
      p.reset(5);
      Plan plan = p.plan(IMAGES, POSITIONS, true);
      p.reset(5);
      Imagination one = p.imagine(IMAGES, POSITIONS, 1);
      assertThat(one.chunks()[0]).containsExactly(plan.actions());
      assertThat(one.dreams().latents()[0]).containsExactly(plan.signals().dreamLatents());
      assertThat(one.dreams().frames()[0]).containsExactly(plan.dreamFrames());
      assertThat(one.observationLatent()).containsExactly(plan.signals().observationLatent());
      Plan replayed = one.plan(0, true, plan.seconds());
      assertThat(replayed.dreamOffsets()).containsExactly(plan.dreamOffsets());
      assertThat(one.plan(0, false, 0).hasDream()).isFalse();

      p.reset(5);
      Imagination four = p.imagine(IMAGES, POSITIONS, 4);
      assertThat(four.candidates()).isEqualTo(4);
      // the first candidate's noise is the plain plan's; a batch of four may round differently from
      // a batch of one
      for (int j = 0; j < plan.actions().length; j++)
        assertThat(four.chunks()[0][j]).isCloseTo(plan.actions()[j], Offset.offset(1e-2f));
      for (int i = 1; i < 4; i++)
        assertThat(four.chunks()[i])
            .as("candidate %d has its own noise", i)
            .isNotEqualTo(four.chunks()[i - 1]);
      p.reset(5);
      Imagination again = p.imagine(IMAGES, POSITIONS, 4);
      for (int i = 0; i < 4; i++) {
        assertThat(again.chunks()[i])
            .as("the same seed, the same candidates")
            .containsExactly(four.chunks()[i]);
        assertThat(again.dreams().latents()[i]).containsExactly(four.dreams().latents()[i]);
      }
      assertThatThrownBy(() -> p.imagine(IMAGES, POSITIONS, 0))
          .hasMessageContaining("imagine: candidates must lie in 1..64, got 0");
    }
    try (WamPolicy p = WamPolicy.load(old)) {
      assertThatThrownBy(() -> p.imagine(IMAGES, POSITIONS, 2))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining(
              "imagine: the checkpoint has no dream branch (dreamFromActions false)");
    }
  }

  @Test
  void theImaginationPlannerOfOneIsThePlainPolicyAndOfManyExecutesACandidateWithItsOwnDream()
      throws IOException {
    Path trained = dreamOnly("planner", 3);
    SceneLook look = SceneLook.pushtReference();
    try (WamPolicy plain = WamPolicy.load(trained);
        ChunkPolicy one = ImaginationPolicy.of(WamPolicy.load(trained), 1, look)) {
      plain.reset(9);
      one.reset(9);
      for (int i = 0; i < 2; i++) {
        Plan a = plain.plan(IMAGES, POSITIONS, i == 0), b = one.plan(IMAGES, POSITIONS, i == 0);
        assertThat(b.actions()).containsExactly(a.actions());
        assertThat(b.dreamFrames()).containsExactly(a.dreamFrames());
        assertThat(b.signals().dreamLatents()).containsExactly(a.signals().dreamLatents());
      }
    }
    try (WamPolicy p = WamPolicy.load(trained);
        ImaginationPolicy planner = ImaginationPolicy.of(WamPolicy.load(trained), 4, look)) {
      assertThat(planner.candidates()).isEqualTo(4);
      p.reset(9);
      planner.reset(9);
      Imagination candidates = p.imagine(IMAGES, POSITIONS, 4);
      Plan plan = planner.plan(IMAGES, POSITIONS, true);
      int chosen = -1;
      for (int i = 0; i < 4; i++)
        if (java.util.Arrays.equals(candidates.chunks()[i], plan.actions())) chosen = i;
      assertThat(chosen).as("the plan executes one of the candidates").isNotNegative();
      assertThat(plan.dreamFrames())
          .as("and carries that candidate's dream")
          .containsExactly(candidates.dreams().frames()[chosen]);
      assertThat(plan.signals().dreamLatents())
          .containsExactly(candidates.dreams().latents()[chosen]);
      assertThat(plan.signals().observationLatent())
          .containsExactly(candidates.observationLatent());
      assertThat(planner.plan(IMAGES, POSITIONS, false).hasDream())
          .as("no dream asked for, none carried")
          .isFalse();
    }
    assertThatThrownBy(() -> ImaginationPolicy.of(WamPolicy.load(old), 4, look))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("dream branch (dreamFromActions true)");
    assertThatThrownBy(() -> ImaginationPolicy.of(WamPolicy.load(trained), 65, look))
        .hasMessageContaining("must lie in 1..64, got 65");
  }

  @Test
  void theDreamPlanesPutEachPointsBumpOnItsCellAndItsOffsetsFollowTheShift() {
    WamConfig c = dreaming();
    int cells = 144, per = DreamPlanes.channels(c) * cells;
    assertThat(DreamPlanes.channels(c))
        .isEqualTo(3 * (2 + 4)); // 2 history positions, actions up to 2 frames at stride 2
    // the centre of cell (x 3, y 5): normalised ((2*3+1)/12 - 1, (2*5+1)/12 - 1), in workspace
    // pixels
    float x = (float) (7.0 / 12 * 256), y = (float) (11.0 / 12 * 256);
    float[] positions = {0, 0, x, y};
    float[] chunk = new float[16];
    for (int j = 0; j < 8; j++) {
      chunk[2 * j] = 512;
      chunk[2 * j + 1] = 0;
    }
    float[] out = new float[per];
    DreamPlanes.fill(c, positions, chunk, 1, null, null, out);
    int current = 3 * cells, cell = 5 * 12 + 3; // the second point's planes
    assertThat(out[current + cell]).isCloseTo(0f, Offset.offset(1e-5f));
    assertThat(out[current + cells + cell]).isCloseTo(0f, Offset.offset(1e-5f));
    assertThat(out[current + 2 * cells + cell]).isCloseTo(1f, Offset.offset(1e-5f));
    assertThat(out[current + 2 * cells + cell + 1])
        .as("one cell on: exp(-1/2)")
        .isCloseTo((float) Math.exp(-0.5), Offset.offset(1e-5f));
    int target =
        2 * 3 * cells; // the first action: the workspace's top right corner, offset from cell (0,
    // 0)'s centre
    assertThat(out[target]).isCloseTo(1 - (1f / 12 - 1), Offset.offset(1e-5f));
    assertThat(out[target + cells]).isCloseTo(-1 - (1f / 12 - 1), Offset.offset(1e-5f));
    float[] shifted = new float[per];
    DreamPlanes.fill(c, positions, chunk, 1, new int[] {3}, new int[] {0}, shifted);
    // frames shifted 3 pixels show everything 3 pixels left: 3 * 512/96 workspace pixels, in units
    // of 256
    assertThat(shifted[current + cell]).isCloseTo(-3 * 512f / 96 / 256, Offset.offset(1e-5f));
    assertThat(shifted[current + cells + cell]).isCloseTo(0f, Offset.offset(1e-5f));
  }

  @Test
  void movingPixelWeightZeroIsThePlainMeanAndAPositiveOneWeighsTheChangedPixelsOfEachSample() {
    // 2 samples of 2 history and 2 future frames of one pixel each; the prediction is 0 everywhere
    WamConfig plain = config(), moving = config("movingPixelWeight", "3");
    try (NDManager m = Engines.pytorch().newBaseManager()) {
      NDArray history =
          m.create(
              new float[] {
                0, 0, 0, /* current */ 0, 0, 0, /* sample 2 */ .5f, .5f, .5f, /* current */ .2f,
                .2f, .2f
              },
              new Shape(4, 3, 1, 1));
      // sample 1: unchanged, then red +0.6 (mean change 0.2: moving); sample 2: unchanged, then red
      // -0.4 (0.133: moving)
      NDArray future =
          m.create(
              new float[] {0, 0, 0, .6f, 0, 0, .2f, .2f, .2f, -.2f, .2f, .2f},
              new Shape(4, 3, 1, 1));
      NDArray predicted = m.zeros(new Shape(4, 3, 1, 1));
      float mse = WamTrainer.pixelLoss(m, predicted, future, history, plain).getFloat();
      assertThat(mse).isEqualTo(predicted.sub(future).square().mean().getFloat());
      assertThat(mse).isCloseTo((0 + .36f + .12f + .12f) / 12, Offset.offset(1e-6f));
      // the changed frames weigh 1 + 3; sample 2's first frame, equal to its current one, weighs 1
      float weighted = WamTrainer.pixelLoss(m, predicted, future, history, moving).getFloat();
      assertThat(weighted).isCloseTo((4 * .36f + .12f + 4 * .12f) / 12, Offset.offset(1e-6f));
    }
  }

  @Test
  void theDreamSettingsAreRefusedNamingTheFieldsTheyNeed() {
    assertThatThrownBy(() -> config("dreamOnly", "true", "init", "x"))
        .hasMessageContaining("test config")
        .hasMessageContaining("dreamOnly trains the dream branch alone: it needs dreamFromActions");
    assertThatThrownBy(() -> config("dreamOnly", "true", "dreamFromActions", "true"))
        .hasMessageContaining("dreamOnly")
        .hasMessageContaining("set init");
    assertThatThrownBy(
            () ->
                config(
                    "dreamOnly",
                    "true",
                    "dreamFromActions",
                    "true",
                    "init",
                    "x",
                    "videoEvery",
                    "2"))
        .hasMessageContaining("videoEvery 1, got 2");
    assertThatThrownBy(
            () ->
                config(
                    "dreamOnly",
                    "true",
                    "dreamFromActions",
                    "true",
                    "init",
                    "x",
                    "videoWeight",
                    "0"))
        .hasMessageContaining("videoWeight > 0");
    assertThatThrownBy(() -> dreaming("futureStride", "5"))
        .hasMessageContaining("futureFrames * futureStride (10) must not exceed actionHorizon (8)");
    assertThatThrownBy(() -> config("movingPixelWeight", "-1"))
        .hasMessageContaining("movingPixelWeight must be finite and >= 0, got -1.0");
    assertThatThrownBy(() -> dreaming("dreamChannels", "0"))
        .hasMessageContaining("dreamChannels must be >= 1, got 0");
  }

  @Test
  void imagineCandidatesDefaultToThePlainPolicyLieIn1To64AndAboveOneNeedADreamBranch() {
    assertThat(WamConfig.defaults().imagineCandidates()).isEqualTo(1);
    assertThat(dreaming("imagineCandidates", "64").imagineCandidates()).isEqualTo(64);
    assertThatThrownBy(() -> config("imagineCandidates", "4"))
        .hasMessageContaining("test config")
        .hasMessageContaining(
            "imagineCandidates 4 plans by dreaming each candidate chunk: it needs a checkpoint with a dream branch "
                + "(dreamFromActions true)");
    assertThatThrownBy(() -> dreaming("imagineCandidates", "65"))
        .hasMessageContaining("imagineCandidates must lie in 1..64, got 65");
    assertThatThrownBy(() -> dreaming("imagineCandidates", "0"))
        .hasMessageContaining("imagineCandidates must lie in 1..64, got 0");
    assertThatThrownBy(() -> new PlanSettings(null, null, null, 0))
        .hasMessageContaining("imagine candidates must be >= 1, got 0");
  }

  @Test
  void aModelExportedWithImaginationShipsItInConfigAndCardAndLoadsPlanningByItUnlessTurnedOff()
      throws IOException {
    Path trained = dreamOnly("to-ship", 1), shipped = tmp.resolve("shipped-imagining");
    CheckpointExport.export(
        trained, shipped, null, List.of(), PlanSettings.CHECKPOINT.withImagineCandidates(4));
    assertThat(WamCheckpoint.readMeta(shipped).config().imagineCandidates()).isEqualTo(4);
    assertThat(Files.readString(shipped.resolve("MODEL_CARD.md")))
        .contains(
            "\n- Plans by imagination: 4 candidate chunks, the one whose dream covers the goal best\n");
    assertThat(Files.readString(trained.resolve("MODEL_CARD.md"))).doesNotContain("imagination");
    try (ChunkPolicy p = ChunkPolicies.load(shipped)) {
      assertThat(p).isInstanceOf(ImaginationPolicy.class);
      assertThat(((ImaginationPolicy) p).candidates()).isEqualTo(4);
    }
    try (ChunkPolicy off =
            ChunkPolicies.load(shipped, PlanSettings.CHECKPOINT.withImagineCandidates(1));
        WamPolicy plain = WamPolicy.load(trained)) {
      assertThat(off).as("imagination turned off: the plain policy").isInstanceOf(WamPolicy.class);
      off.reset(5);
      plain.reset(5);
      assertThat(off.plan(IMAGES, POSITIONS, false).actions())
          .containsExactly(plain.plan(IMAGES, POSITIONS, false).actions());
    }
    try (ChunkPolicy p =
        ChunkPolicies.load(trained, PlanSettings.CHECKPOINT.withImagineCandidates(2))) {
      assertThat(((ImaginationPolicy) p).candidates())
          .as("asked of a checkpoint that ships none")
          .isEqualTo(2);
    }
  }

  @Test
  void imaginationIsRefusedOfACheckpointWithoutADreamBranchWhichLoadsAsThePlainPolicy()
      throws IOException {
    Path never = tmp.resolve("never-shipped");
    assertThatThrownBy(
            () ->
                CheckpointExport.export(
                    old, never, null, List.of(), PlanSettings.CHECKPOINT.withImagineCandidates(4)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("imagineCandidates 4")
        .hasMessageContaining("dream branch (dreamFromActions true)");
    assertThat(never).doesNotExist();
    assertThatThrownBy(
            () -> ChunkPolicies.load(old, PlanSettings.CHECKPOINT.withImagineCandidates(2)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("imagineCandidates 2");
    try (ChunkPolicy p = ChunkPolicies.load(old)) {
      assertThat(p).isInstanceOf(WamPolicy.class);
    }
  }

  private static Map<String, float[]> weights(WamTrainer trainer) {
    Map<String, float[]> out = new HashMap<>();
    for (Pair<String, Parameter> p : trainer.network().getParameters())
      out.put(p.getKey(), p.getValue().getArray().toFloatArray());
    return out;
  }

  private static Map<String, float[]> policyWeights(Path checkpoint) throws IOException {
    try (WamPolicy p = WamPolicy.load(checkpoint)) {
      Map<String, float[]> out = new HashMap<>();
      for (Pair<String, Parameter> w : p.network().getParameters())
        out.put(w.getKey(), w.getValue().getArray().toFloatArray());
      return out;
    }
  }
}
