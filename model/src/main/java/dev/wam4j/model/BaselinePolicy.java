package dev.wam4j.model;

import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.wam4j.data.AtomicFiles;
import dev.wam4j.data.FileTrees;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * The MLP baseline policy: a flattened history of states in, a chunk of actions out, both in the
 * dataset's units. A baseline only: MSE regression averages the modes of multimodal demonstrations
 * (PushT's go-around-either-side), which the world action model's flow-matching head is meant to
 * fix.
 *
 * <p>Network: {@code (B, historyFrames * stateDim)} -> {@code hiddenLayers} x (Linear(hiddenSize),
 * ReLU) -> Linear -> {@code (B, actionHorizon * actionDim)}, on normalised values ({@link
 * Normalization}).
 *
 * <p>A checkpoint is a directory holding {@code weights.params} (DJL's parameter format) and {@code
 * checkpoint.json} (format tag, the config, dimensions, normalisation, the weights' SHA-256,
 * versions). {@link #save} publishes it atomically; {@link #load} refuses a checkpoint saved under
 * a different config or whose weights do not match their checksum.
 *
 * <p>Owns native memory: close it. Not thread-safe: one thread predicts or trains at a time.
 */
public final class BaselinePolicy implements AutoCloseable {
  static final String FORMAT = "wam4j-baseline-mlp/1";
  static final String META_FILE = "checkpoint.json";
  static final String WEIGHTS_FILE = "weights.params";
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private final BaselineConfig config;
  private final int stateDim;
  private final int actionDim;
  private final Normalization normalization;
  private final Model model;
  private long trainedSteps;

  /** What checkpoint.json holds. */
  record Meta(
      String format,
      BaselineConfig config,
      int stateDim,
      int actionDim,
      long trainedSteps,
      Normalization normalization,
      long weightsBytes,
      String weightsSha256,
      String djlVersion,
      String engineVersion,
      String javaVersion) {}

  /** A policy with an uninitialised network: the trainer initialises it, {@link #load} reads it. */
  BaselinePolicy(BaselineConfig config, int stateDim, int actionDim, Normalization normalization) {
    if (normalization.stateMean().length != stateDim
        || normalization.actionMean().length != actionDim) {
      throw new IllegalArgumentException(
          "normalization dims "
              + normalization.stateMean().length
              + "/"
              + normalization.actionMean().length
              + " do not match state/action dims "
              + stateDim
              + "/"
              + actionDim);
    }
    this.config = config;
    this.stateDim = stateDim;
    this.actionDim = actionDim;
    this.normalization = normalization;
    Engines.pytorch();
    this.model = Model.newInstance("baseline-mlp", Engines.PYTORCH);
    SequentialBlock mlp = new SequentialBlock();
    for (int i = 0; i < config.hiddenLayers(); i++) {
      mlp.add(Linear.builder().setUnits(config.hiddenSize()).build()).add(Activation::relu);
    }
    mlp.add(Linear.builder().setUnits(outputSize()).build());
    model.setBlock(mlp);
  }

  /**
   * Floats per sample in: {@code historyFrames * stateDim}, [history][stateDim], current frame
   * last.
   */
  public int inputSize() {
    return config.historyFrames() * stateDim;
  }

  /** Floats per sample out: {@code actionHorizon * actionDim}, [horizon][actionDim]. */
  public int outputSize() {
    return config.actionHorizon() * actionDim;
  }

  public BaselineConfig config() {
    return config;
  }

  public int stateDim() {
    return stateDim;
  }

  public int actionDim() {
    return actionDim;
  }

  /** Optimizer steps this policy's weights have seen. */
  public long trainedSteps() {
    return trainedSteps;
  }

  void trainedSteps(long steps) {
    trainedSteps = steps;
  }

  Model model() {
    return model;
  }

  Normalization normalization() {
    return normalization;
  }

  /**
   * Action chunks for a batch of state histories, in dataset units.
   *
   * @param stateHistories [batch][historyFrames][stateDim], raw (unnormalised) states
   * @return a new array, [batch][actionHorizon][actionDim]
   */
  public float[] predict(float[] stateHistories) {
    int in = inputSize();
    if (stateHistories.length == 0 || stateHistories.length % in != 0) {
      throw new IllegalArgumentException(
          "predict: input length "
              + stateHistories.length
              + " is not a positive multiple of "
              + in
              + " (historyFrames "
              + config.historyFrames()
              + " x stateDim "
              + stateDim
              + ")");
    }
    int batch = stateHistories.length / in;
    float[] x = new float[stateHistories.length];
    normalization.normalizeStates(stateHistories, x);
    float[] out;
    try (NDManager scope = model.getNDManager().newSubManager()) {
      NDArray input = scope.create(x, new Shape(batch, in));
      NDArray y =
          model
              .getBlock()
              .forward(new ParameterStore(scope, false), new NDList(input), false)
              .singletonOrThrow();
      out = y.toFloatArray();
    }
    normalization.denormalizeActions(out);
    return out;
  }

  /**
   * Writes a checkpoint to {@code dir}, atomically: into a temporary sibling directory first, then
   * renamed. An existing checkpoint at {@code dir} is replaced; any other existing path is refused.
   */
  public void save(Path dir) throws IOException {
    Path target = dir.toAbsolutePath().normalize();
    if (Files.exists(target) && !Files.isRegularFile(target.resolve(META_FILE))) {
      throw new IllegalArgumentException(
          target
              + " exists and is not a checkpoint (no "
              + META_FILE
              + "); refusing to overwrite it");
    }
    Path parent = target.getParent();
    Files.createDirectories(parent);
    Path temp = AtomicFiles.hiddenDirectory(parent, "." + target.getFileName() + ".partial-");
    try {
      MessageDigest sha = sha256();
      try (OutputStream file = Files.newOutputStream(temp.resolve(WEIGHTS_FILE));
          DataOutputStream out =
              new DataOutputStream(new BufferedOutputStream(new DigestOutputStream(file, sha)))) {
        model.getBlock().saveParameters(out);
      }
      Engine engine = Engines.pytorch();
      Meta meta =
          new Meta(
              FORMAT,
              config,
              stateDim,
              actionDim,
              trainedSteps,
              normalization,
              Files.size(temp.resolve(WEIGHTS_FILE)),
              HexFormat.of().formatHex(sha.digest()),
              Engine.getDjlVersion(),
              engine.getEngineName() + " " + engine.getVersion(),
              Runtime.version().toString());
      JSON.writeValue(temp.resolve(META_FILE).toFile(), meta);
      AtomicFiles.publishDirectory(temp, target);
    } catch (IOException | RuntimeException e) {
      FileTrees.deleteQuietly(temp, e);
      throw e;
    }
  }

  /**
   * Reads the checkpoint in {@code dir}, which must have been saved under {@code expected}.
   *
   * @throws CheckpointException when files are missing or corrupted, the format is unknown, or the
   *     saved config differs from {@code expected} (the message lists each differing field)
   */
  public static BaselinePolicy load(Path dir, BaselineConfig expected) throws IOException {
    Meta meta = readMeta(dir);
    List<String> diffs = differences(JSON.valueToTree(meta.config()), JSON.valueToTree(expected));
    if (!diffs.isEmpty()) {
      throw new CheckpointException(
          "checkpoint " + dir + " was saved under another config: " + String.join(", ", diffs));
    }
    Path weights = dir.resolve(WEIGHTS_FILE);
    verifyWeights(dir, weights, meta);
    BaselinePolicy policy =
        new BaselinePolicy(meta.config(), meta.stateDim(), meta.actionDim(), meta.normalization());
    try (InputStream file = Files.newInputStream(weights);
        DataInputStream in = new DataInputStream(new BufferedInputStream(file))) {
      policy
          .model
          .getBlock()
          .initialize(
              policy.model.getNDManager(), DataType.FLOAT32, new Shape(1, policy.inputSize()));
      policy.model.getBlock().loadParameters(policy.model.getNDManager(), in);
      policy.trainedSteps = meta.trainedSteps();
      return policy;
    } catch (MalformedModelException | IOException | RuntimeException e) {
      policy.close();
      throw new CheckpointException(
          "checkpoint " + dir + ": cannot read " + WEIGHTS_FILE + ": " + e.getMessage(), e);
    }
  }

  /** The config a checkpoint was saved under (to load it with {@link #load} without knowing it). */
  public static BaselineConfig configOf(Path dir) throws IOException {
    return readMeta(dir).config();
  }

  private static Meta readMeta(Path dir) throws CheckpointException {
    Path metaFile = dir.resolve(META_FILE);
    Meta meta;
    try {
      meta = JSON.readValue(metaFile.toFile(), Meta.class);
    } catch (NoSuchFileException | java.io.FileNotFoundException e) {
      throw new CheckpointException("not a checkpoint: " + metaFile + " does not exist", e);
    } catch (JacksonException e) {
      throw new CheckpointException(
          "checkpoint " + dir + ": " + META_FILE + " is corrupted: " + e.getOriginalMessage(), e);
    } catch (IOException | IllegalArgumentException e) {
      throw new CheckpointException(
          "checkpoint " + dir + ": cannot read " + META_FILE + ": " + e.getMessage(), e);
    }
    if (!FORMAT.equals(meta.format())) {
      throw new CheckpointException(
          "checkpoint " + dir + ": format is '" + meta.format() + "', expected '" + FORMAT + "'");
    }
    if (meta.config() == null || meta.normalization() == null || meta.weightsSha256() == null) {
      throw new CheckpointException(
          "checkpoint " + dir + ": " + META_FILE + " lacks config, normalization or weightsSha256");
    }
    return meta;
  }

  private static void verifyWeights(Path dir, Path weights, Meta meta) throws IOException {
    if (!Files.isRegularFile(weights))
      throw new CheckpointException("checkpoint " + dir + ": " + WEIGHTS_FILE + " is missing");
    long size = Files.size(weights);
    if (size != meta.weightsBytes()) {
      throw new CheckpointException(
          "checkpoint "
              + dir
              + ": "
              + WEIGHTS_FILE
              + " is corrupted: "
              + size
              + " bytes, "
              + META_FILE
              + " records "
              + meta.weightsBytes());
    }
    MessageDigest sha = sha256();
    try (InputStream in = Files.newInputStream(weights)) {
      byte[] buf = new byte[1 << 16];
      for (int n; (n = in.read(buf)) > 0; ) sha.update(buf, 0, n);
    }
    String actual = HexFormat.of().formatHex(sha.digest());
    if (!actual.equals(meta.weightsSha256())) {
      throw new CheckpointException(
          "checkpoint "
              + dir
              + ": "
              + WEIGHTS_FILE
              + " is corrupted: SHA-256 "
              + actual
              + ", "
              + META_FILE
              + " records "
              + meta.weightsSha256());
    }
  }

  /** "field: checkpoint X, expected Y" for each top-level field that differs. */
  private static List<String> differences(JsonNode saved, JsonNode expected) {
    List<String> out = new ArrayList<>();
    for (Map.Entry<String, JsonNode> f : expected.properties()) {
      JsonNode s = saved.get(f.getKey());
      if (!f.getValue().equals(s))
        out.add(f.getKey() + ": checkpoint " + s + ", expected " + f.getValue());
    }
    return out;
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every JDK", e);
    }
  }

  @Override
  public void close() {
    model.close();
  }
}
