package dev.wam4j.rl.ppo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.wam4j.data.AtomicFiles;
import dev.wam4j.data.Digests;
import dev.wam4j.data.FileTrees;
import dev.wam4j.model.steer.SteeredPolicy;
import dev.wam4j.model.steer.Steering;
import dev.wam4j.model.wam.PortablePaths;
import dev.wam4j.model.wam.WamPolicy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Writes a steering run's newest actor with the model it steers as one checkpoint folder that
 * {@link SteeredPolicy} loads (and so {@code eval} and {@code monitor}): {@code steering.json} (the
 * steering, the actor's weights, where they came from, the SHA-256 of the model copied, and {@code
 * lineage_train_seconds}: the model's lineage plus this run), {@code base/} (a copy of the model's
 * checkpoint as it is at export: export before the model at the run's {@code model} path changes)
 * and {@code MODEL_CARD.md}. Built beside the target, forced to disk and renamed into place: a
 * killed export leaves no folder that looks complete.
 */
public final class SteeredExport {
  private SteeredExport() {}

  /**
   * What {@code steering.json} holds ({@link SteeredPolicy#load} reads it in the model module,
   * which cannot see this type: by field name).
   *
   * @param run the steering run, as a shipped checkpoint shows a path
   * @param update the run's update the actor was taken from
   * @param envSteps simulator steps of the run up to it
   * @param runSeconds wall-clock seconds of the run up to it
   * @param baseLineageTrainSeconds the compute behind the model steered
   * @param lineageTrainSeconds that plus this run
   * @param basePolicySha256 what was steered, to check against the model the run trained with (its
   *     path may hold another model later)
   * @param config the run's config, its paths as a shipped checkpoint shows them
   * @param actor the actor's weights
   */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  record SteeringFile(
      String format,
      String mode,
      int hidden,
      int layers,
      double residualScalePixels,
      double noiseClip,
      String run,
      long update,
      long envSteps,
      double runSeconds,
      double baseLineageTrainSeconds,
      double lineageTrainSeconds,
      String basePolicySha256,
      SteerConfig config,
      float[] actor) {}

  /** What was written. */
  public record Result(
      Path dir, long update, long envSteps, double runSeconds, double lineageTrainSeconds) {}

  /**
   * Exports the newest checkpoint of {@code run} to {@code out}.
   *
   * @throws IllegalArgumentException when {@code run} is not a steering run, holds no checkpoint,
   *     or {@code out} exists
   */
  public static Result export(Path run, Path out) throws IOException {
    Path echo = run.resolve(SteerConfig.FILE);
    if (!Files.isRegularFile(echo))
      throw new IllegalArgumentException(
          run + " is not a steering run folder (no " + SteerConfig.FILE + ")");
    if (Files.exists(out))
      throw new IllegalArgumentException("--out " + out + " exists; export into a new folder");
    SteerConfig c =
        PpoConfig.JSON.treeToValue(PpoConfig.JSON.readTree(echo.toFile()), SteerConfig.class);
    Path model = Path.of(c.model());
    int actionValues;
    try (WamPolicy m = WamPolicy.load(model)) {
      actionValues = m.actionValues();
    }
    PpoNetworks nets =
        new PpoNetworks(
            dev.wam4j.model.steer.PoseFeatures.COUNT,
            c.steering().outputs(actionValues),
            c.hidden(),
            c.layers());
    PpoRun.Checkpoint cp = PpoRun.read(run, nets.parameters);
    if (cp == null) throw new IllegalArgumentException(run + " holds no checkpoint yet");
    float[] actor =
        java.util.Arrays.copyOf(cp.params(), nets.actor.parameters()); // the actor leads the layout
    Steering steering = c.steering().withActor(actor);

    ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    JsonNode base = json.readTree(model.resolve("checkpoint.json").toFile());
    double baseSeconds =
        base.path("lineage_train_seconds").asDouble(base.path("trainSeconds").asDouble(0));
    double lineage = baseSeconds + cp.seconds();

    Path absolute = out.toAbsolutePath().normalize();
    Files.createDirectories(absolute.getParent());
    Path tmp = Files.createTempDirectory(absolute.getParent(), ".tmp-" + absolute.getFileName());
    try {
      Path baseDir = Files.createDirectories(tmp.resolve(SteeredPolicy.BASE));
      try (Stream<Path> files = Files.list(model)) {
        for (Path f : files.filter(Files::isRegularFile).toList()) {
          Path copy = baseDir.resolve(f.getFileName());
          Files.copy(f, copy);
          try (java.nio.channels.FileChannel ch =
              java.nio.channels.FileChannel.open(copy, java.nio.file.StandardOpenOption.WRITE)) {
            ch.force(true); // on disk before the rename publishes the folder
          }
        }
      }
      SteeringFile m =
          new SteeringFile(
              SteeredPolicy.FORMAT,
              steering.mode().id(),
              steering.hidden(),
              steering.layers(),
              steering.residualScalePixels(),
              steering.noiseClip(),
              display(run.toString()), // no path of this machine in a shipped checkpoint
              cp.update(),
              cp.last().envSteps(),
              cp.seconds(),
              baseSeconds,
              lineage,
              Digests.sha256Hex(baseDir.resolve("policy.ndlist")),
              c.withPaths(display(c.model()), display(c.scene()), display(c.cousins())),
              actor);
      AtomicFiles.writeString(tmp.resolve(SteeredPolicy.FILE), json.writeValueAsString(m));
      AtomicFiles.writeString(
          tmp.resolve("MODEL_CARD.md"), card(c, cp, model, baseSeconds, lineage));
      Files.move(tmp, absolute, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException | RuntimeException e) {
      FileTrees.deleteQuietly(tmp, e); // a failing clean-up must not hide why the export failed
      throw e;
    }
    return new Result(absolute, cp.update(), cp.last().envSteps(), cp.seconds(), lineage);
  }

  /**
   * A path as a shipped checkpoint shows it ({@link PortablePaths}: nothing of the machine that
   * made it); built-in names as they are.
   */
  private static String display(String path) {
    if (path.isEmpty() || (!path.endsWith(".json") && !path.contains("/"))) return path;
    return PortablePaths.of(
        Path.of(path).toAbsolutePath().normalize().toString(), PortablePaths.projectRoot());
  }

  private static String card(
      SteerConfig c, PpoRun.Checkpoint cp, Path model, double baseSeconds, double lineage) {
    List<String> lines = new ArrayList<>();
    lines.add("# World action model, steered by RL (" + c.mode() + ")");
    lines.add("");
    lines.add(
        "A wam4j steered checkpoint (format `"
            + SteeredPolicy.FORMAT
            + "`): the world action model in `base/`, frozen, and a "
            + c.hidden()
            + "-wide, "
            + c.layers()
            + "-layer actor trained with PPO that reads the model's own perception (its pose head) and "
            + (c.mode().equals("noise")
                ? "chooses the initial noise of its flow head (noise-space steering, as DSRL)."
                : "shifts every target of the model's "
                    + (c.mode().equals("residual") ? "sampled" : "zero-noise")
                    + " chunk by up to "
                    + c.residualScalePixels()
                    + " px (a residual policy)."));
    lines.add("");
    lines.add(
        String.format(
            Locale.ROOT,
            "- Trained: %d PPO updates, %d plans, %d environment steps in %.1f min of wall time",
            cp.update(),
            cp.update() * c.batchPlans(),
            cp.last().envSteps(),
            cp.seconds() / 60));
    lines.add(
        "- Scene: "
            + display(c.scene())
            + (c.cousins().isEmpty()
                ? ""
                : ", physics randomised over "
                    + display(c.cousins())
                    + (c.cousinsShare() < 1
                        ? " in " + Math.round(100 * c.cousinsShare()) + " % of the episodes"
                        : "")));
    lines.add(
        "- Steered model: "
            + display(model.toString())
            + " (lineage_train_seconds "
            + Math.round(baseSeconds)
            + " s)");
    lines.add(
        String.format(
            Locale.ROOT,
            "- Compute behind this checkpoint, every stage: lineage_train_seconds %.0f s = %.1f min",
            lineage,
            lineage / 60));
    lines.add("- Seed: " + c.seed() + "; the whole config is in steering.json");
    lines.add("- Measured: docs/RESULTS.md (section 25)");
    return String.join("\n", lines) + "\n";
  }
}
