package dev.wam4j.model.wam;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wam4j.data.loader.TrainingBatch;
import dev.wam4j.data.loader.TrainingLoader;
import dev.wam4j.model.Engines;
import dev.wam4j.sim.render.SceneRenderer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The perception bottleneck: the action head reads only positions and the block's pose, frames can
 * be drawn from recorded states, and a head-only run trains the head alone on recorded poses.
 */
class PoseBottleneckTest {
  @TempDir static Path tmp;
  static Path sim;

  @BeforeAll
  static void collect() throws IOException {
    sim = tmp.resolve("sim");
    dev.wam4j.data.collect.SimCollect.run(
        new dev.wam4j.data.collect.SimCollect.Config(
            dev.wam4j.sim.Embodiment.RobotPusher.reference(),
            null,
            3,
            11,
            dev.wam4j.data.video.VideoEncoding.AV1_LEROBOT),
        sim,
        null);
  }

  /** A small network reading the pose, from JSON overrides of the defaults. */
  static WamConfig config(String... overrides) {
    ObjectNode o = WamCheckpoint.JSON.createObjectNode();
    o.put("dataset", sim.toString());
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
            "keypoints",
            4,
            "poseWeight",
            1.0,
            "actionFromPose",
            true,
            "learningRate",
            3e-3,
            "threads",
            2,
            "shiftPixels",
            0));
    for (int i = 0; i < overrides.length; i += 2) {
      String v = overrides[i + 1];
      fields.put(
          overrides[i],
          v.equals("true") || v.equals("false")
              ? (Object) Boolean.parseBoolean(v)
              : v.matches("\\d+") ? (Object) Integer.parseInt(v) : v);
    }
    fields.forEach((k, v) -> o.set(k, WamCheckpoint.JSON.valueToTree(v)));
    return WamRun.parseConfig(o, tmp, "test config");
  }

  @Test
  void renderedFramesAreTheSimulatorsObservationOfTheRecordedState() throws IOException {
    WamConfig c = config("renderFrames", "true");
    TrainingLoader loader = WamRun.load(c, c.dataset(), 0, 0, null);
    TrainingBatch b = loader.newBatch();
    loader.sample(b);
    SceneRenderer reference = SceneRenderer.pushtObservation();
    byte[] expected = new byte[reference.frameBytes()];
    int frame = 96 * 96 * 3;
    for (int s = 0;
        s < 8;
        s++) { // the current frame of each sample: the recorded agent position and block pose,
      // drawn
      reference.render(
          b.states[(s * 2 + 1) * 2],
          b.states[(s * 2 + 1) * 2 + 1],
          0,
          b.blockPose[3 * s],
          b.blockPose[3 * s + 1],
          b.blockPose[3 * s + 2],
          expected,
          0);
      assertThat(java.util.Arrays.copyOfRange(b.images, (s * 2 + 1) * frame, (s * 2 + 2) * frame))
          .as("sample %d", s)
          .isEqualTo(expected);
    }
  }

  @Test
  void theHeadReadsPositionsAndPoseAndAHeadOnlyRunChangesNothingElse() throws IOException {
    WamConfig joint = config("renderFrames", "true");
    Path ckpt = tmp.resolve("joint");
    try (WamTrainer trainer =
        WamTrainer.create(joint, WamRun.load(joint, joint.dataset(), 0, 0, null))) {
      for (int i = 0; i < 3; i++) assertThat(trainer.step().action()).isPositive();
      TrainingState.save(trainer, ckpt, "finetune", Map.of(), Map.of(), 1.0, false);
    }
    try (WamPolicy p = WamPolicy.load(ckpt)) {
      assertThat(p.network().conditionSize())
          .as("2 positions of 2 values, then x, y, cos, sin")
          .isEqualTo(2 * 2 + 4);
      assertThat(
              p.plan(new byte[2 * 96 * 96 * 3], new float[] {100, 100, 116, 100}, false).actions())
          .hasSize(16);
    }
    WamConfig head = config("headOnly", "true", "init", ckpt.toString());
    TrainingLoader states = WamRun.load(head, head.dataset(), 0, 0, null);
    assertThat(states.newBatch().images).as("a head-only run loads no frames").isEmpty();
    try (WamTrainer trainer = WamTrainer.create(head, states)) {
      InitCheckpoint.initialise(trainer, ckpt);
      Map<String, float[]> before = weights(trainer);
      double first = 0, last = 0;
      for (int i = 0; i < 60; i++) {
        WamTrainer.Losses l = trainer.step();
        assertThat(l.video()).isZero();
        if (i < 5) first += l.action() / 5;
        if (i >= 55) last += l.action() / 5;
      }
      assertThat(last).as("action loss of the first 5 steps %.3f", first).isLessThan(first);
      Map<String, float[]> after = weights(trainer);
      int headWeights = 0;
      for (String name : before.keySet()) {
        if (WamNetwork.isActionHead(name)) {
          headWeights++;
          assertThat(after.get(name)).as(name).isNotEqualTo(before.get(name));
        } else {
          assertThat(after.get(name)).as(name).isEqualTo(before.get(name));
        }
      }
      assertThat(headWeights).isEqualTo(2 * 3);
    }
  }

  @Test
  void theBottleneckNeedsAPoseHeadAndHeadOnlyNeedsTheBottleneck() {
    WamConfig d = WamConfig.defaults();
    ObjectNode noPose =
        WamCheckpoint.JSON.createObjectNode().put("dataset", "x").put("actionFromPose", true);
    assertThatThrownBy(() -> WamRun.parseConfig(noPose, tmp, "a.json"))
        .hasMessageContaining("a.json")
        .hasMessageContaining("poseWeight");
    ObjectNode headOnly =
        WamCheckpoint.JSON
            .createObjectNode()
            .put("dataset", "x")
            .put("headOnly", true)
            .put("poseWeight", 1.0)
            .put("init", "y");
    assertThatThrownBy(() -> WamRun.parseConfig(headOnly, tmp, "b.json"))
        .hasMessageContaining("actionFromPose");
    ObjectNode noInit = headOnly.deepCopy().put("actionFromPose", true).putNull("init");
    assertThatThrownBy(() -> WamRun.parseConfig(noInit, tmp, "c.json"))
        .hasMessageContaining("init");
    ObjectNode jitterWithActions =
        WamCheckpoint.JSON
            .createObjectNode()
            .put("dataset", "x")
            .put("renderFrames", true)
            .put("renderJitterPixels", 10);
    assertThatThrownBy(() -> WamRun.parseConfig(jitterWithActions, tmp, "d.json"))
        .hasMessageContaining("actionWeight 0");
    ObjectNode jitterAlone =
        WamCheckpoint.JSON
            .createObjectNode()
            .put("dataset", "x")
            .put("renderJitterPixels", 10)
            .put("actionWeight", 0);
    assertThatThrownBy(() -> WamRun.parseConfig(jitterAlone, tmp, "e.json"))
        .hasMessageContaining("renderFrames");
    assertThat(d.actionFromPose()).isFalse();
    assertThat(d.renderFrames()).isFalse();
  }

  @Test
  void poseFeaturesGiveTheAgentInTheBlocksFrameAndFourierFeaturesOfEveryCoordinate() {
    try (ai.djl.ndarray.NDManager m = Engines.pytorch().newBaseManager()) {
      double angle = 0.7,
          a = 0.3,
          b = -0.2; // the agent at block + R(angle) (a, b), in both history frames
      float bx = 0.1f, by = -0.4f;
      float ax = (float) (bx + Math.cos(angle) * a - Math.sin(angle) * b),
          ay = (float) (by + Math.sin(angle) * a + Math.cos(angle) * b);
      ai.djl.ndarray.NDArray positions =
          m.create(new float[] {ax, ay, ax, ay}, new ai.djl.ndarray.types.Shape(1, 4));
      // an estimate's (cos, sin) need not be unit length
      ai.djl.ndarray.NDArray pose =
          m.create(
              new float[] {bx, by, (float) (2 * Math.cos(angle)), (float) (2 * Math.sin(angle))},
              new ai.djl.ndarray.types.Shape(1, 4));
      float[] raw = WamNetwork.poseCondition(positions, pose, 0, 0).toFloatArray();
      assertThat(raw).hasSize(8);
      assertThat(raw[6])
          .isCloseTo((float) Math.cos(angle), org.assertj.core.data.Offset.offset(1e-6f));
      float[] rich = WamNetwork.poseCondition(positions, pose, 3, 0).toFloatArray();
      assertThat(rich)
          .hasSize(config("poseFeatures", "3").actionFromPose() ? 8 + 4 + 10 * 2 * 3 : 0);
      for (int k = 0; k < 2; k++) {
        assertThat(rich[8 + 2 * k])
            .as("along the block, frame %d", k)
            .isCloseTo((float) a, org.assertj.core.data.Offset.offset(1e-5f));
        assertThat(rich[9 + 2 * k])
            .as("across the block, frame %d", k)
            .isCloseTo((float) b, org.assertj.core.data.Offset.offset(1e-5f));
      }
      // octave 1's sine of the block's x: sin(2 pi x)
      assertThat(rich[12 + 10 * 2 + 4])
          .isCloseTo(
              (float) Math.sin(2 * Math.PI * bx), org.assertj.core.data.Offset.offset(1e-5f));
    }
  }

  @Test
  void aHeadReadingPoseFeaturesStartsFreshOnTheCheckpointsPerception() throws IOException {
    WamConfig raw = config();
    Path ckpt = tmp.resolve("raw");
    try (WamTrainer trainer = WamTrainer.create(raw, WamRun.load(raw, raw.dataset(), 0, 0, null))) {
      trainer.step();
      TrainingState.save(trainer, ckpt, "finetune", Map.of(), Map.of(), 1.0, false);
    }
    Map<String, float[]> saved;
    try (WamPolicy p = WamPolicy.load(ckpt)) {
      saved = new HashMap<>();
      for (Pair<String, Parameter> w : p.network().getParameters())
        saved.put(w.getKey(), w.getValue().getArray().toFloatArray());
    }
    WamConfig rich = config("poseFeatures", "4", "headOnly", "true", "init", ckpt.toString());
    try (WamTrainer trainer =
        WamTrainer.create(rich, WamRun.load(rich, rich.dataset(), 0, 0, null))) {
      InitCheckpoint.initialise(trainer, ckpt);
      assertThat(trainer.network().conditionSize()).isEqualTo(8 + 4 + 10 * 2 * 4);
      Map<String, float[]> loaded = weights(trainer);
      for (String name : loaded.keySet()) {
        if (!WamNetwork.isActionHead(name))
          assertThat(loaded.get(name)).as(name).isEqualTo(saved.get(name));
      }
      assertThat(trainer.step().action()).isPositive();
    }
    WamConfig wider = config("headWidth", "96", "headOnly", "true", "init", ckpt.toString());
    try (WamTrainer trainer =
        WamTrainer.create(wider, WamRun.load(wider, wider.dataset(), 0, 0, null))) {
      InitCheckpoint.initialise(trainer, ckpt); // a wider head starts fresh on the same perception
      Map<String, float[]> loaded = weights(trainer);
      for (String name : loaded.keySet()) {
        if (!WamNetwork.isActionHead(name))
          assertThat(loaded.get(name)).as(name).isEqualTo(saved.get(name));
      }
    }
  }

  @Test
  void angleHarmonicsAppendCosineAndSineOfTheDoubledAnglesLast() {
    try (ai.djl.ndarray.NDManager m = Engines.pytorch().newBaseManager()) {
      double angle = 0.7;
      ai.djl.ndarray.NDArray positions =
          m.create(new float[] {0.2f, 0.1f, 0.2f, 0.1f}, new ai.djl.ndarray.types.Shape(1, 4));
      ai.djl.ndarray.NDArray pose =
          m.create(
              new float[] {
                0.1f, -0.4f, (float) (3 * Math.cos(angle)), (float) (3 * Math.sin(angle))
              },
              new ai.djl.ndarray.types.Shape(1, 4));
      float[] plain = WamNetwork.poseCondition(positions, pose, 3, 0).toFloatArray();
      float[] harmonics = WamNetwork.poseCondition(positions, pose, 3, 3).toFloatArray();
      assertThat(harmonics).hasSize(plain.length + 6);
      assertThat(java.util.Arrays.copyOf(harmonics, plain.length)).isEqualTo(plain);
      for (int k = 1; k <= 3; k++) {
        int at = plain.length + 2 * (k - 1);
        assertThat(harmonics[at])
            .as("cos %d a", 1 << k)
            .isCloseTo(
                (float) Math.cos((1 << k) * angle), org.assertj.core.data.Offset.offset(1e-5f));
        assertThat(harmonics[at + 1])
            .as("sin %d a", 1 << k)
            .isCloseTo(
                (float) Math.sin((1 << k) * angle), org.assertj.core.data.Offset.offset(1e-5f));
      }
    }
    WamConfig rich = config("poseFeatures", "3", "angleHarmonics", "3");
    assertThat(new WamNetwork(rich).conditionSize()).isEqualTo(8 + 4 + 10 * 2 * 3 + 6);
    assertThatThrownBy(() -> config("angleHarmonics", "2")).hasMessageContaining("poseFeatures");
    assertThatThrownBy(() -> config("poseFeatures", "3", "angleHarmonics", "9"))
        .hasMessageContaining("angleHarmonics must lie in 0..8, got 9");
  }

  @Test
  void aHeadWidenedWithAngleHarmonicsStartsOutComputingWhatTheCheckpointDid() throws IOException {
    Path base = tmp.resolve("base"), ckpt = tmp.resolve("fourier");
    WamConfig raw = config();
    try (WamTrainer trainer = WamTrainer.create(raw, WamRun.load(raw, raw.dataset(), 0, 0, null))) {
      trainer.step();
      TrainingState.save(trainer, base, "finetune", Map.of(), Map.of(), 1.0, false);
    }
    WamConfig fourier = config("poseFeatures", "2", "headOnly", "true", "init", base.toString());
    try (WamTrainer trainer =
        WamTrainer.create(fourier, WamRun.load(fourier, fourier.dataset(), 0, 0, null))) {
      InitCheckpoint.initialise(trainer, base);
      trainer.step();
      TrainingState.save(trainer, ckpt, "finetune", Map.of(), Map.of(), 1.0, false);
    }
    Map<String, float[]> saved = new HashMap<>();
    try (WamPolicy p = WamPolicy.load(ckpt)) {
      for (Pair<String, Parameter> w : p.network().getParameters())
        saved.put(w.getKey(), w.getValue().getArray().toFloatArray());
    }
    WamConfig wider =
        config(
            "poseFeatures",
            "2",
            "angleHarmonics",
            "4",
            "headOnly",
            "true",
            "init",
            ckpt.toString());
    try (WamTrainer trainer =
        WamTrainer.create(wider, WamRun.load(wider, wider.dataset(), 0, 0, null))) {
      InitCheckpoint.initialise(trainer, ckpt);
      int widened = 0;
      for (Pair<String, Parameter> p : trainer.network().getParameters()) {
        float[] now = p.getValue().getArray().toFloatArray(), before = saved.get(p.getKey());
        if (now.length == before.length) {
          assertThat(now).as(p.getKey()).isEqualTo(before);
          continue;
        }
        long rows = p.getValue().getArray().getShape().get(0),
            in = p.getValue().getArray().getShape().get(1);
        int oldIn = (int) (before.length / rows);
        assertThat(in - oldIn).as("new inputs of " + p.getKey()).isEqualTo(2 * 4);
        for (int r = 0; r < rows; r++) {
          for (int col = 0; col < in; col++) {
            float want = col < oldIn ? before[r * oldIn + col] : 0f;
            assertThat(now[(int) (r * in + col)]).isEqualTo(want);
          }
        }
        widened++;
      }
      assertThat(widened).as("layers widened").isEqualTo(1);
      assertThat(trainer.step().action()).isPositive();
    }
    Path four = tmp.resolve("four");
    try (WamTrainer trainer =
        WamTrainer.create(wider, WamRun.load(wider, wider.dataset(), 0, 0, null))) {
      InitCheckpoint.initialise(trainer, ckpt);
      TrainingState.save(trainer, four, "finetune", Map.of(), Map.of(), 1.0, false);
    }
    WamConfig otherFeatures =
        config(
            "poseFeatures",
            "3",
            "angleHarmonics",
            "2",
            "headOnly",
            "true",
            "init",
            ckpt.toString());
    try (WamTrainer trainer =
        WamTrainer.create(
            otherFeatures, WamRun.load(otherFeatures, otherFeatures.dataset(), 0, 0, null))) {
      InitCheckpoint.initialise(
          trainer, ckpt); // other octaves as well: the head starts fresh on the same perception
      Map<String, float[]> loaded = weights(trainer);
      for (String name : loaded.keySet()) {
        if (!WamNetwork.isActionHead(name))
          assertThat(loaded.get(name)).as(name).isEqualTo(saved.get(name));
      }
    }
    WamConfig narrower = config("poseFeatures", "2", "headOnly", "true", "init", four.toString());
    try (WamTrainer trainer =
        WamTrainer.create(narrower, WamRun.load(narrower, narrower.dataset(), 0, 0, null))) {
      assertThatThrownBy(() -> InitCheckpoint.initialise(trainer, four))
          .hasMessageContaining("angleHarmonics: checkpoint 4, config 0");
    }
    // the same verdicts from the configs alone, before any network is built (research checks its
    // space this way)
    WamRun.checkInit(wider);
    WamRun.checkInit(otherFeatures);
    assertThatThrownBy(() -> WamRun.checkInit(narrower))
        .hasMessageContaining("angleHarmonics: checkpoint 4, config 0");
  }

  @Test
  void aHeadOnlyRunRefusesDataWithoutRecordedPosesWhenItLoads() throws IOException {
    Path plain = Glide.write(tmp.resolve("plain"), false, false);
    WamConfig head = config("headOnly", "true", "init", "unused");
    assertThatThrownBy(() -> WamRun.load(head, plain.toString(), 0, 0, null))
        .hasMessageContaining(plain.toString())
        .hasMessageContaining(TrainingLoader.TEACHER_BLOCK_POSE);
  }

  private static Map<String, float[]> weights(WamTrainer trainer) {
    Map<String, float[]> out = new HashMap<>();
    for (Pair<String, Parameter> p : trainer.network().getParameters())
      out.put(p.getKey(), p.getValue().getArray().toFloatArray());
    return out;
  }
}
