package dev.wam4j.eval.study;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wam4j.eval.SeedRange;
import dev.wam4j.model.wam.WamConfig;
import dev.wam4j.model.wam.WamRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * A search space for {@code wam4j research}, one JSON file: a training config ({@code base}, the
 * fields of a {@code train} config file), the fields to search and how to draw them, the budget
 * field that successive halving grows (e.g. {@code steps}), and the seeds trials are scored on
 * (validation) and the winner is reported on (protocol, once). Trial i's values are drawn from the
 * search seed and i alone, so a resumed search draws the same trials.
 *
 * @param file the space file
 * @param stage the training stage every trial runs
 * @param base the training config every trial starts from
 * @param search the searched fields, in file order
 * @param budgetField the config field the rung's budget sets
 * @param schedule rungs of the budget
 * @param validationSeeds the seeds trials are scored on
 * @param protocolSeeds the seeds the winner is evaluated on, once
 * @param seed the search's seed (draws)
 * @param hypothesis what the search is expected to find (the notebook's first line)
 * @param baseline the hand-tuned values of the searched fields (every one of them), or null: run
 *     once on the largest budget, scored on the validation seeds beside the search's trials and,
 *     after the winner is chosen, evaluated once on the protocol seeds beside it
 * @param sha256 the space file's SHA-256 as loaded (a search resumes only from the same file)
 */
public record ResearchSpace(
    Path file,
    WamRun.Stage stage,
    ObjectNode base,
    Map<String, Dimension> search,
    String budgetField,
    SuccessiveHalving.Config schedule,
    SeedRange validationSeeds,
    SeedRange protocolSeeds,
    long seed,
    String hypothesis,
    ObjectNode baseline,
    String sha256) {
  private static final Set<String> FIELDS =
      Set.of(
          "stage",
          "base",
          "search",
          "budget",
          "validationSeeds",
          "protocolSeeds",
          "seed",
          "hypothesis",
          "baseline",
          "comment");
  private static final Set<String> BUDGET_FIELDS = Set.of("field", "min", "max", "eta");

  public ResearchSpace {
    search = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(search));
    baseline = baseline == null ? null : baseline.deepCopy();
  }

  /** The baseline's values (a copy), or null. */
  @Override
  public ObjectNode baseline() {
    return baseline == null ? null : baseline.deepCopy();
  }

  /** How one field is drawn. */
  public sealed interface Dimension {
    /** A value for the field. */
    JsonNode draw(SplittableRandom rng);

    /** One of the values, equally likely. */
    record Choice(List<JsonNode> values) implements Dimension {
      @Override
      public JsonNode draw(SplittableRandom rng) {
        return values.get(rng.nextInt(values.size()));
      }
    }

    /** Uniform on [low, high]. */
    record Uniform(double low, double high) implements Dimension {
      @Override
      public JsonNode draw(SplittableRandom rng) {
        return JsonNodeFactory.instance.numberNode(low + (high - low) * rng.nextDouble());
      }
    }

    /** Uniform in log on [low, high] (learning rates, weight decays). */
    record LogUniform(double low, double high) implements Dimension {
      @Override
      public JsonNode draw(SplittableRandom rng) {
        return JsonNodeFactory.instance.numberNode(
            Math.exp(Math.log(low) + (Math.log(high) - Math.log(low)) * rng.nextDouble()));
      }
    }

    /** An integer uniform on [low, high]. */
    record IntUniform(long low, long high) implements Dimension {
      @Override
      public JsonNode draw(SplittableRandom rng) {
        return JsonNodeFactory.instance.numberNode(low + rng.nextLong(high - low + 1));
      }
    }
  }

  /** Reads a space file; every problem names the file and the field. */
  public static ResearchSpace load(Path file) throws IOException {
    if (!Files.isRegularFile(file))
      throw new IllegalArgumentException("search space file " + file + " does not exist");
    JsonNode tree;
    try {
      tree = StudyConfig.JSON.readTree(file.toFile());
    } catch (JacksonException e) {
      throw new IllegalArgumentException(file + ": not valid JSON: " + e.getOriginalMessage(), e);
    }
    if (tree == null || !tree.isObject())
      throw new IllegalArgumentException(file + ": a search space must be a JSON object");
    unknown(tree, FIELDS, file + "");
    String stageName = text(tree, "stage", file, null);
    if (stageName == null)
      throw new IllegalArgumentException(
          file + ": field 'stage' is required (pretrain or finetune)");
    WamRun.Stage stage =
        switch (stageName) {
          case "pretrain" -> WamRun.Stage.PRETRAIN;
          case "finetune" -> WamRun.Stage.FINETUNE;
          default ->
              throw new IllegalArgumentException(
                  file + ": field 'stage' must be pretrain or finetune, got '" + stageName + "'");
        };
    if (!(tree.get("base") instanceof ObjectNode base))
      throw new IllegalArgumentException(
          file
              + ": field 'base' must be a training config object (a train --config file's fields)");
    JsonNode b = tree.get("budget");
    if (b == null || !b.isObject())
      throw new IllegalArgumentException(
          file
              + ": field 'budget' must be an object, e.g. {\"field\": \"steps\", \"min\": 500, \"max\": 4500, \"eta\": 3}");
    unknown(b, BUDGET_FIELDS, file + ": field 'budget'");
    String budgetField = b.path("field").asText("steps");
    SuccessiveHalving.Config schedule;
    try {
      schedule =
          new SuccessiveHalving.Config(
              b.path("eta").asInt(3), number(b, "min", file), number(b, "max", file));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(file + ": field 'budget': " + e.getMessage(), e);
    }
    JsonNode s = tree.get("search");
    if (s == null || !s.isObject() || s.isEmpty())
      throw new IllegalArgumentException(
          file
              + ": field 'search' must name at least one config field, e.g. {\"lr\": {\"logUniform\": [1e-4, 1e-3]}}");
    Map<String, Dimension> search = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> f : s.properties())
      search.put(f.getKey(), dimension(f.getValue(), file + ": field 'search." + f.getKey() + "'"));
    if (search.containsKey(budgetField))
      throw new IllegalArgumentException(
          file + ": field 'search' holds the budget field '" + budgetField + "'; the rungs set it");
    SeedRange validation =
        SeedRange.parse(
            text(tree, "validationSeeds", file, "200000..200019"),
            file + ": field 'validationSeeds'");
    SeedRange protocol =
        SeedRange.parse(
            text(tree, "protocolSeeds", file, "100000..100049"), file + ": field 'protocolSeeds'");
    if (validation.first() <= protocol.last() && protocol.first() <= validation.last())
      throw new IllegalArgumentException(
          file
              + ": 'validationSeeds' "
              + validation
              + " overlap 'protocolSeeds' "
              + protocol
              + "; a recipe chosen on the seeds it is reported on is not a result");
    JsonNode seedNode = tree.get("seed");
    if (seedNode != null && !seedNode.isIntegralNumber())
      throw new IllegalArgumentException(
          file + ": field 'seed' must be an integer, got " + seedNode);
    ResearchSpace space =
        new ResearchSpace(
            file,
            stage,
            base,
            search,
            budgetField,
            schedule,
            validation,
            protocol,
            seedNode == null ? 0 : seedNode.asLong(),
            text(tree, "hypothesis", file, ""),
            baseline(tree.get("baseline"), search.keySet(), file),
            dev.wam4j.data.Digests.sha256Hex(file));
    // fail now, not an hour in: every searched field and the budget field must be config fields,
    // and the extremes of every dimension must make a valid config
    for (String field : search.keySet()) { // each alone first: an error names its field
      for (JsonNode v : space.extremes(field)) {
        ObjectNode o = space.base.deepCopy();
        o.set(field, v);
        o.put(budgetField, (long) schedule.budget(0));
        WamRun.parseConfig(
            o, file.toAbsolutePath().getParent(), file + ": field 'search." + field + "'");
      }
    }
    space.config(0, schedule.budget(0));
    if (space.baseline() != null) space.baselineConfig();
    space.extremes(); // and with the other searched fields at the baseline's values
    return space;
  }

  private static ObjectNode baseline(JsonNode node, Set<String> searched, Path file) {
    if (node == null || node.isNull()) return null;
    if (!(node instanceof ObjectNode o))
      throw new IllegalArgumentException(
          file
              + ": field 'baseline' must be an object of the searched fields' hand-tuned values,"
              + " got "
              + node);
    Set<String> given = new java.util.TreeSet<>();
    o.fieldNames().forEachRemaining(given::add);
    Set<String> missing = new java.util.TreeSet<>(searched), extra = new java.util.TreeSet<>(given);
    missing.removeAll(given);
    extra.removeAll(searched);
    if (!missing.isEmpty() || !extra.isEmpty())
      throw new IllegalArgumentException(
          file
              + ": field 'baseline' must give a value for every searched field and no other"
              + (missing.isEmpty() ? "" : "; missing " + missing)
              + (extra.isEmpty() ? "" : "; not searched " + extra));
    return o;
  }

  /** The largest budget: the top rung's. */
  public double maxBudget() {
    return schedule.budget(schedule.rungs() - 1);
  }

  /** The baseline's training config on the largest budget. */
  public WamConfig baselineConfig() {
    if (baseline == null) throw new IllegalStateException(file + " has no 'baseline'");
    ObjectNode o = base.deepCopy();
    o.setAll(baseline);
    o.put(budgetField, Math.round(maxBudget()));
    return WamRun.parseConfig(
        o, file.toAbsolutePath().getParent(), file + ": field 'baseline' " + baseline);
  }

  /** The values trial {@code trial} tries (drawn from the search seed and the trial alone). */
  public ObjectNode drawn(int trial) {
    SplittableRandom rng = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + trial);
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    for (Map.Entry<String, Dimension> d : search.entrySet())
      o.set(d.getKey(), d.getValue().draw(rng));
    return o;
  }

  /** Trial {@code trial}'s training config on a rung's budget. */
  public WamConfig config(int trial, double budget) {
    ObjectNode o = base.deepCopy();
    o.setAll(drawn(trial));
    o.put(budgetField, Math.round(budget));
    return WamRun.parseConfig(
        o, file.toAbsolutePath().getParent(), file + ": trial " + trial + " " + drawn(trial));
  }

  /**
   * A searched field at one of its choices or one end of its range, every other searched field at
   * the baseline's value (trial 0's without a baseline), the rest the base's.
   *
   * @param field the searched field
   * @param value its value
   * @param config the config on the first rung's budget
   */
  public record Extreme(String field, JsonNode value, WamConfig config) {}

  /** Every searched field at each of its choices and both ends of its range. */
  public List<Extreme> extremes() {
    List<Extreme> out = new java.util.ArrayList<>();
    for (String field : search.keySet()) {
      for (JsonNode v : extremes(field)) {
        ObjectNode o = base.deepCopy();
        o.setAll(baseline != null ? baseline : drawn(0));
        o.set(field, v);
        o.put(budgetField, (long) schedule.budget(0));
        out.add(
            new Extreme(
                field,
                v,
                WamRun.parseConfig(
                    o,
                    file.toAbsolutePath().getParent(),
                    file + ": field 'search." + field + "'")));
      }
    }
    return out;
  }

  private List<JsonNode> extremes(String field) {
    return switch (search.get(field)) {
      case Dimension.Choice c -> c.values();
      case Dimension.Uniform u -> List.of(num(u.low()), num(u.high()));
      case Dimension.LogUniform u -> List.of(num(u.low()), num(u.high()));
      case Dimension.IntUniform u ->
          List.of(
              JsonNodeFactory.instance.numberNode(u.low()),
              JsonNodeFactory.instance.numberNode(u.high()));
    };
  }

  private static JsonNode num(double v) {
    return JsonNodeFactory.instance.numberNode(v);
  }

  private static Dimension dimension(JsonNode spec, String where) {
    if (spec == null || !spec.isObject() || spec.size() != 1)
      throw new IllegalArgumentException(
          where
              + " must be one of {\"choice\": [..]}, {\"uniform\": [low, high]}, {\"logUniform\": [low, high]}, {\"intUniform\": [low, high]}, got "
              + spec);
    Map.Entry<String, JsonNode> e = spec.properties().iterator().next();
    JsonNode v = e.getValue();
    if (e.getKey().equals("choice")) {
      if (!v.isArray() || v.isEmpty())
        throw new IllegalArgumentException(where + ": 'choice' must be a non-empty array");
      List<JsonNode> values = new ArrayList<>();
      v.forEach(values::add);
      return new Dimension.Choice(List.copyOf(values));
    }
    if (!v.isArray() || v.size() != 2 || !v.get(0).isNumber() || !v.get(1).isNumber())
      throw new IllegalArgumentException(
          where + ": '" + e.getKey() + "' must be [low, high], two numbers, got " + v);
    double low = v.get(0).asDouble(), high = v.get(1).asDouble();
    if (!(low < high)) throw new IllegalArgumentException(where + ": low must be < high, got " + v);
    return switch (e.getKey()) {
      case "uniform" -> new Dimension.Uniform(low, high);
      case "logUniform" -> {
        if (!(low > 0))
          throw new IllegalArgumentException(where + ": 'logUniform' needs low > 0, got " + v);
        yield new Dimension.LogUniform(low, high);
      }
      case "intUniform" -> {
        if (!v.get(0).isIntegralNumber() || !v.get(1).isIntegralNumber())
          throw new IllegalArgumentException(where + ": 'intUniform' needs integers, got " + v);
        yield new Dimension.IntUniform(v.get(0).asLong(), v.get(1).asLong());
      }
      default ->
          throw new IllegalArgumentException(
              where
                  + ": unknown kind '"
                  + e.getKey()
                  + "' (known: choice, uniform, logUniform, intUniform)");
    };
  }

  private static void unknown(JsonNode tree, Set<String> known, String where) {
    for (Map.Entry<String, JsonNode> f : tree.properties()) {
      if (!known.contains(f.getKey()))
        throw new IllegalArgumentException(
            where
                + ": unknown field '"
                + f.getKey()
                + "' (known: "
                + known.stream().sorted().toList()
                + ")");
    }
  }

  private static double number(JsonNode tree, String field, Path file) {
    JsonNode n = tree.get(field);
    if (n == null || !n.isNumber())
      throw new IllegalArgumentException(
          file + ": field 'budget." + field + "' must be a number, got " + n);
    return n.asDouble();
  }

  private static String text(JsonNode tree, String field, Path file, String fallback) {
    JsonNode n = tree.get(field);
    if (n == null || n.isNull()) return fallback;
    if (!n.isTextual())
      throw new IllegalArgumentException(
          file + ": field '" + field + "' must be a string, got " + n);
    return n.asText();
  }
}
