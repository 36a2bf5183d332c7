package dev.wam4j.model.wam;

import dev.wam4j.data.AtomicFiles;
import dev.wam4j.data.FileTrees;
import dev.wam4j.model.policy.PlanSettings;
import dev.wam4j.model.wam.WamCheckpoint.Meta;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What an export shipped: a checkpoint copied without its training state (what ships in a
 * repository), its paths made portable, the compute behind it recorded, its model card written.
 *
 * @param checkpoint the checkpoint exported (a run directory resolved to its latest)
 * @param folder the folder written
 * @param sizeBytes bytes of the files in it
 * @param lineageTrainSeconds the compute behind the model, as recorded in its checkpoint.json
 */
public record CheckpointExport(
    Path checkpoint, Path folder, long sizeBytes, double lineageTrainSeconds) {
  /**
   * Copies checkpoint {@code from} to {@code to} without its training state (what ships in a
   * repository), its data and init paths made portable ({@link PortablePaths}).
   */
  public static CheckpointExport export(Path from, Path to, String evaluationMarkdown)
      throws IOException {
    return export(from, to, evaluationMarkdown, List.of());
  }

  /**
   * The same, recording the compute behind the model ({@link ComputeLineage#of}: its init chain,
   * their runs' {@link ComputeLineage#FILE}s and {@code extraCompute}) as {@code lineage} and its
   * sum as {@code lineage_train_seconds} in the exported checkpoint.json and its card.
   */
  public static CheckpointExport export(
      Path from, Path to, String evaluationMarkdown, List<ComputeStage> extraCompute)
      throws IOException {
    return export(from, to, evaluationMarkdown, extraCompute, PlanSettings.CHECKPOINT);
  }

  /**
   * The same, shipping the inference {@code settings} chosen on validation seeds in the exported
   * config.
   */
  public static CheckpointExport export(
      Path from,
      Path to,
      String evaluationMarkdown,
      List<ComputeStage> extraCompute,
      PlanSettings settings)
      throws IOException {
    Path src = WamCheckpoint.resolve(from);
    Meta saved = WamCheckpoint.readMeta(src);
    Meta meta = saved.withConfig(saved.config().with(settings));
    List<ComputeStage> compute = ComputeLineage.of(src, extraCompute);
    double total = compute.stream().mapToDouble(ComputeStage::seconds).sum();
    WamCheckpoint.verify(src, WamCheckpoint.POLICY_FILE, meta);
    Path target = to.toAbsolutePath().normalize();
    Files.createDirectories(target.getParent());
    Path temp =
        AtomicFiles.hiddenDirectory(target.getParent(), "." + target.getFileName() + ".partial-");
    try {
      Files.copy(src.resolve(WamCheckpoint.POLICY_FILE), temp.resolve(WamCheckpoint.POLICY_FILE));
      Map<String, String> files = new LinkedHashMap<>();
      files.put(WamCheckpoint.POLICY_FILE, meta.files().get(WamCheckpoint.POLICY_FILE));
      Path root = PortablePaths.projectRoot();
      Meta shipped =
          PortablePaths.of(
              new Meta(
                  meta.format(),
                  meta.config(),
                  meta.stage(),
                  meta.step(),
                  meta.parameters(),
                  files,
                  meta.data(),
                  meta.metrics(),
                  meta.trainSeconds(),
                  meta.versions(),
                  List.copyOf(compute),
                  total),
              root);
      WamCheckpoint.JSON.writeValue(temp.resolve(WamCheckpoint.META_FILE).toFile(), shipped);
      List<Meta> lineage = lineage(meta).stream().map(m -> PortablePaths.of(m, root)).toList();
      Files.writeString(
          temp.resolve(WamCheckpoint.CARD_FILE),
          ModelCard.render(shipped, evaluationMarkdown, lineage),
          StandardCharsets.UTF_8);
      AtomicFiles.publishDirectory(temp, target);
    } catch (IOException | RuntimeException e) {
      FileTrees.deleteQuietly(temp, e); // a failing clean-up must not hide why the export failed
      throw e;
    }
    return new CheckpointExport(src, to, FileTrees.sizeBytes(target), total);
  }

  /**
   * The checkpoints {@code meta} was initialised from, nearest first, as far as they can still be
   * read.
   */
  private static List<Meta> lineage(Meta meta) {
    List<Meta> out = new ArrayList<>();
    Object init = meta.data() == null ? null : meta.data().get("init");
    while (init != null && out.size() < 64) {
      try {
        Meta m = WamCheckpoint.readMeta(WamCheckpoint.resolve(Path.of(init.toString())));
        out.add(m);
        init = m.data() == null ? null : m.data().get("init");
      } catch (IOException | RuntimeException e) {
        break; // an init checkpoint deleted since: the card lists what is left
      }
    }
    return out;
  }
}
