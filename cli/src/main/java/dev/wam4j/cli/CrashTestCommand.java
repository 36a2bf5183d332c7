package dev.wam4j.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "crashtest",
    mixinStandardHelpOptions = true,
    description = {
      "Crash test of 'acknowledged means stored': a fleet server process on a fresh data folder is killed with SIGKILL "
          + "--kills times, each time after a random idle time (up to --max-idle-seconds) and either right after a write or in the middle of a "
          + "burst of writes (jobs, enrolments, robots streaming state); after every restart every acknowledged write is looked up.",
      "Exit code 1 when anything acknowledged is missing."
    })
final class CrashTestCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--kills",
      description = "SIGKILLs (default: ${DEFAULT-VALUE}).",
      defaultValue = "50")
  int kills;

  @Option(
      names = "--max-idle-seconds",
      description = "Longest idle time before a cycle's writes (default: ${DEFAULT-VALUE}).",
      defaultValue = "90")
  double maxIdle;

  @Option(
      names = "--burst-seconds",
      description = "Longest burst of writes before a kill (default: ${DEFAULT-VALUE}).",
      defaultValue = "3")
  double burst;

  @Option(
      names = "--robots",
      description = "Robots streaming state in a burst (default: ${DEFAULT-VALUE}).",
      defaultValue = "5")
  int robots;

  @Option(
      names = "--seed",
      description = "Seed of idle times and kill moments (default: ${DEFAULT-VALUE}).",
      defaultValue = "0")
  long seed;

  @Option(
      names = "--db",
      paramLabel = "URL",
      description = "JDBC URL passed to the server (default: its embedded store).")
  String db;

  @Option(
      names = "--port",
      description = "The server's port (default: ${DEFAULT-VALUE}).",
      defaultValue = "7391")
  int port;

  @Option(
      names = "--data",
      description =
          "The server's data folder, which must not exist (default: runs/crashtest-<time>).")
  Path data;

  @Option(names = "--json", description = "Print the result as JSON.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    Path dir = data != null ? data : Path.of("runs", "crashtest-" + System.currentTimeMillis());
    java.util.List<String> server = SelfCommand.serve("-Xmx1g", db);
    PrintWriter err = spec.commandLine().getErr();
    dev.wam4j.fleet.load.CrashTest.Result r =
        dev.wam4j.fleet.load.CrashTest.run(
            new dev.wam4j.fleet.load.CrashTest.Config(
                kills, maxIdle, burst, robots, seed, port, dir, server),
            line -> {
              err.println(line);
              err.flush();
            });
    PrintWriter o = spec.commandLine().getOut();
    if (json) {
      o.println(Json.result(r, spec));
    } else {
      o.printf(
          "%d kills in %.0f s: %d writes acknowledged (%d jobs, %d enrolments, %d state messages), %d lost%n",
          r.kills(),
          r.seconds(),
          r.acknowledged(),
          r.jobsAcknowledged(),
          r.robotsAcknowledged(),
          r.statesAcknowledged(),
          r.lost());
      r.lostWrites().stream().limit(20).forEach(l -> o.println("  lost: " + l));
    }
    o.flush();
    return r.lost() == 0 ? 0 : 1;
  }
}
