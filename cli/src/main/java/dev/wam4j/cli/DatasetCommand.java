package dev.wam4j.cli;

import dev.wam4j.data.lerobot.DatasetProblem;
import dev.wam4j.data.lerobot.DatasetSummary;
import dev.wam4j.data.lerobot.DatasetValidation;
import dev.wam4j.data.lerobot.FrameExport;
import dev.wam4j.data.lerobot.LeRobotDataset;
import dev.wam4j.data.lerobot.QueryResult;
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

/** {@code wam4j dataset}: inspect, validate, query and extract frames from LeRobot datasets. */
@Command(
    name = "dataset",
    mixinStandardHelpOptions = true,
    description =
        "LeRobot datasets (read v2.0, v2.1, v3.0; write v3.0): info, validate, sql, frames, import, loader-bench.",
    subcommands = {
      DatasetCommand.Info.class,
      DatasetCommand.Validate.class,
      DatasetCommand.Sql.class,
      DatasetCommand.Frames.class,
      DatasetImportCommand.class,
      DatasetLoaderBenchCommand.class
    })
final class DatasetCommand {

  /** {@code wam4j dataset info PATH [--json]}. */
  @Command(
      name = "info",
      mixinStandardHelpOptions = true,
      description =
          "Version, fps, episodes, frames, features, tasks, video keys and codecs, image keys, missing files.")
  static final class Info implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(
        index = "0",
        paramLabel = "PATH",
        description = "Dataset folder (holds meta/info.json).")
    Path path;

    @Option(names = "--json", description = "Print JSON.")
    boolean json;

    @Override
    public Integer call() throws Exception {
      PrintWriter out = spec.commandLine().getOut();
      DatasetSummary s = DatasetSummary.of(path);
      if (json) {
        out.println(Json.result(s, spec));
      } else {
        out.printf("dataset        %s%n", s.root());
        out.printf(
            "version        %s (robot %s)%n",
            s.codebaseVersion(), s.robotType() == null ? "-" : s.robotType());
        out.printf("episodes       %d%n", s.totalEpisodes());
        out.printf("frames         %d%n", s.totalFrames());
        out.printf("fps            %s%n", fps(s.fps()));
        out.printf("tasks          %d%n", s.tasks().size());
        s.tasks().forEach((i, t) -> out.printf("  %d  %s%n", i, t));
        out.printf("features       %d%n", s.features().size());
        s.features()
            .forEach(
                (name, f) ->
                    out.printf(
                        "  %-32s %-8s %s%s%n",
                        name,
                        f.dtype(),
                        f.shape(),
                        f.codec() != null
                            ? "  codec " + f.codec()
                            : f.framesInParquet() ? "  frames in parquet" : ""));
        out.printf("missing files  %d%n", s.missingFiles().size());
        s.missingFiles().forEach(m -> out.printf("  %s%n", m));
      }
      out.flush();
      return 0;
    }

    private static String fps(double fps) {
      return fps == Math.rint(fps) ? Long.toString((long) fps) : Double.toString(fps);
    }
  }

  /** {@code wam4j dataset validate PATH}. */
  @Command(
      name = "validate",
      mixinStandardHelpOptions = true,
      description =
          "Check row counts vs lengths, index continuity, timestamps vs fps, video frame counts, stats. "
              + "Exit status 0 only when valid, 1 when problems were found.")
  static final class Validate implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "PATH", description = "Dataset folder.")
    Path path;

    @Option(
        names = "--deep",
        description =
            "Also decode every frame of every video and every image feature (slow; finds damage inside files).")
    boolean deep;

    @Option(names = "--json", description = "Print JSON.")
    boolean json;

    record Report(String dataset, boolean valid, List<String> problems) {}

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      List<DatasetProblem> problems = DatasetValidation.validate(path, deep);
      if (json) {
        out.println(
            Json.result(
                new Report(
                    path.toAbsolutePath().normalize().toString(),
                    problems.isEmpty(),
                    problems.stream().map(DatasetProblem::toString).toList()),
                spec));
      } else if (problems.isEmpty()) {
        out.println("valid: " + path);
      } else {
        out.println(
            problems.size() + " problem" + (problems.size() == 1 ? "" : "s") + " in " + path + ":");
        problems.forEach(p -> out.println("  " + p));
      }
      out.flush();
      return problems.isEmpty() ? 0 : 1;
    }
  }

  /** {@code wam4j dataset sql PATH "SELECT ..."}. */
  @Command(
      name = "sql",
      mixinStandardHelpOptions = true,
      description = "Run SQL (DuckDB) over the dataset: views data (frames), episodes and tasks.")
  static final class Sql implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "PATH", description = "Dataset folder.")
    Path path;

    @Parameters(
        index = "1",
        paramLabel = "QUERY",
        description = "e.g. \"SELECT episode_index, count(*) FROM data GROUP BY 1\"")
    String query;

    @Option(
        names = "--max-rows",
        defaultValue = "1000",
        description = "Rows to print at most (default: ${DEFAULT-VALUE}).")
    int maxRows;

    @Option(names = "--json", description = "Print JSON.")
    boolean json;

    record Result(List<String> columns, List<List<Object>> rows, boolean truncated) {}

    @Override
    public Integer call() throws Exception {
      if (maxRows < 1) {
        throw new IllegalArgumentException("--max-rows must be at least 1, got " + maxRows);
      }
      PrintWriter out = spec.commandLine().getOut();
      try (LeRobotDataset ds = LeRobotDataset.open(path)) {
        QueryResult r = ds.query(query, maxRows);
        if (json) {
          out.println(Json.result(new Result(r.columns(), r.rows(), r.truncated()), spec));
        } else {
          printTable(out, r);
        }
      }
      out.flush();
      return 0;
    }

    private static void printTable(PrintWriter out, QueryResult r) {
      List<String[]> cells = new ArrayList<>();
      int n = r.columns().size();
      int[] width = new int[n];
      String[] header = r.columns().toArray(new String[0]);
      cells.add(header);
      for (List<Object> row : r.rows()) {
        String[] c = new String[n];
        for (int i = 0; i < n; i++) {
          Object v = row.get(i);
          c[i] = v == null ? "NULL" : v.toString();
        }
        cells.add(c);
      }
      for (String[] c : cells) {
        for (int i = 0; i < n; i++) width[i] = Math.min(60, Math.max(width[i], c[i].length()));
      }
      for (int k = 0; k < cells.size(); k++) {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < n; i++) {
          String v = cells.get(k)[i];
          if (v.length() > width[i]) v = v.substring(0, width[i] - 3) + "...";
          line.append(i == 0 ? "" : "  ").append(String.format("%-" + width[i] + "s", v));
        }
        out.println(line.toString().stripTrailing());
        if (k == 0) {
          StringBuilder rule = new StringBuilder();
          for (int i = 0; i < n; i++) rule.append(i == 0 ? "" : "  ").append("-".repeat(width[i]));
          out.println(rule);
        }
      }
      out.printf(
          "(%d row%s%s)%n",
          r.rows().size(), r.rows().size() == 1 ? "" : "s", r.truncated() ? ", truncated" : "");
    }
  }

  /** {@code wam4j dataset frames PATH --episode E --key KEY --out DIR}. */
  @Command(
      name = "frames",
      mixinStandardHelpOptions = true,
      description =
          "Write an episode's decoded video or image frames as PNG files (frame_000000.png, ...).")
  static final class Frames implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "PATH", description = "Dataset folder.")
    Path path;

    @Option(names = "--episode", required = true, description = "Episode index.")
    int episode;

    @Option(
        names = "--key",
        required = true,
        description = "Video or image feature key, e.g. observation.image.")
    String key;

    @Option(
        names = "--out",
        required = true,
        description = "Folder for the PNG files (created if needed).")
    Path outDir;

    @Override
    public Integer call() throws Exception {
      PrintWriter out = spec.commandLine().getOut();
      Progress progress = new Progress(spec.commandLine().getErr(), "frames", "frames");
      FrameExport.Result r = FrameExport.write(path, episode, key, outDir, progress::update);
      progress.done();
      out.printf(
          "wrote %d frames of %s, episode %d (%dx%d) to %s%n",
          r.frames(), r.key(), r.episode(), r.width(), r.height(), r.folder());
      out.flush();
      return 0;
    }
  }
}
