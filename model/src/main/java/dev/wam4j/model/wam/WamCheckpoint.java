package dev.wam4j.model.wam;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.wam4j.data.AtomicFiles;
import dev.wam4j.data.FileTrees;
import dev.wam4j.model.CheckpointException;
import dev.wam4j.model.Engines;
import dev.wam4j.model.policy.PlanSettings;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A world action model checkpoint: a directory holding
 *
 * <ul>
 *   <li>{@code policy.ndlist}: the weights the policy runs (the moving average), in parameter
 *       order;
 *   <li>{@code train-state.ndlist} (absent in shipped models): raw weights and AdamW moments to
 *       resume;
 *   <li>{@code checkpoint.json}: format tag, the full config, stage, step, parameter names and
 *       shapes, SHA-256 and size of each file, data and metrics;
 *   <li>{@code MODEL_CARD.md}: the same for people.
 * </ul>
 *
 * Published atomically (written into a hidden sibling, then renamed). A training run keeps its
 * checkpoints as {@code step-NNNNNNN} directories beside a {@code latest} file naming the newest;
 * {@link #resolve} accepts the run directory or a checkpoint directory.
 */
public final class WamCheckpoint {
  static final String FORMAT = "wam4j-wam/1";
  static final String META_FILE = "checkpoint.json";
  static final String POLICY_FILE = "policy.ndlist";
  static final String TRAIN_STATE_FILE = "train-state.ndlist";
  static final String CARD_FILE = "MODEL_CARD.md";
  static final String LATEST_FILE = "latest";
  static final ObjectMapper JSON =
      new ObjectMapper()
          .enable(SerializationFeature.INDENT_OUTPUT)
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  private WamCheckpoint() {}

  /**
   * What checkpoint.json holds.
   *
   * @param stage "pretrain" or "finetune"
   * @param step optimizer steps the weights have seen
   * @param parameters name to shape of every weight, in order
   * @param files file name to {@code sha256:bytes}
   * @param data what the run trained on (dataset paths, episodes, frames)
   * @param metrics last losses, validation loss, throughput
   * @param trainSeconds wall-clock training time so far
   * @param lineage (exported checkpoints only, else null) every stage of compute behind these
   *     weights, oldest first
   * @param lineageTrainSeconds (exported checkpoints only, else null) their sum: the total compute
   *     behind the model
   */
  @com.fasterxml.jackson.annotation.JsonInclude(
      com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
  public record Meta(
      String format,
      WamConfig config,
      String stage,
      long step,
      Map<String, List<Long>> parameters,
      Map<String, String> files,
      Map<String, Object> data,
      Map<String, Object> metrics,
      double trainSeconds,
      Map<String, String> versions,
      List<ComputeStage> lineage,
      @com.fasterxml.jackson.annotation.JsonProperty("lineage_train_seconds")
          Double lineageTrainSeconds) {
    /** A checkpoint's own record, before export adds its lineage. */
    public Meta(
        String format,
        WamConfig config,
        String stage,
        long step,
        Map<String, List<Long>> parameters,
        Map<String, String> files,
        Map<String, Object> data,
        Map<String, Object> metrics,
        double trainSeconds,
        Map<String, String> versions) {
      this(
          format,
          config,
          stage,
          step,
          parameters,
          files,
          data,
          metrics,
          trainSeconds,
          versions,
          null,
          null);
    }

    /** The same record with another config (e.g. other inference settings). */
    public Meta withConfig(WamConfig other) {
      return new Meta(
          format,
          other,
          stage,
          step,
          parameters,
          files,
          data,
          metrics,
          trainSeconds,
          versions,
          lineage,
          lineageTrainSeconds);
    }
  }

  /**
   * One stage of the compute behind a model: a training run, or work outside one (data generation,
   * DAgger's rollouts), wall-clock seconds on the machine that ran it.
   */
  public record ComputeStage(String name, double seconds) {
    public ComputeStage {
      if (name == null || name.isBlank())
        throw new IllegalArgumentException("compute stage: a name is required");
      if (!(seconds >= 0) || !Double.isFinite(seconds))
        throw new IllegalArgumentException("compute stage '" + name + "': seconds must be >= 0");
    }
  }

  /**
   * A run folder may hold this file: compute spent for the run outside its training steps (DAgger's
   * rollouts and validation), as {@code {"stages": [{"name": ..., "seconds": ...}]}}; the lineage
   * of a model trained from it counts them.
   */
  public static final String COMPUTE_FILE = "compute.json";

  /** Writes a run folder's {@link #COMPUTE_FILE} atomically. */
  public static void writeCompute(Path runDir, List<ComputeStage> stages) throws IOException {
    dev.wam4j.data.AtomicFiles.writeString(
        runDir.resolve(COMPUTE_FILE), JSON.writeValueAsString(Map.of("stages", stages)));
  }

  /**
   * Every stage of compute behind checkpoint {@code dir}, oldest first: each checkpoint of its init
   * chain contributes its training time and its run folder's {@link #COMPUTE_FILE}; {@code extra}
   * (e.g. data generation) comes first.
   */
  public static List<ComputeStage> lineageCompute(Path dir, List<ComputeStage> extra)
      throws IOException {
    List<ComputeStage> newestFirst = new ArrayList<>();
    List<ComputeStage> recorded = List.of(); // an exported ancestor's own lineage, oldest first
    Path at = resolve(dir);
    Object init = null;
    for (int depth = 0; at != null && depth < 64; depth++) {
      Meta m;
      try {
        m = readMeta(at);
      } catch (IOException e) {
        if (depth == 0) throw e;
        throw new CheckpointException(
            "lineage of "
                + dir
                + ": the init checkpoint "
                + init
                + " cannot be read, so its compute cannot be counted ("
                + e.getMessage()
                + ")",
            e);
      }
      if (m.lineage()
          != null) { // exported with its lineage (itself included): that record is the whole story
        // from here down
        recorded = m.lineage();
        break;
      }
      Path run = at.getParent();
      Path compute = run.resolve(COMPUTE_FILE);
      List<ComputeStage> around = new ArrayList<>();
      if (Files.isRegularFile(compute)) {
        JsonNode stages = JSON.readTree(compute.toFile()).get("stages");
        if (stages == null || !stages.isArray())
          throw new CheckpointException(compute + ": 'stages' (a list) is missing");
        for (JsonNode st : stages)
          around.add(new ComputeStage(st.path("name").asText(), st.path("seconds").asDouble(-1)));
      }
      // a DAgger round's run folder is round-NN/train: name it by both
      String runName =
          run.getParent() != null
                  && run.getFileName().toString().equals("train")
                  && run.getParent().getFileName() != null
                  && run.getParent().getFileName().toString().matches("round-\\d+")
              ? run.getParent().getFileName() + "/train"
              : run.getFileName().toString();
      newestFirst.add(
          new ComputeStage(
              m.stage() + " " + runName + " (" + m.step() + " steps)", m.trainSeconds()));
      if (m.data() != null && m.data().get("load_seconds") instanceof Number load) {
        newestFirst.add(new ComputeStage("data loading for " + runName, load.doubleValue()));
      }
      for (int i = around.size() - 1; i >= 0; i--) newestFirst.add(around.get(i));
      init = m.data() == null ? null : m.data().get("init");
      try {
        at = init == null ? null : resolve(Path.of(init.toString()));
      } catch (IOException e) {
        throw new CheckpointException(
            "lineage of "
                + dir
                + ": the init checkpoint "
                + init
                + " cannot be read, so its compute cannot be counted ("
                + e.getMessage()
                + ")",
            e);
      }
    }
    List<ComputeStage> out = new ArrayList<>(extra);
    out.addAll(recorded);
    for (int i = newestFirst.size() - 1; i >= 0; i--) out.add(newestFirst.get(i));
    return out;
  }

  /**
   * The checkpoint directory {@code path} means: itself, or the one its {@code latest} file names.
   */
  public static Path resolve(Path path) throws IOException {
    Path latest = path.resolve(LATEST_FILE);
    if (Files.isRegularFile(latest)) {
      String name = Files.readString(latest, StandardCharsets.UTF_8).strip();
      if (name.isEmpty() || name.contains("/") || name.contains("..")) {
        throw new CheckpointException(
            latest + ": does not name a checkpoint directory ('" + name + "')");
      }
      return path.resolve(name);
    }
    return path;
  }

  /** Reads and checks checkpoint.json. */
  public static Meta readMeta(Path dir) throws CheckpointException {
    Path metaFile = dir.resolve(META_FILE);
    Meta meta;
    try {
      JsonNode tree = JSON.readTree(metaFile.toFile());
      // The format first: a checkpoint of another kind or version is named as such, not as
      // corrupted.
      String format = tree == null ? null : tree.path("format").asText(null);
      if (!FORMAT.equals(format)) {
        throw new CheckpointException(
            "checkpoint "
                + dir
                + ": format is '"
                + format
                + "', expected '"
                + FORMAT
                + "' (not a wam4j world action model checkpoint of this version)");
      }
      if (tree.get("config") instanceof com.fasterxml.jackson.databind.node.ObjectNode saved) {
        // fields added to the config since this checkpoint was written take their defaults, which
        // are what it ran with
        com.fasterxml.jackson.databind.node.ObjectNode merged =
            JSON.valueToTree(WamConfig.defaults());
        merged.setAll(saved);
        ((com.fasterxml.jackson.databind.node.ObjectNode) tree).set("config", merged);
      }
      meta = JSON.treeToValue(tree, Meta.class);
    } catch (NoSuchFileException | java.io.FileNotFoundException e) {
      throw new CheckpointException("not a wam checkpoint: " + metaFile + " does not exist", e);
    } catch (JacksonException e) {
      throw new CheckpointException(
          "checkpoint " + dir + ": " + META_FILE + " is corrupted: " + e.getOriginalMessage(), e);
    } catch (CheckpointException e) {
      throw e;
    } catch (IOException | IllegalArgumentException e) {
      throw new CheckpointException(
          "checkpoint " + dir + ": cannot read " + META_FILE + ": " + e.getMessage(), e);
    }
    if (meta.config() == null
        || meta.parameters() == null
        || meta.files() == null
        || !meta.files().containsKey(POLICY_FILE)) {
      throw new CheckpointException(
          "checkpoint " + dir + ": " + META_FILE + " lacks config, parameters or files");
    }
    return meta;
  }

  /** Writes {@code trainer}'s state as checkpoint {@code dir} (atomically); returns its meta. */
  static Meta save(
      WamTrainer trainer,
      Path dir,
      String stage,
      Map<String, Object> data,
      Map<String, Object> metrics,
      double trainSeconds,
      boolean withTrainState)
      throws IOException {
    Path target = dir.toAbsolutePath().normalize();
    if (Files.exists(target))
      throw new IOException(target + " already exists; checkpoints are never overwritten");
    Path parent = target.getParent();
    Files.createDirectories(parent);
    Path temp = hiddenSibling(parent, "." + target.getFileName() + ".partial-");
    try {
      Map<String, String> files = new LinkedHashMap<>();
      List<Parameter> params = trainer.optimizer().parameters();
      files.put(
          POLICY_FILE, write(temp.resolve(POLICY_FILE), trainer.optimizer().averagedWeights()));
      if (withTrainState) {
        NDList state = new NDList();
        for (Parameter p : params) state.add(p.getArray());
        state.addAll(trainer.optimizer().state());
        files.put(TRAIN_STATE_FILE, write(temp.resolve(TRAIN_STATE_FILE), state));
      }
      Engine engine = Engines.pytorch();
      Meta meta =
          new Meta(
              FORMAT,
              trainer.config(),
              stage,
              trainer.steps(),
              shapes(trainer.network()),
              files,
              data,
              metrics,
              trainSeconds,
              Map.of(
                  "djl",
                  Engine.getDjlVersion(),
                  "engine",
                  engine.getEngineName() + " " + engine.getVersion(),
                  "java",
                  Runtime.version().toString(),
                  "wam4j",
                  System.getProperty("wam4j.commit", "unknown")));
      JSON.writeValue(temp.resolve(META_FILE).toFile(), meta);
      Files.writeString(
          temp.resolve(CARD_FILE), ModelCard.render(meta, null), StandardCharsets.UTF_8);
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
      return meta;
    } catch (IOException | RuntimeException e) {
      FileTrees.deleteQuietly(temp, e);
      throw e;
    }
  }

  /**
   * A command line as a shipped model may quote it: each absolute path (an argument, or the value
   * of a {@code --name=value} argument) relative to the project root inside it, else its last name.
   */
  public static List<String> portableCommand(List<String> args) {
    Path root = PortablePaths.projectRoot();
    List<String> out = new ArrayList<>();
    for (String arg : args) {
      int eq = arg.indexOf('=');
      if (arg.startsWith("/")) arg = PortablePaths.of(arg, root);
      else if (eq > 0 && arg.startsWith("/", eq + 1))
        arg = arg.substring(0, eq + 1) + PortablePaths.of(arg.substring(eq + 1), root);
      out.add(arg);
    }
    return out;
  }

  /**
   * Copies checkpoint {@code from} to {@code to} without its training state (what ships in a
   * repository), its data and init paths made portable ({@link PortablePaths}).
   */
  public static Export export(Path from, Path to, String evaluationMarkdown) throws IOException {
    return export(from, to, evaluationMarkdown, List.of());
  }

  /**
   * The same, recording the compute behind the model ({@link #lineageCompute}: its init chain,
   * their runs' {@link #COMPUTE_FILE}s and {@code extraCompute}) as {@code lineage} and its sum as
   * {@code lineage_train_seconds} in the exported checkpoint.json and its card.
   */
  public static Export export(
      Path from, Path to, String evaluationMarkdown, List<ComputeStage> extraCompute)
      throws IOException {
    return export(from, to, evaluationMarkdown, extraCompute, PlanSettings.CHECKPOINT);
  }

  /**
   * What an export shipped.
   *
   * @param checkpoint the checkpoint exported (a run directory resolved to its latest)
   * @param folder the folder written
   * @param sizeBytes bytes of the files in it
   * @param lineageTrainSeconds the compute behind the model, as recorded in its checkpoint.json
   */
  public record Export(Path checkpoint, Path folder, long sizeBytes, double lineageTrainSeconds) {}

  /**
   * The same, shipping the inference {@code settings} chosen on validation seeds in the exported
   * config.
   */
  public static Export export(
      Path from,
      Path to,
      String evaluationMarkdown,
      List<ComputeStage> extraCompute,
      PlanSettings settings)
      throws IOException {
    Path src = resolve(from);
    Meta saved = readMeta(src);
    Meta meta = saved.withConfig(saved.config().with(settings));
    List<ComputeStage> compute = lineageCompute(src, extraCompute);
    double total = compute.stream().mapToDouble(ComputeStage::seconds).sum();
    verify(src, POLICY_FILE, meta);
    Path target = to.toAbsolutePath().normalize();
    Files.createDirectories(target.getParent());
    Path temp = hiddenSibling(target.getParent(), "." + target.getFileName() + ".partial-");
    try {
      Files.copy(src.resolve(POLICY_FILE), temp.resolve(POLICY_FILE));
      Map<String, String> files = new LinkedHashMap<>();
      files.put(POLICY_FILE, meta.files().get(POLICY_FILE));
      Path root = PortablePaths.projectRoot();
      Meta shipped =
          PortablePaths.of(
              new Meta(
                  meta.format(),
                  meta.config(),
                  meta.stage(),
                  meta.step(),
                  meta.parameters(),
                  files,
                  meta.data(),
                  meta.metrics(),
                  meta.trainSeconds(),
                  meta.versions(),
                  List.copyOf(compute),
                  total),
              root);
      JSON.writeValue(temp.resolve(META_FILE).toFile(), shipped);
      List<Meta> lineage = lineage(meta).stream().map(m -> PortablePaths.of(m, root)).toList();
      Files.writeString(
          temp.resolve(CARD_FILE),
          ModelCard.render(shipped, evaluationMarkdown, lineage),
          StandardCharsets.UTF_8);
      AtomicFiles.publishDirectory(temp, target);
    } catch (IOException | RuntimeException e) {
      FileTrees.deleteQuietly(temp, e); // a failing clean-up must not hide why the export failed
      throw e;
    }
    return new Export(src, to, FileTrees.sizeBytes(target), total);
  }

  /**
   * The checkpoints {@code meta} was initialised from, nearest first, as far as they can still be
   * read.
   */
  static List<Meta> lineage(Meta meta) {
    List<Meta> out = new ArrayList<>();
    Object init = meta.data() == null ? null : meta.data().get("init");
    while (init != null && out.size() < 64) {
      try {
        Meta m = readMeta(resolve(Path.of(init.toString())));
        out.add(m);
        init = m.data() == null ? null : m.data().get("init");
      } catch (IOException | RuntimeException e) {
        break; // an init checkpoint deleted since: the card lists what is left
      }
    }
    return out;
  }

  /**
   * Loads the policy weights of checkpoint {@code dir} into {@code net} (initialised, same config).
   */
  static void loadPolicyWeights(Path dir, Meta meta, WamNetwork net, NDManager manager)
      throws IOException {
    checkShapes(dir, meta, net);
    try (NDList weights =
        read(dir, POLICY_FILE, meta, manager)) { // freed also when a weight does not fit
      List<Pair<String, Parameter>> params = net.getParameters().stream().toList();
      if (weights.size() != params.size()) {
        throw new CheckpointException(
            "checkpoint "
                + dir
                + ": "
                + POLICY_FILE
                + " holds "
                + weights.size()
                + " arrays, the network has "
                + params.size()
                + " weights");
      }
      for (int i = 0; i < params.size(); i++) assign(dir, params.get(i), weights.get(i));
    }
  }

  /**
   * Loads checkpoint {@code dir}'s weights into a network that adds inputs to its action head
   * (keypoints and/or a pose head, or angle harmonics): every weight of the same name and shape is
   * copied; the action head's first layer, which reads a longer condition (the new inputs are
   * appended to it), gets the checkpoint's columns and zeros for the new inputs, so the network
   * starts out computing exactly what the checkpoint did; the new layers keep their fresh
   * initialisation.
   */
  static void loadPolicyWeightsWideningHead(Path dir, Meta meta, WamNetwork net, NDManager manager)
      throws IOException {
    try (NDList weights =
        read(dir, POLICY_FILE, meta, manager)) { // freed also when a weight does not fit
      Map<String, NDArray> byName = byName(dir, meta, weights);
      boolean widened = false;
      for (Pair<String, Parameter> p : net.getParameters()) {
        NDArray have = byName.remove(p.getKey());
        if (have == null) continue; // a keypoint layer: fresh
        NDArray w = p.getValue().getArray();
        if (w.getShape().equals(have.getShape())) {
          w.set(have.toFloatArray());
        } else if (w.getShape().dimension() == 2
            && have.getShape().dimension() == 2
            && w.getShape().get(0) == have.getShape().get(0)
            && w.getShape().get(1) > have.getShape().get(1)
            && !widened) {
          long rows = w.getShape().get(0),
              newIn = w.getShape().get(1),
              oldIn = have.getShape().get(1);
          float[] old = have.toFloatArray(), wide = new float[(int) (rows * newIn)];
          for (int r = 0; r < rows; r++)
            System.arraycopy(old, (int) (r * oldIn), wide, (int) (r * newIn), (int) oldIn);
          w.set(wide);
          widened = true;
        } else {
          throw new CheckpointException(
              "checkpoint "
                  + dir
                  + ": weight "
                  + p.getKey()
                  + " has shape "
                  + have.getShape()
                  + ", the network's is "
                  + w.getShape());
        }
      }
      if (!byName.isEmpty())
        throw new CheckpointException(
            "checkpoint " + dir + " holds weights the network lacks: " + byName.keySet());
    }
  }

  /**
   * Loads checkpoint {@code dir}'s weights into a network whose action head reads the state another
   * way ({@link WamConfig#poseFeatures}): every other weight is copied, the action head starts
   * fresh.
   */
  static void loadPolicyWeightsWithFreshActionHead(
      Path dir, Meta meta, WamNetwork net, NDManager manager) throws IOException {
    loadPolicyWeightsExcept(dir, meta, net, manager, WamNetwork::isActionHead);
  }

  /**
   * Loads checkpoint {@code dir}'s weights into a network that adds a dream branch ({@link
   * WamConfig#dreamFromActions}) the checkpoint lacks: every weight is copied, the branch starts
   * fresh.
   */
  static void loadPolicyWeightsWithFreshDreamBranch(
      Path dir, Meta meta, WamNetwork net, NDManager manager) throws IOException {
    loadPolicyWeightsExcept(dir, meta, net, manager, WamNetwork::isDreamBranch);
  }

  /**
   * Copies every weight of checkpoint {@code dir} into {@code net} except those {@code fresh}
   * accepts, which keep their fresh initialisation (the checkpoint's own, if any, are left behind
   * on purpose); any other weight missing on either side, or of another shape, is an error.
   */
  private static void loadPolicyWeightsExcept(
      Path dir,
      Meta meta,
      WamNetwork net,
      NDManager manager,
      java.util.function.Predicate<String> fresh)
      throws IOException {
    try (NDList weights =
        read(dir, POLICY_FILE, meta, manager)) { // freed also when a weight does not fit
      Map<String, NDArray> byName = byName(dir, meta, weights);
      for (Pair<String, Parameter> p : net.getParameters()) {
        NDArray have = byName.remove(p.getKey());
        if (fresh.test(p.getKey())) continue;
        if (have == null)
          throw new CheckpointException("checkpoint " + dir + " lacks weight " + p.getKey());
        assign(dir, p, have);
      }
      byName.keySet().removeIf(fresh);
      if (!byName.isEmpty())
        throw new CheckpointException(
            "checkpoint " + dir + " holds weights the network lacks: " + byName.keySet());
    }
  }

  /** A checkpoint's policy weights keyed by the parameter names its meta lists, in order. */
  private static Map<String, NDArray> byName(Path dir, Meta meta, NDList weights)
      throws CheckpointException {
    List<String> names = new ArrayList<>(meta.parameters().keySet());
    if (weights.size() != names.size()) {
      throw new CheckpointException(
          "checkpoint "
              + dir
              + ": "
              + POLICY_FILE
              + " holds "
              + weights.size()
              + " arrays, its meta names "
              + names.size());
    }
    Map<String, NDArray> byName = new LinkedHashMap<>();
    for (int i = 0; i < names.size(); i++) byName.put(names.get(i), weights.get(i));
    return byName;
  }

  /**
   * Restores raw weights, moments and moving average into {@code trainer} from checkpoint {@code
   * dir}.
   */
  static void restore(Path dir, Meta meta, WamTrainer trainer) throws IOException {
    checkShapes(dir, meta, trainer.network());
    if (!meta.files().containsKey(TRAIN_STATE_FILE)) {
      throw new CheckpointException(
          "checkpoint "
              + dir
              + " has no "
              + TRAIN_STATE_FILE
              + " (a shipped model cannot resume training)");
    }
    NDManager manager = trainer.model().getNDManager();
    try (NDManager scope = manager.newSubManager()) {
      NDList state = read(dir, TRAIN_STATE_FILE, meta, scope);
      List<Pair<String, Parameter>> params = trainer.network().getParameters().stream().toList();
      int n = params.size();
      for (int i = 0; i < n; i++) assign(dir, params.get(i), state.get(i));
      trainer.optimizer().restore(new NDList(state.subList(n, state.size())), meta.step());
      trainer.steps(meta.step());
    }
  }

  private static void assign(Path dir, Pair<String, Parameter> p, NDArray value)
      throws CheckpointException {
    NDArray w = p.getValue().getArray();
    if (!w.getShape().equals(value.getShape())) {
      throw new CheckpointException(
          "checkpoint "
              + dir
              + ": weight "
              + p.getKey()
              + " has shape "
              + value.getShape()
              + ", the network's is "
              + w.getShape());
    }
    w.set(value.toFloatArray());
  }

  private static void checkShapes(Path dir, Meta meta, WamNetwork net) throws CheckpointException {
    Map<String, List<Long>> have = shapes(net);
    if (!have.equals(meta.parameters())) {
      throw new CheckpointException(
          "checkpoint "
              + dir
              + " holds weights of another architecture (parameter names or shapes differ)");
    }
  }

  static Map<String, List<Long>> shapes(WamNetwork net) {
    Map<String, List<Long>> out = new LinkedHashMap<>();
    for (Pair<String, Parameter> p : net.getParameters()) {
      List<Long> dims = new ArrayList<>();
      for (long d : p.getValue().getArray().getShape().getShape()) dims.add(d);
      out.put(p.getKey(), dims);
    }
    return out;
  }

  /** "field: checkpoint X, config Y" for each field that shapes the weights or their meaning. */
  static List<String> architectureDifferences(WamConfig saved, WamConfig wanted) {
    JsonNode a = JSON.valueToTree(saved), b = JSON.valueToTree(wanted);
    List<String> out = new ArrayList<>();
    // Shapes of the weights, plus what gives them meaning (position scale, dream offsets).
    for (String f :
        List.of(
            "imageSize",
            "workspaceSize",
            "historyFrames",
            "actionHorizon",
            "futureStride",
            "futureFrames",
            "latentChannels",
            "encoderChannels",
            "dynamicsChannels",
            "dynamicsBlocks",
            "featureSize",
            "headWidth",
            "headLayers",
            "keypoints")) {
      if (!a.get(f).equals(b.get(f)))
        out.add(f + ": checkpoint " + a.get(f) + ", config " + b.get(f));
    }
    if (saved.hasPoseHead() != wanted.hasPoseHead())
      out.add(
          "poseHead (poseWeight > 0): checkpoint "
              + saved.hasPoseHead()
              + ", config "
              + wanted.hasPoseHead());
    if (saved.actionFromPose() != wanted.actionFromPose()) {
      out.add(
          "actionFromPose: checkpoint "
              + saved.actionFromPose()
              + ", config "
              + wanted.actionFromPose());
    }
    if (saved.poseFeatures() != wanted.poseFeatures())
      out.add(
          "poseFeatures: checkpoint " + saved.poseFeatures() + ", config " + wanted.poseFeatures());
    if (saved.angleHarmonics() != wanted.angleHarmonics()) {
      out.add(
          "angleHarmonics: checkpoint "
              + saved.angleHarmonics()
              + ", config "
              + wanted.angleHarmonics());
    }
    if (saved.dreamFromActions() != wanted.dreamFromActions()) {
      out.add(
          "dreamFromActions: checkpoint "
              + saved.dreamFromActions()
              + ", config "
              + wanted.dreamFromActions());
    } else if (saved.dreamFromActions()) { // the branch's size matters only where both have one
      if (saved.dreamChannels() != wanted.dreamChannels())
        out.add(
            "dreamChannels: checkpoint "
                + saved.dreamChannels()
                + ", config "
                + wanted.dreamChannels());
      if (saved.dreamBlocks() != wanted.dreamBlocks())
        out.add(
            "dreamBlocks: checkpoint " + saved.dreamBlocks() + ", config " + wanted.dreamBlocks());
    }
    return out;
  }

  /** "field: checkpoint X, config Y" for every field that differs. */
  static List<String> differences(WamConfig saved, WamConfig wanted) {
    JsonNode a = JSON.valueToTree(saved), b = JSON.valueToTree(wanted);
    List<String> out = new ArrayList<>();
    for (Map.Entry<String, JsonNode> f : b.properties()) {
      if (!f.getValue().equals(a.get(f.getKey())))
        out.add(f.getKey() + ": checkpoint " + a.get(f.getKey()) + ", config " + f.getValue());
    }
    return out;
  }

  private static String write(Path file, NDList arrays) throws IOException {
    MessageDigest sha = sha256();
    try (OutputStream out =
        new BufferedOutputStream(new DigestOutputStream(Files.newOutputStream(file), sha))) {
      arrays.encode(out);
    }
    return HexFormat.of().formatHex(sha.digest()) + ":" + Files.size(file);
  }

  private static void verify(Path dir, String name, Meta meta) throws IOException {
    Path file = dir.resolve(name);
    if (!Files.isRegularFile(file))
      throw new CheckpointException("checkpoint " + dir + ": " + name + " is missing");
    MessageDigest sha = sha256();
    try (InputStream in = new DigestInputStream(Files.newInputStream(file), sha)) {
      in.transferTo(OutputStream.nullOutputStream());
    }
    String actual = HexFormat.of().formatHex(sha.digest()) + ":" + Files.size(file);
    if (!actual.equals(meta.files().get(name))) {
      throw new CheckpointException(
          "checkpoint "
              + dir
              + ": "
              + name
              + " is corrupted: sha256:bytes "
              + actual
              + ", "
              + META_FILE
              + " records "
              + meta.files().get(name));
    }
  }

  private static NDList read(Path dir, String name, Meta meta, NDManager manager)
      throws IOException {
    verify(dir, name, meta);
    try (InputStream in = new BufferedInputStream(Files.newInputStream(dir.resolve(name)))) {
      return NDList.decode(manager, in);
    } catch (RuntimeException e) {
      throw new CheckpointException(
          "checkpoint " + dir + ": cannot decode " + name + ": " + e.getMessage(), e);
    }
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every JDK", e);
    }
  }

  static Path hiddenSibling(Path parent, String prefix) throws IOException {
    return AtomicFiles.hiddenDirectory(parent, prefix);
  }
}
