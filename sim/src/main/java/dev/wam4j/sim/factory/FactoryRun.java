package dev.wam4j.sim.factory;

import dev.wam4j.sim.scene.Pose;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.Consumer;

/**
 * Builds a design in a simulated cell with no person in the loop: plans the order of placement,
 * gives each free robot the next part, pushes it with the scripted expert, checks every placement
 * on the camera's picture, pushes again any part a later push disturbed, and gives a push up after
 * a while to try again later; it stops when the camera sees every part on its target or the
 * design's simulated minutes run out, and then says which parts failed and why.
 */
public final class FactoryRun {
  /** Control steps one push may take before it is given up (and the part queued again). */
  public static final int PUSH_STEPS = 400;

  private static final DesignCheck.Workspace FLOOR = DesignCheck.Workspace.pushT();

  /** Control steps a push that brings a part off a wall may take. */
  public static final int STAGING_STEPS = 150;

  /** Control steps between two looks of the camera. */
  public static final int LOOK_EVERY = 5;

  /**
   * How to run.
   *
   * @param seed the feeder's and the run's seed (the design's own seed, when it has one, wins)
   * @param cameraSize side of the camera's picture in pixels (placements are checked on it)
   * @param executor who pushes the parts
   */
  public record Config(long seed, int cameraSize, Executor executor) {
    public Config {
      if (cameraSize < 64)
        throw new IllegalArgumentException("cameraSize must be >= 64, got " + cameraSize);
      java.util.Objects.requireNonNull(executor, "executor");
    }

    /** The given seed, a 256-pixel camera and the scripted expert. */
    public static Config of(long seed) {
      return new Config(seed, 256, Executor.expert());
    }

    /** The given seed, a 256-pixel camera and {@code executor}. */
    public static Config of(long seed, Executor executor) {
      return new Config(seed, 256, executor);
    }
  }

  /**
   * One part's outcome.
   *
   * @param coverage the camera's coverage of its target at the end
   * @param pushes pushes it took (re-pushes included)
   * @param reason why it is not placed, or null when it is
   */
  public record PartResult(
      String name, String shape, boolean placed, double coverage, int pushes, String reason) {}

  /**
   * What the run did.
   *
   * @param interventions times a person acted (0: lights-out; no executor here asks for one)
   * @param order the planned order of placement
   */
  public record Result(
      String design,
      long seed,
      String executor,
      int robots,
      int partsTotal,
      int partsPlaced,
      boolean productComplete,
      int pushes,
      int interventions,
      double simMinutes,
      double wallSeconds,
      List<String> order,
      List<PartResult> parts) {}

  /**
   * Runs over a block of seeds, side by side.
   *
   * @param completionRate products completed with no intervention, over the runs
   */
  public record Batch(
      String design,
      String executor,
      long firstSeed,
      int runs,
      int completed,
      double completionRate,
      double meanPushes,
      double meanSimMinutes,
      double meanWallSeconds,
      List<Result> perSeed) {}

  private FactoryRun() {}

  /**
   * Builds {@code design} once per seed {@code first .. first + count - 1} (a design's own seed is
   * ignored here).
   */
  public static Batch batch(
      Design design, long first, int count, Executor executor, Consumer<Result> progress) {
    if (count < 1) throw new IllegalArgumentException("count must be >= 1, got " + count);
    Design unseeded =
        new Design(
            design.title(),
            design.description(),
            design.parts(),
            new Design.Options(
                design.options().tolerance(),
                design.options().robots(),
                design.options().maxMinutes(),
                null));
    List<Result> runs = new ArrayList<>();
    for (long seed = first; seed < first + count; seed++) {
      Result r = run(unseeded, Config.of(seed, executor), line -> {});
      runs.add(r);
      progress.accept(r);
    }
    int completed = (int) runs.stream().filter(Result::productComplete).count();
    return new Batch(
        design.title(),
        executor.name(),
        first,
        count,
        completed,
        completed / (double) count,
        runs.stream().mapToInt(Result::pushes).average().orElseThrow(),
        runs.stream().mapToDouble(Result::simMinutes).average().orElseThrow(),
        runs.stream().mapToDouble(Result::wallSeconds).average().orElseThrow(),
        List.copyOf(runs));
  }

  /** Watches a run, one control step at a time (a video, a dashboard). */
  public interface Observer {
    /**
     * A control step ran; {@code camera} sees the cell, {@code plan} says what each robot is doing.
     */
    void stepped(Cell cell, CellCamera camera, String plan);
  }

  /** Builds {@code design} with {@code config}'s executor for every robot. */
  public static Result run(Design design, Config config, Consumer<String> log) {
    return run(design, config, log, (cell, camera, plan) -> {});
  }

  /** The same, watched by {@code observer}. */
  public static Result run(Design design, Config config, Consumer<String> log, Observer observer) {
    long t0 = System.nanoTime();
    long seed = design.options().seed() != null ? design.options().seed() : config.seed();
    Build b = new Build(design, seed, config.cameraSize(), config.executor());
    log.accept(
        String.format(
            "%s: %d parts, %d robot%s, order %s",
            design.title(), b.parts.size(), b.robots, b.robots == 1 ? "" : "s", b.names(b.order)));
    while (b.cell.minutes() < design.options().maxMinutes() && !b.finished()) {
      b.queueDisturbed();
      b.assign();
      b.steer();
      b.cell.step(b.targets);
      if (b.cell.steps() % LOOK_EVERY == 0) b.seen = b.camera.coverage();
      observer.stepped(b.cell, b.camera, plan(b.job, b.parts, b.seen, b.cell));
      b.review();
    }
    return b.result(seed, config.executor().name(), (System.nanoTime() - t0) / 1e9);
  }

  /**
   * One build in progress: the cell, what the camera last saw, the queue of parts and what each
   * robot does.
   */
  private static final class Build {
    final Design design;
    final Cell cell;
    final CellCamera camera;
    final List<Design.Part> parts;
    final int robots;
    final double tolerance;
    final List<Integer> order;
    final Deque<Integer> queue;
    final int[] pushesOf, failed, job, jobSteps;
    final String[] lastFailure;
    final boolean[] placed, staging;
    final Executor executor;
    final Executor.Push[] pushing;
    final double[] targets, out = new double[2];
    double[] seen;
    int pushes;

    Build(Design design, long seed, int cameraSize, Executor executor) {
      this.design = design;
      this.executor = executor;
      this.cell = new Cell(design, seed);
      this.camera = new CellCamera(cell, cameraSize);
      this.parts = design.parts();
      this.robots = cell.robots();
      this.tolerance = design.options().tolerance();
      this.order = PlacementOrder.plan(design, cell.starts());
      this.queue = new ArrayDeque<>(order);
      int n = parts.size();
      this.pushesOf = new int[n];
      this.failed = new int[n];
      this.lastFailure = new String[n];
      this.placed = new boolean[n];
      this.job = new int[robots];
      java.util.Arrays.fill(job, -1);
      this.jobSteps = new int[robots];
      this.staging = new boolean[robots];
      this.pushing = new Executor.Push[robots];
      this.targets = new double[2 * robots];
      this.seen = camera.coverage();
    }

    /**
     * Whether the camera sees every part placed and no robot is still pushing (updates {@link
     * #placed}).
     */
    boolean finished() {
      for (int i = 0; i < parts.size(); i++) placed[i] = seen[i] >= tolerance;
      boolean allPlaced = true, busy = false;
      for (boolean p : placed) allPlaced &= p;
      for (int j : job) busy |= j >= 0;
      return allPlaced && !busy;
    }

    /**
     * A part the camera no longer sees on its target (a later push disturbed it) is pushed again.
     */
    void queueDisturbed() {
      for (int i = 0; i < parts.size(); i++)
        if (!placed[i] && !queue.contains(i) && !working(job, i)) queue.addLast(i);
    }

    /** Each free robot takes the next part no robot works on. */
    void assign() {
      for (int r = 0; r < robots; r++) {
        if (job[r] >= 0) continue;
        Integer next = null;
        for (int k = 0, size = queue.size(); k < size && next == null; k++) {
          int candidate = queue.pollFirst();
          if (placed[candidate]) continue; // placed meanwhile: nothing to do
          if (working(job, candidate)) queue.addLast(candidate); // another robot has it
          else next = candidate;
        }
        if (next == null) continue;
        job[r] = next;
        jobSteps[r] = 0;
        // a part that defeated a push and lies against a wall is first brought off it, where a
        // pusher
        // can get behind it (its place read off the camera's picture)
        double[] extent = failed[next] > 0 ? camera.extent(next) : null;
        staging[r] = extent != null && againstWall(extent);
        pushing[r] =
            executor.push(
                cell,
                camera,
                r,
                next,
                staging[r]
                    ? offTheWall(camera.locate(next, parts.get(next).target().angle()), extent)
                    : parts.get(next).target());
        pushes++;
        pushesOf[next]++;
      }
    }

    /**
     * Each robot's next target: its push's, or where it is when idle or about to meet a robot
     * ahead.
     */
    void steer() {
      for (int r = 0; r < robots; r++) {
        if (job[r]
            < 0) { // idle: stay put (driving home across the floor knocks parts off their marks)
          targets[2 * r] = cell.pusherX(r);
          targets[2 * r + 1] = cell.pusherY(r);
        } else {
          pushing[r].act(out);
          targets[2 * r] = out[0];
          targets[2 * r + 1] = out[1];
        }
      }
      RightOfWay.apply(cell, targets);
    }

    /**
     * After a step: a staging push hands over to the ordinary one, a placed part frees its robot, a
     * long push is given up.
     */
    void review() {
      for (int r = 0; r < robots; r++) {
        if (job[r] < 0) continue;
        jobSteps[
            r]++; // waiting for another robot counts: a push kept waiting long goes back to the
        // queue
        if (staging[r]
            && (jobSteps[r] >= STAGING_STEPS
                || (cell.steps() % LOOK_EVERY == 0 && !againstWall(camera.extent(job[r]))))) {
          staging[r] = false; // off the wall (or as far as it goes): now onto the target
          pushing[r] = executor.push(cell, camera, r, job[r], parts.get(job[r]).target());
          jobSteps[r] = 0;
        } else if (seen[job[r]] >= tolerance) {
          job[r] = -1;
        } else if (jobSteps[r] >= PUSH_STEPS) {
          failed[job[r]]++;
          lastFailure[job[r]] =
              String.format(
                  "a push of %d steps left it at coverage %.2f", PUSH_STEPS, seen[job[r]]);
          queue.addLast(job[r]);
          job[r] = -1;
        }
      }
    }

    /** What the camera sees at the end, part by part, and the run's totals. */
    Result result(long seed, String executorName, double wallSeconds) {
      seen = camera.coverage();
      List<PartResult> results = new ArrayList<>();
      int placedCount = 0;
      for (int i = 0; i < parts.size(); i++) {
        boolean ok = seen[i] >= tolerance;
        if (ok) placedCount++;
        String reason =
            ok
                ? null
                : String.format(
                    "coverage %.2f < %.2f after %d push%s when the %s simulated minutes ran out%s",
                    seen[i],
                    tolerance,
                    pushesOf[i],
                    pushesOf[i] == 1 ? "" : "es",
                    design.options().maxMinutes(),
                    lastFailure[i] == null ? "" : " (last: " + lastFailure[i] + ")");
        results.add(
            new PartResult(
                parts.get(i).name(), parts.get(i).shape().id(), ok, seen[i], pushesOf[i], reason));
      }
      return new Result(
          design.title(),
          seed,
          executorName,
          robots,
          parts.size(),
          placedCount,
          placedCount == parts.size(),
          pushes,
          0,
          cell.minutes(),
          wallSeconds,
          names(order),
          results);
    }

    List<String> names(List<Integer> indices) {
      return indices.stream().map(i -> parts.get(i).name()).toList();
    }
  }

  /** What each robot is doing, and how many parts the camera sees placed: a caption. */
  private static String plan(int[] job, List<Design.Part> parts, double[] seen, Cell cell) {
    StringBuilder b = new StringBuilder(String.format("%.1f min", cell.minutes()));
    for (int r = 0; r < job.length; r++)
      b.append(" | robot ")
          .append(r + 1)
          .append(": ")
          .append(job[r] < 0 ? "idle" : parts.get(job[r]).name());
    int placed = 0;
    for (double c : seen) if (c >= cell.design().options().tolerance()) placed++;
    return b.append(" | placed ").append(placed).append('/').append(parts.size()).toString();
  }

  /**
   * Whether a part's extent (cell pixels) leaves less room to a wall than a pusher needs behind it.
   */
  public static boolean againstWall(double[] extent) {
    if (extent == null) return false;
    DesignCheck.Workspace f = FLOOR;
    double gap = Cell.WALL_GAP;
    return extent[0] < f.minX() + gap
        || extent[1] < f.minY() + gap
        || extent[2] > f.maxX() - gap
        || extent[3] > f.maxY() - gap;
  }

  /** The part's pose moved towards the middle of the cell by the room it lacks, and a bit more. */
  public static Pose offTheWall(Pose at, double[] extent) {
    DesignCheck.Workspace f = FLOOR;
    double gap = Cell.WALL_GAP + 20, dx = 0, dy = 0;
    if (extent[0] < f.minX() + gap) dx = f.minX() + gap - extent[0];
    if (extent[2] > f.maxX() - gap) dx = f.maxX() - gap - extent[2];
    if (extent[1] < f.minY() + gap) dy = f.minY() + gap - extent[1];
    if (extent[3] > f.maxY() - gap) dy = f.maxY() - gap - extent[3];
    return new Pose(at.x() + dx, at.y() + dy, at.angle());
  }

  private static boolean working(int[] job, int part) {
    for (int j : job) if (j == part) return true;
    return false;
  }
}
