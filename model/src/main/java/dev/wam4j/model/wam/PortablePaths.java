package dev.wam4j.model.wam;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Rewrites the data and checkpoint paths a training run recorded (absolute, of the machine it ran
 * on) into what a shipped checkpoint may carry: the path relative to the project root when it lies
 * inside it, else only the folder's name. With the content hashes the run recorded beside them
 * ({@code dataset_sha256}, ...), that names the data exactly without naming a machine.
 */
public final class PortablePaths {
  private static final Set<String> PATH_KEYS =
      Set.of("dataset", "extra_datasets", "validation_dataset", "init");

  private PortablePaths() {}

  /** The project root: {@code -Dwam4j.root} (the launcher sets it), else the working directory. */
  public static Path projectRoot() {
    return Path.of(System.getProperty("wam4j.root", ".")).toAbsolutePath().normalize();
  }

  /**
   * A path as a shipped file writes it, with nothing of the machine that made it: relative to
   * {@code root} when an absolute path inside it, else only its last name; a relative path (or
   * null) as it is.
   */
  public static String of(String path, Path root) {
    if (path == null) return null;
    Path p = Path.of(path);
    if (!p.isAbsolute()) return path;
    Path n = p.normalize();
    if (n.startsWith(root)) return root.relativize(n).toString();
    return n.getFileName() == null ? path : n.getFileName().toString();
  }

  /** {@code meta} with portable paths in its config and data. */
  static WamCheckpoint.Meta of(WamCheckpoint.Meta meta, Path root) {
    WamConfig c = meta.config();
    WamConfig config =
        c.withData(of(c.dataset(), root), of(c.validationDataset(), root), of(c.init(), root))
            .withExtraDatasets(c.extraDatasets().stream().map(e -> of(e, root)).toList());
    Map<String, Object> data = null;
    if (meta.data() != null) {
      data = new LinkedHashMap<>();
      for (Map.Entry<String, Object> e : meta.data().entrySet()) {
        Object v = e.getValue();
        if (PATH_KEYS.contains(e.getKey())) {
          v =
              v instanceof List<?> list
                  ? list.stream().map(x -> of(String.valueOf(x), root)).toList()
                  : v == null ? null : of(v.toString(), root);
        }
        data.put(e.getKey(), v);
      }
    }
    return new WamCheckpoint.Meta(
        meta.format(),
        config,
        meta.stage(),
        meta.step(),
        meta.parameters(),
        meta.files(),
        data,
        meta.metrics(),
        meta.trainSeconds(),
        meta.versions(),
        meta.lineage(),
        meta.lineageTrainSeconds());
  }
}
