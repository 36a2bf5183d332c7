package dev.wam4j.model.wam;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wam4j.data.AtomicFiles;
import dev.wam4j.model.CheckpointException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The compute behind a model, oldest first: the training time of each checkpoint of its init chain,
 * and the compute its runs spent outside their training steps ({@link #FILE}).
 */
public final class ComputeLineage {
  /**
   * A run folder may hold this file: compute spent for the run outside its training steps (DAgger's
   * rollouts and validation), as {@code {"stages": [{"name": ..., "seconds": ...}]}}; the lineage
   * of a model trained from it counts them.
   */
  public static final String FILE = "compute.json";

  private ComputeLineage() {}

  /** Writes a run folder's {@link #FILE} atomically. */
  public static void write(Path runDir, List<ComputeStage> stages) throws IOException {
    AtomicFiles.writeString(
        runDir.resolve(FILE), WamCheckpoint.JSON.writeValueAsString(Map.of("stages", stages)));
  }

  /**
   * Every stage of compute behind checkpoint {@code dir}, oldest first: each checkpoint of its init
   * chain contributes its training time and its run folder's {@link #FILE}; {@code extra} (e.g.
   * data generation) comes first.
   */
  public static List<ComputeStage> of(Path dir, List<ComputeStage> extra) throws IOException {
    List<ComputeStage> newestFirst = new ArrayList<>();
    List<ComputeStage> recorded = List.of(); // an exported ancestor's own lineage, oldest first
    Path at = WamCheckpoint.resolve(dir);
    Object init = null;
    for (int depth = 0; at != null && depth < 64; depth++) {
      WamCheckpoint.Meta m;
      try {
        m = WamCheckpoint.readMeta(at);
      } catch (IOException e) {
        if (depth == 0) throw e;
        throw new CheckpointException(
            "lineage of "
                + dir
                + ": the init checkpoint "
                + init
                + " cannot be read, so its compute cannot be counted ("
                + e.getMessage()
                + ")",
            e);
      }
      if (m.lineage()
          != null) { // exported with its lineage (itself included): that record is the whole story
        // from here down
        recorded = m.lineage();
        break;
      }
      Path run = at.getParent();
      Path compute = run.resolve(FILE);
      List<ComputeStage> around = new ArrayList<>();
      if (Files.isRegularFile(compute)) {
        JsonNode stages = WamCheckpoint.JSON.readTree(compute.toFile()).get("stages");
        if (stages == null || !stages.isArray())
          throw new CheckpointException(compute + ": 'stages' (a list) is missing");
        for (JsonNode st : stages)
          around.add(new ComputeStage(st.path("name").asText(), st.path("seconds").asDouble(-1)));
      }
      // a DAgger round's run folder is round-NN/train: name it by both
      String runName =
          run.getParent() != null
                  && run.getFileName().toString().equals("train")
                  && run.getParent().getFileName() != null
                  && run.getParent().getFileName().toString().matches("round-\\d+")
              ? run.getParent().getFileName() + "/train"
              : run.getFileName().toString();
      newestFirst.add(
          new ComputeStage(
              m.stage() + " " + runName + " (" + m.step() + " steps)", m.trainSeconds()));
      if (m.data() != null && m.data().get("load_seconds") instanceof Number load) {
        newestFirst.add(new ComputeStage("data loading for " + runName, load.doubleValue()));
      }
      for (int i = around.size() - 1; i >= 0; i--) newestFirst.add(around.get(i));
      init = m.data() == null ? null : m.data().get("init");
      try {
        at = init == null ? null : WamCheckpoint.resolve(Path.of(init.toString()));
      } catch (IOException e) {
        throw new CheckpointException(
            "lineage of "
                + dir
                + ": the init checkpoint "
                + init
                + " cannot be read, so its compute cannot be counted ("
                + e.getMessage()
                + ")",
            e);
      }
    }
    List<ComputeStage> out = new ArrayList<>(extra);
    out.addAll(recorded);
    for (int i = newestFirst.size() - 1; i >= 0; i--) out.add(newestFirst.get(i));
    return out;
  }
}
