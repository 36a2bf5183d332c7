package dev.wam4j.model;

import ai.djl.engine.Engine;

/**
 * Opens DJL's PyTorch engine without touching the network. DJL normally downloads libtorch on first
 * use; here the CPU natives come from the {@code ai.djl.pytorch:pytorch-native-cpu} jar (classifier
 * {@code linux-x86_64}) and the JNI glue from {@code ai.djl.pytorch:pytorch-jni}, both on the
 * classpath. On first use DJL extracts them (about 430 MB) into its cache directory, {@code
 * ~/.djl.ai/pytorch/} unless the {@code DJL_CACHE_DIR} or {@code ENGINE_CACHE_DIR} system property
 * or environment variable says otherwise; later starts reuse the extracted copy. A libtorch
 * installed elsewhere can be used instead by setting {@code PYTORCH_LIBRARY_PATH}.
 *
 * <p>Thread-safe; the engine is a process-wide singleton owned by DJL.
 */
public final class Engines {
  /** The engine name DJL registers the PyTorch engine under. */
  public static final String PYTORCH = "PyTorch";

  static final String OFFLINE_PROPERTY = "ai.djl.offline";
  static final String NATIVE_ARTIFACT =
      "ai.djl.pytorch:pytorch-native-cpu:2.7.1 (classifier linux-x86_64)";
  static final String JNI_ARTIFACT = "ai.djl.pytorch:pytorch-jni:2.7.1-0.36.0";

  private static boolean configured;

  private Engines() {}

  /**
   * Asks the engine for {@code threads} intra-op threads and one inter-op thread. DJL reads the
   * request once, when the engine starts (the first model loaded or created): later requests in the
   * same process change nothing.
   *
   * @throws IllegalArgumentException when {@code threads} is below 1
   */
  public static void useThreads(int threads) {
    if (threads < 1) throw new IllegalArgumentException("threads must be >= 1, got " + threads);
    System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(threads));
    System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
  }

  /**
   * {@link #useThreads}, unless a count was asked for already (a command's flag wins over a run's
   * config).
   */
  public static void useThreadsUnlessSet(int threads) {
    if (System.getProperty("ai.djl.pytorch.num_threads") == null) useThreads(threads);
  }

  /**
   * Gives the calling thread {@code threads} intra-op threads. In an OpenMP build PyTorch keeps the
   * count per calling thread, and {@link #useThreads} reaches the thread that starts the engine: a
   * policy run from another thread (a Spark task's, a pool's) calls this first so that it plans
   * with the count asked for. Starts the engine if needed.
   *
   * @throws IllegalArgumentException when {@code threads} is below 1
   */
  public static void useThreadsOnThisThread(int threads) {
    if (threads < 1) throw new IllegalArgumentException("threads must be >= 1, got " + threads);
    pytorch();
    if (ai.djl.pytorch.jni.JniUtils.getNumThreads() != threads)
      ai.djl.pytorch.jni.JniUtils.setNumThreads(threads);
  }

  /**
   * The PyTorch engine, started offline. Sets {@code ai.djl.offline=true} unless the property is
   * already set, so DJL never tries a download. The first call also quiets libtorch's C++ log and
   * settles NNPACK for this CPU ({@link TorchNative}).
   *
   * @throws IllegalStateException naming the missing artifact when the PyTorch natives, the JNI
   *     library or the engine itself are not on the classpath, or when the natives fail to load
   */
  public static synchronized Engine pytorch() {
    if (System.getProperty(OFFLINE_PROPERTY) == null) System.setProperty(OFFLINE_PROPERTY, "true");
    if (libraryPathOverride() == null) {
      String platform = platform();
      ClassLoader cl = Engines.class.getClassLoader();
      if (cl.getResource("native/lib/pytorch.properties") == null) {
        throw new IllegalStateException(
            "PyTorch native libraries not found: put "
                + NATIVE_ARTIFACT
                + " on the classpath, or set PYTORCH_LIBRARY_PATH to a libtorch 2.7.1 lib directory"
                + " (DJL runs offline here and will not download them)");
      }
      if (cl.getResource("jnilib/" + platform + "/cpu/" + System.mapLibraryName("djl_torch"))
          == null) {
        throw new IllegalStateException(
            "DJL's PyTorch JNI library for "
                + platform
                + " not found: put "
                + JNI_ARTIFACT
                + " on the classpath (it ships jnilib/"
                + platform
                + "/cpu/"
                + System.mapLibraryName("djl_torch")
                + ")");
      }
    }
    try {
      Engine engine = Engine.getEngine(PYTORCH);
      if (!configured) {
        TorchNative.configure();
        configured = true;
      }
      return engine;
    } catch (RuntimeException | UnsatisfiedLinkError e) {
      throw new IllegalStateException(
          "cannot start DJL's PyTorch engine offline (needs ai.djl.pytorch:pytorch-engine, "
              + JNI_ARTIFACT
              + " and "
              + NATIVE_ARTIFACT
              + "): "
              + e.getMessage(),
          e);
    }
  }

  private static String libraryPathOverride() {
    String p = System.getProperty("PYTORCH_LIBRARY_PATH");
    return p != null ? p : System.getenv("PYTORCH_LIBRARY_PATH");
  }

  /**
   * DJL's platform classifier for this machine; only linux-x86_64 natives are declared in the
   * build.
   */
  private static String platform() {
    String os = System.getProperty("os.name").toLowerCase(java.util.Locale.ROOT);
    String arch = System.getProperty("os.arch");
    String o =
        os.startsWith("linux")
            ? "linux"
            : os.startsWith("mac") ? "osx" : os.startsWith("win") ? "win" : os;
    String a =
        arch.equals("amd64") || arch.equals("x86_64")
            ? "x86_64"
            : arch.equals("aarch64") ? "aarch64" : arch;
    return o + "-" + a;
  }
}
