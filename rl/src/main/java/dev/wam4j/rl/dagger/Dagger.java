package dev.wam4j.rl.dagger;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wam4j.data.FileTrees;
import dev.wam4j.eval.ClosedLoopEvaluation;
import dev.wam4j.model.Engines;
import dev.wam4j.model.wam.ComputeLineage;
import dev.wam4j.model.wam.ComputeStage;
import dev.wam4j.model.wam.WamCheckpoint;
import dev.wam4j.model.wam.WamConfig;
import dev.wam4j.model.wam.WamPolicy;
import dev.wam4j.model.wam.WamRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * DAgger (Ross, Gordon and Bagnell, 2011) with the simulator's expert as teacher, on the world
 * action model. Each round rolls the current student out ({@link DaggerCollector}: the teacher's
 * chunk runs instead with probability beta), labels every visited state with the teacher's chunk
 * from it, adds that data to everything collected so far, trains the student further on the
 * aggregate (from its previous weights), and scores it on a validation seed block. That fixes
 * compounding error, which no number of clean demonstrations does: the student learns what to do in
 * the states it actually reaches.
 *
 * <p>The run folder holds {@code dagger.json} (the config), and per round {@code round-NN/data} (a
 * LeRobot dataset), {@code round-NN/train} (a {@code train finetune} run with its checkpoints) and
 * {@code round-NN/round.json} (written last: the round is done). Rerunning the same command
 * resumes: done rounds are skipped, a round's published data is kept, its training resumes from its
 * checkpoint.
 */
public final class Dagger {
  static final ObjectMapper JSON = new ObjectMapper();

  private Dagger() {}

  /** Hears about progress (from the running thread). */
  public interface Listener extends WamRun.Listener {
    default void roundStarted(int round, double beta) {}

    default void collected(int round, int episodes) {}

    default void roundDone(Round round) {}
  }

  /**
   * One finished round.
   *
   * @param checkpoint the round's last checkpoint (the next round's student)
   * @param collect what the rollouts gathered (the student's own score on those seeds, with beta's
   *     help)
   * @param aggregateFrames DAgger frames trained on in this round (this round's and every earlier
   *     one's)
   * @param validationCoverage mean max coverage on the validation block (NaN without validation)
   * @param validationSuccess success rate there
   * @param collectSeconds wall time of rollouts and labels
   * @param loadSeconds wall time of loading the training data (and hashing it)
   * @param trainSeconds wall time of the training steps and checkpoints
   * @param validationSeconds wall time of the validation episodes
   */
  public record Round(
      int round,
      double beta,
      Path checkpoint,
      DaggerCollector.Result collect,
      long aggregateFrames,
      double validationCoverage,
      double validationSuccess,
      double collectSeconds,
      double loadSeconds,
      double trainSeconds,
      double validationSeconds) {
    /** Compute this round cost, seconds. */
    public double seconds() {
      return collectSeconds + loadSeconds + trainSeconds + validationSeconds;
    }
  }

  /** What the run did, round by round, and the compute behind it (seconds on this machine). */
  public record Result(DaggerConfig config, List<Round> rounds, double seconds) {
    public Round last() {
      return rounds.get(rounds.size() - 1);
    }
  }

  /**
   * Reads a config file: fields override {@link DaggerConfig#defaults()}; relative paths resolve
   * against the file's folder.
   */
  public static DaggerConfig loadConfig(Path file) throws IOException {
    if (!Files.isRegularFile(file))
      throw new IllegalArgumentException("dagger config file " + file + " does not exist");
    JsonNode tree;
    try {
      tree = JSON.readTree(file.toFile());
    } catch (JacksonException e) {
      throw new IllegalArgumentException(file + ": not valid JSON: " + e.getOriginalMessage(), e);
    }
    if (tree == null || !tree.isObject())
      throw new IllegalArgumentException(file + ": a dagger config must be a JSON object");
    ObjectNode merged = JSON.valueToTree(DaggerConfig.defaults());
    for (Map.Entry<String, JsonNode> f : tree.properties()) {
      if (!merged.has(f.getKey()))
        throw new IllegalArgumentException(
            file + ": unknown field '" + f.getKey() + "' (known: " + names(merged) + ")");
      merged.set(f.getKey(), f.getValue());
    }
    if (!tree.hasNonNull("train"))
      throw new IllegalArgumentException(
          file + ": field 'train' (a train finetune config file) is required");
    DaggerConfig c;
    try {
      c = JSON.treeToValue(merged, DaggerConfig.class);
    } catch (JacksonException e) {
      Throwable cause = e.getCause() instanceof IllegalArgumentException iae ? iae : e;
      throw new IllegalArgumentException(
          file
              + ": "
              + (cause instanceof IllegalArgumentException
                  ? cause.getMessage()
                  : e.getOriginalMessage()),
          e);
    }
    Path base = file.toAbsolutePath().getParent();
    return new DaggerConfig(
        base.resolve(c.train()).normalize().toString(),
        c.student() == null ? null : base.resolve(c.student()).normalize().toString(),
        c.rounds(),
        c.episodesPerRound(),
        c.firstSeed(),
        c.beta(),
        c.betaDecay(),
        c.stepsPerRound(),
        c.validationFirstSeed(),
        c.validationEpisodes(),
        c.threads(),
        c.seed());
  }

  /** Runs (or resumes) every round in {@code dir}. */
  public static Result run(DaggerConfig config, Path dir, Listener listener) throws IOException {
    // The engine reads its thread count once, when it starts; the first rollout may start it before
    // any trainer does.
    Engines.useThreadsUnlessSet(config.threads());
    WamConfig base = WamRun.loadConfig(Path.of(config.train())).withThreads(config.threads());
    dir =
        dir.toAbsolutePath()
            .normalize(); // checkpoints are named absolutely, as round.json reads them back
    Files.createDirectories(dir);
    Path echo = dir.resolve("dagger.json");
    String configJson =
        JSON.writerWithDefaultPrettyPrinter()
            .writeValueAsString(
                new TreeMap<>(
                    Map.of("dagger", config, "train", WamRun.toJson(base)))); // one key order
    if (Files.exists(echo) && !sameRun(Files.readString(echo), config, base)) {
      throw new IllegalArgumentException(
          dir
              + " holds a DAgger run of another config; use a new folder (its dagger.json says what it ran)");
    }
    writeAtomically(echo, configJson);
    List<Round> rounds = new ArrayList<>();
    double startMinutes = studentMinutes(config.student());
    List<String> aggregate = new ArrayList<>(base.extraDatasets());
    String student = config.student();
    for (int r = 0; r < config.rounds(); r++) {
      Path roundDir = dir.resolve(String.format("round-%02d", r));
      Path done = roundDir.resolve("round.json");
      Path data = roundDir.resolve("data");
      if (Files.exists(done)) {
        Round round = JSON.readValue(done.toFile(), Round.class);
        rounds.add(round);
        aggregate.add(data.toString());
        student = round.checkpoint().toString();
        continue;
      }
      double beta = config.betaOf(r);
      listener.roundStarted(r, beta);
      Files.createDirectories(roundDir);
      deletePartials(roundDir);
      DaggerCollector.Config collect =
          new DaggerCollector.Config(
              config.firstSeedOf(r),
              config.episodesPerRound(),
              beta,
              base.actionHorizon(),
              ClosedLoopEvaluation.Config.PROTOCOL_MAX_STEPS,
              config.seed() * 1_000_003L + r);
      DaggerCollector.Result collected;
      int round = r;
      if (Files.exists(data.resolve("meta/info.json"))
          && !Files.exists(roundDir.resolve("collect.json"))) {
        FileTrees.delete(
            data); // published, but killed before its summary was written: collect again
      }
      if (Files.exists(
          data.resolve(
              "meta/info.json"))) { // published before a crash: the rollouts need not run again
        collected =
            JSON.readValue(roundDir.resolve("collect.json").toFile(), DaggerCollector.Result.class);
      } else {
        try (WamPolicy policy = student == null ? null : WamPolicy.load(Path.of(student))) {
          collected =
              DaggerCollector.collect(policy, collect, data, n -> listener.collected(round, n));
        }
        writeAtomically(roundDir.resolve("collect.json"), JSON.writeValueAsString(collected));
      }
      double collectSeconds =
          collected.seconds(); // as measured when it ran, also when this is a resumed round
      aggregate.add(data.toString());

      String init = student != null ? student : base.init();
      WamConfig train =
          base.withExtraDatasets(aggregate).withInitAndSteps(init, config.stepsPerRound());
      WamRun.Result trained =
          WamRun.train(train, WamRun.Stage.FINETUNE, roundDir.resolve("train"), listener);
      long frames = collected.frames() + rounds.stream().mapToLong(x -> x.collect().frames()).sum();

      double coverage = Double.NaN, success = Double.NaN, validationSeconds = 0;
      if (config.validationEpisodes() > 0) {
        try (WamPolicy policy = WamPolicy.load(trained.checkpoint())) {
          ClosedLoopEvaluation.Result v =
              ClosedLoopEvaluation.run(
                  policy,
                  ClosedLoopEvaluation.Config.seeds(
                      config.validationFirstSeed(),
                      config.validationFirstSeed() + config.validationEpisodes() - 1),
                  null);
          coverage = v.meanMaxCoverage();
          success = v.successRate();
          validationSeconds = v.wallSeconds();
        }
      }
      // as the checkpoint records them, so a round's seconds and the exported lineage agree
      WamCheckpoint.Meta meta = WamCheckpoint.readMeta(trained.checkpoint());
      double loadSeconds =
          meta.data().get("load_seconds") instanceof Number n ? n.doubleValue() : 0;
      Round result =
          new Round(
              r,
              beta,
              trained.checkpoint(),
              collected,
              frames,
              coverage,
              success,
              collectSeconds,
              loadSeconds,
              meta.trainSeconds(),
              validationSeconds);
      // the round's compute outside its training steps, so the lineage of a model exported from it
      // counts it
      List<ComputeStage> around = new ArrayList<>();
      around.add(
          new ComputeStage(
              String.format(
                  "dagger round %d rollouts and labels (%d episodes, beta %.3f)",
                  r, config.episodesPerRound(), beta),
              collectSeconds));
      if (config.validationEpisodes() > 0) {
        around.add(
            new ComputeStage(
                String.format(
                    "dagger round %d validation (seeds %d..%d)",
                    r,
                    config.validationFirstSeed(),
                    config.validationFirstSeed() + config.validationEpisodes() - 1),
                validationSeconds));
      }
      ComputeLineage.write(roundDir.resolve("train"), around);
      writeAtomically(done, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(result));
      rounds.add(result);
      listener.roundDone(result);
      student = trained.checkpoint().toString();
      DaggerProgress.write(rounds, startMinutes, dir.resolve("progress.png"));
    }
    DaggerProgress.write(
        rounds, startMinutes, dir.resolve("progress.png")); // also for a run that was already done
    return new Result(
        config, List.copyOf(rounds), rounds.stream().mapToDouble(Round::seconds).sum());
  }

  /**
   * Compute behind the first student, minutes: every stage of its lineage (an exported student's
   * recorded one; a run's init chain otherwise, without data generation, which only an export
   * records); 0 without one.
   */
  private static double studentMinutes(String student) throws IOException {
    if (student == null) return 0;
    Path dir = WamCheckpoint.resolve(Path.of(student));
    return ComputeLineage.of(dir, List.of()).stream().mapToDouble(ComputeStage::seconds).sum() / 60;
  }

  /**
   * Whether the echoed config is this one, threads aside (they change speed, not the run) and
   * rounds aside (raising them extends the run); fields added since read as their defaults.
   */
  private static boolean sameRun(String echoed, DaggerConfig config, WamConfig base)
      throws IOException {
    JsonNode old = JSON.readTree(echoed);
    DaggerConfig oldDagger = JSON.treeToValue(old.get("dagger"), DaggerConfig.class);
    ObjectNode train =
        JSON.valueToTree(WamConfig.defaults()); // fields added since take their defaults
    train.setAll((ObjectNode) old.get("train"));
    WamConfig oldTrain = JSON.treeToValue(train, WamConfig.class);
    return oldDagger.withThreads(config.threads()).withRounds(config.rounds()).equals(config)
        && oldTrain.withThreads(base.threads()).equals(base);
  }

  /**
   * A crash while the writer ran leaves its hidden partial folder behind; the round collects again.
   */
  private static void deletePartials(Path roundDir) throws IOException {
    try (Stream<Path> s = Files.list(roundDir)) {
      for (Path p : s.filter(p -> p.getFileName().toString().startsWith(".data.partial-")).toList())
        FileTrees.delete(p);
    }
  }

  private static void writeAtomically(Path file, String text) throws IOException {
    dev.wam4j.data.AtomicFiles.writeString(file, text);
  }

  private static String names(ObjectNode n) {
    List<String> out = new ArrayList<>();
    n.fieldNames().forEachRemaining(out::add);
    return String.join(", ", out);
  }
}
