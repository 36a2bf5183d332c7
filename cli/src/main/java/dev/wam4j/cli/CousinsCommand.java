package dev.wam4j.cli;

import dev.wam4j.eval.SeedRange;
import dev.wam4j.sim.cousins.CousinConfig;
import dev.wam4j.sim.cousins.CousinGallery;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code wam4j sim cousins}: sample digital cousins, run the expert on each, draw a gallery. */
@Command(
    name = "cousins",
    mixinStandardHelpOptions = true,
    description =
        "Sample digital cousins from a config, run the scripted expert on each, write a PNG gallery (start and end of each episode).")
final class CousinsCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--config",
      description =
          "Cousin config file (JSON), or a built-in name (default: ${DEFAULT-VALUE}; 'reference' is PushT itself).",
      defaultValue = "wide")
  String config;

  @Option(
      names = "--seeds",
      description = "Seeds A..B, one cousin each (default: ${DEFAULT-VALUE}).",
      defaultValue = "0..7")
  String seeds;

  @Option(
      names = "--size",
      description = "Tile size in pixels (default: ${DEFAULT-VALUE}).",
      defaultValue = "160")
  int size;

  @Option(
      names = "--out",
      description = "Output folder (default: ${DEFAULT-VALUE}).",
      defaultValue = "out/cousins")
  Path out;

  @Option(names = "--json", description = "Print JSON.")
  boolean json;

  /**
   * The cousins sampled from a config, the expert's outcome on each, and the gallery drawn
   * (cousins.json).
   */
  record Gallery(
      String config,
      CousinConfig configValues,
      String seeds,
      double expertSuccessRate,
      String gallery,
      List<CousinGallery.Row> cousins) {}

  @Override
  public Integer call() throws Exception {
    SeedRange range = SeedRange.parse(seeds, "--seeds");
    if (size < 16) throw new IllegalArgumentException("--size must be >= 16, got " + size);
    CousinConfig cfg =
        switch (config) {
          case "reference" -> CousinConfig.reference();
          case "wide" -> CousinConfig.builtin("wide");
          default -> CousinConfig.load(Path.of(config));
        };
    Files.createDirectories(out);
    Path png = out.resolve("cousins.png");
    List<CousinGallery.Row> rows =
        CousinGallery.write(cfg, range.first(), range.count(), size, png);
    Gallery result =
        new Gallery(
            config,
            cfg,
            range.first() + ".." + range.last(),
            CousinGallery.expertSuccessRate(rows),
            png.toString(),
            rows);
    Json.writeFile(out.resolve("cousins.json"), Json.result(result, spec));
    PrintWriter o = spec.commandLine().getOut();
    if (json) {
      o.println(Json.result(result, spec));
    } else {
      for (CousinGallery.Row r : rows) {
        o.printf(
            "seed %-4s %-6s mass %.2f friction %.2f  expert %s (max coverage %.3f)%n",
            r.seed(),
            r.shape(),
            r.mass(),
            r.friction(),
            r.expertSuccess() ? "success" : "no success",
            r.maxCoverage());
      }
      o.printf("gallery: %s%n", png);
    }
    o.flush();
    return 0;
  }
}
