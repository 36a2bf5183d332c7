/**
 * The {@code wam4j} command (picocli). Each command is a {@code Callable<Integer>} that parses its
 * options, calls library code and prints through its command line's writers (so tests capture
 * them): tables for people, {@code --json} with a provenance block for machines, progress on
 * stderr. {@code System.exit} is called only in {@link dev.wam4j.cli.Main#main}.
 */
package dev.wam4j.cli;
