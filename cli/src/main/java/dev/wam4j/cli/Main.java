package dev.wam4j.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Entry point of the {@code wam4j} command. {@code System.exit} is called here and nowhere else.
 */
@Command(
    name = "wam4j",
    mixinStandardHelpOptions = true,
    version = "wam4j " + Main.VERSION,
    description = "World Action Models on the JVM.",
    subcommands = {
      DemoCommand.class,
      SimCommand.class,
      DatasetCommand.class,
      DataCommand.class,
      TrainCommand.class,
      EvalCommand.class,
      TuringCommand.class,
      StudyCommand.class,
      ResearchCommand.class,
      MonitorCommand.class,
      RlCommand.class,
      ServeCommand.class,
      TeleopCommand.class,
      RobotCommand.class,
      FleetCommand.class,
      FactoryCommand.class
    })
public final class Main {
  /** The version every output carries in its provenance. */
  static final String VERSION = "0.1.0";

  /** Builds the command line used by {@link #main} and by tests. */
  public static CommandLine commandLine() {
    CommandLine cl = new CommandLine(new Main());
    cl.setExecutionExceptionHandler(
        (ex, cmd, parsed) -> {
          // Bad input reaches the user as one clear line, not a stack trace.
          cmd.getErr()
              .println("wam4j: " + (ex.getMessage() != null ? ex.getMessage() : ex.toString()));
          if (Boolean.getBoolean("wam4j.debug")) ex.printStackTrace(cmd.getErr());
          return 2;
        });
    return cl;
  }

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }
}
