package dev.wam4j.fleet.server;

import dev.wam4j.data.AtomicFiles;
import dev.wam4j.data.FileTrees;
import dev.wam4j.data.lerobot.ColumnBatch;
import dev.wam4j.data.lerobot.ColumnBatchIterator;
import dev.wam4j.data.lerobot.LeRobotDataset;
import dev.wam4j.data.lerobot.write.LeRobotWriteConfig;
import dev.wam4j.data.lerobot.write.LeRobotWriter;
import dev.wam4j.data.lerobot.write.WriteFeature;
import dev.wam4j.data.pusht.PushTRate;
import dev.wam4j.data.pusht.PushTSchema;
import dev.wam4j.fleet.api.FleetEvent;
import dev.wam4j.fleet.store.FleetStore;
import dev.wam4j.fleet.store.Records;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;

/**
 * The data flywheel: after each kept episode, the dataset of its task ({@code datasets/<task>/}, LeRobot
 * v3.0) is rebuilt from all of the task's episodes and published in place; when a task's data has grown
 * by {@code everyHours} since the last trigger, the configured fine-tuning command runs (in the
 * background, with {@code WAM4J_DATASET}, {@code WAM4J_TASK} and {@code WAM4J_HOURS} set; its output in
 * {@code flywheel/}). One rebuild at a time, off the request threads.
 */
final class Flywheel implements AutoCloseable {
  private static final List<String> COLUMNS = List.of("observation.state", "action", "next.reward", "next.done", "next.success");

  private final FleetStore store;
  private final Path datasets;
  private final Path logs;
  private final String command;
  private final double everyHours;
  private final Consumer<FleetEvent> events;
  private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> Thread.ofPlatform().daemon().name("fleet-flywheel").unstarted(r));

  Flywheel(FleetStore store, Path dataDir, String command, double everyHours, Consumer<FleetEvent> events) throws IOException {
    this.store = store;
    this.datasets = Files.createDirectories(dataDir.resolve("datasets"));
    this.logs = dataDir.resolve("flywheel");
    this.command = command;
    this.everyHours = everyHours;
    this.events = events;
  }

  /** The task's dataset folder. */
  Path dataset(String taskName) {
    return datasets.resolve(slug(taskName));
  }

  /** Rebuilds the task's dataset in the background (and may trigger fine-tuning). */
  void episodeKept(String taskName) {
    worker.submit(() -> {
      try {
        rebuild(taskName);
      } catch (IOException | SQLException | RuntimeException e) {
        events.accept(new FleetEvent.FlywheelFailed(taskName, String.valueOf(e.getMessage())));
      }
    });
  }

  /** Waits for the rebuilds queued so far (tests, shutdown). */
  void drain() throws InterruptedException {
    try {
      worker.submit(() -> {}).get();
    } catch (java.util.concurrent.ExecutionException e) {
      throw new IllegalStateException(e);
    }
  }

  private void rebuild(String taskName) throws IOException, SQLException {
    List<Records.Episode> eps = store.uploads().episodes(taskName);
    Path target = dataset(taskName);
    if (eps.isEmpty()) { // the operator deleted its last episode
      FileTrees.delete(target);
      return;
    }
    Path fresh = datasets.resolve("." + target.getFileName() + ".next-" + System.nanoTime());
    int size;
    try (LeRobotDataset first = LeRobotDataset.open(Path.of(eps.get(0).path()))) {
      size = (int) Math.round(Math.sqrt(first.frameBytes("observation.image") / 3.0));
    }
    List<WriteFeature> features = PushTSchema.features(size);
    long frames = 0;
    boolean published = false;
    try {
      frames = write(eps, taskName, fresh, size, features);
      AtomicFiles.publishDirectory(fresh, target);
      published = true;
    } finally {
      // a failed rebuild leaves nothing behind, and a failing clean-up does not hide why it failed
      if (!published) FileTrees.deleteQuietly(fresh, null);
    }
    double hours = PushTRate.hours(frames);
    events.accept(new FleetEvent.DatasetBuilt(taskName, eps.size(), frames, hours));
    if (command != null && hours - store.uploads().triggeredHours(taskName) >= everyHours) trigger(taskName, target, hours);
  }

  private static long write(List<Records.Episode> eps, String taskName, Path fresh, int size, List<WriteFeature> features) throws IOException {
    long frames = 0;
    try (LeRobotWriter w = LeRobotWriter.create(fresh, LeRobotWriteConfig.of(PushTRate.FPS, "fleet", features))) {
      byte[] image = new byte[size * size * 3];
      for (Records.Episode e : eps) {
        try (LeRobotDataset ds = LeRobotDataset.open(Path.of(e.path()))) {
          w.beginEpisode(taskName);
          ColumnBatchIterator it = ds.batches(COLUMNS, 4096);
          int t = 0;
          for (ColumnBatch b = it.nextBatch(); b != null; b = it.nextBatch()) {
            float[] s = b.floats("observation.state"), a = b.floats("action"), r = b.floats("next.reward");
            long[] done = b.longs("next.done"), ok = b.longs("next.success");
            for (int i = 0; i < b.rows(); i++, t++) {
              ds.readFrame(0, t, "observation.image", image, 0);
              w.setImage("observation.image", image, 0).setVector("observation.state", new float[] {s[2 * i], s[2 * i + 1]})
                  .setVector("action", new float[] {a[2 * i], a[2 * i + 1]}).setFloat("next.reward", r[i]).setBool("next.done", done[i] != 0)
                  .setBool("next.success", ok[i] != 0);
              w.endFrame();
            }
          }
          w.endEpisode();
          frames += t;
        }
      }
      w.finish();
    }
    return frames;
  }

  private void trigger(String taskName, Path dataset, double hours) throws IOException, SQLException {
    Files.createDirectories(logs);
    Path log = logs.resolve(slug(taskName) + "-" + System.currentTimeMillis() + ".log");
    ProcessBuilder pb = new ProcessBuilder("bash", "-c", command).redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().put("WAM4J_DATASET", dataset.toAbsolutePath().toString());
    pb.environment().put("WAM4J_TASK", taskName);
    pb.environment().put("WAM4J_HOURS", Double.toString(hours));
    pb.start();
    store.uploads().recordTrigger(taskName, hours);
    events.accept(new FleetEvent.FinetuneTriggered(taskName, hours, command, log.toString()));
  }

  /** A folder name for a task: readable, and unique (a short hash of the exact name: "Push A" and "push-a" differ). */
  static String slug(String taskName) {
    String s = taskName.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("(^-|-$)", "");
    s = s.isEmpty() ? "task" : s.length() > 60 ? s.substring(0, 60) : s;
    return s + "-" + String.format("%08x", taskName.hashCode());
  }

  /** Rebuilds the datasets a restart may have left behind the episodes kept (a rebuild queued but not run). */
  void catchUp() throws SQLException {
    for (Records.TaskData t : store.uploads().collected()) {
      Path d = dataset(t.taskName());
      boolean current = false;
      if (Files.isDirectory(d)) {
        try (LeRobotDataset ds = LeRobotDataset.open(d)) {
          current = ds.episodes().size() == t.episodes();
        } catch (IOException | RuntimeException e) {
          current = false;
        }
      }
      if (!current) episodeKept(t.taskName());
    }
  }

  @Override
  public void close() {
    worker.shutdown();
    try { // a rebuild in flight finishes (or is interrupted) before the server's files are let go
      if (!worker.awaitTermination(60, java.util.concurrent.TimeUnit.SECONDS)) worker.shutdownNow();
    } catch (InterruptedException e) {
      worker.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }
}
