package dev.wam4j.model.wam;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import dev.wam4j.data.AtomicFiles;
import dev.wam4j.data.FileTrees;
import dev.wam4j.model.CheckpointException;
import dev.wam4j.model.Engines;
import dev.wam4j.model.wam.WamCheckpoint.Meta;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A trainer's state as a checkpoint and back: the policy weights, and (to resume) the raw weights
 * and AdamW moments.
 */
final class TrainingState {
  private TrainingState() {}

  /** Writes {@code trainer}'s state as checkpoint {@code dir} (atomically); returns its meta. */
  static Meta save(
      WamTrainer trainer,
      Path dir,
      String stage,
      Map<String, Object> data,
      Map<String, Object> metrics,
      double trainSeconds,
      boolean withTrainState)
      throws IOException {
    Path target = dir.toAbsolutePath().normalize();
    if (Files.exists(target))
      throw new IOException(target + " already exists; checkpoints are never overwritten");
    Path parent = target.getParent();
    Files.createDirectories(parent);
    Path temp = AtomicFiles.hiddenDirectory(parent, "." + target.getFileName() + ".partial-");
    try {
      Map<String, String> files = new LinkedHashMap<>();
      List<Parameter> params = trainer.optimizer().parameters();
      files.put(
          WamCheckpoint.POLICY_FILE,
          WamCheckpoint.write(
              temp.resolve(WamCheckpoint.POLICY_FILE), trainer.optimizer().averagedWeights()));
      if (withTrainState) {
        NDList state = new NDList();
        for (Parameter p : params) state.add(p.getArray());
        state.addAll(trainer.optimizer().state());
        files.put(
            WamCheckpoint.TRAIN_STATE_FILE,
            WamCheckpoint.write(temp.resolve(WamCheckpoint.TRAIN_STATE_FILE), state));
      }
      Engine engine = Engines.pytorch();
      Meta meta =
          new Meta(
              WamCheckpoint.FORMAT,
              trainer.config(),
              stage,
              trainer.steps(),
              PolicyWeights.shapes(trainer.network()),
              files,
              data,
              metrics,
              trainSeconds,
              new TreeMap<>( // one key order in every file (Map.of's changes from run to run)
                  Map.of(
                      "djl",
                      Engine.getDjlVersion(),
                      "engine",
                      engine.getEngineName() + " " + engine.getVersion(),
                      "java",
                      Runtime.version().toString(),
                      "wam4j",
                      System.getProperty("wam4j.commit", "unknown"))));
      WamCheckpoint.JSON.writeValue(temp.resolve(WamCheckpoint.META_FILE).toFile(), meta);
      Files.writeString(
          temp.resolve(WamCheckpoint.CARD_FILE),
          ModelCard.render(meta, null),
          StandardCharsets.UTF_8);
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
      return meta;
    } catch (IOException | RuntimeException e) {
      FileTrees.deleteQuietly(temp, e);
      throw e;
    }
  }

  /**
   * Restores raw weights, moments and moving average into {@code trainer} from checkpoint {@code
   * dir}.
   */
  static void restore(Path dir, Meta meta, WamTrainer trainer) throws IOException {
    PolicyWeights.checkShapes(dir, meta, trainer.network());
    if (!meta.files().containsKey(WamCheckpoint.TRAIN_STATE_FILE)) {
      throw new CheckpointException(
          "checkpoint "
              + dir
              + " has no "
              + WamCheckpoint.TRAIN_STATE_FILE
              + " (a shipped model cannot resume training)");
    }
    NDManager manager = trainer.model().getNDManager();
    try (NDManager scope = manager.newSubManager()) {
      NDList state = WamCheckpoint.read(dir, WamCheckpoint.TRAIN_STATE_FILE, meta, scope);
      List<Pair<String, Parameter>> params = trainer.network().getParameters().stream().toList();
      int n = params.size();
      for (int i = 0; i < n; i++) PolicyWeights.assign(dir, params.get(i), state.get(i));
      trainer.optimizer().restore(new NDList(state.subList(n, state.size())), meta.step());
      trainer.steps(meta.step());
    }
  }
}
