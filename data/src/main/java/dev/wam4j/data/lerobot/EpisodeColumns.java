package dev.wam4j.data.lerobot;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The numeric feature values of one episode at a time, read whole on first access and kept, so
 * walking an episode's frames costs one query.
 */
final class EpisodeColumns {
  private final Connection connection;
  private final ColumnTypes columnTypes;
  private final LeRobotInfo info;

  /** The episode held, with its features (the numeric ones its data file has) and their values. */
  private record Loaded(int episode, List<Feature> features, Object[] columns) {}

  private Loaded loaded;

  EpisodeColumns(Connection connection, ColumnTypes columnTypes, LeRobotInfo info) {
    this.connection = connection;
    this.columnTypes = columnTypes;
    this.info = info;
  }

  /**
   * The numeric values of frame {@code frame} (already checked to lie in the episode) of {@code e}.
   */
  Row row(Episode e, int frame) throws LeRobotFormatException {
    Loaded l = load(e);
    Map<String, Object> values = new LinkedHashMap<>();
    for (int j = 0; j < l.features().size(); j++) {
      Feature f = l.features().get(j);
      int w = f.elementCount();
      Object a = l.columns()[j];
      Object v =
          switch (a) {
            case float[] x -> Arrays.copyOfRange(x, frame * w, frame * w + w);
            case double[] x -> Arrays.copyOfRange(x, frame * w, frame * w + w);
            case long[] x -> Arrays.copyOfRange(x, frame * w, frame * w + w);
            default -> throw new IllegalStateException(a.getClass().toString());
          };
      values.put(f.name(), v);
    }
    return new Row(e.index(), frame, values);
  }

  private Loaded load(Episode e) throws LeRobotFormatException {
    if (loaded != null && loaded.episode() == e.index()) {
      return loaded;
    }
    loaded = null;
    Path file = e.dataFile();
    if (!Files.isRegularFile(file)) {
      throw new LeRobotFormatException(file, "data file of episode " + e.index() + " not found");
    }
    Map<String, String> types = columnTypes.of(file);
    List<Feature> features = new ArrayList<>();
    for (Feature f : info.features().values()) {
      if (f.isNumeric() && types.containsKey(f.name())) {
        features.add(f);
      }
    }
    Object[] cols =
        ParquetColumns.read(
            connection,
            file,
            types,
            features,
            "episode_index = " + e.index() + " ORDER BY frame_index",
            e.length());
    loaded = new Loaded(e.index(), features, cols);
    return loaded;
  }
}
