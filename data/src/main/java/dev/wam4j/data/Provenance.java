package dev.wam4j.data;

import java.time.Instant;
import java.util.List;

/**
 * What produced an output, echoed into every result file so that one file tells how to make it
 * again.
 *
 * @param wam4jVersion the release
 * @param gitCommit the checkout's commit ({@code -dirty} when it had local changes), or {@code
 *     unknown}
 * @param java the Java runtime's version
 * @param os operating system name, version and architecture
 * @param cpus processors available to the JVM
 * @param createdUtc when the output was made (ISO-8601, UTC)
 * @param command the command line, secrets masked
 */
public record Provenance(
    String wam4jVersion,
    String gitCommit,
    String java,
    String os,
    int cpus,
    String createdUtc,
    List<String> command) {
  public Provenance {
    command = List.copyOf(command);
  }

  /**
   * This process, now: the launcher passes the commit as the system property {@code wam4j.commit}.
   */
  public static Provenance now(String wam4jVersion, List<String> command) {
    return new Provenance(
        wam4jVersion,
        System.getProperty("wam4j.commit", "unknown"),
        Runtime.version().toString(),
        System.getProperty("os.name")
            + " "
            + System.getProperty("os.version")
            + " "
            + System.getProperty("os.arch"),
        Runtime.getRuntime().availableProcessors(),
        Instant.now().toString(),
        command);
  }
}
