package dev.wam4j.cli;

import java.util.ArrayList;
import java.util.List;

/** The command line that starts this wam4j again in a child process (servers, trainings). */
final class SelfCommand {
  private SelfCommand() {}

  /**
   * This JVM's java, {@code heap} (e.g. {@code -Xmx2g}), wam4j's flags and class path, its main.
   */
  static List<String> of(String heap) {
    String javaBin = ProcessHandle.current().info().command().orElse("java");
    List<String> cmd =
        new ArrayList<>(
            List.of(javaBin, heap, "--enable-native-access=ALL-UNNAMED", "-Dai.djl.offline=true"));
    // where models/ is; what made the run; the native settings the parent chose (a child trainer
    // runs oneDNN only when its parent opted in)
    for (String p :
        List.of("wam4j.root", "wam4j.commit", dev.wam4j.model.TorchNative.ONEDNN_PROPERTY))
      if (System.getProperty(p) != null) cmd.add("-D" + p + "=" + System.getProperty(p));
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName()));
    return cmd;
  }

  /**
   * {@code wam4j serve} in a JVM of its own (on {@code db} when not null; the load and crash tests
   * start, kill and restart it); port and data are appended.
   */
  static List<String> serve(String heap, String db) {
    List<String> cmd = of(heap);
    cmd.add("serve");
    if (db != null) cmd.addAll(List.of("--db", db));
    return cmd;
  }
}
