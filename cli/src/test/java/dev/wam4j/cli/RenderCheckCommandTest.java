package dev.wam4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class RenderCheckCommandTest {
  @Test
  void jsonReportOfOneEpisodeHasTheErrorFramesAndSpeed() throws Exception {
    CommandLine cl = Main.commandLine();
    StringWriter out = new StringWriter();
    cl.setOut(new PrintWriter(out));
    int code = cl.execute("sim", "render-check", "--json", "--episodes", "1");
    assertThat(code).isZero();
    JsonNode n = new ObjectMapper().readTree(out.toString());
    assertThat(n.get("frames").asInt()).isEqualTo(161);
    assertThat(n.get("mean_abs_pixel_error").asDouble()).isBetween(0.0, 0.05);
    assertThat(n.get("episodes").asInt()).isEqualTo(1);
    assertThat(n.get("per_episode")).hasSize(1);
    assertThat(n.get("per_episode").get(0).get("episode").asInt()).isZero();
    assertThat(n.get("render_frames_per_second").asDouble()).isPositive();
  }

  @Test
  void missingStoreIsOneClearErrorLine() {
    CommandLine cl = Main.commandLine();
    StringWriter err = new StringWriter();
    cl.setErr(new PrintWriter(err));
    int code = cl.execute("sim", "render-check", "--zarr", "/nonexistent/store.zarr");
    assertThat(code).isEqualTo(2);
    assertThat(err.toString()).contains("/nonexistent/store.zarr");
  }
}
