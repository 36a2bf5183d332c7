package dev.wam4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wam4j.model.TorchNative;
import org.junit.jupiter.api.Test;

class SelfCommandTest {
  @Test
  void aChildJvmRunsTheNativeSettingsItsParentChose() {
    String before = System.getProperty(TorchNative.ONEDNN_PROPERTY);
    try {
      System.setProperty(TorchNative.ONEDNN_PROPERTY, "true");
      assertThat(SelfCommand.of("-Xmx1g"))
          .contains("-Xmx1g", "-D" + TorchNative.ONEDNN_PROPERTY + "=true")
          .endsWith(Main.class.getName());
      System.clearProperty(TorchNative.ONEDNN_PROPERTY);
      assertThat(SelfCommand.of("-Xmx1g"))
          .noneMatch(a -> a.startsWith("-D" + TorchNative.ONEDNN_PROPERTY));
    } finally {
      if (before == null) System.clearProperty(TorchNative.ONEDNN_PROPERTY);
      else System.setProperty(TorchNative.ONEDNN_PROPERTY, before);
    }
  }
}
