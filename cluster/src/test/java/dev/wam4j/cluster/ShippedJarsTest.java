package dev.wam4j.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wam4j.eval.ClosedLoopEvaluation;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ShippedJarsTest {
  @TempDir Path tmp;

  @Test
  void jarsShipAsTheyAreAndClassDirectoriesArePacked() throws Exception {
    Path classes = Files.createDirectories(tmp.resolve("mod/target/classes/dev/x"));
    Files.writeString(classes.resolve("A.class"), "a");
    Path jar = Files.writeString(tmp.resolve("lib.jar"), "not really a jar");
    String cp =
        String.join(
            File.pathSeparator,
            tmp.resolve("mod/target/classes").toString(),
            jar.toString(),
            tmp.resolve("missing.jar").toString());
    List<Path> shipped = ShippedJars.of(cp, tmp.resolve("pack"));
    assertThat(shipped).hasSize(2);
    assertThat(shipped.get(0).getFileName().toString()).isEqualTo("000-mod-classes.jar");
    assertThat(shipped.get(1)).isEqualTo(jar);
    try (JarFile j = new JarFile(shipped.get(0).toFile())) {
      assertThat(Collections.list(j.entries()).stream().map(e -> e.getName()))
          .containsExactly("dev/x/A.class");
    }
  }

  @Test
  void aPartWhoseExecutorCouldNotApplyTheLibtorchSettingsIsRefused() {
    SparkEvaluation.checkLibtorch("h/1", "applied: log level ERROR, oneDNN off");
    SparkEvaluation.checkLibtorch("h/1", "not yet"); // no engine loaded (a policy without libtorch)
    assertThatThrownBy(
            () ->
                SparkEvaluation.checkLibtorch(
                    "h/2", "failed: java.lang.IllegalStateException: libtorch symbol not found"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("executor h/2")
        .hasMessageContaining("symbol not found")
        .hasMessageContaining(ShippedJars.PROPERTY);
  }

  /**
   * A standalone cluster whose executor gets only the third-party jars by path: wam4j's classes
   * (module and test class directories, among them the policy) reach it through spark.jars alone,
   * and the outcomes equal the plain run's.
   */
  @Test
  void aClusterWithoutWam4jOnItsNodesRunsTheShippedClasses() throws Exception {
    SparkEvaluation.Job job =
        new SparkEvaluation.Job(new WanderPolicy.Source(6), 10, 13, 60, false, 3, null, null);
    ClosedLoopEvaluation.Result plain;
    try (WanderPolicy policy = new WanderPolicy(6)) {
      plain = ClosedLoopEvaluation.run(policy, job.config(), null);
    }
    String thirdParty =
        Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
            .filter(e -> e.endsWith(".jar"))
            .collect(Collectors.joining(File.pathSeparator));
    SparkEvaluation.Outcome o;
    try (LoopbackCluster cluster = new LoopbackCluster(tmp.resolve("work"))) {
      System.setProperty(ShippedJars.PROPERTY, "true");
      System.setProperty("spark.executor.extraClassPath", thirdParty);
      try {
        o = SparkEvaluation.run(cluster.url, job, 2, null);
      } finally {
        System.clearProperty(ShippedJars.PROPERTY);
        System.clearProperty("spark.executor.extraClassPath");
      }
    }
    assertThat(o.result().perSeed()).isEqualTo(plain.perSeed());
    assertThat(o.spark().executors()).isEqualTo(1);
  }
}
