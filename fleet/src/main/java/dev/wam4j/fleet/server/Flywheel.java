package dev.wam4j.fleet.server;

import dev.wam4j.data.AtomicFiles;
import dev.wam4j.data.FileTrees;
import dev.wam4j.data.lerobot.write.LeRobotAggregate;
import dev.wam4j.data.pusht.PushTRate;
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
 * The data flywheel: after each kept episode, the dataset of its task ({@code datasets/<task>/},
 * LeRobot v3.0) grows by that episode without re-encoding any video ({@link LeRobotAggregate};
 * after a deletion it is built again from all of the task's episodes, also without re-encoding) and
 * is published in place; when a task's data has grown by {@code everyHours} since the last trigger,
 * the configured fine-tuning command runs (in the background, with {@code WAM4J_DATASET}, {@code
 * WAM4J_TASK} and {@code WAM4J_HOURS} set; its output in {@code flywheel/}). One rebuild at a time,
 * off the request threads.
 */
final class Flywheel implements AutoCloseable {
  /**
   * The digests of the fleet episodes a task's dataset holds, in its folder (LeRobot readers ignore
   * it).
   */
  static final String HELD_FILE = "fleet_episodes.json";

  /** The database lock a rebuild holds (servers sharing one database share the datasets). */
  private static final String LOCK = "wam4j fleet flywheel";

  private final FleetStore store;
  private final Path datasets;
  private final Path logs;
  private final String command;
  private final double everyHours;
  private final Consumer<FleetEvent> events;
  private final ExecutorService worker =
      Executors.newSingleThreadExecutor(
          r -> Thread.ofPlatform().daemon().name("fleet-flywheel").unstarted(r));

  Flywheel(
      FleetStore store,
      Path dataDir,
      String command,
      double everyHours,
      Consumer<FleetEvent> events)
      throws IOException {
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
    worker.submit(
        () -> {
          try {
            // one rebuild at a time among all servers on the database: they share the datasets
            // folder, and two publishing one task's dataset at once would race
            store.exclusively(
                LOCK,
                () -> {
                  rebuild(taskName);
                  return null;
                });
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
    // episodes are named by their content's digest, which no database id reuse or swap can confuse
    List<String> wanted = eps.stream().map(Records.Episode::sha256).toList();
    List<String> held = held(target);
    if (held.equals(wanted)) return; // a rebuild queued earlier has already done this one's work
    // the usual case: the dataset holds every episode but the newest, which are appended; after a
    // deletion (or when the dataset is missing) it is built again from all episodes. Neither
    // decodes or encodes a frame: kept episodes are all in one form (EpisodeFiles).
    boolean grows =
        !held.isEmpty()
            && held.size() < wanted.size()
            && wanted.subList(0, held.size()).equals(held);
    List<Path> additions =
        eps.subList(grows ? held.size() : 0, eps.size()).stream()
            .map(e -> Path.of(e.path()))
            .toList();
    Path fresh = AtomicFiles.hiddenDirectory(datasets, "." + target.getFileName() + ".next-");
    boolean published = false;
    try {
      Files.delete(fresh); // the aggregate writes a folder of that name itself
      LeRobotAggregate.append(grows ? target : null, additions, fresh);
      AtomicFiles.writeString(
          fresh.resolve(HELD_FILE),
          JsonExchange.JSON.writeValueAsString(wanted)); // published with the dataset
      AtomicFiles.publishDirectory(fresh, target);
      published = true;
    } finally {
      // a failed rebuild leaves nothing behind, and a failing clean-up does not hide why it failed
      if (!published) FileTrees.deleteQuietly(fresh, null);
    }
    long frames = eps.stream().mapToLong(Records.Episode::frames).sum();
    double hours = PushTRate.hours(frames);
    events.accept(new FleetEvent.DatasetBuilt(taskName, eps.size(), frames, hours));
    if (command != null && hours - store.uploads().triggeredHours(taskName) >= everyHours)
      trigger(taskName, target, hours);
  }

  /**
   * The digests of the fleet episodes a task's dataset holds, in order (its own record beside its
   * LeRobot files); empty when unknown.
   */
  private static List<String> held(Path dataset) {
    Path f = dataset.resolve(HELD_FILE);
    if (!Files.isRegularFile(f)) return List.of();
    try {
      return List.of(JsonExchange.JSON.readValue(f.toFile(), String[].class));
    } catch (IOException | RuntimeException e) {
      return List.of(); // unreadable: the dataset is built again from all episodes
    }
  }

  private void trigger(String taskName, Path dataset, double hours)
      throws IOException, SQLException {
    Files.createDirectories(logs);
    Path log = logs.resolve(slug(taskName) + "-" + System.currentTimeMillis() + ".log");
    ProcessBuilder pb =
        new ProcessBuilder("bash", "-c", command)
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    pb.environment().put("WAM4J_DATASET", dataset.toAbsolutePath().toString());
    pb.environment().put("WAM4J_TASK", taskName);
    pb.environment().put("WAM4J_HOURS", Double.toString(hours));
    pb.start();
    store.uploads().recordTrigger(taskName, hours);
    events.accept(new FleetEvent.FinetuneTriggered(taskName, hours, command, log.toString()));
  }

  /**
   * A folder name for a task: readable, and unique (a short hash of the exact name: "Push A" and
   * "push-a" differ).
   */
  static String slug(String taskName) {
    String s =
        taskName.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("(^-|-$)", "");
    s = s.isEmpty() ? "task" : s.length() > 60 ? s.substring(0, 60) : s;
    return s + "-" + String.format("%08x", taskName.hashCode());
  }

  /**
   * After a start: removes the working folders a crash left in {@code datasets/} (hidden, only the
   * flywheel makes them) and queues the datasets that do not hold exactly their task's episodes (a
   * rebuild queued but not run).
   */
  void catchUp() throws SQLException, IOException {
    // the working folders are a crash's only while no server on the database is rebuilding (else
    // they may be its own): left for a later start then
    store.exclusivelyIfFree(
        LOCK,
        () -> {
          try (var entries = Files.list(datasets)) {
            for (Path p : entries.filter(p -> p.getFileName().toString().startsWith(".")).toList())
              FileTrees.delete(p);
          }
          return null;
        });
    for (Records.TaskData t : store.uploads().collected()) {
      List<String> wanted =
          store.uploads().episodes(t.taskName()).stream().map(Records.Episode::sha256).toList();
      if (!held(dataset(t.taskName())).equals(wanted)) episodeKept(t.taskName());
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
