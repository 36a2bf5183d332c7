package dev.wam4j.cli;

import dev.wam4j.data.collect.CellCollect;
import dev.wam4j.data.collect.FactoryFilm;
import dev.wam4j.data.video.VideoEncoding;
import dev.wam4j.eval.SeedRange;
import dev.wam4j.fleet.agent.BuildAgent;
import dev.wam4j.model.cell.CellPusher;
import dev.wam4j.model.cell.CellPusherConfig;
import dev.wam4j.model.cell.CellPusherTraining;
import dev.wam4j.sim.factory.Design;
import dev.wam4j.sim.factory.DesignException;
import dev.wam4j.sim.factory.DesignParser;
import dev.wam4j.sim.factory.Executor;
import dev.wam4j.sim.factory.FactoryRun;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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
    subcommands = {
      FactoryCommand.Check.class,
      FactoryCommand.Run.class,
      FactoryCommand.Train.class,
      FactoryCommand.Collect.class
    })
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

  /**
   * {@code wam4j factory run DESIGN.md}: builds the design in a simulated cell, no person in the
   * loop.
   */
  @Command(
      name = "run",
      mixinStandardHelpOptions = true,
      description =
          "Build a design in a simulated lights-out cell: plan the order of placement, push each part with the"
              + " executor, check every placement on the camera's picture, push again what a later push disturbed;"
              + " stops when every part is placed or the design's simulated minutes run out.")
  static final class Run implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "DESIGN.md", description = "The design file.")
    Path design;

    @Option(
        names = "--seed",
        description =
            "The feeder's and the run's seed, unless the design sets one (default: ${DEFAULT-VALUE}).",
        defaultValue = "0")
    long seed;

    @Option(
        names = "--executor",
        description =
            "What pushes the parts: vision (the cell pusher, seeing the parts through the camera) or expert"
                + " (the scripted pusher, reading the simulator's state; the baseline). Default: ${DEFAULT-VALUE}.",
        defaultValue = "vision")
    String executor;

    @Option(
        names = "--checkpoint",
        paramLabel = "DIR",
        description = "The vision executor's checkpoint (default: the shipped models/cell-pusher).")
    Path checkpoint;

    @Option(
        names = "--video",
        paramLabel = "OUT.mp4",
        description = "Also film the cell from above with the plan overlaid (AV1).")
    Path video;

    @Option(
        names = "--seeds",
        paramLabel = "A..B",
        description =
            "Build once per seed of this block and report the completion rate"
                + " (the design's own seed is then ignored).")
    String seeds;

    @Option(names = "--json", description = "Print JSON.")
    boolean json;

    @Override
    public Integer call() throws Exception {
      if (seeds != null) return batch();
      Design d = DesignParser.read(design);
      PrintWriter err = spec.commandLine().getErr();
      FactoryRun.Config config = FactoryRun.Config.of(seed, executor(executor, checkpoint));
      FactoryRun.Result r;
      try {
        r =
            video == null
                ? FactoryRun.run(d, config, err::println)
                : FactoryFilm.record(d, config, video, err::println);
      } catch (DesignException e) { // the feeder's: name the file as the parser does
        throw e.in(design);
      }
      PrintWriter o = spec.commandLine().getOut();
      if (json) {
        o.println(Json.result(r, spec));
        return r.productComplete() ? 0 : 1;
      }
      o.printf(
          "%s (seed %d, %s, %d robot%s): %s, %d/%d parts placed, %d pushes, %d interventions, %.1f simulated minutes, %.1f s%n",
          r.design(),
          r.seed(),
          r.executor(),
          r.robots(),
          r.robots() == 1 ? "" : "s",
          r.productComplete() ? "complete" : "NOT complete",
          r.partsPlaced(),
          r.partsTotal(),
          r.pushes(),
          r.interventions(),
          r.simMinutes(),
          r.wallSeconds());
      o.println("  order: " + String.join(", ", r.order()));
      for (FactoryRun.PartResult p : r.parts()) {
        o.printf(
            "  %-16s %-4s %s coverage %.2f, %d push%s%s%n",
            p.name(),
            p.shape(),
            p.placed() ? "placed" : "FAILED",
            p.coverage(),
            p.pushes(),
            p.pushes() == 1 ? "" : "es",
            p.reason() == null ? "" : ": " + p.reason());
      }
      if (video != null) o.println("  video: " + video);
      return r.productComplete() ? 0 : 1;
    }

    private int batch() throws Exception {
      if (video != null)
        throw new IllegalArgumentException("--video films one run; drop --seeds to film one");
      Executor ex = executor(executor, checkpoint);
      SeedRange range = SeedRange.parse(seeds, "--seeds");
      Design d = DesignParser.read(design);
      PrintWriter err = spec.commandLine().getErr();
      FactoryRun.Batch b;
      try {
        b =
            FactoryRun.batch(
                d,
                range.first(),
                range.count(),
                ex,
                r ->
                    err.printf(
                        "seed %d: %d/%d placed, %d pushes, %.1f min%n",
                        r.seed(), r.partsPlaced(), r.partsTotal(), r.pushes(), r.simMinutes()));
      } catch (DesignException e) {
        throw e.in(design);
      }
      PrintWriter o = spec.commandLine().getOut();
      if (json) {
        o.println(Json.result(b, spec));
      } else {
        o.printf(
            "%s, seeds %s, %s: %d/%d complete (%.0f %%), %.1f pushes, %.1f simulated minutes, %.2f s wall per run%n",
            b.design(),
            range,
            b.executor(),
            b.completed(),
            b.runs(),
            100 * b.completionRate(),
            b.meanPushes(),
            b.meanSimMinutes(),
            b.meanWallSeconds());
      }
      return 0;
    }
  }

  /** The executor {@code --executor} names; the vision one loaded from {@code checkpoint}. */
  static Executor executor(String name, Path checkpoint) throws java.io.IOException {
    return switch (name) {
      case "expert" -> {
        if (checkpoint != null)
          throw new IllegalArgumentException("--checkpoint is for --executor vision, not expert");
        yield Executor.expert();
      }
      case "vision" -> {
        Path dir = checkpoint != null ? checkpoint : Paths.root().resolve("models/cell-pusher");
        if (checkpoint == null && !CellPusher.isCheckpoint(dir))
          throw new IllegalArgumentException(
              "the shipped vision executor is not at "
                  + dir
                  + " (run from the checkout, or pass --checkpoint DIR, or --executor expert)");
        yield CellPusher.load(dir);
      }
      default ->
          throw new IllegalArgumentException("--executor " + name + ": expected vision or expert");
    };
  }

  /**
   * How a robot agent steers placements of a fleet build ({@code fleet build}, {@code robot
   * --builds}): the executor {@code name}s, the vision one loaded from {@code checkpoint}.
   */
  static BuildAgent.Steering steering(String name, Path checkpoint) throws java.io.IOException {
    return switch (executor(name, checkpoint)) {
      case CellPusher p -> BuildAgent.Steering.vision(p);
      default -> BuildAgent.Steering.expert();
    };
  }

  /** {@code wam4j factory train --out RUN}: trains the vision executor by DAgger. */
  @Command(
      name = "train",
      mixinStandardHelpOptions = true,
      description =
          "Train the cell pusher (the vision executor) by DAgger with the scripted expert as teacher, in random"
              + " cells of one to three parts (never a design of configs/designs). Each round's weights go to"
              + " RUN/round-NN; a killed run resumes from RUN/state.bin when started again with the same options.")
  static final class Train implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--out", required = true, paramLabel = "RUN", description = "The run folder.")
    Path out;

    @Option(
        names = "--rounds",
        description = "DAgger rounds (default: the recipe's, ${DEFAULT-VALUE}).",
        defaultValue = "8")
    int rounds;

    @Option(names = "--json", description = "Print JSON.")
    boolean json;

    @Override
    public Integer call() throws Exception {
      PrintWriter err = spec.commandLine().getErr();
      CellPusherTraining.Result r =
          CellPusherTraining.train(
              out, CellPusherConfig.defaults().withRounds(rounds), err::println);
      PrintWriter o = spec.commandLine().getOut();
      if (json) {
        o.println(Json.result(r, spec));
      } else {
        for (CellPusherTraining.Round x : r.rounds())
          o.printf(
              "round %d: %d rows, validation placed %.2f (best coverage %.3f)%n",
              x.round(), x.samples(), x.validationPlaced(), x.validationCoverage());
        o.println("weights: " + out.resolve(String.format("round-%02d", rounds - 1)));
      }
      return 0;
    }
  }

  /** {@code wam4j factory collect DESIGN.md...}: demonstrations for a goal-conditioned pusher. */
  @Command(
      name = "collect",
      mixinStandardHelpOptions = true,
      description =
          "Record the scripted expert pushing parts in cells of these designs, one push per episode, as a LeRobot v3.0"
              + " dataset in PushT's columns: the part to move drawn as PushT's block, its target as PushT's goal, the other"
              + " parts as dark grey obstacles (data for a goal-conditioned world action model).")
  static final class Collect implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(
        arity = "1..*",
        paramLabel = "DESIGN.md",
        description = "Design files (cells are drawn from them in turn).")
    List<Path> designs;

    @Option(
        names = "--episodes",
        description = "Pushes to record (default: ${DEFAULT-VALUE}).",
        defaultValue = "100")
    int episodes;

    @Option(
        names = "--seed",
        description = "Seed of the first episode's cell (default: ${DEFAULT-VALUE}).",
        defaultValue = "0")
    long seed;

    @Option(
        names = "--max-steps",
        description = "Control steps per push at most (default: ${DEFAULT-VALUE}).",
        defaultValue = "300")
    int maxSteps;

    @Option(
        names = "--out",
        required = true,
        description = "The dataset folder to write (must not exist).")
    Path out;

    @Option(names = "--json", description = "Print JSON.")
    boolean json;

    @Override
    public Integer call() throws Exception {
      List<Design> read = new ArrayList<>();
      for (Path p : designs) read.add(DesignParser.read(p));
      Progress progress = new Progress(spec.commandLine().getErr(), "collect", episodes, "pushes");
      CellCollect.Result r =
          CellCollect.run(
              new CellCollect.Config(read, episodes, seed, maxSteps, VideoEncoding.AV1_LEROBOT),
              out,
              progress::update);
      progress.done();
      PrintWriter o = spec.commandLine().getOut();
      if (json) {
        o.println(Json.result(r, spec));
      } else {
        o.printf(
            "%d pushes (%d placed their part), %d frames -> %s (%.1f s)%n",
            r.episodes(), r.successes(), r.frames(), r.dataset(), r.seconds());
      }
      return 0;
    }
  }
}
