package dev.wam4j.cli;

import dev.wam4j.sim.factory.Design;
import dev.wam4j.sim.factory.DesignParser;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code wam4j factory}: products built from design files in a lights-out cell. */
@Command(
    name = "factory",
    mixinStandardHelpOptions = true,
    description =
        "A lights-out cell: products described in markdown design files, built by pushers.",
    subcommands = {FactoryCommand.Check.class})
final class FactoryCommand {
  /** {@code wam4j factory check DESIGN.md}: reads and checks a design, builds nothing. */
  @Command(
      name = "check",
      mixinStandardHelpOptions = true,
      description =
          "Read a design file and check its layout before anything runs: shapes, poses, options, targets inside"
              + " the walls and not overlapping. Prints the parts; errors name the line.")
  static final class Check implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "DESIGN.md", description = "The design file.")
    Path design;

    @Option(names = "--json", description = "Print JSON.")
    boolean json;

    @Override
    public Integer call() throws Exception {
      Design d = DesignParser.read(design);
      PrintWriter o = spec.commandLine().getOut();
      if (json) {
        o.println(Json.result(d, spec));
      } else {
        Design.Options opt = d.options();
        o.printf(
            "%s: %d parts, tolerance %.2f, %d robot%s, at most %.0f simulated minutes%s%n",
            d.title(),
            d.parts().size(),
            opt.tolerance(),
            opt.robots(),
            opt.robots() == 1 ? "" : "s",
            opt.maxMinutes(),
            opt.seed() == null ? "" : ", seed " + opt.seed());
        for (Design.Part p : d.parts()) {
          o.printf(
              "  %-16s %-4s target (%.1f, %.1f, %.3f rad)  %s%n",
              p.name(),
              p.shape().id(),
              p.target().x(),
              p.target().y(),
              p.target().angle(),
              p.from() == null
                  ? "dropped by the feeder"
                  : String.format(
                      "starts at (%.1f, %.1f, %.3f rad)",
                      p.from().x(), p.from().y(), p.from().angle()));
        }
        o.println("layout: every target inside the walls, none overlapping");
      }
      return 0;
    }
  }
}
