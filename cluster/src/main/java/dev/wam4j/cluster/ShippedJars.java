package dev.wam4j.cluster;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

/**
 * The driver's class path as jars Spark ships to the executors ({@code spark.jars}), so that the
 * nodes of a {@code spark://} cluster need not have wam4j at the driver's path: every jar entry as
 * it is, every directory entry (a module's {@code target/classes}) packed into a jar of its own.
 * Executors fetch them from the driver once per application and load them in their user class
 * loader; the nodes need a Spark distribution (Spark's own classes) and nothing else of wam4j.
 */
final class ShippedJars {
  /** The system property that turns shipping on: {@code -Dwam4j.spark.shipJars=true}. */
  static final String PROPERTY = "wam4j.spark.shipJars";

  private ShippedJars() {}

  /** Whether {@link #PROPERTY} asks for shipping. */
  static boolean wanted() {
    return Boolean.getBoolean(PROPERTY);
  }

  /**
   * The jars to ship for class path {@code classPath}: its jar files, and for each directory a jar
   * of its files packed into {@code packDir}; missing entries are skipped (the JVM skips them too).
   *
   * @throws IOException when a directory cannot be packed
   */
  static List<Path> of(String classPath, Path packDir) throws IOException {
    List<Path> jars = new ArrayList<>();
    int packed = 0;
    for (String entry : classPath.split(File.pathSeparator)) {
      if (entry.isEmpty()) continue;
      Path p = Path.of(entry).toAbsolutePath().normalize();
      if (Files.isDirectory(p)) {
        Path jar = packDir.resolve(String.format("%03d-%s.jar", packed++, name(p)));
        pack(p, jar);
        jars.add(jar);
      } else if (Files.isRegularFile(p) && p.toString().endsWith(".jar")) {
        jars.add(p);
      }
    }
    return jars;
  }

  /** A readable name for a class directory: {@code cluster-classes} for cluster/target/classes. */
  private static String name(Path dir) {
    Path parent = dir.getParent(), module = parent == null ? null : parent.getParent();
    String base =
        module != null && parent.getFileName().toString().equals("target")
            ? module.getFileName() + "-" + dir.getFileName()
            : dir.getFileName().toString();
    return base.replaceAll("[^A-Za-z0-9._-]", "_");
  }

  /** Packs every file under {@code dir} into {@code jar}, paths relative to {@code dir}. */
  static void pack(Path dir, Path jar) throws IOException {
    Files.createDirectories(jar.getParent());
    try (OutputStream out = Files.newOutputStream(jar);
        JarOutputStream j = new JarOutputStream(out);
        Stream<Path> files = Files.walk(dir)) {
      for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
        j.putNextEntry(new JarEntry(dir.relativize(f).toString().replace(File.separatorChar, '/')));
        Files.copy(f, j);
        j.closeEntry();
      }
    }
  }
}
