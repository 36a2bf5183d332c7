package dev.wam4j.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wam4j.fleet.autopilot.AutopilotConfig;
import dev.wam4j.fleet.autopilot.CandidateTraining;
import dev.wam4j.fleet.load.AutopilotSim;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code wam4j fleet autopilot-sim}: a simulated day of a fleet that improves itself. */
@Command(
    name = "autopilot-sim",
    mixinStandardHelpOptions = true,
    description =
        "A simulated day of the fleet with no person in it: a server running the autopilot, N"
            + " simulated robots working PushT, every episode uploaded; candidates fine-tuned on"
            + " the fleet's successful episodes, gated in simulation on validation seeds, canaried,"
            + " promoted or rolled back. Writes report.md, success.png, timeline.json and"
            + " result.json into --out; a killed run resumes from --out.")
final class AutopilotSimCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--robots",
      description = "Simulated robots working at once, >= 2 (default: ${DEFAULT-VALUE}).",
      defaultValue = "4")
  int robots;

  @Option(
      names = "--hours",
      description =
          "Simulated hours each robot works (an episode lasts its steps at 10 Hz) (default:"
              + " ${DEFAULT-VALUE}).",
      defaultValue = "1")
  double hours;

  @Option(
      names = "--model",
      paramLabel = "DIR",
      description = "The checkpoint the fleet starts with (default: models/pusht-wam).")
  Path model;

  @Option(
      names = "--scene",
      paramLabel = "NAME|FILE",
      description =
          "Where the robots work and the autopilot validates: a built-in scene or a scene file"
              + " (its physics), e.g. configs/scenes/pusht-shifted-soft.json (default:"
              + " ${DEFAULT-VALUE}).",
      defaultValue = "pusht")
  String scene;

  @Option(
      names = "--autopilot",
      paramLabel = "CONFIG",
      description =
          "The autopilot's config file (serve --autopilot's format; its task and group are set"
              + " here) (default: the defaults with hoursPerCandidate 0.5).")
  Path autopilot;

  @Option(
      names = "--bad-candidate",
      paramLabel = "K",
      description =
          "Make the K-th candidate deliberately bad (fine-tuned with --bad-finetune) and send it to"
              + " a canary past the simulation gate, to test the live check; 0: none (default:"
              + " ${DEFAULT-VALUE}).",
      defaultValue = "0")
  int badCandidate;

  @Option(
      names = "--bad-finetune",
      paramLabel = "JSON",
      description =
          "Fine-tuning overrides that make the bad candidate (default: ${DEFAULT-VALUE}: its"
              + " action labels read from the robot's own position, a column mix-up).",
      defaultValue = "{\"actionKey\": \"observation.state\"}")
  String badFinetune;

  @Option(
      names = "--max-minutes",
      description =
          "Stop after this many wall-clock minutes even before --hours; 0: no limit (default:"
              + " ${DEFAULT-VALUE}).",
      defaultValue = "0")
  double maxMinutes;

  @Option(
      names = "--state-every",
      paramLabel = "STEPS",
      description =
          "A robot reports its state every this many steps (they run faster than real time)"
              + " (default: ${DEFAULT-VALUE}).",
      defaultValue = "10")
  int stateEvery;

  @Option(
      names = "--out",
      paramLabel = "DIR",
      description = "The run's folder, resumed when it holds a run (default: runs/autopilot-sim).")
  Path out;

  @Option(names = "--json", description = "Print the result as JSON.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    AutopilotConfig ap =
        autopilot != null
            ? AutopilotConfig.load(autopilot)
            : AutopilotConfig.of(AutopilotSim.TASK, AutopilotSim.GROUP).withHoursPerCandidate(0.5);
    ObjectNode bad;
    try {
      bad = (ObjectNode) new ObjectMapper().readTree(badFinetune);
    } catch (Exception e) {
      throw new IllegalArgumentException(
          "--bad-finetune must be a JSON object of fine-tuning fields, got " + badFinetune);
    }
    Path checkpoint = model != null ? model : Paths.root().resolve("models/pusht-wam");
    PrintWriter err = spec.commandLine().getErr();
    AutopilotSim.Result r =
        AutopilotSim.run(
            new AutopilotSim.Config(
                robots,
                hours,
                checkpoint,
                scene,
                ap,
                badCandidate,
                bad,
                maxMinutes,
                stateEvery,
                out != null ? out : Path.of("runs", "autopilot-sim")),
            CandidateTraining.process(SelfCommand.of("-Xmx3g")),
            line -> {
              err.println(line);
              err.flush();
            });
    PrintWriter o = spec.commandLine().getOut();
    if (json) {
      o.println(Json.result(r, spec));
    } else {
      o.printf(
          "%.2f simulated hours x %d robots, %d episodes in %.1f min (stopped by %s): success"
              + " rate %s -> %s; %d candidates, %d promoted, %d rolled back, %d interventions%n",
          r.simulatedHours(),
          robots,
          r.episodes(),
          r.wallMinutes(),
          r.stoppedBy(),
          r.successRateStart(),
          r.successRateEnd(),
          r.candidates(),
          r.promoted(),
          r.rolledBack(),
          r.interventions());
      for (Map<String, Object> d : r.decisions())
        o.printf("  h %s  %s%n", d.get("simulated_hour"), d.get("kind"));
      o.printf("report: %s%n", r.report());
    }
    o.flush();
    return 0;
  }
}
