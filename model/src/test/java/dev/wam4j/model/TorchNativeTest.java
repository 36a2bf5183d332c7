package dev.wam4j.model;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** libtorch's C++ log stays quiet: a user sees wam4j's lines, not native warnings. */
class TorchNativeTest {
  @Test
  void startingTheEngineSetsLibtorchsLogLevelToErrors() {
    Engines.pytorch();
    if (Runtime.version().feature()
        < 22) { // java.lang.foreign is a preview in Java 21: libtorch keeps its defaults
      assertThat(TorchNative.applied()).startsWith("skipped: needs Java 22+");
      return;
    }
    assertThat(TorchNative.applied()).startsWith("applied:");
    if (System.getenv("TORCH_CPP_LOG_LEVEL") == null) {
      assertThat(TorchNative.logLevel()).isEqualTo(TorchNative.LOG_LEVEL_ERROR);
      assertThat(TorchNative.applied()).contains("log level ERROR");
    } else {
      assertThat(TorchNative.applied()).contains("TORCH_CPP_LOG_LEVEL");
    }
    assertThat(TorchNative.applied()).contains("oneDNN off");
    assertThat(TorchNative.applied().contains("NNPACK off"))
        .isEqualTo(!TorchNative.cpuHasAvx2AndFma());
  }

  /**
   * The gradient of a convolution's input: with libtorch's oneDNN backend it came out different on
   * every run of the same graph on some CPUs (and now and then NaN), which made training diverge at
   * random steps. Built afresh each time, as a new trainer builds its model.
   */
  @Test
  void aConvolutionsInputGradientIsTheSameOnEveryRun() {
    Engines.pytorch();
    float[] first = null;
    for (int run = 0; run < 8; run++) {
      float[] g = inputGradientOfTwoConvolutions();
      for (float v : g) assertThat(v).isFinite();
      if (first == null) first = g;
      else assertThat(g).as("run %d", run).containsExactly(first);
    }
  }

  /**
   * Every weight's gradient of conv 1x1 then conv 3x3 (8 channels each), seeded weights and input.
   */
  private static float[] inputGradientOfTwoConvolutions() {
    ai.djl.engine.Engine.getInstance().setRandomSeed(0);
    try (ai.djl.Model model = ai.djl.Model.newInstance("convolutions")) {
      ai.djl.nn.SequentialBlock b =
          new ai.djl.nn.SequentialBlock()
              .add(Conv2d.builder().setFilters(8).setKernelShape(new Shape(1, 1)).build())
              .add(
                  Conv2d.builder()
                      .setFilters(8)
                      .setKernelShape(new Shape(3, 3))
                      .optPadding(new Shape(1, 1))
                      .build());
      b.setInitializer(
          new ai.djl.training.initializer.NormalInitializer(0.1f), ai.djl.nn.Parameter.Type.WEIGHT);
      model.setBlock(b);
      NDManager m = model.getNDManager();
      b.initialize(m, ai.djl.ndarray.types.DataType.FLOAT32, new Shape(8, 8, 24, 24));
      java.util.Random rng = new java.util.Random(3);
      float[] x = new float[8 * 8 * 24 * 24];
      for (int i = 0; i < x.length; i++) x[i] = (float) rng.nextGaussian();
      NDArray input = m.create(x, new Shape(8, 8, 24, 24));
      try (ai.djl.training.GradientCollector c = m.getEngine().newGradientCollector()) {
        NDArray out =
            b.forward(
                    new ai.djl.training.ParameterStore(m, false),
                    new ai.djl.ndarray.NDList(input),
                    true)
                .singletonOrThrow();
        c.backward(out.square().mean());
      }
      java.util.List<Float> all = new java.util.ArrayList<>();
      for (var p : b.getParameters())
        for (float v : p.getValue().getArray().getGradient().toFloatArray()) all.add(v);
      float[] g = new float[all.size()];
      for (int i = 0; i < g.length; i++) g[i] = all.get(i);
      return g;
    }
  }

  /**
   * {@code NDArray.set} runs DJL's JNI code that libtorch warns about ("AutoNonVariableTypeMode is
   * deprecated").
   */
  @Test
  void aProcessThatTriggersLibtorchWarningsPrintsNoneOfThem(@TempDir Path tmp)
      throws IOException, InterruptedException {
    // the same process with libtorch's defaults shows what is being silenced
    assertThat(stderrOfTrigger(true, tmp)).contains("AutoNonVariableTypeMode is deprecated");
    String quiet = stderrOfTrigger(false, tmp);
    if (Runtime.version().feature() >= 22) {
      assertThat(quiet)
          .doesNotContain("Warning")
          .doesNotContain("NNPACK")
          .doesNotContainPattern("(?m)^\\[W");
    } else {
      assertThat(quiet)
          .contains("AutoNonVariableTypeMode is deprecated"); // Java 21: documented as not silenced
    }
  }

  private static String stderrOfTrigger(boolean keepDefaults, Path tmp)
      throws IOException, InterruptedException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Path out = tmp.resolve("out-" + keepDefaults + ".txt"),
        err = tmp.resolve("err-" + keepDefaults + ".txt");
    ProcessBuilder pb =
        new ProcessBuilder(
                List.of(
                    java,
                    "--enable-native-access=ALL-UNNAMED",
                    "-Dai.djl.offline=true",
                    "-D" + TorchNative.KEEP_DEFAULTS_PROPERTY + "=" + keepDefaults,
                    "-cp",
                    System.getProperty("java.class.path"),
                    WarningTrigger.class.getName()))
            .redirectOutput(out.toFile())
            .redirectError(err.toFile());
    pb.environment().remove("TORCH_CPP_LOG_LEVEL");
    Process p = pb.start();
    p.getOutputStream().close();
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("the child JVM did not finish in 120 s");
    }
    String stderr = Files.readString(err, StandardCharsets.UTF_8);
    assertThat(p.exitValue()).as("stderr: %s", stderr).isZero();
    assertThat(Files.readString(out, StandardCharsets.UTF_8)).contains("set 1.0 2.0 conv ok");
    return stderr;
  }

  /** Main of the child process above. */
  static final class WarningTrigger {
    public static void main(String[] args) {
      try (NDManager m =
          NDManager.newBaseManager(Engines.pytorch().defaultDevice(), Engines.PYTORCH)) {
        NDArray a = m.zeros(new Shape(2));
        a.set(new float[] {1f, 2f});
        // a batch-1 3x3 convolution on a small input: the case where PyTorch asks NNPACK first
        NDArray x = m.ones(new Shape(1, 4, 12, 12)), w = m.ones(new Shape(4, 4, 3, 3));
        NDArray conv =
            Conv2d.conv2d(x, w, null, new Shape(1, 1), new Shape(1, 1)).singletonOrThrow();
        float[] v = a.toFloatArray();
        System.out.println(
            "set " + v[0] + " " + v[1] + " conv " + (conv.getShape().get(1) == 4 ? "ok" : "bad"));
      }
    }
  }
}
