package dev.wam4j.model.wam;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.wam4j.model.CheckpointException;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
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
 *
 * <p>This class is the format; {@link TrainingState} saves and restores a trainer, {@link
 * PolicyWeights} loads the policy, {@link CheckpointExport} ships a checkpoint and {@link
 * ComputeLineage} counts the compute behind it.
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
   * Writes {@code arrays} to {@code file}; returns its {@code sha256:bytes} for the meta's files.
   */
  static String write(Path file, NDList arrays) throws IOException {
    MessageDigest sha = sha256();
    try (OutputStream out =
        new BufferedOutputStream(new DigestOutputStream(Files.newOutputStream(file), sha))) {
      arrays.encode(out);
    }
    return HexFormat.of().formatHex(sha.digest()) + ":" + Files.size(file);
  }

  /**
   * Checks file {@code name} of checkpoint {@code dir} against the hash and size its meta records.
   */
  static void verify(Path dir, String name, Meta meta) throws IOException {
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

  /** Reads file {@code name} of checkpoint {@code dir}, verified, into {@code manager}. */
  static NDList read(Path dir, String name, Meta meta, NDManager manager) throws IOException {
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
}
