package dev.wam4j.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wam4j.model.policy.PlanSettings;
import dev.wam4j.model.wam.CheckpointExport;
import dev.wam4j.model.wam.ComputeStage;
import dev.wam4j.model.wam.WamCheckpoint;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code wam4j train export}: a checkpoint without its training state, with its evaluation in the
 * card.
 */
@Command(
    name = "export",
    mixinStandardHelpOptions = true,
    description =
        "Copy a checkpoint's policy weights, checkpoint.json and a model card (with the evaluation JSON of "
            + "'wam4j eval --out', if given) to a folder, without the training state: what ships in a repository.")
final class TrainExportCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--checkpoint",
      required = true,
      description = "Checkpoint or run directory (its latest checkpoint).")
  Path checkpoint;

  @Option(
      names = "--out",
      required = true,
      description = "Folder to write (replaced atomically if it holds a checkpoint).")
  Path out;

  @Option(
      names = "--evaluation",
      paramLabel = "EVAL.json",
      description = "Output of 'wam4j eval --out' to quote in the card.")
  Path evaluation;

  @Option(
      names = "--compute",
      paramLabel = "NAME=SECONDS",
      description =
          "Compute behind the model outside its training runs (data "
              + "generation, as the command that made the data printed it), recorded in its lineage; repeatable. The runs of its init chain and "
              + "their compute.json files are counted without it.")
  java.util.List<String> compute = new java.util.ArrayList<>();

  @Option(
      names = "--execute-steps",
      paramLabel = "N",
      description =
          "Ship this executeSteps (chosen on validation seeds with 'eval --execute-steps').")
  Integer executeSteps;

  @Option(
      names = "--sample-steps",
      paramLabel = "N",
      description = "Ship this sampleSteps (chosen with 'eval --sample-steps').")
  Integer sampleSteps;

  @Option(
      names = "--sample-noise",
      paramLabel = "S",
      description = "Ship this sampleNoise (chosen with 'eval --sample-noise').")
  Double sampleNoise;

  @Option(
      names = "--imagine",
      paramLabel = "N",
      description =
          "Ship planning by imagination: N candidate chunks per plan, each "
              + "dreamed, the one whose dream covers the goal best executed (chosen with 'eval --imagine'); needs a checkpoint with a dream "
              + "branch; 1 ships the plain policy.")
  Integer imagine;

  @Override
  public Integer call() throws Exception {
    java.util.List<ComputeStage> extra = new java.util.ArrayList<>();
    for (String c : compute) {
      int eq = c.lastIndexOf('=');
      double seconds;
      try {
        seconds = eq < 1 ? Double.NaN : Double.parseDouble(c.substring(eq + 1));
      } catch (NumberFormatException e) {
        seconds = Double.NaN;
      }
      if (Double.isNaN(seconds))
        throw new IllegalArgumentException("--compute must be NAME=SECONDS, got '" + c + "'");
      extra.add(new ComputeStage(c.substring(0, eq), seconds));
    }
    if (Files.exists(out) && !Files.isRegularFile(out.resolve("checkpoint.json"))) {
      throw new IllegalArgumentException(
          "--out " + out + " exists and is not a checkpoint; refusing to replace it");
    }
    String md =
        evaluation == null
            ? null
            : markdown(new ObjectMapper().readTree(evaluation.toFile()), evaluation);
    PlanSettings settings = PlanFlags.settings(executeSteps, sampleSteps, sampleNoise, imagine);
    try {
      // a model must plan as it ships: settings it cannot take (imagination without a dream branch)
      // are named with their flags
      WamCheckpoint.readMeta(WamCheckpoint.resolve(checkpoint)).config().with(settings);
    } catch (IllegalArgumentException e) {
      throw PlanFlags.refused(settings, checkpoint, e);
    }
    CheckpointExport r = CheckpointExport.export(checkpoint, out, md, extra, settings);
    PrintWriter o = spec.commandLine().getOut();
    o.printf(
        "exported %s -> %s (%.1f MB); compute behind it: %.1f min (lineage_train_seconds in its checkpoint.json)%n",
        r.checkpoint(), r.folder(), r.sizeBytes() / 1e6, r.lineageTrainSeconds() / 60);
    o.flush();
    return 0;
  }

  static String markdown(JsonNode e, Path file) {
    for (String key :
        new String[] {"seeds", "episodes", "success_rate", "mean_max_coverage", "per_seed"}) {
      if (!e.has(key))
        throw new IllegalArgumentException(file + ": not a 'wam4j eval' result (no '" + key + "')");
    }
    StringBuilder md = new StringBuilder();
    md.append(
        String.format(
            "Diffusion Policy protocol: legacy reset seeds %s, %d episodes, at most %d steps.%n%n",
            e.get("seeds").asText(), e.get("episodes").asInt(), e.path("max_steps").asInt(300)));
    md.append(String.format("- success rate: %.3f%n", e.get("success_rate").asDouble()));
    md.append(String.format("- mean max coverage: %.3f%n", e.get("mean_max_coverage").asDouble()));
    JsonNode lat =
        e.path("dream_plan_latency").isObject()
            ? e.get("dream_plan_latency")
            : e.path("plan_latency");
    if (lat.isObject()) {
      md.append(
          String.format(
              "- plan latency%s: p50 %.1f ms, p99 %.1f ms%n",
              e.path("dream").asBoolean() ? " with dream" : "",
              lat.get("p50_ms").asDouble(),
              lat.get("p99_ms").asDouble()));
    }
    JsonNode prov = e.path("provenance");
    if (prov.isObject()) {
      java.util.List<String> args = new java.util.ArrayList<>();
      prov.path("command").forEach(a -> args.add(a.asText()));
      md.append(
          String.format(
              "- command: `wam4j %s` (commit %s, %s)%n",
              String.join(" ", WamCheckpoint.portableCommand(args)),
              prov.path("git_commit").asText(),
              prov.path("created_utc").asText()));
    }
    return md.toString();
  }
}
