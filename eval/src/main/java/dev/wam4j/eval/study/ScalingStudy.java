package dev.wam4j.eval.study;

import dev.wam4j.data.pusht.PushTRate;
import dev.wam4j.model.train.TrainingLog;
import dev.wam4j.model.wam.WamCheckpoint;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The scaling law of stage-1 pre-training, from finished training runs: for each run, the hours of
 * video it trained on (from its checkpoint's data record) and its best validation loss (the minimum
 * of a {@code log.csv} column over the run), then {@link ScalingFit the two fits}.
 */
public final class ScalingStudy {
  /** One run's point. */
  public record Point(String run, double hours, double bestLoss, long bestStep, long frames) {}

  /** The points (sorted by hours) and their fits. */
  public record Result(String metric, List<Point> points, ScalingFit fit) {
    /** The ratio of the largest to the smallest hours of video: how far the law was measured. */
    public double span() {
      return points.get(points.size() - 1).hours() / points.get(0).hours();
    }
  }

  private ScalingStudy() {}

  /**
   * @param runs training run directories (each with log.csv and a checkpoint)
   * @param metric the log column minimised, e.g. {@code val_video} (the world model's loss on
   *     held-out video)
   * @throws IllegalArgumentException naming the run when it has no such column or no value in it
   */
  public static Result fromRuns(List<Path> runs, String metric) throws IOException {
    List<Point> points = new ArrayList<>();
    for (Path run : runs) {
      Path log = run.resolve("log.csv");
      if (!Files.isRegularFile(log))
        throw new IllegalArgumentException(run + ": no log.csv (not a training run directory)");
      TrainingLog.Table table = TrainingLog.read(log);
      if (!table.columns().contains(metric)) {
        throw new IllegalArgumentException(
            log + ": no column '" + metric + "' (has " + table.columns() + ")");
      }
      double[] values = table.column(metric);
      long[] steps = table.steps();
      double best = Double.NaN;
      long bestStep = -1;
      for (int i = 0; i < values.length; i++) {
        if (!Double.isNaN(values[i]) && (Double.isNaN(best) || values[i] < best)) {
          best = values[i];
          bestStep = steps[i];
        }
      }
      if (Double.isNaN(best)) {
        throw new IllegalArgumentException(
            log + ": column '" + metric + "' holds no value (was a validationDataset configured?)");
      }
      WamCheckpoint.Meta meta = WamCheckpoint.readMeta(WamCheckpoint.resolve(run));
      long frames = ((Number) meta.data().get("frames")).longValue();
      double hours = PushTRate.hours(frames);
      points.add(new Point(run.getFileName().toString(), hours, best, bestStep, frames));
    }
    points.sort(Comparator.comparingDouble(Point::hours));
    double[] h = points.stream().mapToDouble(Point::hours).toArray(),
        l = points.stream().mapToDouble(Point::bestLoss).toArray();
    return new Result(metric, List.copyOf(points), ScalingFit.fit(h, l));
  }
}
