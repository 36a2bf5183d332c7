package dev.wam4j.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "loadtest",
    mixinStandardHelpOptions = true,
    description = {
      "Load (and fault) test: start a fleet server process on a fresh data folder, enrol N simulated robots that stream state at "
          + "--hz, each resending a message until it is acknowledged; report messages/s, p50/p99 ingest latency, the server's CPU and memory, "
          + "and messages lost (acknowledged but not stored).",
      "--kill-at S kills the server (SIGKILL) S seconds in and restarts it on the same data.",
      "--servers N starts N server processes on one database (--db, e.g. PostgreSQL) and one data folder; each robot is "
          + "given every server's URL and fails over. --kill-at then kills the first server for good: its robots carry on with the others.",
      "--tasks T: the robots also work through T tasks (claim, hold --task-seconds, report done); the report counts tasks run twice "
          + "(must be 0).",
      "Exit code 1 when a message is lost, a task ran twice, or nothing was acknowledged."
    })
final class LoadTestCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--robots",
      description = "Simulated robots (default: ${DEFAULT-VALUE}).",
      defaultValue = "50")
  int robots;

  @Option(
      names = "--hz",
      description = "Messages per second per robot (default: ${DEFAULT-VALUE}).",
      defaultValue = "10")
  double hz;

  @Option(
      names = "--seconds",
      description = "How long they send (default: ${DEFAULT-VALUE}).",
      defaultValue = "120")
  double seconds;

  @Option(
      names = "--kill-at",
      paramLabel = "S",
      description =
          "Kill the (first) server S seconds in: a lone server is restarted, one of several stays down (default: never).",
      defaultValue = "-1")
  double killAt;

  @Option(
      names = "--servers",
      description =
          "Server processes on one database; more than one needs --db (default: ${DEFAULT-VALUE}).",
      defaultValue = "1")
  int servers;

  @Option(
      names = "--tasks",
      description = "Tasks the robots work through during the run (default: ${DEFAULT-VALUE}).",
      defaultValue = "0")
  int tasks;

  @Option(
      names = "--task-seconds",
      description =
          "How long a robot holds a task before it reports it (default: ${DEFAULT-VALUE}).",
      defaultValue = "2")
  double taskSeconds;

  @Option(
      names = "--port",
      description =
          "The (first) server's port; further servers take the next ports (default: ${DEFAULT-VALUE}).",
      defaultValue = "7390")
  int port;

  @Option(
      names = "--data",
      description =
          "The server's data folder, which must not exist (default: runs/loadtest-<time>).")
  Path data;

  @Option(
      names = "--db",
      paramLabel = "URL",
      description = "JDBC URL passed to the server (default: its embedded store).")
  String db;

  @Option(names = "--json", description = "Print the result as JSON.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    Path dir = data != null ? data : Path.of("runs", "loadtest-" + System.currentTimeMillis());
    java.util.List<String> server = SelfCommand.serve("-Xmx2g", null);
    PrintWriter err = spec.commandLine().getErr();
    dev.wam4j.fleet.load.LoadTest.Result r =
        dev.wam4j.fleet.load.LoadTest.run(
            new dev.wam4j.fleet.load.LoadTest.Config(
                robots, hz, seconds, killAt, servers, tasks, taskSeconds, port, dir, db, server),
            line -> {
              err.println(line);
              err.flush();
            });
    PrintWriter o = spec.commandLine().getOut();
    if (json) {
      o.println(Json.result(r, spec));
    } else {
      o.printf(
          "%d server(s), %d robots at %.0f Hz for %.0f s: %d sent (of %d at that rate), %d acknowledged (%d resends), %d stored, %d lost%n",
          r.servers(),
          r.robots(),
          r.hz(),
          r.seconds(),
          r.sent(),
          r.scheduled(),
          r.acknowledged(),
          r.resends(),
          r.stored(),
          r.lost());
      o.printf(
          "%.0f messages/s; ingest latency p50 %.2f ms, p99 %.2f ms, max %.1f ms; longest silence of a robot %.1f s; server CPU %.0f%%, robots' CPU %.0f%%, server RSS peak %d MB, end %d MB%s%n",
          r.messagesPerSecond(),
          r.p50Ms(),
          r.p99Ms(),
          r.maxMs(),
          r.longestSilenceMs() / 1000,
          r.serverCpuPercent(),
          r.generatorCpuPercent(),
          r.serverPeakRssMb(),
          r.serverRssEndMb(),
          !r.killed()
              ? ""
              : r.servers() == 1
                  ? String.format("; server killed and back in %.1f s", r.downtimeSeconds())
                  : String.format("; server 0 killed, %d robots failed over", r.failovers()));
      if (r.tasks() > 0)
        o.printf(
            "tasks: %d of %d done, %d runs, %d run twice, %d claimed again, %d results refused%n",
            r.tasksDone(),
            r.tasks(),
            r.taskRuns(),
            r.duplicateTaskRuns(),
            r.tasksClaimedAgain(),
            r.resultsRefused());
    }
    o.flush();
    return r.lost() == 0 && r.duplicateTaskRuns() == 0 && r.acknowledged() > 0 ? 0 : 1;
  }
}
