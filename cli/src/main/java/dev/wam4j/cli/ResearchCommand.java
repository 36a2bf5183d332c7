package dev.wam4j.cli;

import dev.wam4j.eval.study.Research;
import dev.wam4j.eval.study.ResearchSpace;
import dev.wam4j.eval.study.StudyTrials;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code wam4j research}: an experiment that runs itself (successive halving over a space). */
@Command(
    name = "research",
    mixinStandardHelpOptions = true,
    description = {
      "Searches a space of training configs by asynchronous successive halving (ASHA): trials start on the smallest "
          + "budget, the best third go on to three times the budget, and so on; each is scored on the space's validation "
          + "seeds; the winner is evaluated once on the protocol seeds. A lab notebook (notebook.md, notebook.json) is "
          + "written after every job. Rerun the same command to continue a killed search. docs/STUDIES.md"
    })
final class ResearchCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--space",
      required = true,
      paramLabel = "FILE",
      description = "Search space (JSON; see docs/STUDIES.md, 'Research').")
  Path space;

  @Option(
      names = "--budget",
      required = true,
      paramLabel = "MINUTES",
      description = "Wall-clock minutes of trials (over every invocation of the same search).")
  double budgetMinutes;

  @Option(
      names = "--out",
      paramLabel = "DIR",
      description = "Search folder (default: runs/research-<space file name without .json>).")
  Path out;

  @Option(
      names = "--spark",
      paramLabel = "MASTER",
      description =
          "Run the trials' evaluations on Apache Spark (local[N] or spark://host:port); training stays here.")
  String spark;

  @Option(names = "--json", description = "Print the notebook as JSON.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    ResearchSpace s = ResearchSpace.load(space);
    Path dir =
        out != null
            ? out
            : Path.of(
                "runs", "research-" + space.getFileName().toString().replaceFirst("\\.json$", ""));
    Consumer<String> log = StudyCommand.minuteLog(spec.commandLine().getErr());
    Research.Notebook b =
        Research.run(
            s,
            dir,
            budgetMinutes,
            new StudyTrials(s.stage(), StudyCommand.evaluator(spark), log),
            log);
    PrintWriter o = spec.commandLine().getOut();
    if (json) {
      o.println(Json.result(b, spec));
    } else {
      o.printf(
          "%d jobs%s in %.1f minutes (%s)%n",
          b.entries().size(),
          b.baseline() == null ? "" : " and the baseline",
          b.minutesUsed(),
          b.stopped());
      o.printf(
          "winner: trial %d on rung %d, %s: validation success %.3f%n",
          b.winner().trial(),
          b.winner().rung(),
          b.winner().drawn(),
          b.winner().outcome().successRate());
      o.printf(
          "protocol seeds %s, once: success %.3f, mean max coverage %.4f%n",
          b.protocol().seeds(), b.protocol().successRate(), b.protocol().meanMaxCoverage());
      if (b.verdict() != null) o.println("against the hand-tuned baseline: " + b.verdict());
      o.println("notebook: " + dir.resolve("notebook.md"));
    }
    o.flush();
    return 0;
  }
}
