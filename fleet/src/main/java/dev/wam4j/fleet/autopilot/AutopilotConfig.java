package dev.wam4j.fleet.autopilot;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wam4j.eval.SeedRange;
import dev.wam4j.eval.stats.RateComparison;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * What the autopilot does for one task and robot group, every setting with its default.
 *
 * @param task the task whose data feeds candidates
 * @param group the robot group candidates are deployed to
 * @param hoursPerCandidate hours of new data that start a candidate (1.0)
 * @param successfulOnly fine-tune on successful episodes only: self-imitation (true)
 * @param recentHours a candidate trains on the newest episodes adding up to this many hours (0, the
 *     default: every episode of the task); bounds the labelling a candidate waits for when a fleet
 *     collects faster than its episodes can be labelled
 * @param labels the actions a candidate learns per frame: {@code "executed"} (what the robot did;
 *     the default) or {@code "expert"} (DAgger on the fleet's own episodes: the task's scripted
 *     expert, acting in {@code scene} from the agent's position and the deployed perception's pose
 *     estimate, labels each frame with the chunk it would run)
 * @param validationSeeds simulation seeds candidate and deployed model are compared on
 *     (200000..200049)
 * @param minSimGain a candidate reaches a canary only when its validation success rate is above the
 *     deployed model's plus this (0.0: any improvement; equal is not enough)
 * @param canary the sequential test of canary against group
 * @param maxCanaryEpisodes canary episodes after which an undecided canary is rolled back (500)
 * @param maxCanaryHours wall hours after which an undecided canary is rolled back (24), counted
 *     from its deployment (a server's downtime and pauses included): a canary robot that went
 *     offline, or whose group stopped working, gives no evidence, and the loop must not wait on it
 *     for ever
 * @param scene the simulation scene of the validation runs: a built-in name or a scene file
 *     ("pusht")
 * @param finetune fields of the fine-tuning config that override the deployed model's own (its
 *     architecture stays; {@link #DEFAULT_FINETUNE}): {@code dataset} and {@code init} are set by
 *     the autopilot
 * @param stepSeconds how often the server advances the loop (10)
 */
public record AutopilotConfig(
    String task,
    String group,
    double hoursPerCandidate,
    boolean successfulOnly,
    double recentHours,
    String labels,
    SeedRange validationSeeds,
    double minSimGain,
    RateComparison.Config canary,
    long maxCanaryEpisodes,
    double maxCanaryHours,
    String scene,
    ObjectNode finetune,
    double stepSeconds) {
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * The fine-tune a candidate gets unless the config says otherwise: the action head alone (the
   * perception stays as deployed), on block poses the deployed perception estimated from the
   * episodes' frames (fleet episodes carry no pose labels: the head learns from what it reads when
   * it acts) plus 1 px / 1 deg of noise, 1,500 steps of batch 256 at 1e-4, one thread (the fleet's
   * server keeps the other core), one checkpoint at the end.
   */
  public static final String DEFAULT_FINETUNE =
      "{\"headOnly\": true, \"dreamOnly\": false, \"actionWeight\": 1.0, \"renderFrames\": false,"
          + " \"poseNoisePixels\": 1.0, \"poseNoiseDegrees\": 1.0, \"steps\": 1500,"
          + " \"batchSize\": 256, \"learningRate\": 0.0001, \"warmupSteps\": 100,"
          + " \"checkpointEverySteps\": 1500, \"threads\": 1, \"validationDataset\": null,"
          + " \"extraDatasets\": [], \"datasetEpisodes\": 0}";

  /** Candidates learn the actions the robots executed. */
  public static final String LABELS_EXECUTED = "executed";

  /** Candidates learn the task's scripted expert's chunks from what the deployed model saw. */
  public static final String LABELS_EXPERT = "expert";

  private static final List<String> LABELS = List.of(LABELS_EXECUTED, LABELS_EXPERT);

  private static final Set<String> FIELDS =
      Set.of(
          "task",
          "group",
          "hoursPerCandidate",
          "successfulOnly",
          "recentHours",
          "labels",
          "validationSeeds",
          "minSimGain",
          "canary",
          "maxCanaryEpisodes",
          "maxCanaryHours",
          "scene",
          "finetune",
          "stepSeconds");

  public AutopilotConfig {
    if (task == null || task.isBlank()) throw new IllegalArgumentException("task is required");
    if (group == null || group.isBlank()) throw new IllegalArgumentException("group is required");
    if (!(hoursPerCandidate > 0))
      throw new IllegalArgumentException("hoursPerCandidate must be > 0, got " + hoursPerCandidate);
    if (!(recentHours >= 0))
      throw new IllegalArgumentException("recentHours must be >= 0, got " + recentHours);
    if (labels == null) labels = LABELS_EXECUTED;
    if (!LABELS.contains(labels))
      throw new IllegalArgumentException(
          "labels must be one of " + LABELS + ", got '" + labels + "'");
    if (!(minSimGain >= 0 && minSimGain < 1))
      throw new IllegalArgumentException("minSimGain must lie in [0, 1), got " + minSimGain);
    if (maxCanaryEpisodes < canary.minEpisodes())
      throw new IllegalArgumentException(
          "maxCanaryEpisodes ("
              + maxCanaryEpisodes
              + ") must be >= the canary test's minEpisodes ("
              + canary.minEpisodes()
              + ")");
    if (!(maxCanaryHours > 0))
      throw new IllegalArgumentException("maxCanaryHours must be > 0, got " + maxCanaryHours);
    if (scene == null || scene.isBlank()) scene = "pusht";
    if (finetune == null) finetune = defaultFinetune();
    if (!(stepSeconds > 0))
      throw new IllegalArgumentException("stepSeconds must be > 0, got " + stepSeconds);
  }

  /** The defaults for a task and group. */
  public static AutopilotConfig of(String task, String group) {
    return new AutopilotConfig(
        task,
        group,
        1.0,
        true,
        0,
        LABELS_EXECUTED,
        new SeedRange(200000, 200049),
        0.0,
        RateComparison.Config.defaults(),
        500,
        24,
        "pusht",
        null,
        10);
  }

  /** The same with more fine-tuning overrides (merged over this config's). */
  public AutopilotConfig withFinetune(ObjectNode overrides) {
    ObjectNode merged = finetune.deepCopy();
    merged.setAll(overrides);
    return new AutopilotConfig(
        task,
        group,
        hoursPerCandidate,
        successfulOnly,
        recentHours,
        labels,
        validationSeeds,
        minSimGain,
        canary,
        maxCanaryEpisodes,
        maxCanaryHours,
        scene,
        merged,
        stepSeconds);
  }

  /** The same with another number of hours per candidate. */
  public AutopilotConfig withHoursPerCandidate(double hours) {
    return new AutopilotConfig(
        task,
        group,
        hours,
        successfulOnly,
        recentHours,
        labels,
        validationSeeds,
        minSimGain,
        canary,
        maxCanaryEpisodes,
        maxCanaryHours,
        scene,
        finetune,
        stepSeconds);
  }

  /** The same for another task, group and validation scene. */
  public AutopilotConfig forFleet(String task, String group, String scene) {
    return new AutopilotConfig(
        task,
        group,
        hoursPerCandidate,
        successfulOnly,
        recentHours,
        labels,
        validationSeeds,
        minSimGain,
        canary,
        maxCanaryEpisodes,
        maxCanaryHours,
        scene,
        finetune,
        stepSeconds);
  }

  private static ObjectNode defaultFinetune() {
    try {
      return (ObjectNode) JSON.readTree(DEFAULT_FINETUNE);
    } catch (JacksonException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Reads a config file: a JSON object with {@code task} and {@code group} and any other field of
   * this record (camelCase; {@code validationSeeds} as "A..B", {@code canary} as {@code {alpha,
   * tunedForEpisodes, minEpisodes}}); a relative {@code scene} file and relative {@code
   * finetune.extraDatasets} folders resolve against the file's folder.
   *
   * @throws IllegalArgumentException naming the file and the field for unknown fields or bad values
   */
  public static AutopilotConfig load(Path file) throws IOException {
    if (!Files.isRegularFile(file))
      throw new IllegalArgumentException("autopilot config " + file + " does not exist");
    JsonNode tree;
    try {
      tree = JSON.readTree(file.toFile());
    } catch (JacksonException e) {
      throw new IllegalArgumentException(file + ": not valid JSON: " + e.getOriginalMessage(), e);
    }
    try {
      return parse(tree, file.toAbsolutePath().getParent());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
    }
  }

  static AutopilotConfig parse(JsonNode tree, Path base) {
    if (tree == null || !tree.isObject())
      throw new IllegalArgumentException("an autopilot config must be a JSON object");
    for (Iterator<String> it = tree.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      if (!FIELDS.contains(f))
        throw new IllegalArgumentException(
            "unknown field '" + f + "' (known: " + new TreeSet<>(FIELDS) + ")");
    }
    AutopilotConfig d = of(text(tree, "task", "x"), text(tree, "group", "x"));
    RateComparison.Config canary = d.canary();
    JsonNode c = tree.get("canary");
    if (c != null) {
      if (!c.isObject())
        throw new IllegalArgumentException(
            "field 'canary' must be an object {alpha, tunedForEpisodes, minEpisodes}");
      for (Iterator<String> it = c.fieldNames(); it.hasNext(); ) {
        String f = it.next();
        if (!Set.of("alpha", "tunedForEpisodes", "minEpisodes").contains(f))
          throw new IllegalArgumentException(
              "unknown field 'canary." + f + "' (known: alpha, tunedForEpisodes, minEpisodes)");
      }
      canary =
          new RateComparison.Config(
              number(c, "alpha", canary.alpha()),
              number(c, "tunedForEpisodes", canary.tunedForEpisodes()),
              integer(c, "canary.minEpisodes", "minEpisodes", canary.minEpisodes()));
    }
    String scene = text(tree, "scene", "pusht");
    if (scene.endsWith(".json") && base != null) scene = base.resolve(scene).normalize().toString();
    JsonNode ft = tree.get("finetune");
    if (ft != null && !ft.isObject())
      throw new IllegalArgumentException("field 'finetune' must be an object of config fields");
    for (String set : new String[] {"dataset", "init"})
      if (ft != null && ft.has(set))
        throw new IllegalArgumentException(
            "field 'finetune."
                + set
                + "' is set by the autopilot (the fleet's data, the deployed model)");
    if (ft != null && ft.has("extraDatasets")) { // replayed data, e.g. what the head first saw
      JsonNode extra = ft.get("extraDatasets");
      if (!extra.isArray())
        throw new IllegalArgumentException(
            "field 'finetune.extraDatasets' must be an array of dataset folders, got " + extra);
      com.fasterxml.jackson.databind.node.ArrayNode resolved = JSON.createArrayNode();
      for (JsonNode folder : extra) {
        if (!folder.isTextual())
          throw new IllegalArgumentException(
              "field 'finetune.extraDatasets' must hold folder names, got " + folder);
        resolved.add(
            base == null ? folder.asText() : base.resolve(folder.asText()).normalize().toString());
      }
      ft = ((ObjectNode) ft).deepCopy().set("extraDatasets", resolved);
    }
    AutopilotConfig out =
        new AutopilotConfig(
            text(tree, "task", null),
            text(tree, "group", null),
            number(tree, "hoursPerCandidate", d.hoursPerCandidate()),
            bool(tree, "successfulOnly", d.successfulOnly()),
            number(tree, "recentHours", d.recentHours()),
            text(tree, "labels", d.labels()),
            tree.has("validationSeeds")
                ? SeedRange.parse(text(tree, "validationSeeds", null), "validationSeeds")
                : d.validationSeeds(),
            number(tree, "minSimGain", d.minSimGain()),
            canary,
            integer(tree, "maxCanaryEpisodes", "maxCanaryEpisodes", d.maxCanaryEpisodes()),
            number(tree, "maxCanaryHours", d.maxCanaryHours()),
            scene,
            null,
            number(tree, "stepSeconds", d.stepSeconds()));
    return ft == null ? out : out.withFinetune((ObjectNode) ft);
  }

  private static String text(JsonNode t, String field, String dflt) {
    JsonNode v = t.get(field);
    if (v == null || v.isNull()) {
      if (dflt == null) throw new IllegalArgumentException("field '" + field + "' is required");
      return dflt;
    }
    if (!v.isTextual())
      throw new IllegalArgumentException("field '" + field + "' must be a string, got " + v);
    return v.asText();
  }

  private static double number(JsonNode t, String field, double dflt) {
    JsonNode v = t.get(field);
    if (v == null || v.isNull()) return dflt;
    if (!v.isNumber())
      throw new IllegalArgumentException("field '" + field + "' must be a number, got " + v);
    return v.asDouble();
  }

  private static long integer(JsonNode t, String name, String field, long dflt) {
    JsonNode v = t.get(field);
    if (v == null || v.isNull()) return dflt;
    if (!v.isIntegralNumber())
      throw new IllegalArgumentException("field '" + name + "' must be a whole number, got " + v);
    return v.asLong();
  }

  private static boolean bool(JsonNode t, String field, boolean dflt) {
    JsonNode v = t.get(field);
    if (v == null || v.isNull()) return dflt;
    if (!v.isBoolean())
      throw new IllegalArgumentException("field '" + field + "' must be true or false, got " + v);
    return v.asBoolean();
  }

  /** The config as a config file spells it (echoed into the autopilot's outputs). */
  public Map<String, Object> describe() {
    Map<String, Object> m = new java.util.LinkedHashMap<>();
    m.put("task", task);
    m.put("group", group);
    m.put("hoursPerCandidate", hoursPerCandidate);
    m.put("successfulOnly", successfulOnly);
    m.put("recentHours", recentHours);
    m.put("labels", labels);
    m.put("validationSeeds", validationSeeds.toString());
    m.put("minSimGain", minSimGain);
    Map<String, Object> c = new java.util.LinkedHashMap<>();
    c.put("alpha", canary.alpha());
    c.put("tunedForEpisodes", canary.tunedForEpisodes());
    c.put("minEpisodes", canary.minEpisodes());
    m.put("canary", c);
    m.put("maxCanaryEpisodes", maxCanaryEpisodes);
    m.put("maxCanaryHours", maxCanaryHours);
    m.put("scene", scene);
    m.put("finetune", finetune);
    m.put("stepSeconds", stepSeconds);
    return m;
  }
}
