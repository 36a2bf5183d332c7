package dev.wam4j.eval.study;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wam4j.eval.SeedRange;
import dev.wam4j.model.wam.WamConfig;
import dev.wam4j.model.wam.WamRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A study file: the training configs a study derives its runs from and what it sweeps. One JSON
 * object; nested training configs take the fields of a {@code train} config file ({@link
 * WamConfig}) and resolve relative paths against the study file's folder.
 *
 * @param file the study file
 * @param pretrain stage-1 config (human video): the ablation's pre-trained arm trains it first; the
 *     scaling sweep trains it on each size; or {@code null}
 * @param pretrainCheckpoint an existing stage-1 checkpoint or run for the ablation's pre-trained
 *     arm instead of {@code pretrain}, or {@code null}
 * @param finetune stage-2 config (robot demonstrations): the ablation's runs, and the scaling
 *     sweep's optional downstream runs; or {@code null}
 * @param episodes the sweep: robot episodes K (the first K of {@code finetune.dataset}) for the
 *     ablation; video episodes (the first N of {@code pretrain.dataset}) for the scaling sweep
 * @param trainingSeeds the ablation's training seeds: each cell trains once per seed (the config's
 *     {@code seed} replaced); empty (the default) trains each cell once with the config's own seed
 * @param evalSeeds closed-loop evaluation seeds (default {@code 100000..100049}, the published 50)
 * @param metric {@code log.csv} column the scaling law fits (default {@code val_video})
 */
public record StudyConfig(
    Path file,
    ObjectNode pretrain,
    String pretrainCheckpoint,
    ObjectNode finetune,
    List<Integer> episodes,
    List<Long> trainingSeeds,
    SeedRange evalSeeds,
    String metric) {
  private static final Set<String> FIELDS =
      Set.of(
          "pretrain",
          "pretrainCheckpoint",
          "finetune",
          "episodes",
          "trainingSeeds",
          "evalSeeds",
          "metric",
          "comment");
  static final ObjectMapper JSON = new ObjectMapper();

  public StudyConfig {
    episodes = List.copyOf(episodes);
    trainingSeeds = List.copyOf(trainingSeeds);
  }

  /**
   * Reads a study file.
   *
   * @throws IllegalArgumentException naming the file and field that is missing, unknown or
   *     malformed
   */
  public static StudyConfig load(Path file) throws IOException {
    if (!Files.isRegularFile(file))
      throw new IllegalArgumentException("study file " + file + " does not exist");
    JsonNode tree;
    try {
      tree = JSON.readTree(file.toFile());
    } catch (JacksonException e) {
      throw new IllegalArgumentException(file + ": not valid JSON: " + e.getOriginalMessage(), e);
    }
    if (tree == null || !tree.isObject())
      throw new IllegalArgumentException(file + ": a study file must be a JSON object");
    for (Map.Entry<String, JsonNode> f : tree.properties()) {
      if (!FIELDS.contains(f.getKey())) {
        throw new IllegalArgumentException(
            file
                + ": unknown field '"
                + f.getKey()
                + "' (known: "
                + FIELDS.stream().sorted().toList()
                + ")");
      }
    }
    ObjectNode pretrain = object(tree, "pretrain", file), finetune = object(tree, "finetune", file);
    String checkpoint = text(tree, "pretrainCheckpoint", file, null);
    if (checkpoint != null)
      checkpoint = file.toAbsolutePath().getParent().resolve(checkpoint).normalize().toString();
    JsonNode eps = tree.get("episodes");
    if (eps == null || !eps.isArray() || eps.isEmpty()) {
      throw new IllegalArgumentException(
          file
              + ": field 'episodes' must be a non-empty array of episode counts, e.g. [10, 25, 50, 90]");
    }
    List<Integer> episodes = new ArrayList<>();
    for (JsonNode e : eps) {
      if (!e.canConvertToInt() || !e.isIntegralNumber() || e.asInt() < 1) {
        throw new IllegalArgumentException(
            file + ": field 'episodes' holds " + e + "; each must be an integer >= 1");
      }
      if (!episodes.isEmpty() && e.asInt() <= episodes.get(episodes.size() - 1)) {
        throw new IllegalArgumentException(
            file + ": field 'episodes' must be ascending, got " + eps);
      }
      episodes.add(e.asInt());
    }
    List<Long> trainingSeeds = new ArrayList<>();
    JsonNode ts = tree.get("trainingSeeds");
    if (ts != null && !ts.isNull()) {
      if (!ts.isArray() || ts.isEmpty())
        throw new IllegalArgumentException(
            file + ": field 'trainingSeeds' must be a non-empty array of seeds, e.g. [0, 1]");
      for (JsonNode s : ts) {
        if (!s.isIntegralNumber() || !s.canConvertToLong() || trainingSeeds.contains(s.asLong())) {
          throw new IllegalArgumentException(
              file + ": field 'trainingSeeds' holds " + s + "; each must be a distinct integer");
        }
        trainingSeeds.add(s.asLong());
      }
    }
    SeedRange seeds =
        SeedRange.parse(
            text(tree, "evalSeeds", file, "100000..100049"), file + ": field 'evalSeeds'");
    StudyConfig c =
        new StudyConfig(
            file,
            pretrain,
            checkpoint,
            finetune,
            episodes,
            trainingSeeds,
            seeds,
            text(tree, "metric", file, "val_video"));
    // fail now, not an hour into the study, when a nested config is malformed
    if (pretrain != null) c.pretrainConfig(episodes.get(0));
    if (finetune != null) c.finetuneConfig(episodes.get(0), null);
    return c;
  }

  /** The stage-1 config on the first {@code episodes} episodes of its dataset (0: all). */
  public WamConfig pretrainConfig(int episodes) {
    return derive(pretrain, "pretrain", episodes, null, null);
  }

  /**
   * The stage-2 config on the first {@code episodes} episodes of its dataset, from {@code init}
   * (null: fresh weights).
   */
  public WamConfig finetuneConfig(int episodes, Path init) {
    return finetuneConfig(episodes, init, null);
  }

  /** {@link #finetuneConfig(int, Path)} trained with seed {@code seed} (null: the config's own). */
  public WamConfig finetuneConfig(int episodes, Path init, Long seed) {
    return derive(finetune, "finetune", episodes, init, seed);
  }

  private WamConfig derive(ObjectNode base, String field, int episodes, Path init, Long seed) {
    if (base == null)
      throw new IllegalArgumentException(file + ": this study needs the field '" + field + "'");
    ObjectNode o = base.deepCopy();
    o.put("datasetEpisodes", episodes);
    if (seed != null) o.put("seed", seed);
    if (init != null) o.put("init", init.toAbsolutePath().normalize().toString());
    else if ("finetune".equals(field))
      o.remove("init"); // the arm without pre-training starts from fresh weights
    return WamRun.parseConfig(
        o, file.toAbsolutePath().getParent(), file + ": field '" + field + "'");
  }

  private static ObjectNode object(JsonNode tree, String field, Path file) {
    JsonNode n = tree.get(field);
    if (n == null || n.isNull()) return null;
    if (!n.isObject())
      throw new IllegalArgumentException(
          file + ": field '" + field + "' must be a training config object");
    if (n.has("datasetEpisodes")) {
      throw new IllegalArgumentException(
          file
              + ": field '"
              + field
              + "' sets datasetEpisodes; a study sets it per run from 'episodes'");
    }
    return (ObjectNode) n;
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
