package dev.wam4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wam4j.data.lerobot.DatasetValidation;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code sim collect} and the (not yet wired) {@code dataset import} at tiny sizes. */
class DatasetWriteCommandsTest {
  @TempDir Path tmp;
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(CommandLine cl, String... args) {
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    return cl.execute(args);
  }

  @Test
  void simCollectWritesALeRobotDatasetOfHandEpisodes() throws Exception {
    Path ds = tmp.resolve("hand");
    assertThat(
            run(
                Main.commandLine(),
                "sim",
                "collect",
                "--policy",
                "expert",
                "--embodiment",
                "hand",
                "--episodes",
                "1",
                "--seed",
                "2",
                "--out",
                ds.toString(),
                "--json"))
        .as(err.toString())
        .isZero();
    JsonNode n = new ObjectMapper().readTree(out.toString());
    assertThat(n.get("total_episodes").asInt()).isEqualTo(1);
    assertThat(n.get("embodiment").asText()).isEqualTo("hand");
    assertThat(ds.resolve("meta/info.json")).exists();
    assertThat(ds.resolve("videos/observation.image/chunk-000/file-000.mp4")).exists();
  }

  private JsonNode collect(Path ds, String... extra) throws Exception {
    out.getBuffer().setLength(0);
    List<String> args =
        new ArrayList<>(
            List.of(
                "sim",
                "collect",
                "--episodes",
                "4",
                "--seed",
                "60",
                "--out",
                ds.toString(),
                "--json"));
    args.addAll(List.of(extra));
    assertThat(run(Main.commandLine(), args.toArray(String[]::new))).as(err.toString()).isZero();
    return new ObjectMapper().readTree(out.toString());
  }

  @Test
  void simCollectOnSparkWritesOneDatasetWithThePlainRunsEpisodes() throws Exception {
    JsonNode plain = collect(tmp.resolve("plain"));
    JsonNode spark = collect(tmp.resolve("spark"), "--spark", "local[2]", "--partitions", "2");
    for (String f : List.of("total_episodes", "total_frames", "success_seeds", "seeds"))
      assertThat(spark.get(f)).as(f).isEqualTo(plain.get(f));
    assertThat(plain.get("spark").isNull()).isTrue();
    assertThat(spark.get("spark").get("partitions").asInt()).isEqualTo(2);
    assertThat(spark.get("spark").get("master").asText()).isEqualTo("local[2]");
    assertThat(DatasetValidation.validate(tmp.resolve("spark"))).isEmpty();
  }

  @Test
  void partitionsWithoutSparkAreRefused() {
    int code =
        run(
            Main.commandLine(),
            "sim",
            "collect",
            "--episodes",
            "1",
            "--partitions",
            "3",
            "--out",
            tmp.resolve("x").toString());
    assertThat(code).isNotZero();
    assertThat(err.toString()).contains("--partitions 3 is for --spark");
    assertThat(tmp.resolve("x")).doesNotExist();
  }

  @Test
  void datasetImportWritesTheFirstEpisodesOfTheZarr() throws Exception {
    Path ds = tmp.resolve("pusht");
    assertThat(
            run(
                new CommandLine(new DatasetImportCommand()),
                "--episodes",
                "2",
                "--out",
                ds.toString(),
                "--json"))
        .as(err.toString())
        .isZero();
    JsonNode n = new ObjectMapper().readTree(out.toString());
    assertThat(n.get("codebase_version").asText()).isEqualTo("v3.0");
    assertThat(n.get("total_episodes").asInt()).isEqualTo(2);
    assertThat(n.get("total_frames").asInt()).isEqualTo(161 + 118);
    assertThat(n.has("provenance")).isTrue();
  }

  @Test
  void loaderBenchSamplesHistoriesAndFutureFramesFromAnImportedDataset() throws Exception {
    Path ds = tmp.resolve("bench");
    assertThat(
            run(
                new CommandLine(new DatasetImportCommand()),
                "--episodes",
                "1",
                "--out",
                ds.toString()))
        .as(err.toString())
        .isZero();
    out.getBuffer().setLength(0);
    assertThat(
            run(
                Main.commandLine(),
                "dataset",
                "loader-bench",
                ds.toString(),
                "--batch",
                "8",
                "--future-frames",
                "2",
                "--future-stride",
                "4",
                "--seconds",
                "0.2",
                "--json"))
        .as(err.toString())
        .isZero();
    JsonNode n = new ObjectMapper().readTree(out.toString());
    assertThat(n.get("frames").asInt()).isEqualTo(161);
    assertThat(n.get("config").get("future_frames").asInt()).isEqualTo(2);
    assertThat(n.get("config").get("future_stride").asInt()).isEqualTo(4);
    assertThat(n.get("batches_per_second").asDouble()).isPositive();
  }

  @Test
  void anExistingOutputIsRefusedWithItsName() throws Exception {
    java.nio.file.Files.createDirectories(tmp.resolve("taken"));
    int code =
        run(
            Main.commandLine(),
            "sim",
            "collect",
            "--episodes",
            "1",
            "--out",
            tmp.resolve("taken").toString());
    assertThat(code).isNotZero();
    assertThat(err.toString()).contains("taken").contains("already exists");
  }
}
