package dev.wam4j.cli;

import dev.wam4j.eval.study.ScalingPlot;
import dev.wam4j.eval.study.ScalingStudy;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code wam4j study}: measure wam4j's claims from training runs. */
@Command(name = "study", mixinStandardHelpOptions = true, description = "Measure the claims from training runs.",
    subcommands = {StudyCommand.ScalingFitCommand.class})
final class StudyCommand {
  /** {@code wam4j study scaling-fit}: the scaling law from finished stage-1 runs. */
  @Command(name = "scaling-fit", mixinStandardHelpOptions = true,
      description = "Fit L = a - b ln D and L = c D^-alpha to the best validation loss of stage-1 runs against the hours "
          + "of video D each trained on; writes scaling.json and scaling.png.")
  static final class ScalingFitCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--runs", required = true, split = ",", paramLabel = "DIR", description = "Training run directories, comma separated.")
    List<Path> runs;

    @Option(names = "--metric", description = "log.csv column minimised (default: ${DEFAULT-VALUE}: the world model's loss on held-out video).",
        defaultValue = "val_video")
    String metric;

    @Option(names = "--out", description = "Output folder (default: ${DEFAULT-VALUE}).", defaultValue = "out/study-scaling")
    Path out;

    @Option(names = "--json", description = "Print the result as JSON.")
    boolean json;

    @Override
    public Integer call() throws Exception {
      ScalingStudy.Result r = ScalingStudy.fromRuns(runs, metric);
      Files.createDirectories(out);
      Path png = out.resolve("scaling.png");
      ScalingPlot.write(r, png);
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("metric", r.metric());
      m.put("points", r.points());
      m.put("log_linear", Map.of("a", r.fit().a(), "b", r.fit().b(), "r2", r.fit().r2LogLinear()));
      m.put("power_law", Map.of("c", r.fit().c(), "alpha", r.fit().alpha(), "r2", r.fit().r2Power()));
      double span = r.points().get(r.points().size() - 1).hours() / r.points().get(0).hours();
      m.put("span", span);
      m.put("plot", png.toString());
      String text = Json.result(m, spec);
      Json.writeFile(out.resolve("scaling.json"), text);
      PrintWriter o = spec.commandLine().getOut();
      if (json) {
        o.println(text);
      } else {
        for (ScalingStudy.Point p : r.points()) {
          o.printf("  %-20s %7.3f h  best %s %.5f at step %d%n", p.run(), p.hours(), metric, p.bestLoss(), p.bestStep());
        }
        o.printf("L = %.5f - %.5f ln D (R^2 %.3f);  L = %.5f D^-%.4f (R^2 %.3f); %d runs spanning %.0fx; %s%n", r.fit().a(),
            r.fit().b(), r.fit().r2LogLinear(), r.fit().c(), r.fit().alpha(), r.fit().r2Power(), r.points().size(), span, png);
      }
      o.flush();
      return 0;
    }
  }
}
