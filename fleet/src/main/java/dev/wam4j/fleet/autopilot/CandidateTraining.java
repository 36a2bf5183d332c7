package dev.wam4j.fleet.autopilot;

import dev.wam4j.data.AtomicFiles;
import dev.wam4j.model.wam.WamConfig;
import dev.wam4j.model.wam.WamRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * How a candidate's fine-tuning runs. A server runs it in a child process of its own ({@link
 * #process}: {@code wam4j train finetune}), so that training's native memory and threads stay out
 * of the server beside the inference of simulated robots (training beside them in one JVM failed:
 * libtorch refused an in-place update of a leaf tensor), and a crash in it is a failed candidate,
 * not a dead server. A run killed midway resumes from its last checkpoint.
 */
@FunctionalInterface
public interface CandidateTraining {
  /** Trains {@code config} into {@code run} (resuming it), logging progress. */
  void train(WamConfig config, Path run, Consumer<String> log) throws IOException;

  /**
   * In a child process: {@code wam4j} (the command that starts wam4j, e.g. java with its class path
   * and main class) followed by {@code train finetune --config FILE --out RUN}; its output in
   * {@code RUN.log} beside the run.
   */
  static CandidateTraining process(List<String> wam4j) {
    List<String> prefix = List.copyOf(wam4j);
    return (config, run, log) -> {
      Files.createDirectories(run.getParent());
      Path file = run.resolveSibling(run.getFileName() + "-config.json");
      AtomicFiles.writeString(file, WamRun.toJson(config).toPrettyString());
      Path out = run.resolveSibling(run.getFileName() + ".log");
      // one trainer per run: one left by a server killed outright (its child lives on) is stopped
      // first, else two processes would write one run's checkpoints
      Path pidFile = run.resolveSibling(run.getFileName() + ".pid");
      if (Files.isRegularFile(pidFile)) {
        try {
          long old = Long.parseLong(Files.readString(pidFile).strip());
          java.util.Optional<ProcessHandle> h = ProcessHandle.of(old);
          if (h.isPresent() && h.get().info().commandLine().orElse("").contains(run.toString())) {
            log.accept("autopilot: stopping the trainer a previous server left, process " + old);
            h.get().destroy();
            h.get().onExit().get(60, java.util.concurrent.TimeUnit.SECONDS);
          }
        } catch (NumberFormatException
            | java.util.concurrent.ExecutionException
            | java.util.concurrent.TimeoutException e) {
          // an unreadable pid file, or a process that would not stop: go on (the run resumes)
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IOException("interrupted while stopping a previous trainer of " + run, e);
        }
      }
      List<String> cmd = new ArrayList<>(prefix);
      cmd.addAll(
          List.of("train", "finetune", "--config", file.toString(), "--out", run.toString()));
      Process p =
          new ProcessBuilder(cmd)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(out.toFile()))
              .start();
      AtomicFiles.writeString(pidFile, Long.toString(p.pid()));
      log.accept("autopilot: training in process " + p.pid() + ", output in " + out);
      int code;
      try {
        code = p.waitFor();
      } catch (InterruptedException e) {
        p.destroy(); // the run resumes from its last checkpoint at the next start
        try {
          p.waitFor(30, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException again) {
          // stopping anyway
        }
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while training " + run, e);
      }
      if (code != 0) {
        List<String> lines = Files.readAllLines(out);
        throw new IOException(
            "training "
                + run
                + " exited with "
                + code
                + ": "
                + String.join(" | ", lines.subList(Math.max(0, lines.size() - 3), lines.size())));
      }
    };
  }
}
