package dev.wam4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EvalCommandTest {
  private final CliRun cli = new CliRun();

  @Test
  void aMissingCheckpointGivesOneClearLineAndExitCode2(@TempDir Path dir) {
    Path missing = dir.resolve("no-such-checkpoint");
    assertThat(cli.run("eval", "--checkpoint", missing.toString(), "--seeds", "0..1")).isEqualTo(2);
    assertThat(cli.err.toString()).contains("--checkpoint").contains("no-such-checkpoint").doesNotContain("Exception").doesNotContain("\tat ");
    assertThat(cli.out.toString()).isEmpty();
  }

  @Test
  void aCheckpointNoRuntimeCanLoadGivesOneClearLineAndExitCode2(@TempDir Path dir) throws Exception {
    Path checkpoint = Files.createDirectories(dir.resolve("ckpt"));
    Path video = dir.resolve("eval.mp4");
    assertThat(cli.run("eval", "--checkpoint", checkpoint.toString(), "--video", video.toString(), "--json")).isEqualTo(2);
    assertThat(cli.err.toString()).startsWith("wam4j: cannot load a policy").contains(checkpoint.toString())
        .doesNotContain("Exception").doesNotContain("\tat ");
    assertThat(cli.out.toString()).isEmpty();
    assertThat(video).doesNotExist();
  }

  @Test
  void badSeedsAndStepLimitsAreRejectedBeforeLoading(@TempDir Path dir) {
    assertThat(cli.run("eval", "--checkpoint", dir.toString(), "--seeds", "9..3")).isEqualTo(2);
    assertThat(cli.err.toString()).contains("--seeds 9..3");
    assertThat(cli.run("eval", "--checkpoint", dir.toString(), "--max-steps", "0")).isEqualTo(2);
    assertThat(cli.err.toString()).contains("--max-steps must be in 1..300, got 0");
    assertThat(cli.run("eval", "--checkpoint", dir.toString(), "--max-steps", "301")).isEqualTo(2);
    assertThat(cli.err.toString()).contains("--max-steps must be in 1..300, got 301");
  }

  @Test
  void theCheckpointIsRequired() {
    assertThat(cli.run("eval")).isEqualTo(2);
    assertThat(cli.err.toString()).contains("--checkpoint");
  }
}
