package dev.wam4j.model.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The training log appends rows that survive kills, resumes at a checkpoint step, and refuses bad
 * values.
 */
class TrainingLogTest {
  static final List<String> COLUMNS = List.of("step", "loss", "val_loss", "rss_mb");
  @TempDir Path tmp;

  /**
   * Writes rows for steps 0, 10, ... , 50 with loss 1/(step+1) and a validation loss every 20
   * steps.
   */
  Path logOfSixRows() throws IOException {
    Path file = tmp.resolve("log.csv");
    try (TrainingLog log = TrainingLog.create(file, COLUMNS)) {
      for (int step = 0; step <= 50; step += 10) {
        TrainingLog.Row row = log.row(step).set("loss", 1.0 / (step + 1)).set("rss_mb", 100 + step);
        if (step % 20 == 0) row.set("val_loss", 2.0 / (step + 1));
        row.write();
      }
    }
    return file;
  }

  @Test
  void rowsReadBackWithUnsetCellsEmpty() throws IOException {
    Path file = logOfSixRows();
    assertThat(Files.readAllLines(file))
        .startsWith("step,loss,val_loss,rss_mb", "0,1.0,2.0,100", "10,0.09090909090909091,,110");
    TrainingLog.Table table = TrainingLog.read(file);
    assertThat(table.size()).isEqualTo(6);
    assertThat(table.steps()).containsExactly(0, 10, 20, 30, 40, 50);
    assertThat(table.column("val_loss")[1]).isNaN();
    assertThat(table.column("val_loss")[2]).isEqualTo(2.0 / 21);
    assertThat(table.column("rss_mb")).containsExactly(100, 110, 120, 130, 140, 150);
  }

  @Test
  void floatValuesAreWrittenInTheirShortestForm() throws IOException {
    Path file = tmp.resolve("f.csv");
    try (TrainingLog log = TrainingLog.create(file, COLUMNS)) {
      log.row(1).set("loss", 0.1f).write();
    }
    assertThat(Files.readAllLines(file)).containsExactly("step,loss,val_loss,rss_mb", "1,0.1,,");
  }

  @Test
  void resumeDropsRowsAfterTheCheckpointStepAndAPartialLineThenAppends() throws IOException {
    Path file = logOfSixRows();
    Files.writeString(
        file, "60,0.0163", StandardOpenOption.APPEND); // a kill in the middle of a row
    try (TrainingLog log = TrainingLog.resume(file, COLUMNS, 30)) {
      assertThat(log.lastStep()).isEqualTo(30);
      assertThat(TrainingLog.read(file).steps()).containsExactly(0, 10, 20, 30);
      log.row(35).set("loss", 0.5).write();
    }
    List<String> lines = Files.readAllLines(file);
    assertThat(lines).hasSize(6).startsWith("step,loss,val_loss,rss_mb").endsWith("35,0.5,,");
    assertThat(TrainingLog.read(file).steps()).containsExactly(0, 10, 20, 30, 35);
    try (var temps = Files.list(tmp)) {
      assertThat(temps).containsExactly(file); // the rewrite left no temp file behind
    }
  }

  @Test
  void resumeAtTheLastStepKeepsEveryRow() throws IOException {
    Path file = logOfSixRows();
    String before = Files.readString(file);
    try (TrainingLog log = TrainingLog.resume(file, COLUMNS, 50)) {
      assertThat(log.lastStep()).isEqualTo(50);
      assertThatThrownBy(() -> log.row(50))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("step 50 does not follow step 50");
    }
    assertThat(Files.readString(file)).isEqualTo(before);
  }

  @Test
  void readIgnoresAPartialLastLine() throws IOException {
    Path file = logOfSixRows();
    Files.writeString(file, "60,0.01", StandardOpenOption.APPEND);
    assertThat(TrainingLog.read(file).size()).isEqualTo(6);
  }

  @Test
  void resumeWithAnotherHeaderNamesTheFileAndBothHeaders() throws IOException {
    Path file = logOfSixRows();
    assertThatThrownBy(() -> TrainingLog.resume(file, List.of("step", "loss", "lr"), 30))
        .isInstanceOf(IOException.class)
        .hasMessageContaining(file.toString())
        .hasMessageContaining("[step, loss, val_loss, rss_mb]")
        .hasMessageContaining("[step, loss, lr]");
  }

  @Test
  void nonFiniteValuesAreRefusedNamingTheColumn() throws IOException {
    try (TrainingLog log = TrainingLog.create(tmp.resolve("log.csv"), COLUMNS)) {
      TrainingLog.Row row = log.row(0);
      assertThatThrownBy(() -> row.set("loss", Double.NaN))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("column loss")
          .hasMessageContaining("NaN");
      assertThatThrownBy(() -> row.set("val_loss", Double.POSITIVE_INFINITY))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("column val_loss");
      assertThatThrownBy(() -> row.set("loss", Float.NaN))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("column loss");
      assertThatThrownBy(() -> row.set("lr", 1e-3))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("unknown column");
    }
  }

  @Test
  void stepsMustIncrease() throws IOException {
    try (TrainingLog log = TrainingLog.create(tmp.resolve("log.csv"), COLUMNS)) {
      log.row(5).set("loss", 1).write();
      assertThatThrownBy(() -> log.row(5))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("step 5 does not follow step 5");
    }
  }

  @Test
  void createRefusesAnExistingLog() throws IOException {
    Path file = logOfSixRows();
    assertThatThrownBy(() -> TrainingLog.create(file, COLUMNS))
        .isInstanceOf(FileAlreadyExistsException.class);
  }

  @Test
  void aMalformedRowIsNamedByFileAndLine() throws IOException {
    Path file = logOfSixRows();
    Files.writeString(file, "60,abc,,\n", StandardOpenOption.APPEND);
    assertThatThrownBy(() -> TrainingLog.read(file))
        .isInstanceOf(IOException.class)
        .hasMessageContaining(file + " line 8");
  }

  @Test
  void columnsMustStartWithStepAndBeUnique() {
    assertThatThrownBy(() -> TrainingLog.create(tmp.resolve("a.csv"), List.of("loss")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("start with step");
    assertThatThrownBy(() -> TrainingLog.create(tmp.resolve("b.csv"), List.of("step", "a", "a")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("a appears twice");
    assertThatThrownBy(() -> TrainingLog.create(tmp.resolve("c.csv"), List.of("step", "a,b")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'a,b'");
  }

  @Test
  void residentMemoryIsReportedWhereProcExists() {
    long rss = TrainingLog.residentMemoryMiB();
    if (Files.exists(Path.of("/proc/self/status"))) assertThat(rss).isPositive();
    else assertThat(rss).isEqualTo(-1);
  }
}
