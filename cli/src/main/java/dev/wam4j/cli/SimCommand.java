package dev.wam4j.cli;

import picocli.CommandLine.Command;

/** {@code wam4j sim ...}: simulator tools (replay, render-check, bench). */
@Command(
    name = "sim",
    mixinStandardHelpOptions = true,
    description =
        "Simulator tools: replay recorded demonstrations, check the renderer, benchmark, scripted experts, digital cousins, collect datasets.",
    subcommands = {
      ReplayCommand.class,
      RenderCheckCommand.class,
      BenchCommand.class,
      ExpertCommand.class,
      CousinsCommand.class,
      CollectCommand.class
    })
final class SimCommand {}
