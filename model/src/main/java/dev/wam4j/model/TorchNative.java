package dev.wam4j.model;

import java.io.IOException;
import java.lang.invoke.MethodHandle;
import java.lang.reflect.Array;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/**
 * Process-wide settings of libtorch that DJL does not expose, applied once the engine's libraries
 * are loaded:
 *
 * <ul>
 *   <li><b>Log level.</b> libtorch's C++ log (c10) prints warnings straight to stderr: a
 *       deprecation notice from DJL's JNI glue on the first {@code NDArray.set}, and on CPUs
 *       without AVX2 one "Could not initialize NNPACK!" line per small convolution. c10 reads
 *       {@code TORCH_CPP_LOG_LEVEL} only when something calls {@code c10::initLogging()}, which DJL
 *       never does, so the variable alone has no effect. Here: {@code TORCH_CPP_LOG_LEVEL} if set
 *       (through {@code initLogging}), else ERROR.
 *   <li><b>oneDNN</b> (libtorch's "mkldnn" backend) is switched off, so convolutions run on ATen's
 *       own kernels. On some CPUs (seen on a 2-core AMD EPYC VM with AVX-512, and with {@code
 *       ONEDNN_MAX_CPU_ISA=AVX} there) oneDNN's convolution backward pass returns a different input
 *       gradient on every run of the same graph, now and then NaN (training diverges at random
 *       steps and is not reproducible), and planning by imagination gave different plans for the
 *       same inputs (docs/RESULTS.md section 35). ATen's kernels give the same result every time,
 *       at a cost measured there: training about 5x slower, planning about 1.35x. {@code
 *       -Dwam4j.libtorch.onednn=true} keeps oneDNN where it is sound.
 *   <li><b>NNPACK</b> is switched off on CPUs without AVX2 and FMA, where it cannot initialise;
 *       PyTorch would otherwise retry (and log) on every eligible convolution before falling back
 *       to the same kernel it now takes directly. Results are unchanged.
 * </ul>
 *
 * All go through the Foreign Function and Memory API, looked up reflectively because the project
 * compiles for Java 21, where that API is still a preview: on Java 22 and later with native access
 * enabled ({@code --enable-native-access=ALL-UNNAMED}, as the launcher and the tests run) the
 * settings apply; elsewhere libtorch keeps its defaults and {@link #applied()} says so. To see
 * libtorch's own warnings, run with {@code -Dwam4j.libtorch.keepDefaults=true}.
 */
public final class TorchNative {
  /** c10's numeric log levels: 0 INFO, 1 WARNING, 2 ERROR, 3 FATAL. */
  static final int LOG_LEVEL_ERROR = 2;

  /**
   * System property that leaves libtorch exactly as it starts (to see its warnings while
   * debugging).
   */
  public static final String KEEP_DEFAULTS_PROPERTY = "wam4j.libtorch.keepDefaults";

  /**
   * System property that keeps libtorch's oneDNN convolutions ({@code true}); off by default (see
   * the class comment). The launcher passes it through {@code WAM4J_JAVA_OPTS}.
   */
  public static final String ONEDNN_PROPERTY = "wam4j.libtorch.onednn";

  private static volatile String applied = "not yet";

  private TorchNative() {}

  /**
   * What {@link #configure} did, for provenance and diagnostics: "applied: ..." or the reason it
   * could not.
   */
  public static String applied() {
    return applied;
  }

  /** Applies the settings; call once after the engine has loaded libtorch. Never throws. */
  static synchronized void configure() {
    if (Boolean.getBoolean(KEEP_DEFAULTS_PROPERTY)) {
      applied = "skipped: -D" + KEEP_DEFAULTS_PROPERTY + "=true";
      return;
    }
    try {
      Ffm ffm = Ffm.open();
      if (ffm == null) {
        applied =
            "skipped: needs Java 22+ with --enable-native-access for this module (running "
                + Runtime.version()
                + ")";
        return;
      }
      StringBuilder done = new StringBuilder("applied:");
      String level = System.getenv("TORCH_CPP_LOG_LEVEL");
      if (level != null && !level.isBlank()) {
        ffm.callVoid("_ZN3c1011initLoggingEv"); // c10::initLogging(): honours TORCH_CPP_LOG_LEVEL
        done.append(" log level from TORCH_CPP_LOG_LEVEL=").append(level);
      } else {
        ffm.setInt("FLAGS_caffe2_log_level", LOG_LEVEL_ERROR);
        done.append(" log level ERROR");
      }
      if (!Boolean.getBoolean(ONEDNN_PROPERTY)) {
        Object context = ffm.callAddress("_ZN2at13globalContextEv"); // at::globalContext()
        ffm.callVoid("_ZN2at7Context20setUserEnabledMkldnnEb", context, false);
        done.append(", oneDNN off");
      }
      if (!cpuHasAvx2AndFma()) {
        Object context = ffm.callAddress("_ZN2at13globalContextEv"); // at::globalContext()
        ffm.callVoid("_ZN2at7Context20setUserEnabledNNPACKEb", context, false);
        done.append(", NNPACK off (no AVX2/FMA)");
      }
      applied = done.toString();
    } catch (Throwable e) { // a missing symbol or API must never stop the engine
      applied = "failed: " + e;
    }
  }

  /** c10's current log level (test hook); -1 when it cannot be read. */
  static int logLevel() {
    try {
      Ffm ffm = Ffm.open();
      return ffm == null ? -1 : ffm.getInt("FLAGS_caffe2_log_level");
    } catch (Throwable e) {
      return -1;
    }
  }

  /**
   * True when /proc/cpuinfo lists avx2 and fma (NNPACK's x86-64 kernels need both); true off Linux.
   */
  static boolean cpuHasAvx2AndFma() {
    Path cpuinfo = Path.of("/proc/cpuinfo");
    if (!Files.isReadable(cpuinfo)) return true;
    try (var lines = Files.lines(cpuinfo)) {
      Optional<String> flags =
          lines.filter(l -> l.toLowerCase(Locale.ROOT).startsWith("flags")).findFirst();
      if (flags.isEmpty()) return true;
      String f = " " + flags.get().substring(flags.get().indexOf(':') + 1).trim() + " ";
      return f.contains(" avx2 ") && f.contains(" fma ");
    } catch (IOException | RuntimeException e) {
      return true;
    }
  }

  /** The few FFM calls needed, reflectively (java.lang.foreign is a preview API in Java 21). */
  private record Ffm(
      Object lookup,
      Object linker,
      Class<?> segmentClass,
      Class<?> layoutClass,
      Object intLayout,
      Object addressLayout,
      Object booleanLayout) {
    static Ffm open() throws ReflectiveOperationException {
      if (Runtime.version().feature() < 22) return null;
      Module self = TorchNative.class.getModule();
      if (!(boolean) Module.class.getMethod("isNativeAccessEnabled").invoke(self)) return null;
      Class<?> lookupClass = Class.forName("java.lang.foreign.SymbolLookup");
      Class<?> linkerClass = Class.forName("java.lang.foreign.Linker");
      Class<?> values = Class.forName("java.lang.foreign.ValueLayout");
      return new Ffm(
          lookupClass.getMethod("loaderLookup").invoke(null),
          linkerClass.getMethod("nativeLinker").invoke(null),
          Class.forName("java.lang.foreign.MemorySegment"),
          Class.forName("java.lang.foreign.MemoryLayout"),
          values.getField("JAVA_INT").get(null),
          values.getField("ADDRESS").get(null),
          values.getField("JAVA_BOOLEAN").get(null));
    }

    /** The address of a symbol in a library DJL loaded (the same class loader as this class). */
    Object symbol(String name) throws ReflectiveOperationException {
      Method find = Class.forName("java.lang.foreign.SymbolLookup").getMethod("find", String.class);
      Optional<?> found = (Optional<?>) find.invoke(lookup, name);
      return found.orElseThrow(
          () -> new IllegalStateException("libtorch symbol not found: " + name));
    }

    Object intCell(String name) throws ReflectiveOperationException {
      Object address = symbol(name);
      return segmentClass.getMethod("reinterpret", long.class).invoke(address, 4L);
    }

    void setInt(String name, int value) throws ReflectiveOperationException {
      Object cell = intCell(name);
      Method set =
          segmentClass.getMethod(
              "set", Class.forName("java.lang.foreign.ValueLayout$OfInt"), long.class, int.class);
      set.invoke(cell, intLayout, 0L, value);
    }

    int getInt(String name) throws ReflectiveOperationException {
      Object cell = intCell(name);
      Method get =
          segmentClass.getMethod(
              "get", Class.forName("java.lang.foreign.ValueLayout$OfInt"), long.class);
      return (int) get.invoke(cell, intLayout, 0L);
    }

    /** Calls {@code void name()} or {@code void name(void* context, bool flag)}. */
    void callVoid(String name, Object... args) throws Throwable {
      Object[] layouts =
          args.length == 0 ? new Object[0] : new Object[] {addressLayout, booleanLayout};
      handle(name, null, layouts).invokeWithArguments(args);
    }

    /** Calls {@code void* name()}. */
    Object callAddress(String name) throws Throwable {
      return handle(name, addressLayout, new Object[0]).invokeWithArguments();
    }

    private MethodHandle handle(String name, Object result, Object[] argLayouts)
        throws ReflectiveOperationException {
      Class<?> descriptorClass = Class.forName("java.lang.foreign.FunctionDescriptor");
      Object layoutArray = Array.newInstance(layoutClass, argLayouts.length);
      for (int i = 0; i < argLayouts.length; i++) Array.set(layoutArray, i, argLayouts[i]);
      Object descriptor =
          result == null
              ? descriptorClass
                  .getMethod("ofVoid", layoutArray.getClass())
                  .invoke(null, layoutArray)
              : descriptorClass
                  .getMethod("of", layoutClass, layoutArray.getClass())
                  .invoke(null, result, layoutArray);
      Class<?> optionClass = Class.forName("java.lang.foreign.Linker$Option");
      Object noOptions = Array.newInstance(optionClass, 0);
      Method downcall =
          Class.forName("java.lang.foreign.Linker")
              .getMethod("downcallHandle", segmentClass, descriptorClass, noOptions.getClass());
      return (MethodHandle) downcall.invoke(linker, symbol(name), descriptor, noOptions);
    }
  }
}
